"""The communities list, a community, the forecasts and the alerts at 80x24 and 120x40, in
Chinese and in English, over the test registry with households (test_communities_screen), so
the staffing figures differ from one community to the next. Update with `--snapshot-update` only
after looking at the new SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import MakeApp
from tests.tui.test_app import settle
from tests.tui.test_communities_screen import staffed_registry

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["zh", "en"]


async def _communities(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)


async def _community(pilot: Pilot[Any]) -> None:
    await _communities(pilot)
    pilot.app.screen.open_community("tc-001")  # type: ignore[attr-defined]
    await settle(pilot)


async def _community_types(pilot: Pilot[Any]) -> None:
    await _community(pilot)
    await pilot.press("right_square_bracket")
    await settle(pilot)


async def _forecasts(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)


async def _alerts(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


SCREENS = {
    "communities": _communities,
    "community": _community,
    "community_types": _community_types,
    "forecasts": _forecasts,
    "alerts": _alerts,
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, make_app: MakeApp, screen: str, size: tuple[int, int], lang: str) -> None:
    """Each screen, at each size, in each language."""
    app = make_app(lang=lang, workers=staffed_registry())
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


def test_export_dialog(snap_compare: Any, make_app: MakeApp) -> None:
    """`x` on the alerts: where to write, with the rows it will hold."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _alerts(pilot)
        await pilot.press("x")
        await pilot.pause()
        # A blinking cursor would be drawn or not depending on when the picture is taken.
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
