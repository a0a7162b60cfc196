"""Yearly pools through the real jurisdictions: shared per street, to the cent."""

from __future__ import annotations

from decimal import Decimal

import core
from core.cases import make_community, make_worker
from core.pools import compute_pools, load_pools, save_pools
from core.scope import Scope


def test_beijing_street_bonus_is_shared_by_tier_and_grade() -> None:
    """000 第四篇 第五条(一)3 and RULES.md's default scheme: pool 3600 × 2 = 7200 for the street.

    Weights: 正职 1.2 × 优秀 1.2 = 1.44; 一般 1.0 × 合格 1.0 = 1.0; sum 2.44.
    Shares: 7200 × 1.44 / 2.44 = 4249.1803… → 4249.18; 7200 × 1 / 2.44 = 2950.8196… → 2950.82;
    4249.18 + 2950.82 = 7200.00 exactly.
    """
    reg = core.MemoryRegistry(user="op")
    reg.add_community(make_community("beijing", {"id": "bj1", "district": "通州区", "street": "北苑街道"}))
    secretary = make_worker(
        {
            "community_id": "bj1",
            "service_start": "2015-01-01",
            "posts": [{"post": "party_secretary", "start": "2015-01-01"}],
            "assessments": [{"year": 2025, "grade": "excellent"}],
        },
        0,
        "bj1",
    )
    staff = make_worker(
        {
            "community_id": "bj1",
            "service_start": "2015-01-01",
            "posts": [{"post": "staff", "start": "2015-01-01"}],
            "assessments": [{"year": 2025, "grade": "qualified"}],
        },
        1,
        "bj1",
    )
    a, b = reg.add_workers([secretary, staff])
    rules = core.rules_for(reg)
    run = compute_pools(reg, rules, 2025, Scope())
    (unit,) = run.units
    assert unit.unit == "通州区/北苑街道" and not unit.error
    shares = {s.worker_id: s.amount for s in unit.shares}
    assert shares == {a.id: Decimal("4249.18"), b.id: Decimal("2950.82")}
    assert run.total == Decimal("7200.00")
    assert all(s.document == "000_a0ecfbd89ce21d4d.txt" for s in unit.shares)
    save_pools(reg, run)
    assert load_pools(reg, 2025, "all") == run


def test_a_unit_that_cannot_be_shared_says_why_and_others_go_on() -> None:
    reg = core.MemoryRegistry(user="op")
    reg.add_community(make_community("beijing", {"id": "bj1", "street": "甲街道"}))
    reg.add_community(make_community("beijing", {"id": "bj2", "street": "乙街道"}))
    graded = {
        "assessments": [{"year": 2025, "grade": "qualified"}],
        "posts": [{"post": "staff", "start": "2015-01-01"}],
    }
    reg.add_workers(
        [
            make_worker({**graded, "community_id": "bj1", "service_start": "2015-01-01"}, 0, "bj1"),
            make_worker({"community_id": "bj2", "service_start": "2015-01-01"}, 1, "bj2"),
        ]
    )
    run = compute_pools(reg, core.rules_for(reg), 2025, Scope())
    by_unit = {u.unit: u for u in run.units}
    assert by_unit["测试区/甲街道"].total == Decimal("3600.00")
    assert by_unit["测试区/乙街道"].error["zh"] and by_unit["测试区/乙街道"].error["en"]
