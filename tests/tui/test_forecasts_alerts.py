"""Forecasts and alerts walked with the keyboard at 80x24: switch the kind, change the months,
filter, export and read the file back; filter the alerts by severity, jurisdiction and text.

The fixture (tests/tui/fixtures.py) puts workers whose index is 3 mod 17 close to retirement, and
sends the six communities' workers round-robin, so worker n (index n-1) is in community
(n-1) mod 6: nw-001, the community whose jurisdiction is not loaded, holds workers 6, 12, 18, 24,
30 and 36 (12 left 90 days ago; 18 is on probation, so still in post).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, Static

from core.assessment import Entry as AssessmentEntry
from core.assessment import Round, save_round
from core.memory import MemoryRegistry
from core.model import add_months
from core.payroll import compute_payroll, save_run
from core.results import Month, Severity
from core.scope import Scope
from core.tabular.reading import read_table
from tests.tui.conftest import MakeApp
from tests.tui.fixtures import STAMP, TODAY, build_registry, build_rules
from tests.tui.test_app import SIZE, settle
from tui.app import ShegongApp
from tui.labels import fmt_money
from tui.screens.alerts import AlertsScreen
from tui.screens.export_path import ExportPathScreen
from tui.screens.forecasts import ForecastsScreen
from tui.screens.worker_detail import WorkerDetailScreen

# Workers 21 and 38 (indices 20 and 37, both 3 mod 17) are men born 1966-02-21 and 1966-02-10:
# 60 years, plus the gradual raise for men born in 2/1966 (the original date 2026-02 is 13 months
# after 2025-01: 13 // 4 + 1 = 4 months) → 2026-06-21 and 2026-06-10, within 3 months of
# 2026-05-15. Index 3 (worker 4) was due on 2026-05-04, already past.
RETIRING = {38: dt.date(2026, 6, 10), 21: dt.date(2026, 6, 21)}
CONTRACT = 11  # index 10, a multiple of 5: its contract ends 1, 2, 14, 26 or 38 months after TODAY
# nw-001's in-post workers: their jurisdiction is not loaded, so no retirement date.
UNKNOWN = {6, 18, 24, 30, 36}


def _day(value: object) -> object:
    return value.date() if isinstance(value, dt.datetime) else value


def forecast_rows(screen: ForecastsScreen) -> list[tuple[str, int | None]]:
    return [(item.kind, item.worker_id) for item in screen.visible_items()]


async def open_forecasts(pilot: Pilot[Any]) -> ForecastsScreen:
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ForecastsScreen)
    return screen


async def export_to(pilot: Pilot[Any], path: Path) -> None:
    await pilot.press("x")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportPathScreen)
    dialog.query_one("#export-path", Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)


class TestForecasts:
    async def test_kinds_months_filter_and_open(self, make_app: MakeApp) -> None:
        registry = build_registry(40)
        contract_end = registry.get_worker(CONTRACT).contracts[0].end
        assert contract_end == dt.date(2026, 6, 15)  # the fixture drew one month
        app = make_app(workers=registry)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_forecasts(pilot)
            assert screen.months == 3
            assert forecast_rows(screen) == [
                ("retirement", 38),
                ("contract", CONTRACT),
                ("retirement", 21),
                *[("cannot_compute", w) for w in sorted(UNKNOWN)],
            ]
            assert [item.date for item in screen.visible_items()[:3]] == [
                RETIRING[38],
                contract_end,
                RETIRING[21],
            ]
            await pilot.press("t")  # retirements, and those whose retirement date is unknown
            assert screen.kind == "retirement"
            assert {w for _, w in forecast_rows(screen)} == {*RETIRING, *UNKNOWN}
            await pilot.press("t")
            assert forecast_rows(screen) == [("contract", CONTRACT)]
            await pilot.press("t")
            assert screen.kind == "probation" and forecast_rows(screen) == []
            await pilot.press("t")
            assert screen.kind == "all"

            # One month ahead (to 2026-06-15): the contract end on that very day and 方江超's
            # retirement on 06-10; 杨翰's on 06-21 falls out.
            await pilot.press("minus", "minus")
            assert screen.months == 1
            assert [w for k, w in forecast_rows(screen) if k != "cannot_compute"] == [38, CONTRACT]
            # Further ahead never drops a date and shows nothing beyond the horizon.
            await pilot.press(*["plus"] * 13)
            assert screen.months == 14
            dated = [i.date for i in screen.visible_items() if i.date is not None]
            assert len(dated) >= 3 and max(dated) <= add_months(TODAY, 14)
            status = str(screen.query_one("#list-status", Static).render())
            assert "14" in status and add_months(TODAY, 14).isoformat() in status

            await pilot.press("slash", *"fjc")  # 方江超's pinyin initials
            assert [w for _, w in forecast_rows(screen)] == [38]
            await pilot.press("enter", "enter")
            await settle(pilot)
            assert isinstance(app.screen, WorkerDetailScreen) and app.screen.worker_id == 38

    async def test_export_what_is_shown_then_read_it_back(self, make_app: MakeApp, tmp_path: Path) -> None:
        app = make_app(workers=build_registry(40))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_forecasts(pilot)
            await pilot.press("t")  # retirements: 2 dated, 5 unknown
            target = tmp_path / "退休.xlsx"
            await export_to(pilot, target)
            assert isinstance(app.screen, ForecastsScreen)
            assert screen.last_export.startswith("已导出 7 行")
            rows = read_table(target).rows
            header, body = rows[0].cells, [r.cells for r in rows[1:]]
            assert header[:4] == ("日期", "事项", "登记编号", "姓名")
            # A workbook's date cell reads back as a datetime at midnight.
            assert [(_day(r[0]), r[2], r[3]) for r in body[:2]] == [
                (RETIRING[38], 38, "方江超"),
                (RETIRING[21], 21, "杨翰"),
            ]
            # The unknown ones follow, each with the reason, naming the worker as the subject.
            assert sorted(str(r[2]) for r in body[2:]) == sorted(f"worker:{w}" for w in UNKNOWN)
            assert all("nowhere" in str(r[5]) for r in body[2:])

            # CSV, of the filtered rows: one contract end.
            await pilot.press("t", "slash", *"hjy")  # contracts; 胡家艳
            await pilot.press("enter")
            target = tmp_path / "合同.csv"
            await export_to(pilot, target)
            with target.open(encoding="utf-8-sig", newline="") as f:
                lines = list(csv.reader(f))
            assert len(lines) == 2 and lines[1][:4] == ["2026-06-15", "合同到期", str(CONTRACT), "胡家艳"]

    async def test_a_bad_path_is_refused_in_place(self, make_app: MakeApp, tmp_path: Path) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_forecasts(pilot)
            await export_to(pilot, tmp_path / "forecast.pdf")
            dialog = app.screen
            assert isinstance(dialog, ExportPathScreen)  # still open, the path kept
            assert ".pdf" in str(dialog.query_one("#export-error", Static).render())
            await export_to_missing_folder(pilot, tmp_path)
            assert not list(tmp_path.iterdir())
            await pilot.press("escape")
            assert isinstance(app.screen, ForecastsScreen)


async def export_to_missing_folder(pilot: Pilot[Any], tmp_path: Path) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportPathScreen)
    dialog.query_one("#export-path", Input).value = str(tmp_path / "nope" / "f.xlsx")
    await pilot.press("enter")
    assert "nope" in str(dialog.query_one("#export-error", Static).render())


async def open_alerts(pilot: Pilot[Any]) -> AlertsScreen:
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AlertsScreen)
    return screen


def severities(screen: AlertsScreen) -> list[Severity]:
    return [item.finding.severity for item in screen.visible_items()]


class TestAlerts:
    async def test_filter_by_severity_jurisdiction_and_text(self, make_app: MakeApp, tmp_path: Path) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_alerts(pilot)
            everything = screen.visible_items()
            found = severities(screen)
            assert found == sorted(found, key=lambda s: -s.rank)  # most serious first
            # The test plugin's absence rule (第三十条): workers 3 and 22 (indices 2 and 21, 2 mod
            # 19) were absent 2026-03-02 to 03-05 without leave, 4 days ≥ 3 → serious.
            absent = [i for i in everything if i.finding.code == "absent"]
            assert sorted(i.worker_id for i in absent) == [3, 22]
            assert all(i.finding.severity == Severity.ERROR for i in absent)
            # nw-001's rules are not loaded: the community and its five in-post workers each get
            # a "cannot compute" line rather than being left out.
            nowhere = [i for i in everything if i.jurisdiction == "nowhere"]
            assert {i.worker_id for i in nowhere} == {*UNKNOWN, None}

            await pilot.press("l")
            assert screen.severity == "error" and set(severities(screen)) == {Severity.ERROR}
            await pilot.press("l")
            assert set(severities(screen)) == {Severity.WARNING}
            await pilot.press("l", "l")
            assert screen.severity == "all" and len(screen.visible_items()) == len(everything)

            await pilot.press("j")  # "nowhere" sorts before "testcity"
            assert screen.jurisdiction == "nowhere"
            assert screen.visible_items() == nowhere
            await pilot.press("j")
            assert screen.jurisdiction == "testcity"
            assert all(i.jurisdiction == "testcity" for i in screen.visible_items())
            await pilot.press("j")
            assert screen.jurisdiction == "all"

            await pilot.press("slash", *"旷工")  # the absence rule's words
            assert [i.finding.code for i in screen.visible_items()] == ["absent", "absent"]
            await pilot.press("enter")
            target = tmp_path / "预警.xlsx"
            await export_to(pilot, target)
            body = [r.cells for r in read_table(target).rows[1:]]
            assert sorted(r[1] for r in body) == ["worker:22", "worker:3"]
            assert all(r[0] == "严重" and "第三十条" in str(r[4]) for r in body)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, WorkerDetailScreen)
            assert app.screen.worker_id in (3, 22)

    async def test_the_dashboard_lists_the_alerts_and_w_opens_them_all(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            dashboard = app.screen
            data = dashboard.data  # type: ignore[attr-defined]
            assert data is not None
            first = data.alerts[0]
            assert first.severity == Severity.ERROR
            screen = await open_alerts(pilot)
            assert len(data.alerts) == len(screen.visible_items())  # 22 findings: fewer than the top 50
            state = str(dashboard.query_one("#dash-state", Static).render())
            assert "2026-05" in state and "未计算" in state and "2026" in state and "未开始" in state


async def test_the_palette_says_no_match_in_chinese(make_app: MakeApp) -> None:
    """Textual's own "No matches found" is replaced by the catalog's text (tui/commands.py)."""
    app: ShegongApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"zzzzqqq")
        await pilot.pause(0.8)  # Textual waits half a second before saying nothing matched
        options = app.screen.query_one(CommandList)
        prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
        texts = [str(getattr(p, "renderable", p)) for p in prompts]
        assert texts == ["没有匹配的命令或人员"]


class TestDashboardState:
    async def test_this_months_payroll_and_this_years_round(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """Not computed → computed (with who failed) → closed; a round open with one of three decided."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert state_line(app) == "工资 2026-05：未计算 · 2026 年度考核：未开始"

        run = compute_payroll(registry, build_rules(registry), Month.of(TODAY), Scope())
        save_run(registry, run)
        people = [registry.get_worker(n) for n in (2, 3, 4)]
        entries = tuple(
            AssessmentEntry(w.id, w.name, "street:鹿城区/五马街道", "testcity", "qualified", decided=decided)
            for w, decided in zip(people, ("excellent", None, None), strict=True)
        )
        save_round(registry, Round(2026, "year_end", "all", STAMP, "operator", entries))
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            # Paid in May: the 37 in post (40 less 2 retired and 1 who left before May). Not
            # computable: the five testcity party secretaries (workers 1, 9, 17, 25, 33, index
            # 0 mod 8), whose allowance parameter is unset, and nw-001's five in post.
            total = fmt_money(run.total)
            assert state_line(app) == (
                f"工资 2026-05：已计算未结账，37 人，合计 {total}（10 人无法计算） · "
                "2026 年度考核：进行中，已评定 1/3 人"
            )
            save_run(registry, attrs.evolve(run, closed=True))
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert state_line(app).startswith(f"工资 2026-05：已结账，37 人，合计 {total}")


def state_line(app: ShegongApp) -> str:
    return str(app.screen.query_one("#dash-state", Static).render())
