"""No screen shows a source file's name: citations read `《title》article`.

The test jurisdiction cites `001_testcity.txt` and declares its title; its rules return citations
without one, as an outside plugin may, so the screens must find the title by file. Each screen
that shows a citation (a worker's pay, the plugins list, a community's staffing, forecasts,
alerts, the round's quota bars and reasons, a payroll's pay lines) is rendered, and its text must
name the document by title and never by file.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from textual.pilot import Pilot

from core.retirement import NATIONAL_EN
from tests.tui.conftest import MakeApp
from tests.tui.test_app import settle
from tests.tui.test_snapshots import _plugins, _worker
from tests.tui.test_snapshots_communities import _alerts, _community, _forecasts
from tests.tui.test_snapshots_payroll import _payroll
from tests.tui.test_snapshots_round import _decided
from tests.tui.testcity_plugin import DOCUMENT
from tui.screens.payroll import PayrollScreen

WORKER = 2  # computed: base and seniority lines, each cited
TITLE = "测试市社区工作者管理办法"
TITLE_EN = "Test City community worker measures"


async def _pay_lines(pilot: Pilot[Any]) -> None:
    await _payroll(pilot)
    await pilot.press("right_square_bracket")  # the workers
    screen = pilot.app.screen
    assert isinstance(screen, PayrollScreen) and screen.active_tab == "workers"
    assert screen.table("workers").move_to_key(WORKER)
    await pilot.press("enter")
    await settle(pilot)


async def _last_alert(pilot: Pilot[Any]) -> None:
    await _alerts(pilot)
    await pilot.press("end")  # the first rows cannot be computed; the last is a cited finding
    await settle(pilot)


async def _worker_pay(pilot: Pilot[Any]) -> None:
    await _worker(pilot)
    await pilot.press(*["right_square_bracket"] * 8)  # the pay tab
    await settle(pilot)


SCREENS = {
    "worker_pay": _worker_pay,
    "plugins": _plugins,
    "community": _community,
    "forecasts": _forecasts,
    "alerts": _last_alert,
    "round": _decided,
    "pay_lines": _pay_lines,
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_screens_name_documents_by_title(make_app: MakeApp, screen: str, lang: str) -> None:
    """The screen shows the document's title and not the file it is in."""
    app = make_app(lang=lang)
    async with app.run_test(size=(200, 60)) as pilot:
        await SCREENS[screen](pilot)
        text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
    assert DOCUMENT not in text
    if screen == "forecasts":  # retirements: cited to the national decision, which has no seed file
        assert (
            NATIONAL_EN
            if lang == "en"
            else "《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定(2024)》"
        ) in text
    else:
        assert (TITLE_EN if lang == "en" else TITLE) in text
