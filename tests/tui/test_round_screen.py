"""Walking an assessment round with the keyboard at 80x24, as an operator would.

The figures come from the fixture registry (`tests/tui/fixtures.py`, 40 workers, worker i+1 in
community `COMMUNITIES[i % 6]`) and the test jurisdiction's rules (`tests/tui/testcity_plugin.py`):

- 五马街道 (鹿城区) holds tc-001 and tc-002: workers 1, 2, 7, 8, 13, 14, 19, 20, 25, 26, 31, 32,
  37, 38; workers 8 and 31 (index 7 and 30, `index % 23 == 7`) retired before 2026, so 12 are in
  service on 2026-12-31. 第二十六条: 优秀 at most 20% of the street, floor(12 × 20 / 100) =
  floor(2.4) = 2 places.
- 南汇街道 (鹿城区) holds tc-003 and tc-004: workers 3, 4, 9, 10, 15, 16, 21, 22, 27, 28, 33, 34,
  39, 40, all in service: 14, so the district's round has 12 + 14 = 26 workers.
- Workers 3 and 22 (index 2 and 21, `index % 19 == 2`) were absent without leave 2026-03-02 to
  03-05, 4 days ≥ 3: 第三十条 forces 不合格, which the panel cannot raise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from core.assessment import decide, load_round, save_round
from core.errors import ValidationError
from core.i18n import t
from core.memory import MemoryRegistry
from core.model import Assessment, Period
from core.scope import Scope
from tests.tui.conftest import MakeApp
from tests.tui.fixtures import build_registry
from tests.tui.test_app import capture_notes, settle
from tui.app import ShegongApp
from tui.screens.assessment import AssessmentScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.grade_picker import GradePickerScreen
from tui.screens.help import HelpScreen
from tui.screens.round_close import CloseRoundScreen, ConsequencesScreen
from tui.screens.round_open import OpenRoundScreen, resolve_scope
from tui.screens.round_texts import round_name
from tui.widgets.detail_pane import DetailPane
from tui.widgets.quota_meter import bar_cells

SIZE = (80, 24)
YEAR = 2026  # the fixture's `today` is 2026-05-15: the form proposes this year
DISTRICT = "鹿城区"
WUMA = "street:鹿城区/五马街道"
WUMA_WORKERS = (1, 2, 7, 13, 14, 19, 20, 25, 26, 32, 37, 38)
WUMA_EXCELLENT = 2  # floor(12 × 20 / 100)
ROUND_SIZE = 26  # 五马街道 12 + 南汇街道 14
FORCED = (3, 22)


async def open_round_screen(pilot: Pilot[Any], scope: str = DISTRICT) -> AssessmentScreen:
    """`k`, then the form: type the scope, `enter`; the round is on screen once this returns."""
    await settle(pilot)
    await pilot.press("k")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, OpenRoundScreen)
    form.query_one("#open-scope", Input).value = scope
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AssessmentScreen), f"the form is still open: {form_error(pilot.app)}"
    return screen


def form_error(app: ShegongApp) -> str:
    return str(app.screen.query_one("#open-error", Static).render())


async def grade(pilot: Pilot[Any], screen: AssessmentScreen, worker_id: int, key: str) -> None:
    assert screen.table.move_to_key(worker_id)
    await pilot.press(key)
    await pilot.pause()


def meter_line(screen: AssessmentScreen, unit: str) -> str:
    row = next(r for r in screen.meter.rows if r.unit == unit)
    head, tail = screen.meter.line_text(row)
    return head + tail


class TestRoundWalk:
    async def test_grade_within_quota_refuse_over_it_close_and_see_the_grades_recorded(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            r = screen.round
            assert r is not None and r.year == YEAR and r.scope == f"district:{DISTRICT}"
            assert screen.table.total_count == ROUND_SIZE
            assert sorted(e.worker_id for e in r.entries if e.unit == WUMA) == list(WUMA_WORKERS)
            quota = next(q for q in r.quotas if q.unit == WUMA)
            assert (quota.limit, quota.headcount) == (WUMA_EXCELLENT, len(WUMA_WORKERS))
            # Opening saved the round, so another operator finds it.
            assert load_round(registry, YEAR, "year_end", f"district:{DISTRICT}") is not None

            # `1` is the jurisdiction's first grade, 优秀: two places in 五马街道.
            first, second, third = WUMA_WORKERS[:3]
            await grade(pilot, screen, first, "1")
            assert "0/2" not in meter_line(screen, WUMA) and "1/2" in meter_line(screen, WUMA)
            await grade(pilot, screen, second, "1")
            assert f"{WUMA_EXCELLENT}/{WUMA_EXCELLENT}" in meter_line(screen, WUMA)
            assert t("ui.round.meter.full") in meter_line(screen, WUMA)
            assert screen.round is not None
            assert [screen.round.entry(w).decided for w in (first, second)] == ["excellent", "excellent"]

            # The third is refused: the message names the places left (0) and who holds them.
            await grade(pilot, screen, third, "1")
            assert screen.round.entry(third).decided is None
            names = [registry.get_worker(w).name for w in (first, second)]
            assert "剩余 0 个名额" in screen.message
            assert all(name in screen.message for name in names)
            assert f"{len(WUMA_WORKERS)} 人中至多 {WUMA_EXCELLENT} 人" in screen.message
            assert "第二十六条" in screen.message

            # A forced 不合格 cannot be raised to 合格 (`2`).
            await grade(pilot, screen, FORCED[0], "2")
            assert screen.round.entry(FORCED[0]).decided is None
            assert registry.get_worker(FORCED[0]).name in screen.message

            # Clearing gives a place back: `0` on the second, then the third gets it.
            await grade(pilot, screen, second, "0")
            await grade(pilot, screen, third, "1")
            assert screen.round.entry(third).decided == "excellent"
            assert screen.has_unsaved_changes
            await pilot.press("ctrl+s")
            await settle(pilot)
            saved = load_round(registry, YEAR, "year_end", f"district:{DISTRICT}")
            assert saved is not None and saved.entry(third).decided == "excellent"
            assert not screen.has_unsaved_changes

            # Closing: first what it will do, then, after `y`, the consequences core returned.
            await pilot.press("x")
            await settle(pilot)
            ask = app.screen
            assert isinstance(ask, CloseRoundScreen)
            listed = "\n".join(ask.lines)
            for worker_id in (first, third, *FORCED):
                assert registry.get_worker(worker_id).name in listed
            assert "第二十七条" in listed
            assert registry.get_worker(first).grade_for(YEAR) is None  # nothing written yet
            await pilot.press("y")
            await settle(pilot)
            shown = app.screen
            assert isinstance(shown, ConsequencesScreen)
            assert sorted(shown.lines) == sorted(ask.lines)
            await pilot.press("escape")
            assert app.screen is screen

            assert screen.round is not None and screen.round.closed
            assert registry.get_worker(first).grade_for(YEAR) == "excellent"
            assert registry.get_worker(third).grade_for(YEAR) == "excellent"
            assert registry.get_worker(second).grade_for(YEAR) == "qualified"  # the proposal
            assert [registry.get_worker(w).grade_for(YEAR) for w in FORCED] == ["unqualified"] * 2
            closed = load_round(registry, YEAR, "year_end", f"district:{DISTRICT}")
            assert closed is not None and closed.closed
            assert sorted(int(k) for k in closed.consequences) == sorted([first, third, *FORCED])

            # A closed round refuses any change.
            await grade(pilot, screen, second, "1")
            assert screen.round.entry(second).decided is None
            assert screen.message == t("ui.round.is_closed", name=round_name(screen.round))

    async def test_enter_picks_a_grade_from_the_jurisdictions_list(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            assert screen.table.move_to_key(WUMA_WORKERS[0])
            await pilot.press("enter")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, GradePickerScreen)
            assert [code for code, _ in picker.grades] == [
                "excellent",
                "qualified",
                "basically_qualified",
                "unqualified",
            ]
            await pilot.press("down", "down", "enter")  # the third: 基本合格
            await pilot.pause()
            assert app.screen is screen
            assert screen.round is not None
            assert screen.round.entry(WUMA_WORKERS[0]).decided == "basically_qualified"

    async def test_the_form_says_what_is_wrong_with_the_scope_and_opens_nothing(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, OpenRoundScreen)
            # All communities: one names a jurisdiction that is not loaded, so no round can open.
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is form
            assert "nowhere" in form_error(app)
            form.query_one("#open-scope", Input).value = "西湖区"
            await pilot.press("enter")
            await settle(pilot)
            assert "西湖区" in form_error(app) and DISTRICT in form_error(app)
            form.query_one("#open-year", Input).value = "26"
            await pilot.press("enter")
            assert "26" in form_error(app)
            assert registry.list_documents("assessment") == []
            await pilot.press("escape")
            assert isinstance(app.screen, AssessmentScreen)
            assert app.screen.round is None

    async def test_a_saved_round_is_resumed_with_its_decisions(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        async with make_app().run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            await grade(pilot, screen, WUMA_WORKERS[0], "1")
            await pilot.press("ctrl+s")
            await settle(pilot)
        app = make_app(lang="en")
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot, "鹿城区")
            assert screen.round is not None
            assert screen.round.entry(WUMA_WORKERS[0]).decided == "excellent"
            assert "1/2" in meter_line(screen, WUMA)
            assert t("ui.round.meter.left", left=1) in meter_line(screen, WUMA)

    async def test_read_only_shows_the_round_and_refuses_every_change(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app(read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            notes = capture_notes(app)
            assert screen.table.total_count == ROUND_SIZE
            assert registry.list_documents("assessment") == []  # not even opening is saved
            await grade(pilot, screen, WUMA_WORKERS[0], "1")
            await pilot.press("ctrl+s", "x")
            assert screen.round is not None and screen.round.entry(WUMA_WORKERS[0]).decided is None
            assert notes.count(t("ui.app.read_only_refused")) == 3
            assert registry.list_documents("assessment") == []

    async def test_filter_as_you_type_and_escape_back(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            await pilot.press("slash", "强", "制")
            assert screen.filter_input.has_focus
            assert sorted(screen.table.visible_keys) == sorted(FORCED)  # type: ignore[type-var]
            screen.set_filter("鹿城区五马")  # the unit as the meter names it
            assert sorted(screen.table.visible_keys) == list(WUMA_WORKERS)  # type: ignore[type-var]
            screen.set_filter("强制")
            await pilot.press("escape")  # from the filter back to the list
            assert screen.table.has_focus
            await pilot.press("escape")
            assert app.current_mode == "dashboard"
            await pilot.press("k")
            assert app.screen is screen and screen.filter_input.value == "强制"

    async def test_unsaved_decisions_are_not_lost_without_a_question(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            await grade(pilot, screen, WUMA_WORKERS[0], "1")
            await pilot.press("o")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.press("q")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert app.screen is screen and screen.has_unsaved_changes

    async def test_help_and_palette_reach_the_round(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            titles = {title: callback for title, _, callback in app.palette_commands()}
            titles[t("ui.round.cmd.show")]()
            await settle(pilot)
            assert app.current_mode == "assessment"
            assert isinstance(app.screen, OpenRoundScreen)
            await pilot.press("escape", "question_mark")
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            keys = {row[0] for row in help_screen.rows}
            assert {"x", "o", "/", "1–9", "0 del", "^s"} <= keys, keys
            assert t("ui.key.app.assessment") in {row[1] for row in help_screen.rows}


class TestScoresAndConflicts:
    async def test_a_recorded_score_is_shown_and_its_proposal_counts_against_the_quota(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """第二十五条: a total of 95 (≥ 90) proposes 优秀, which takes one of 五马街道's 2 places."""
        worker = registry.get_worker(WUMA_WORKERS[0])
        scored = Assessment(YEAR, Period.YEAR_END, scores={"total": Decimal("95")})
        registry.update_worker(attrs.evolve(worker, assessments=(*worker.assessments, scored)))
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            assert screen.round is not None
            entry = screen.round.entry(WUMA_WORKERS[0])
            assert (entry.proposed, entry.score) == ("excellent", Decimal("95"))
            assert screen.table.move_to_key(WUMA_WORKERS[0])
            assert screen.table.row(screen.table.index[screen.table.cursor_row])[4] == "95"
            assert "1/2" in meter_line(screen, WUMA)
            await pilot.pause()
            detail = screen.query_one("#round-detail", DetailPane).text
            assert "95" in detail and "第二十五条" in detail
            await grade(pilot, screen, WUMA_WORKERS[1], "1")
            await grade(pilot, screen, WUMA_WORKERS[2], "1")
            assert "剩余 0 个名额" in screen.message

    async def test_saving_over_another_operators_save_shows_both_and_asks(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_round_screen(pilot)
            assert screen.round is not None
            theirs = decide(screen.round, WUMA_WORKERS[0], "basically_qualified")
            save_round(registry, theirs)  # another operator, meanwhile
            await grade(pilot, screen, WUMA_WORKERS[0], "1")
            await pilot.press("ctrl+s")
            await settle(pilot)
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            text = str(question.query_one("#confirm-question", Static).render())
            assert "基本合格 → 优秀" in text
            stored = load_round(registry, YEAR, "year_end", f"district:{DISTRICT}")
            assert stored is not None and stored.entry(WUMA_WORKERS[0]).decided == "basically_qualified"
            await pilot.press("y")
            await settle(pilot)
            stored = load_round(registry, YEAR, "year_end", f"district:{DISTRICT}")
            assert stored is not None and stored.entry(WUMA_WORKERS[0]).decided == "excellent"


class TestScope:
    communities = build_registry(0).communities()

    @pytest.mark.parametrize(
        ("text", "scope"),
        [
            ("", Scope()),
            ("all", Scope()),
            ("鹿城区", Scope(district="鹿城区")),
            ("五马街道", Scope(district="鹿城区", street="五马街道")),
            ("鹿城区/五马街道", Scope(district="鹿城区", street="五马街道")),
            ("street:鹿城区/五马街道", Scope(district="鹿城区", street="五马街道")),
            ("tc-003", Scope(community="tc-003")),
            ("community:tc-003", Scope(community="tc-003")),
        ],
    )
    def test_what_an_operator_types(self, text: str, scope: Scope) -> None:
        assert resolve_scope(text, self.communities) == scope

    @pytest.mark.parametrize("text", ["西湖区", "鹿城区/永中街道", "street:", "tc-999"])
    def test_a_scope_that_covers_no_community_is_refused(self, text: str) -> None:
        with pytest.raises(ValidationError) as caught:
            resolve_scope(text, self.communities)
        assert caught.value.field == "scope"


@pytest.mark.parametrize(
    ("used", "limit", "cells"),
    [(0, 2, 0), (1, 2, 5), (2, 2, 10), (3, 2, 10), (1, 3, 4), (0, 0, 0), (1, 0, 10)],
)
def test_the_meter_bar_rounds_a_started_place_up(used: int, limit: int, cells: int) -> None:
    """1 of 3 places is 10/3 = 3.3 cells: shown as 4, so a taken place never looks free."""
    assert bar_cells(used, limit) == cells
