"""A viewer never reads a birth date off a retirement date (core.privacy; issue 12 item 2).

A retirement date is the birth date moved by whole months, so shown to the day beside a masked ID
it gives the birth date back, and with it most of the ID. Every screen that shows a rule's result
about a worker (the dashboard, the forecast, the alerts, the worker's retirement, findings and
history tabs) and the forecast's and alerts' exports cut it to the month for a viewer, the birth
date to the year; an operator, who may see full numbers, still reads the day.

The registry is the demo's (`core.demo`, 300 workers, the plugins shipped), seen through a grant
(`core.scoped`) as `run_app` does; the screens are driven at 80x24.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from core.access import Grant, Role
from core.demo import build_demo
from core.jurisdictions import default_jurisdictions
from core.memory import MemoryRegistry
from core.model import Sex, Status, StatusChange
from core.rules import Rules
from core.scope import Scope
from core.scoped import ScopedRepository
from tests.tui.fixtures import TODAY, fixed_clock
from tests.tui.test_app import SIZE, settle
from tests.tui.test_forecasts_alerts import export_to
from tui.app import ShegongApp
from tui.screens.alerts import AlertsData, AlertsScreen
from tui.screens.forecasts import ForecastData, ForecastsScreen
from tui.screens.worker_detail import WorkerDetailScreen
from tui.widgets.virtual_table import VirtualTable

# The demo (seed fixed, 300 workers, as of 2026-05-15) draws worker 72, a woman of Haidian born
# 1971-02-21 on no special track. The national gradual raise of the retirement age (国家渐进式
# 延迟法定退休年龄规定): women at 55 retire originally on 2026-02-21, 13 months after 2025-01, so
# one month later for every 4 started: 13 // 4 + 1 = 4 months → 2026-06-21, within the
# dashboard's 3 months of 2026-05-15, and within the national rule's warning of a coming retirement.
RETIREE = 72
BIRTH = dt.date(1971, 2, 21)
RETIRES = dt.date(2026, 6, 21)


def spelled(day: dt.date) -> tuple[str, str]:
    """A day as the screens and files write it: ISO text, and the Chinese long form."""
    return day.isoformat(), f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture(scope="module")
def demo() -> MemoryRegistry:
    registry = MemoryRegistry()
    build_demo(registry, workers=300, today=TODAY)
    worker = registry.get_worker(RETIREE)
    assert (worker.birth_date, worker.sex, worker.retirement_track) == (BIRTH, Sex.FEMALE, None)
    # The retirement already entered in the record (a history entry that holds the date).
    registry.update_worker(
        attrs.evolve(worker, statuses=(*worker.statuses, StatusChange(Status.RETIRED, RETIRES, "到龄退休")))
    )
    return registry


def table_text(app: ShegongApp) -> Iterator[str]:
    """Every row of every table on the screen (not only those scrolled into view), every
    static text, and the screen as drawn."""
    for table in app.screen.query(VirtualTable):
        for i in range(table.total_count):
            yield from table.row(i)
    for static in app.screen.query(Static):
        yield str(static.render())
    yield app.export_screenshot()


def screen_text(app: ShegongApp) -> str:
    """What the screen shows, with the whole text each highlighted line would show below it."""
    screen = app.screen
    parts = list(table_text(app))
    if isinstance(screen, ForecastsScreen | AlertsScreen):
        assert isinstance(screen.data, ForecastData | AlertsData)
        parts += [item.detail for item in screen.data.items]
    if isinstance(screen, WorkerDetailScreen):
        parts += [line for lines in screen._details.values() for line in lines]
    return "\n".join(parts)


async def every_screen(pilot: Pilot[Any], tmp_path: Path) -> dict[str, str]:
    """Each screen's text (and its export's), by name; the retiree's rows must be on it."""
    app = pilot.app
    assert isinstance(app, ShegongApp)
    seen: dict[str, str] = {}
    await settle(pilot)
    seen["dashboard"] = screen_text(app)
    for mode, name in (("f", "forecasts"), ("w", "alerts")):
        await pilot.press(mode)
        await settle(pilot)
        seen[name] = screen_text(app)
        target = tmp_path / f"{name}.csv"
        await export_to(pilot, target)
        seen[f"{name} export"] = target.read_text(encoding="utf-8-sig")
    app.open_worker(RETIREE)
    await settle(pilot)
    seen["worker"] = screen_text(app)
    detail = app.screen
    assert isinstance(detail, WorkerDetailScreen)
    seen["worker retirement"] = str(detail.query_one("#retirement-text", Static).render())
    for tab in ("findings", "history"):
        table = detail.query_one(f"#{tab}-table", VirtualTable)
        rows = [cell for i in range(table.total_count) for cell in table.row(i)]
        seen[f"worker {tab}"] = "\n".join([*rows, *detail._details[tab]])
    return seen


def is_about_the_retiree(text: str, registry: MemoryRegistry) -> bool:
    """Whether the screen lists the retiree at all (or the assertion below could not fail)."""
    worker = registry.get_worker(RETIREE)
    return worker.name in text or f"worker:{RETIREE}" in text or "2026-06" in text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR])
async def test_a_viewer_reads_no_birth_date_off_a_retirement(
    demo: MemoryRegistry, role: Role, tmp_path: Path
) -> None:
    seen = ScopedRepository(demo, Grant("zhangwei", role, (Scope(),)))
    rules = Rules(demo, default_jurisdictions(), today=TODAY)
    with fixed_clock():
        app = ShegongApp(seen, rules=rules, today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            shown = await every_screen(pilot, tmp_path)
    assert set(shown) == {
        "dashboard",
        "forecasts",
        "forecasts export",
        "alerts",
        "alerts export",
        "worker",
        "worker retirement",
        "worker findings",
        "worker history",
    }
    assert [name for name, text in shown.items() if not is_about_the_retiree(text, demo)] == []
    exact = {
        name: [d for d in (*spelled(BIRTH), *spelled(RETIRES)) if d in text] for name, text in shown.items()
    }
    if role is Role.VIEWER:
        assert {name: days for name, days in exact.items() if days} == {}
        # the retirement still shows, to the month
        assert [name for name, text in shown.items() if "2026-06" not in text] == []
    else:
        assert [name for name, days in exact.items() if RETIRES.isoformat() not in days] == []
