"""The payroll and import screens at 80x24 and 120x40, in Chinese and in English.

The data is fixed (the test registry, today 2026-05-15); the payroll is computed for May 2026 over
鹿城区/五马街道, whose two party secretaries cannot be computed (their allowance is unset), so the
failed count and the street totals show. The import checks a file with a bad date, written to a
fixed folder under the test's tmp_path but shown by its name only. Update with
`--snapshot-update` only after looking at the new SVGs.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import MakeApp
from tests.tui.test_app import settle
from tests.tui.test_import_screen import HEADERS, worker_row
from tui.screens.import_file import ImportScreen
from tui.screens.payroll import PayrollScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["zh", "en"]


async def _payroll(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PayrollScreen)
    screen.scope_input.value = "street:鹿城区/五马街道"
    screen.scope_input.focus()
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("right_square_bracket")  # the community totals
    await pilot.pause()


async def _payroll_failed(pilot: Pilot[Any]) -> None:
    await _payroll(pilot)
    await pilot.press("right_square_bracket", "right_square_bracket")
    await pilot.pause()


def _import(folder: Path) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        path = folder / "名单.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADERS)
            writer.writerow(worker_row(birth_date="1990-13-02", community_id="tc-999"))
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ImportScreen)
        screen.path_input.value = "名单.csv"
        await pilot.press("enter")
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_payroll(snap_compare: Any, make_app: MakeApp, size: tuple[int, int], lang: str) -> None:
    """Community totals of a street with two workers who cannot be computed."""
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_payroll)


@pytest.mark.parametrize("lang", LANGS)
def test_payroll_failed_tab(snap_compare: Any, make_app: MakeApp, lang: str) -> None:
    """The failed workers with the reason, the whole of the highlighted one below."""
    assert snap_compare(make_app(lang=lang), terminal_size=(80, 24), run_before=_payroll_failed)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_import(
    snap_compare: Any,
    make_app: MakeApp,
    size: tuple[int, int],
    lang: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check of a file with a bad date and an unknown community: row, column, value, reason."""
    monkeypatch.chdir(tmp_path)
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_import(tmp_path))
