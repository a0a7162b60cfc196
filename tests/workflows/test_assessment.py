"""Assessment rounds: quota per unit, forced grades, all-or-nothing close with consequences."""

from __future__ import annotations

import pytest
from attrs import evolve

from core.assessment import close_round, decide, load_round, open_round, save_round
from core.errors import ValidationError
from core.memory import MemoryRegistry
from core.rules import Rules
from core.scope import Scope

from .conftest import add


def test_quota_is_counted_per_street_and_refuses_the_extra_place(toy: tuple[MemoryRegistry, Rules]) -> None:
    """东街道 has 3 + 2 = 5 workers: 优秀 at most floor(5 × 20 / 100) = 1; 西街道 with 1: floor(0.2) = 0."""
    reg, rules = toy
    east = add(reg, "c1", 3) + add(reg, "c2", 2)
    (west,) = add(reg, "c3", 1)
    r = open_round(reg, rules, 2026, Scope())
    limits = {(q.unit, q.grade): q.limit for q in r.quotas}
    assert limits == {("street:测试区/东街道", "excellent"): 1, ("street:测试区/西街道", "excellent"): 0}
    r = decide(r, east[0].id, "excellent")
    with pytest.raises(ValidationError) as caught:
        decide(r, east[1].id, "excellent")
    assert caught.value.problem.key == "round.over_quota"
    assert caught.value.problem.args["left"] == 0
    with pytest.raises(ValidationError):
        decide(r, west.id, "excellent")


def test_forced_grade_cannot_be_lifted(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    (w,) = add(reg, "c1", 1, absences=[{"start": "2026-03-01", "end": "2026-03-05", "kind": "unexcused"}])
    r = open_round(reg, rules, 2026, Scope())
    assert r.entry(w.id).proposed == "unqualified"
    with pytest.raises(ValidationError):
        decide(r, w.id, "qualified")


def test_close_writes_grades_and_lists_consequences(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    a, b = add(reg, "c1", 2)
    add(reg, "c2", 2)
    (bad,) = add(reg, "c1", 1, absences=[{"start": "2026-03-01", "end": "2026-03-02", "kind": "unexcused"}])
    # 东街道: 5 workers → 优秀 at most floor(5 × 20 / 100) = 1 place, taken by `a`.
    r = decide(open_round(reg, rules, 2026, Scope()), a.id, "excellent")
    save_round(reg, r)
    closed = close_round(reg, rules, r)
    assert reg.get_worker(a.id).grade_for(2026) == "excellent"
    assert reg.get_worker(b.id).grade_for(2026) == "qualified"
    assert reg.get_worker(bad.id).grade_for(2026) == "unqualified"
    assert list(closed.consequences) == [str(bad.id)]
    assert load_round(reg, 2026, "year_end", "all") == closed
    with pytest.raises(ValidationError):
        decide(closed, a.id, "qualified")


def test_close_refuses_an_ungraded_worker_and_changes_nothing(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    (a,) = add(reg, "c1", 1)
    r = open_round(reg, rules, 2026, Scope())
    # an entry with neither a proposal nor a decision (e.g. the rules could not propose) cannot close
    r = evolve(r, entries=tuple(evolve(e, proposed=None) for e in r.entries))
    with pytest.raises(ValidationError) as caught:
        close_round(reg, rules, r)
    assert caught.value.problem.key == "round.ungraded"
    assert reg.get_worker(a.id).grade_for(2026) is None
