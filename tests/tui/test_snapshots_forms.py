"""What the worker form, the community form and the conflict view look like at 80x24 and 120x40,
in Chinese and in English. The worker form is shown after a save with errors, so the messages
under the fields are part of the picture. Update with `--snapshot-update` only after looking."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from core.memory import MemoryRegistry
from tests.tui.conftest import MakeApp
from tests.tui.test_app import settle


def steady_cursor(pilot: Pilot[Any]) -> None:
    """A blinking cursor would be caught on or off depending on timing: keep it on."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["zh", "en"]


async def _worker_form(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.open_worker_form(2)  # type: ignore[attr-defined]
    await pilot.pause()
    steady_cursor(pilot)
    form = pilot.app.screen
    form.set_text("id_number", "11010819691004002")  # type: ignore[attr-defined]
    form.set_text("contract_end", "20261325")  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _community_form(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.open_community_form(None)  # type: ignore[attr-defined]
    await pilot.pause()
    steady_cursor(pilot)
    await pilot.pause()


def _conflict(registry: MemoryRegistry) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_worker_form(2)  # type: ignore[attr-defined]
        await pilot.pause()
        steady_cursor(pilot)
        pilot.app.screen.set_text("phone", "13800002222")  # type: ignore[attr-defined]
        me, registry.user = registry.user, "wangfang"
        registry.update_worker(attrs.evolve(registry.get_worker(2), note="户籍已迁出，待核实"))
        registry.user = me
        await pilot.press("ctrl+s")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_worker_form(snap_compare: Any, make_app: MakeApp, size: tuple[int, int], lang: str) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_worker_form)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_community_form(snap_compare: Any, make_app: MakeApp, size: tuple[int, int], lang: str) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_community_form)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_conflict(
    snap_compare: Any, make_app: MakeApp, registry: MemoryRegistry, size: tuple[int, int], lang: str
) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_conflict(registry))
