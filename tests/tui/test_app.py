"""Walking the app with the keyboard at 80x24, as an operator would."""

from __future__ import annotations

from typing import Any

import attrs
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TabbedContent, TabPane

from core.memory import MemoryRegistry
from tests.tui.conftest import MakeApp
from tui.app import ShegongApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.plugins import PluginsScreen
from tui.screens.roster import RosterScreen, initials
from tui.screens.worker_detail import TABS, WorkerDetailScreen
from tui.screens.worker_form import WorkerFormScreen
from tui.widgets.virtual_table import VirtualTable

SIZE = (80, 24)
SECRETARY = 1  # index 0: a party secretary in testcity, whose allowance parameter is unset
ELSEWHERE = 6  # index 5: in a community whose jurisdiction is not loaded
CRASHES = 10  # index 9: the test plugin's findings hook raises for this worker


async def settle(pilot: Pilot[Any]) -> None:
    """Let background loads finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: ShegongApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def capture_notes(app: ShegongApp) -> list[str]:
    notes: list[str] = []

    def notify(message: str, **_: Any) -> None:
        notes.append(message)

    app.notify = notify  # type: ignore[method-assign]
    return notes


class TestWalk:
    async def test_dashboard_roster_filter_worker_tabs_back(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """Dashboard → roster → type a filter → open the worker → see the tabs → back twice."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert app.screen.data is not None and app.screen.data.total == 40
            await pilot.press("r")
            await settle(pilot)
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            assert roster.table.total_count == 40
            name = registry.get_worker(SECRETARY).name
            await pilot.press("slash", *initials(name))
            assert roster.filter_input.has_focus
            assert SECRETARY in roster.table.visible_keys
            assert roster.table.row_count < 40
            await pilot.press("enter")
            assert roster.table.has_focus
            assert roster.table.move_to_key(SECRETARY)
            await pilot.press("enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, WorkerDetailScreen)
            assert detail.worker_id == SECRETARY
            assert len(detail.query(TabPane)) == len(TABS)
            tabs = detail.query_one(TabbedContent)
            assert tabs.active == "tab-profile"
            await pilot.press("right_square_bracket")
            assert tabs.active == "tab-posts"
            await pilot.press("left_square_bracket", "left_square_bracket")
            assert tabs.active == "tab-history"
            await pilot.press("escape")
            assert app.screen is roster
            assert roster.filter_input.value == initials(name)
            await pilot.press("escape")
            assert isinstance(app.screen, DashboardScreen)

    async def test_dashboard_count_opens_the_roster_filtered(self, make_app: MakeApp) -> None:
        """Enter on a status count shows exactly those workers in the roster."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("shift+tab", "shift+tab")  # dues → post → status
            status = app.screen.query_one("#by-status", VirtualTable)
            assert status.has_focus
            label, count = status.row(0)
            await pilot.press("enter")
            await settle(pilot)
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            assert roster.filter_input.value == label
            assert roster.table.row_count == int(count)

    async def test_modes_keep_their_state(self, make_app: MakeApp) -> None:
        """Going to the dashboard and back leaves the roster's filter and sort as they were."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("2")
            await pilot.press("slash", "z")
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            await pilot.press("escape", "d")
            assert app.current_mode == "dashboard"
            await pilot.press("r")
            assert roster.filter_input.value == "z"
            assert roster.table.sort_state == (1, False)
            assert app.screen is roster

    async def test_sort_keys(self, make_app: MakeApp) -> None:
        """A digit sorts by that column, the same digit again reverses, s moves to the next column."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await settle(pilot)
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            await pilot.press("8")
            assert roster.table.visible_keys[:3] == [1, 2, 3]
            await pilot.press("8")
            assert roster.table.visible_keys[:3] == [40, 39, 38]
            assert "编号降序" in text_of(app, "#roster-status")
            await pilot.press("s")
            assert roster.table.sort_state == (0, False)


class TestPaletteAndHelp:
    async def test_palette_lists_every_screen(self, make_app: MakeApp) -> None:
        """ctrl+p opens the palette, which offers every screen of the app."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            assert CommandPalette.is_open(app)
            prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
            for title in ("打开首页", "打开花名册", "打开插件与参数", "本页帮助", "切换明暗主题", "退出"):
                assert any(title in p for p in prompts), title

    async def test_every_screen_is_reachable_from_the_palette(self, make_app: MakeApp) -> None:
        """The palette's first commands open each of the app's places."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            titles = {title: callback for title, _, callback in app.palette_commands()}
            for mode, title in (
                ("roster", "打开花名册"),
                ("plugins", "打开插件与参数"),
                ("dashboard", "打开首页"),
            ):
                titles[title]()
                await pilot.pause()
                assert app.current_mode == mode

    async def test_palette_runs_a_command_and_finds_workers(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """Typing in the palette runs a screen command; once the roster has loaded it finds workers."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause(0.2)
            app.screen.query_one(Input).value = "花名册"
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RosterScreen)
            worker = registry.get_worker(SECRETARY)
            await pilot.press("ctrl+p")
            await pilot.pause(0.2)
            app.screen.query_one(Input).value = worker.name
            await pilot.pause(0.4)
            prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
            target = next(i for i, p in enumerate(prompts) if worker.name in p and "打开人员" in p)
            app.screen.query_one(OptionList).highlighted = target
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, WorkerDetailScreen)

    async def test_help_lists_the_keys_of_this_screen(self, make_app: MakeApp) -> None:
        """? shows the current screen's keys with descriptions and explanations; esc closes it."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("question_mark")
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            rows = help_screen.rows
            keys = {row[0]: row[1] for row in rows}
            assert keys["/"] == "筛选"
            assert keys["esc"] == "返回"
            assert keys["q"] == "退出"
            assert keys["1–8"] == "按第 n 列排序"  # keys sharing a description make one row
            assert all(row[2] for row in rows), "every key is explained"
            await pilot.press("escape")
            assert isinstance(app.screen, RosterScreen)


class TestEditing:
    async def test_read_only_refuses_edits(self, make_app: MakeApp) -> None:
        """Read-only shows in the header; e on a worker is refused with a message."""
        app = make_app(read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "只读" in app.format_title(app.title, "x").plain
            notes = capture_notes(app)
            app.open_worker(2)
            await settle(pilot)
            await pilot.press("e")
            assert isinstance(app.screen, WorkerDetailScreen)
            assert notes and "只读" in notes[0]

    async def test_unsaved_changes_ask_before_quitting_then_save(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """With an edit pending, ctrl+q asks first; n keeps editing; ctrl+s saves and the roster shows it."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await settle(pilot)
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            roster.table.move_to_key(2)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("e")
            assert isinstance(app.screen, WorkerFormScreen)
            app.screen.query_one("#field-phone", Input).value = "13800001111"
            await pilot.press("ctrl+q")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert isinstance(app.screen, WorkerFormScreen)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert registry.get_worker(2).phone == "13800001111"
            detail = app.screen
            assert isinstance(detail, WorkerDetailScreen)
            history = detail.query_one("#history-table", VirtualTable)
            assert history.total_count == 2
            assert "电话" in history.row(0)[4]
            await pilot.press("escape")
            assert app.screen is roster
            row = roster.table.row(roster.data.keys.index(2) if roster.data else 0)
            assert "138********" in row and "1111" not in "".join(row)

    async def test_invalid_value_is_refused_with_the_reason(self, make_app: MakeApp) -> None:
        """A phone the model rejects is not saved; the form says which field and why."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(2)
            await settle(pilot)
            await pilot.press("e")
            app.screen.query_one("#field-phone", Input).value = "打电话"
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, WorkerFormScreen)
            assert "电话" in text_of(app, "#error-phone")

    async def test_a_concurrent_save_is_not_overwritten(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """If another operator saved the worker meanwhile, saving shows both versions; nothing is written."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(2)
            await settle(pilot)
            await pilot.press("e")
            app.screen.query_one("#field-phone", Input).value = "13800002222"
            registry.update_worker(attrs.evolve(registry.get_worker(2), note="另一位操作员"))
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, ConflictScreen)
            assert registry.user in text_of(app, "#conflict-who")
            assert registry.get_worker(2).note == "另一位操作员"
            assert registry.get_worker(2).phone != "13800002222"

    async def test_quit_without_changes_does_not_ask(self, make_app: MakeApp) -> None:
        """q quits at once when nothing is pending."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running


class TestRulesOnScreen:
    async def test_missing_parameter_names_what_to_set(self, make_app: MakeApp) -> None:
        """A party secretary's pay needs an unset parameter: the pay tab says which and where to set it."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(SECRETARY)
            await settle(pilot)
            note = text_of(app, "#pay-note")
            assert "pay.secretary_allowance" in note
            assert "params.toml" in note

    async def test_pay_lines_carry_their_citation(self, make_app: MakeApp) -> None:
        """Each pay line shows the article it comes from; the total adds the cash lines."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(2)
            await settle(pilot)
            pay = app.screen.query_one("#pay-table", VirtualTable)
            rows = [pay.row(i) for i in range(pay.total_count)]
            assert rows[0][0] == "基本工资" and rows[0][1] == "3,200.00"
            assert "第十条" in rows[0][2] and "测试市社区工作者管理办法" in rows[0][2]
            assert rows[-1][0] == "合计（现金）"
            retirement = text_of(app, "#retirement-text")
            assert "退休日期" in retirement and "国家渐进式延迟法定退休年龄规定" in retirement

    async def test_missing_jurisdiction_and_failing_plugin_are_shown_not_raised(
        self, make_app: MakeApp
    ) -> None:
        """A worker whose jurisdiction is not loaded, and one whose plugin raises, still open."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen) and dashboard.data is not None
            problems = "\n".join(dashboard.data.problems)
            assert "brokenville" in problems and "nowhere" in problems and "KeyError" in problems
            app.open_worker(ELSEWHERE)
            await settle(pilot)
            assert "nowhere" in text_of(app, "#pay-note")
            await pilot.press("escape")
            app.open_worker(CRASHES)
            await settle(pilot)
            findings = app.screen.query_one("#findings-table", VirtualTable)
            assert any("KeyError" in findings.row(i)[1] for i in range(findings.total_count))

    async def test_plugins_screen_shows_sources_and_failures(self, make_app: MakeApp) -> None:
        """Parameters show their document, override or unset; a failed plugin shows its error."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("p")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PluginsScreen)
            params = screen.query_one("#param-table", VirtualTable)
            by_name = {params.row(i)[0]: params.row(i) for i in range(params.total_count)}
            assert "第十条" in by_name["pay.base"][4]
            assert by_name["pay.secretary_allowance"][4] == "未设置"
            assert "本地覆盖" in by_name["pay.seniority_per_year"][4]
            await pilot.press("down")
            await pilot.pause()
            assert "params.toml 缺失" in text_of(app, "#plugin-detail")


class TestEnglish:
    async def test_english_mode_shows_english(self, make_app: MakeApp) -> None:
        """lang='en' renders screens, columns and keys in English."""
        app = make_app(lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.sub_title == "Dashboard"
            assert "registered" in text_of(app, "#dash-summary")
            await pilot.press("r")
            await settle(pilot)
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            assert roster.table.columns[0].label == "Name"
            assert "workers" in text_of(app, "#roster-status")
            descriptions = {b.binding.description for b in roster.active_bindings.values()}
            assert {"Filter", "Sort", "Quit", "Help"} <= descriptions
