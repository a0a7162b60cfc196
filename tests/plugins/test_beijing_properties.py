"""Invariants the Beijing and Haidian rules must keep whatever the worker or community (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.cases import make_community, make_worker
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Worker
from core.params import Override
from core.results import Month
from core.rules import Rules

CITY, HAIDIAN = "beijing", "beijing.haidian"
ON = dt.date(2026, 11, 25)
SINCE = dt.date(2008, 1, 1)
GRADES = ("excellent", "qualified", "basically_qualified", "unqualified")
POSTS = {
    "party_secretary": "principal",
    "committee_director": "principal",
    "station_head": "principal",
    "party_deputy_secretary": "deputy",
    "committee_deputy_director": "deputy",
    "station_deputy_head": "deputy",
    "committee_member": "general",
    "staff": "general",
}
BASE = {"principal": Decimal(720), "deputy": Decimal(640), "general": Decimal(590)}
START = {"principal": Decimal(960), "deputy": Decimal(845), "general": Decimal(740)}
TIER_WEIGHT = {"principal": Decimal("1.2"), "deputy": Decimal("1.1"), "general": Decimal("1.0")}
GRADE_WEIGHT = {
    "excellent": Decimal("1.2"),
    "qualified": Decimal("1.0"),
    "basically_qualified": Decimal("0.8"),
    "unqualified": Decimal(0),
}

_JS = Jurisdictions()
_JS.load_entry_points()
assert {CITY, HAIDIAN} <= set(_JS.keys), _JS.broken
# The election months the texts leave unset: any month will do for the invariants.
_JS.set_overrides(
    [
        Override(CITY, "service.origin.eight_districts.month", 7, SINCE, "test", "test", 0),
        Override(CITY, "service.origin.other_districts.month", 6, SINCE, "test", "test", 1),
    ]
)


def rules(key: str = CITY, *, today: dt.date = ON, **fields: Any) -> tuple[Rules, Community]:
    registry = MemoryRegistry(user="test")
    community = make_community(key, fields)
    registry.add_community(community)
    return Rules(registry, _JS, today=today), community


def worker(**fields: Any) -> Worker:
    return make_worker(fields)


NOVEMBER = Month(2026, 11)


def lines(w: Worker, month: Month = NOVEMBER, key: str = CITY) -> dict[str, Decimal]:
    r, _ = rules(key)
    return {line.code: line.amount for line in r.pay_lines(w, month)}


starts = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2026, 11, 1))  # whole months in November
posts = st.sampled_from(sorted(POSTS))
grade_maps = st.dictionaries(
    st.integers(min_value=1995, max_value=2025), st.sampled_from(GRADES), max_size=12
)


def _assessments(grades: dict[int, str]) -> list[dict[str, Any]]:
    return [{"year": y, "grade": g} for y, g in sorted(grades.items())]


# --- 职务年限补贴 (第四篇 第五条(一)2) --------------------------------------------------------------


@given(starts, starts, posts)
@settings(max_examples=150, deadline=None)
def test_pay_never_falls_when_only_service_grows(a: dt.date, b: dt.date, post: str) -> None:
    """An earlier start (more service, no grades recorded) never gives a lower seniority allowance."""
    early, late = sorted((a, b))
    earn = [
        lines(worker(service_start=s, posts=[{"post": post, "start": dt.date(1995, 1, 1)}]))
        for s in (early, late)
    ]
    assert earn[0]["seniority_allowance"] >= earn[1]["seniority_allowance"]
    assert earn[0]["base"] == earn[1]["base"] == BASE[POSTS[post]]


@given(starts, posts, grade_maps)
@settings(max_examples=150, deadline=None)
def test_seniority_is_the_tier_start_plus_whole_increments(
    start: dt.date, post: str, grades: dict[int, str]
) -> None:
    """A whole month in service: starting value + 50 × k, with k between 0 and the completed years."""
    w = worker(service_start=start, posts=[{"post": post, "start": start}], assessments=_assessments(grades))
    got = lines(w, Month(2026, 12))["seniority_allowance"]
    increments = (got - START[POSTS[post]]) / 50
    assert increments == int(increments)
    assert 0 <= increments <= max(0, 2026 - start.year)


@given(starts, grade_maps, st.integers(min_value=1995, max_value=2025))
@settings(max_examples=150, deadline=None)
def test_a_poorer_grade_never_raises_pay(start: dt.date, grades: dict[int, str], year: int) -> None:
    """Turning one year's grade into 不合格 never raises the seniority allowance."""
    before = worker(
        service_start=start, posts=[{"post": "staff", "start": start}], assessments=_assessments(grades)
    )
    worse = worker(
        service_start=start,
        posts=[{"post": "staff", "start": start}],
        assessments=_assessments({**grades, year: "unqualified"}),
    )
    assert lines(worse)["seniority_allowance"] <= lines(before)["seniority_allowance"]


@given(st.lists(posts, min_size=1, max_size=4, unique=True), starts)
@settings(max_examples=150, deadline=None)
def test_cross_appointment_is_paid_once_at_the_highest_tier(held: list[str], start: dt.date) -> None:
    """兼职不兼酬、就高不就低: several posts pay exactly what the highest-tier post alone pays."""
    order = ["principal", "deputy", "general"]
    best = min(held, key=lambda p: order.index(POSTS[p]))
    together = worker(service_start=start, posts=[{"post": p, "start": start} for p in held])
    alone = worker(service_start=start, posts=[{"post": best, "start": start}])
    assert lines(together) == lines(alone)


# --- bonus pool (第五条(一)3) ------------------------------------------------------------------------


@st.composite
def street(draw: Any) -> list[tuple[str, str]]:
    return draw(st.lists(st.tuples(posts, st.sampled_from(GRADES)), min_size=1, max_size=25))


@given(street(), st.sampled_from(["3600", "4000", "3999.99"]))
@settings(max_examples=150, deadline=None)
def test_the_pool_shares_out_exactly_to_the_cent(people: list[tuple[str, str]], per_head: str) -> None:
    workers = [
        make_worker(
            {"posts": [{"post": p, "start": "2020-01-01"}], "assessments": [{"year": 2025, "grade": g}]}, i
        )
        for i, (p, g) in enumerate(people)
    ]
    _JS.set_overrides(
        [
            Override(CITY, "service.origin.eight_districts.month", 7, SINCE, "test", "test", 0),
            Override(CITY, "service.origin.other_districts.month", 6, SINCE, "test", "test", 1),
            Override(CITY, "pay.bonus.per_head", per_head, SINCE, "test", "test", 2),
        ]
    )
    try:
        r, community = rules()
        shares = r.pool_shares(workers, 2025, community)
    finally:
        _JS.set_overrides(
            [
                Override(CITY, "service.origin.eight_districts.month", 7, SINCE, "test", "test", 0),
                Override(CITY, "service.origin.other_districts.month", 6, SINCE, "test", "test", 1),
            ]
        )
    weights = [TIER_WEIGHT[POSTS[p]] * GRADE_WEIGHT[g] for p, g in people]
    total = sum((s.amount for s in shares), Decimal(0))
    pool = Decimal(per_head) * len(people)
    assert total == (pool if any(weights) else 0)
    assert all(s.amount >= 0 and s.amount == s.amount.quantize(Decimal("0.01")) for s in shares)
    for (_, g), s in zip(people, shares, strict=True):
        if g == "unqualified":
            assert s.amount == 0
    # a larger weight never gets a smaller share (beyond the one cent of the leftover)
    for wa, sa in zip(weights, shares, strict=True):
        for wb, sb in zip(weights, shares, strict=True):
            if wa > wb:
                assert sa.amount >= sb.amount - Decimal("0.01")


# --- retirement (第五条(四)) -------------------------------------------------------------------------

births = st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2000, 12, 31))


@given(births, births, st.sampled_from(["male", "female"]))
@settings(max_examples=200, deadline=None)
def test_retirement_date_is_monotone_in_birth_date(a: dt.date, b: dt.date, sex: str) -> None:
    r, _ = rules()
    early, late = sorted((a, b))
    first = r.retirement(worker(sex=sex, birth_date=early, service_start=dt.date(2020, 1, 1)))
    second = r.retirement(worker(sex=sex, birth_date=late, service_start=dt.date(2020, 1, 1)))
    assert first.date <= second.date


@given(births, st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2060, 12, 31)))
@settings(max_examples=150, deadline=None)
def test_an_elected_worker_never_retires_before_the_statutory_date(birth: dt.date, term_end: dt.date) -> None:
    r, _ = rules()
    plain = r.retirement(worker(birth_date=birth, service_start=dt.date(2019, 1, 1)))
    elected = r.retirement(
        worker(
            birth_date=birth,
            service_start=dt.date(2019, 1, 1),
            entry="elected",
            contracts=[{"kind": "term", "start": dt.date(2019, 1, 1), "end": term_end}],
        )
    )
    assert elected.date >= plain.date
    assert elected.date in (plain.date, term_end)


# --- staffing (第三篇 第十条) ------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=20000), st.integers(min_value=1, max_value=20000))
@settings(max_examples=200, deadline=None)
def test_station_staffing_is_monotone_in_households(a: int, b: int) -> None:
    small, large = sorted((a, b))
    need = []
    for households in (small, large):
        r, community = rules(households_resident=households)
        req = r.staffing(community, [])
        assert req.minimum == math.ceil(households / 500)
        need.append(req.minimum)
    assert need[0] <= need[1]


# --- Haidian ----------------------------------------------------------------------------------------


@given(starts, starts)
@settings(max_examples=150, deadline=None)
def test_haidian_leave_grows_with_service_and_keeps_to_the_brackets(a: dt.date, b: dt.date) -> None:
    r, _ = rules(HAIDIAN)
    early, late = sorted((a, b))
    days = [r.annual_leave(worker(service_start=s), 2026).days for s in (early, late)]
    assert days[0] >= days[1]
    assert set(days) <= {0, 5, 10, 15}


@given(st.sampled_from(GRADES), st.sampled_from([False, None, "none"]))
@settings(max_examples=50, deadline=None)
def test_haidian_never_proposes_excellent_after_a_failed_or_skipped_exam(grade: str, passed: Any) -> None:
    # the year's training attended, so only the exam decides
    trainings: list[dict[str, Any]] = [
        {
            "start": dt.date(2025, 5, 10),
            "end": dt.date(2025, 5, 12),
            "kind": "in_service",
            "level": "district",
        }
    ]
    if passed != "none":
        trainings.append(
            {"start": dt.date(2025, 11, 20), "end": dt.date(2025, 11, 20), "kind": "exam", "passed": passed}
        )
    w = worker(assessments=[{"year": 2025, "grade": grade}], trainings=trainings)
    r, _ = rules(HAIDIAN)
    proposal = r.propose_grade(w, 2025)
    if passed is None:  # on file, no result yet: not barred
        assert proposal.grade == grade
    else:
        assert proposal.grade != "excellent"
        assert proposal.forced == (grade == "excellent")


@given(st.sampled_from(GRADES), st.sampled_from([True, False, None, "none"]))
@settings(max_examples=50, deadline=None)
def test_haidian_never_proposes_excellent_without_the_years_training(grade: str, passed: Any) -> None:
    """第一篇 第六条(三)1: "不参加培训、考试或考试成绩不合格" — no training on file for the year bars
    优秀 whatever the exam (passed, failed, pending or missing)."""
    trainings = [{"start": dt.date(2024, 5, 10), "end": dt.date(2024, 5, 12), "kind": "in_service"}]
    if passed != "none":
        trainings.append(
            {"start": dt.date(2025, 11, 20), "end": dt.date(2025, 11, 20), "kind": "exam", "passed": passed}
        )
    w = worker(assessments=[{"year": 2025, "grade": grade}], trainings=trainings)
    r, _ = rules(HAIDIAN)
    proposal = r.propose_grade(w, 2025)
    assert proposal.grade != "excellent"
    assert proposal.forced == (grade == "excellent")


@given(st.integers(min_value=0, max_value=60), st.sampled_from([CITY, HAIDIAN]))
@settings(max_examples=30, deadline=None)
def test_no_grade_quota_is_ever_set(headcount: int, key: str) -> None:
    r, community = rules(key)
    workers = [make_worker({}, i) for i in range(headcount)]
    assert r.grade_quotas(f"street:{community.district}/{community.street}", workers, 2025, community) == []
