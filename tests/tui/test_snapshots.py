"""What each screen looks like at 80x24 and 120x40, in Chinese and in English.

The data is fixed (the test registry, `today` 2026-05-15, audit entries stamped at one time), so
a change in a snapshot is a change in layout or wording. Update with `--snapshot-update` only
after looking at the new SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import MakeApp
from tests.tui.test_app import SECRETARY, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["zh", "en"]


async def _dashboard(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def _roster(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)


async def _worker(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.open_worker(2)  # type: ignore[attr-defined]
    await settle(pilot)


async def _plugins(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)


SCREENS = {"dashboard": _dashboard, "roster": _roster, "worker": _worker, "plugins": _plugins}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, make_app: MakeApp, screen: str, size: tuple[int, int], lang: str) -> None:
    """Each screen, at each size, in each language."""
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=SCREENS[screen])


def test_pay_tab_with_a_missing_parameter(snap_compare: Any, make_app: MakeApp) -> None:
    """A party secretary's pay tab: the unset parameter named, where to set it."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_worker(SECRETARY)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press(*["right_square_bracket"] * 8)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_on_the_roster(snap_compare: Any, make_app: MakeApp) -> None:
    """The help for the roster: its keys first, then the app's, then the list's."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _roster(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
