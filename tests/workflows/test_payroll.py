"""Payroll runs: totals, failures reported by name, closing, and recomputation against a closed run."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from core.errors import ValidationError
from core.memory import MemoryRegistry
from core.payroll import close_run, compare, compute_payroll, load_run, save_run
from core.results import Month
from core.rules import Rules
from core.scope import Scope

from .conftest import add


def test_totals_by_community_and_street(toy: tuple[MemoryRegistry, Rules]) -> None:
    """3 + 2 staff on 东街道 and 1 on 西街道 at 1000 each: 东 5000, 西 1000, all 6000."""
    reg, rules = toy
    add(reg, "c1", 3)
    add(reg, "c2", 2)
    add(reg, "c3", 1)
    run = compute_payroll(reg, rules, Month(2026, 11), Scope())
    assert run.total == Decimal(6000)
    assert run.totals_by("street") == {"测试区/东街道": Decimal(5000), "测试区/西街道": Decimal(1000)}
    assert run.totals_by("community")["c2"] == Decimal(2000)


def test_scope_limits_the_run(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    add(reg, "c1", 2)
    add(reg, "c3", 1)
    run = compute_payroll(reg, rules, Month(2026, 11), Scope.parse("street:测试区/西街道"))
    assert [w.community_id for w in run.workers] == ["c3"]


def test_worker_who_cannot_be_computed_is_listed_with_the_parameter(
    toy: tuple[MemoryRegistry, Rules],
) -> None:
    reg, rules = toy
    add(reg, "c1", 1)
    add(reg, "c1", 1, name="缺参数")
    run = compute_payroll(reg, rules, Month(2026, 11), Scope())
    assert len(run.failed) == 1
    assert "pay.table" in run.failed[0].error["zh"] and "pay.table" in run.failed[0].error["en"]
    with pytest.raises(ValidationError):
        close_run(reg, run)


def test_retired_workers_are_not_paid(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    add(reg, "c1", 1, statuses=[{"status": "retired", "since": "2026-01-01"}])
    add(reg, "c1", 1)
    assert len(compute_payroll(reg, rules, Month(2026, 11), Scope()).workers) == 1


def test_closed_month_is_immutable_and_recomputation_shows_differences(
    toy: tuple[MemoryRegistry, Rules],
) -> None:
    """A post change after closing: the closed run keeps 1000, the recomputation shows 2000."""
    reg, rules = toy
    (worker,) = add(reg, "c1", 1)
    month = Month(2026, 11)
    closed = close_run(reg, save_run(reg, compute_payroll(reg, rules, month, Scope())))
    assert load_run(reg, "2026-11", "all") == closed
    promoted = attrs.evolve(
        worker, posts=(*worker.posts, attrs.evolve(worker.posts[0], post="party_secretary"))
    )
    reg.update_worker(promoted)
    fresh = compute_payroll(reg, rules, month, Scope())
    with pytest.raises(ValidationError):
        save_run(reg, fresh)
    diff = compare(closed, fresh)
    assert [(d.code, d.before, d.after) for d in diff] == [("base", Decimal(1000), Decimal(2000))]
    assert reg.changes(kind="payroll")[-1].action == "close"
