"""A payroll month and an assessment period are decided once per worker.

A run closed for one street could be saved again inside an "all" run with the same people, and a
round closed for one community graded again inside an "all communities" round whose close would
replace the closed grades. Anything that overlaps a closed run or round is now refused, naming it.
"""

from __future__ import annotations

import pytest

from core.assessment import close_round, decide, load_round, open_round, save_round
from core.errors import ValidationError
from core.memory import MemoryRegistry
from core.payroll import close_run, compute_payroll, load_run, save_run
from core.results import Month
from core.rules import Rules
from core.scope import Scope

from .conftest import add

EAST = Scope(district="测试区", street="东街道")  # c1, c2
WEST = Scope(district="测试区", street="西街道")  # c3
NOVEMBER = Month(2026, 11)


def _refused(caught: pytest.ExceptionInfo[ValidationError]) -> str:
    return caught.value.problem.render("zh")


class TestPayroll:
    def test_an_all_run_after_a_street_was_closed_is_refused_naming_the_closed_run(
        self, toy: tuple[MemoryRegistry, Rules]
    ) -> None:
        reg, rules = toy
        east = add(reg, "c1", 2) + add(reg, "c2", 1)
        add(reg, "c3", 2)
        closed = close_run(reg, compute_payroll(reg, rules, NOVEMBER, EAST))
        assert len(closed.workers) == 3
        everyone = compute_payroll(reg, rules, NOVEMBER, Scope())
        with pytest.raises(ValidationError) as caught:
            save_run(reg, everyone)
        text = _refused(caught)
        assert "2026-11" in text and "东街道" in text and "operator-a" in text
        assert "3 人" in text and east[0].name in text
        with pytest.raises(ValidationError):
            close_run(reg, everyone)
        assert load_run(reg, "2026-11", "all") is None
        # the rest of the city is paid on its own
        west = close_run(reg, compute_payroll(reg, rules, NOVEMBER, WEST))
        assert west.closed and len(west.workers) == 2
        # another month is another decision
        assert save_run(reg, compute_payroll(reg, rules, Month(2026, 12), Scope())).month == "2026-12"

    def test_a_community_run_inside_a_closed_all_run_is_refused(
        self, toy: tuple[MemoryRegistry, Rules]
    ) -> None:
        reg, rules = toy
        add(reg, "c1", 2)
        add(reg, "c3", 1)
        close_run(reg, compute_payroll(reg, rules, NOVEMBER, Scope()))
        with pytest.raises(ValidationError) as caught:
            save_run(reg, compute_payroll(reg, rules, NOVEMBER, Scope(community="c1")))
        assert "全部社区" in _refused(caught)

    def test_a_community_with_nobody_to_pay_still_overlaps_its_closed_street(
        self, toy: tuple[MemoryRegistry, Rules]
    ) -> None:
        """c2 has no worker: the run shares nobody with the closed street, but its scope is in it."""
        reg, rules = toy
        add(reg, "c1", 1)
        close_run(reg, compute_payroll(reg, rules, NOVEMBER, EAST))
        empty = compute_payroll(reg, rules, NOVEMBER, Scope(community="c2"))
        assert empty.workers == ()
        with pytest.raises(ValidationError) as caught:
            save_run(reg, empty)
        assert caught.value.problem.key == "records.overlap.payroll_scope"

    def test_open_runs_may_overlap_until_one_is_closed(self, toy: tuple[MemoryRegistry, Rules]) -> None:
        reg, rules = toy
        add(reg, "c1", 2)
        street = save_run(reg, compute_payroll(reg, rules, NOVEMBER, EAST))
        everyone = save_run(reg, compute_payroll(reg, rules, NOVEMBER, Scope()))
        close_run(reg, everyone)
        with pytest.raises(ValidationError):
            close_run(reg, street)


class TestRound:
    def test_an_all_round_cannot_grade_again_those_a_closed_community_round_graded(
        self, toy: tuple[MemoryRegistry, Rules]
    ) -> None:
        reg, rules = toy
        a, _ = add(reg, "c1", 2)
        add(reg, "c3", 2)
        # c1 alone: 2 workers → 优秀 at most floor(2 × 20 / 100) = 0 places; both 合格.
        community = open_round(reg, rules, 2026, Scope(community="c1"))
        save_round(reg, community)
        close_round(reg, rules, community)
        assert reg.get_worker(a.id).grade_for(2026) == "qualified"

        everyone = open_round(reg, rules, 2026, Scope())
        with pytest.raises(ValidationError) as caught:
            save_round(reg, everyone)
        text = _refused(caught)
        assert "2026" in text and "c1" in text and "operator-a" in text and a.name in text
        graded = decide(everyone, a.id, "basically_qualified")
        with pytest.raises(ValidationError):
            save_round(reg, graded)
        with pytest.raises(ValidationError):
            close_round(reg, rules, graded)
        assert reg.get_worker(a.id).grade_for(2026) == "qualified"  # the closed grade stands
        assert load_round(reg, 2026, "year_end", "all") is None
        # the other street is graded on its own, and the half-year is another period
        west = open_round(reg, rules, 2026, Scope(district="测试区", street="西街道"))
        assert close_round(reg, rules, save_round(reg, west)).closed
        save_round(reg, open_round(reg, rules, 2026, Scope(), period="half_year"))

    def test_closing_an_open_overlapping_round_is_refused(self, toy: tuple[MemoryRegistry, Rules]) -> None:
        """Both opened before either closed: the second close would replace the first's grades."""
        reg, rules = toy
        add(reg, "c1", 1)
        everyone = save_round(reg, open_round(reg, rules, 2026, Scope()))
        street = save_round(reg, open_round(reg, rules, 2026, EAST))
        close_round(reg, rules, street)
        with pytest.raises(ValidationError) as caught:
            close_round(reg, rules, everyone)
        assert "东街道" in _refused(caught)
