"""`compute_payroll(progress=…)`: a screen hears how far a long run has got, and can stop it."""

from __future__ import annotations

import pytest

from core.memory import MemoryRegistry
from core.payroll import PROGRESS_STEPS, compute_payroll
from core.results import Month
from core.rules import Rules
from core.scope import Scope

from .conftest import add


def test_progress_counts_every_worker_in_scope_and_ends_at_the_total(
    toy: tuple[MemoryRegistry, Rules],
) -> None:
    reg, rules = toy
    for day in range(1, 7):  # the case workers' resident IDs repeat every 40: one birth date per 40
        add(reg, "c1" if day < 6 else "c3", 40, birth_date=f"1980-01-0{day}")
    calls: list[tuple[int, int]] = []
    run = compute_payroll(reg, rules, Month(2026, 11), Scope(), progress=lambda d, n: calls.append((d, n)))
    assert len(run.workers) == 240
    # 240 workers: every 240 // 100 = 2nd worker is reported (0, 2, … 238), then 240 of 240.
    assert calls[0] == (0, 240) and calls[-1] == (240, 240)
    assert len(calls) == 240 // (240 // PROGRESS_STEPS) + 1 == 121
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_progress_of_a_scope_counts_only_its_workers(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    add(reg, "c1", 4)
    add(reg, "c3", 2)
    calls: list[tuple[int, int]] = []
    compute_payroll(
        reg,
        rules,
        Month(2026, 11),
        Scope.parse("street:测试区/西街道"),
        progress=lambda d, n: calls.append((d, n)),
    )
    assert calls == [(0, 2), (1, 2), (2, 2)]


def test_a_progress_callback_that_raises_stops_the_run(toy: tuple[MemoryRegistry, Rules]) -> None:
    reg, rules = toy
    add(reg, "c1", 5)

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        compute_payroll(reg, rules, Month(2026, 11), Scope(), progress=stop)
