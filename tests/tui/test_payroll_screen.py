"""The payroll screen walked with the keyboard at 80x24, as an operator would run a month.

Figures come from the fixture registry (tests/tui/fixtures.py) and the test jurisdiction's
parameters (tests/tui/testcity_params.toml, with the override in `build_jurisdictions`), for May
2026 (the app's today is 2026-05-15, so the month field starts at 2026-05):

- pay.base is 3200 from 2025-01-01 (第十条（2024年修订）); pay.seniority_per_year is 60 from
  2026-01-01 (the override); years are completed years of service on 2026-05-01.
- Community tc-002 (南塘社区, 鹿城区/五马街道) holds workers 2, 8, 14, 20, 26, 32, 38.
  Worker 8 retired on 2025-10-27, so is not paid. The others started service on
  2 → 2005-09-11 (20 years), 14 → 2007-07-03 (18), 20 → 2005-09-10 (20), 26 → 2012-11-08 (13),
  32 → 2009-07-23 (16), 38 → 2010-03-26 (16): 103 years in all.
  Total: 6 × 3200 + 60 × 103 = 19,200 + 6,180 = 25,380.00; worker 2 alone 3200 + 60 × 20 = 4,400.
- Community tc-001 (same street) has two party secretaries, workers 1 and 25, whose allowance
  (pay.secretary_allowance) is left unset: they cannot be computed, so the street cannot be closed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
from textual.pilot import Pilot

from core.memory import MemoryRegistry
from core.payroll import load_run
from tests.tui.conftest import MakeApp
from tests.tui.test_app import capture_notes, settle, text_of
from tui.app import ShegongApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.path_prompt import PathPromptScreen
from tui.screens.pay_lines import PayLinesScreen
from tui.screens.payroll import PayrollScreen
from tui.widgets.virtual_table import VirtualTable

SIZE = (80, 24)
TC002_TOTAL = Decimal("25380.00")  # worked in the module docstring
SECRETARIES = {1, 25}  # tc-001's party secretaries: allowance unset


async def open_payroll(pilot: Pilot[Any]) -> PayrollScreen:
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PayrollScreen)
    return screen


async def compute(pilot: Pilot[Any], screen: PayrollScreen, scope: str, month: str | None = None) -> None:
    """Type the month (if given) and the scope, then enter, as an operator would."""
    if month is not None:
        screen.month_input.focus()
        screen.month_input.value = ""
        await pilot.press(*month)
    screen.scope_input.focus()
    screen.scope_input.value = scope
    await pilot.press("enter")
    await settle(pilot)


def rows(screen: PayrollScreen, tab: str) -> list[tuple[str, ...]]:
    table = screen.table(tab)
    return [tuple(table.row(i)) for i in table.index]


class TestPayrollWalk:
    async def test_compute_a_street_see_totals_and_why_it_cannot_close(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_payroll(pilot)
            assert screen.month_input.value == "2026-05"
            assert screen.month_input.has_focus
            await compute(pilot, screen, "street:鹿城区/五马街道", month="202605")
            view = screen.view
            assert view is not None and str(view.month) == "2026-05"
            communities = {r[0]: r for r in rows(screen, "communities")}
            assert set(communities) == {"tc-001", "tc-002"}
            assert communities["tc-002"][-1] == "25,380.00"
            assert communities["tc-001"][-2] == "2"  # the two secretaries failed
            streets = rows(screen, "streets")
            assert [(r[0], r[1]) for r in streets] == [("鹿城区", "五马街道")]
            assert Decimal(streets[0][-1].replace(",", "")) == view.run.total
            assert "25,380.00" not in streets[0][-1]  # tc-001's computed workers add to it
            # The failed tab names each secretary and the parameter to set.
            failed = rows(screen, "failed")
            assert {int(r[0]) for r in failed} == SECRETARIES
            assert all("pay.secretary_allowance" in r[3] for r in failed)
            # Closing is refused, saying why, and nothing is saved.
            await pilot.press("x")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
            error = text_of(app, "#pay-error")
            assert "2026-05" in error and "pay.secretary_allowance" in error
            assert screen.active_tab == "failed"
            assert load_run(app.registry, "2026-05", "street:鹿城区/五马街道") is None

    async def test_save_close_drill_recompute_and_export(
        self, make_app: MakeApp, registry: MemoryRegistry, tmp_path: Path
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_payroll(pilot)
            await compute(pilot, screen, "tc-002")  # a bare community id is understood
            view = screen.view
            assert view is not None and str(view.scope) == "community:tc-002"
            assert view.run.total == TC002_TOTAL
            assert len(view.run.workers) == 6 and not view.run.failed
            assert "25,380.00" in text_of(app, "#pay-summary")
            assert screen.table("streets").has_focus

            # Drill into worker 2's lines: base and seniority, each with its document and article.
            await pilot.press("right_square_bracket", "right_square_bracket")
            assert screen.active_tab == "workers"
            assert screen.table("workers").move_to_key(2)
            await pilot.press("enter")
            await settle(pilot)
            lines = app.screen
            assert isinstance(lines, PayLinesScreen)
            table = lines.query_one("#lines-table", VirtualTable)
            shown = [tuple(table.row(i)) for i in table.index]
            assert [r[1] for r in shown] == ["3,200.00", "1,200.00"]  # 60 × 20 years
            assert [(r[3], r[4]) for r in shown] == [
                ("测试市社区工作者管理办法", "第十条（2024年修订）"),  # the title, never the file
                ("测试市社区工作者管理办法", "第十一条"),
            ]
            assert "4,400.00" in text_of(app, "#lines-heading")
            await pilot.press("escape")
            assert app.screen is screen

            # Save, then close after the confirmation.
            await pilot.press("s")
            await settle(pilot)
            saved = load_run(app.registry, "2026-05", "community:tc-002")
            assert saved is not None and not saved.closed and saved.total == TC002_TOTAL
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            closed = load_run(app.registry, "2026-05", "community:tc-002")
            assert closed is not None and closed.closed and closed.closed_by == "operator"
            assert screen.view is not None and screen.view.closed

            # Worker 2's service start moves a year earlier: 21 years, 60 more. Recomputing shows
            # the difference; the closed run keeps what was paid.
            two = registry.get_worker(2)
            registry.update_worker(attrs.evolve(two, service_start=dt.date(2004, 9, 11)))
            await pilot.press("ctrl+r")
            await settle(pilot)
            view = screen.view
            assert view is not None and view.closed and view.run.total == TC002_TOTAL
            assert view.fresh.total == TC002_TOTAL + 60
            assert rows(screen, "diff") == [
                ("2", registry.get_worker(2).name, "工龄补贴", "1,200.00", "1,260.00", "+60.00")
            ]
            # Saving or closing again is refused, naming who closed it.
            notes = capture_notes(app)
            await pilot.press("s")
            await pilot.press("x")
            await pilot.pause()
            assert len(notes) == 2 and all("operator" in n for n in notes)
            assert load_run(app.registry, "2026-05", "community:tc-002") == closed

            # Export the closed run and read it back.
            target = tmp_path / "五月.xlsx"
            await pilot.press("e")
            await pilot.pause()
            prompt = app.screen
            assert isinstance(prompt, PathPromptScreen)
            prompt.query_one("#path-input").value = str(target)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await settle(pilot)
            assert target.exists()
            book = openpyxl.load_workbook(target, read_only=True)
            totals = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            community = next(r for r in totals if r[3] == "tc-002")
            assert community[5] == 6 and Decimal(str(community[6])) == TC002_TOTAL
            street = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
            seniority = next(r for r in street if r[2] == 2 and r[4] == "工龄补贴")
            assert Decimal(str(seniority[5])) == Decimal(1200) and seniority[8] == "第十一条"

    async def test_bad_month_and_scope_are_refused_inline(self, make_app: MakeApp) -> None:
        app = make_app(lang="en")
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_payroll(pilot)
            await compute(pilot, screen, "all", month="2026-13")
            assert screen.view is None
            assert "2026-13" in text_of(app, "#pay-error") and "202611" in text_of(app, "#pay-error")
            assert screen.month_input.has_focus
            await compute(pilot, screen, "community:tc-404", month="2026-05")
            assert screen.view is None
            error = text_of(app, "#pay-error")
            assert "tc-404" in error and "tc-001" in error  # says which exist
            await compute(pilot, screen, "town:x")
            assert "town:x" in text_of(app, "#pay-error")

    async def test_read_only_refuses_save_and_close(self, make_app: MakeApp) -> None:
        app = make_app(read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_payroll(pilot)
            await compute(pilot, screen, "tc-002")
            assert screen.view is not None
            notes = capture_notes(app)
            await pilot.press("s", "x")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
            assert len(notes) == 2
            assert app.registry.list_documents("payroll") == []

    async def test_a_street_row_lists_its_workers_and_esc_clears(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_payroll(pilot)
            await compute(pilot, screen, "all")
            streets = rows(screen, "streets")
            position = next(i for i, r in enumerate(streets) if r[1] == "南汇街道")
            screen.table("streets").move_cursor(position)
            await pilot.press("enter")
            assert screen.active_tab == "workers"
            names = {r[2] for r in rows(screen, "workers")}
            assert names == {"锦绣花园社区", "江滨社区"}  # tc-003 and tc-004, the street's communities
            assert "南汇街道" in text_of(app, "#pay-summary")
            await pilot.press("escape")
            assert screen.table("workers").row_count == len(screen.view.run.workers)  # type: ignore[union-attr]
            assert isinstance(app.screen, PayrollScreen)


def test_palette_and_key_reach_the_payroll(make_app: MakeApp) -> None:
    """`g` is an app-wide key, and the palette lists the payroll from any screen."""
    app: ShegongApp = make_app()
    titles = [title for title, _, _ in app.palette_commands()]
    assert "打开工资核算" in titles
    assert any(
        b.key == "g" and b.action == "show_mode('payroll')" for b in app._bindings.key_to_bindings["g"]
    )


async def test_figures_marked_out_of_date_after_an_edit_elsewhere(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_payroll(pilot)
        await compute(pilot, screen, "tc-002")
        await pilot.press("r")
        await settle(pilot)
        app.note_worker_saved(2)  # as the worker screen does after a save
        await pilot.press("g")
        await settle(pilot)
        assert app.screen is screen
        assert "ctrl+r" in text_of(app, "#pay-error")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not screen.query_one("#pay-error").display


def test_month_and_scope_as_operators_type_them(registry: MemoryRegistry) -> None:
    from core.errors import ValidationError
    from core.scope import Scope
    from tui.app import load_catalogs
    from tui.payroll_view import parse_month, parse_scope, scope_choices

    load_catalogs()  # the messages are the TUI's
    assert {str(parse_month(x)) for x in ("2026-05", "202605", "2026/5", "2026年5月")} == {"2026-05"}
    communities = registry.communities()
    assert parse_scope("鹿城区", communities) == Scope(district="鹿城区")
    assert parse_scope("鹿城区/五马街道", communities) == Scope(district="鹿城区", street="五马街道")
    assert parse_scope("五马街道", communities) == Scope(district="鹿城区", street="五马街道")
    assert parse_scope("南塘社区", communities) == Scope(community="tc-002")
    assert parse_scope("street:鹿城区/南汇街道", communities) == Scope(district="鹿城区", street="南汇街道")
    for bad in ("2026-00", "26-5", "五月"):
        try:
            parse_month(bad)
        except ValidationError as exc:
            assert bad in exc.problem.render()
        else:
            raise AssertionError(bad)
    choices = scope_choices(communities)
    assert choices[0] == "all" and "street:鹿城区/五马街道" in choices and "鹿城区" in choices
    assert choices.index("community:tc-001") < choices.index("tc-001")  # the exact spelling first


def test_a_community_filter_matches_the_whole_id() -> None:
    """Enter on community tc-001 lists tc-001's workers, not tc-0010's."""
    from core.payroll import WorkerPay
    from tui.payroll_view import whole_field, worker_haystack

    def pay(community: str) -> WorkerPay:
        return WorkerPay(1, "王芳", community, "五马街道", "鹿城区", "testcity")

    term = whole_field("tc-001")
    assert term in worker_haystack(pay("tc-001"), {})
    assert term not in worker_haystack(pay("tc-0010"), {})
    assert whole_field("鹿城区/五马街道") in worker_haystack(pay("tc-0010"), {})
