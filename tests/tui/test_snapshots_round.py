"""What the assessment round looks like at 80x24 and 120x40, in Chinese and in English.

The round is 鹿城区's for 2026 on the fixture registry; two workers of 五马街道 are graded 优秀
(its 2 places, floor(12 × 20 / 100)) and a third is refused, so the meter shows a full unit and
the message line the refusal. Update with `--snapshot-update` only after looking at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import MakeApp
from tests.tui.test_app import settle
from tests.tui.test_round_screen import WUMA_WORKERS, grade, open_round_screen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["zh", "en"]


async def _decided(pilot: Pilot[Any]) -> None:
    screen = await open_round_screen(pilot)
    for worker_id in WUMA_WORKERS[:3]:
        await grade(pilot, screen, worker_id, "1")
    await pilot.pause()


async def _form(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("k")
    await settle(pilot)
    await pilot.press("enter")  # every community: one names a jurisdiction not loaded
    await settle(pilot)


async def _closing(pilot: Pilot[Any]) -> None:
    await _decided(pilot)
    await pilot.press("x")
    await settle(pilot)


SCREENS = {"round": _decided, "open_form": _form, "close_question": _closing}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_round(snap_compare: Any, make_app: MakeApp, screen: str, size: tuple[int, int], lang: str) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=SCREENS[screen])
