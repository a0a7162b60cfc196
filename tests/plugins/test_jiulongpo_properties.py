"""Invariants the Jiulongpo rules must keep whatever the worker or figures (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cases import make_community, make_worker
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.params import Override
from core.results import Month
from core.rules import Rules
from plugins.jiulongpo.common import period_end

KEY = "jiulongpo"
ON = dt.date(2026, 11, 25)
POSTS = [
    "party_secretary",
    "committee_director",
    "party_deputy_secretary",
    "committee_deputy_director",
    "committee_member",
    "staff",
    "supervisory_director",
    "supervisory_member",
]
TIER = {
    "party_secretary": 0,
    "committee_director": 0,
    "party_deputy_secretary": 1,
    "committee_deputy_director": 1,
}

_JS = Jurisdictions()
_JS.load_entry_points()
assert KEY in _JS.keys, _JS.broken
COMMUNITY = make_community(KEY, {})


def rules(params: dict[str, Any] | None = None, today: dt.date = ON) -> Rules:
    _JS.set_overrides(
        [
            Override(KEY, k, v, dt.date(2023, 12, 1), "t", "t", i)
            for i, (k, v) in enumerate((params or {}).items())
        ]
    )
    registry = MemoryRegistry(user="test")
    registry.add_community(COMMUNITY)
    return Rules(registry, _JS, today=today)


def pay_params(income: Decimal) -> dict[str, Any]:
    return {
        "pay.base.disposable_income": {"2025": str(income)},
        "pay.rank_allowance": {
            "principal": [[0, "300"], [3, "500"], [6, "700"]],
            "deputy": [[0, "250"], [3, "400"]],
            "general": [[0, "200"], [3, "300"], [10, "350"]],
        },
        "pay.performance_reward": {t: {"ungraded": "100"} for t in ("principal", "deputy", "general")},
    }


def base(posts: list[str], income: Decimal) -> Decimal:
    w = make_worker({"posts": [{"post": p, "start": "2020-01-01"} for p in posts]})
    lines = rules(pay_params(income)).pay_lines(w, Month(2026, 11))
    return lines[0].amount


incomes = st.decimals(min_value=Decimal("10000"), max_value=Decimal("200000"), places=2)


@given(incomes)
@settings(max_examples=60, deadline=None)
def test_principal_at_least_deputy_at_least_general(income: Decimal) -> None:
    principal, deputy, general = (
        base([p], income) for p in ("party_secretary", "party_deputy_secretary", "staff")
    )
    assert principal >= deputy >= general
    # 第二十条: at least 1.2 × income a year (to the cent a month)
    assert principal * 12 >= income * Decimal("1.2") - Decimal("0.06")


@given(incomes, incomes)
@settings(max_examples=60, deadline=None)
def test_base_never_falls_as_income_grows(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert base(["committee_member"], low) <= base(["committee_member"], high)


@given(st.lists(st.sampled_from(POSTS), min_size=1, max_size=4, unique=True))
@settings(max_examples=60, deadline=None)
def test_cross_appointment_pays_the_highest_post_once(posts: list[str]) -> None:
    best = min(posts, key=lambda p: TIER.get(p, 2))
    assert base(posts, Decimal("50000")) == base([best], Decimal("50000"))


@given(st.integers(min_value=0, max_value=30 * 365), st.integers(min_value=1, max_value=2000))
@settings(max_examples=60, deadline=None)
def test_pay_never_falls_when_only_service_grows(days_earlier: int, base_days: int) -> None:
    r = rules(pay_params(Decimal("50000")))
    later = ON - dt.timedelta(days=base_days)
    totals = []
    for start in (later, later - dt.timedelta(days=days_earlier)):
        w = make_worker(
            {"birth_date": "1950-01-01", "service_start": start, "posts": [{"post": "staff", "start": start}]}
        )
        totals.append(sum((line.amount for line in r.pay_lines(w, Month(2026, 11))), Decimal(0)))
    assert totals[0] <= totals[1]


@given(st.integers(min_value=0, max_value=60))
@settings(max_examples=30, deadline=None)
def test_no_grade_quota_whatever_the_headcount(n: int) -> None:
    workers = [make_worker({}, i) for i in range(n)]
    assert rules().grade_quotas("street:测试区/测试街道", workers, 2026, COMMUNITY) == []


@given(st.sets(st.integers(min_value=0, max_value=328), max_size=80))
@settings(max_examples=150, deadline=None)
def test_absence_grounds_match_the_text(day_numbers: set[int]) -> None:
    """第二十三条 2: a ground iff 15 unexcused working days in a row, or more than 30 in the year;
    days off work count working days, a run goes on across days not worked (RULES.md). The
    holiday notice as the library publishes it is the oracle."""
    days = sorted(dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in day_numbers)
    w = make_worker({"absences": [{"start": d, "end": d, "kind": "unexcused"} for d in days]})
    codes = {f.code for f in rules().worker_findings(w, ON)}
    absent = set(days)
    run = best = total = 0
    for n in range((ON - dt.date(2026, 1, 1)).days + 1):
        d = dt.date(2026, 1, 1) + dt.timedelta(days=n)
        if not chinese_calendar.is_workday(d):
            continue
        run = run + 1 if d in absent else 0
        total += d in absent
        best = max(best, run)
    assert ("absence_run_dismissal" in codes) == (best >= 15)
    assert ("absence_total_dismissal" in codes) == (total > 30)


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(1, 24))
@settings(max_examples=200, deadline=None)
def test_period_end_is_the_day_before_the_same_date(start: dt.date, months: int) -> None:
    end = period_end(start, months)
    assert start <= end
    assert 28 * months - 1 <= (end - start).days <= 31 * months
    assert period_end(start + dt.timedelta(days=1), months) >= end  # monotone in the start


@given(
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.sampled_from(["male", "female"]),
)
@settings(max_examples=100, deadline=None)
def test_retirement_date_is_monotone_in_birth_date(a: dt.date, b: dt.date, sex: str) -> None:
    r = rules()
    early, late = sorted((a, b))
    first = r.retirement(make_worker({"sex": sex, "birth_date": early, "service_start": "2020-01-01"}))
    second = r.retirement(make_worker({"sex": sex, "birth_date": late, "service_start": "2020-01-01"}))
    assert first.date <= second.date


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 2000))
@settings(max_examples=80, deadline=None)
def test_once_eligible_always_eligible_while_in_post(start: dt.date, later_days: int) -> None:
    w = make_worker(
        {"service_start": "2015-01-01", "posts": [{"post": "party_deputy_secretary", "start": start}]}
    )
    r = rules()
    on = start + dt.timedelta(days=3 * 365 + 1)
    first = r.eligibility(w, "promotion", "party_secretary", on).eligible
    second = r.eligibility(w, "promotion", "party_secretary", on + dt.timedelta(days=later_days)).eligible
    assert not first or second
