"""Invariants the Shenyang rules must keep whatever the worker (hypothesis).

000_a0ecfbd89ce21d4d.txt 第五篇: the 优秀 quota (第二十八条), the subsidy table (第十三、十四条),
leave (第十六条), grades (第二十二 – 三十条), the recall petition (第三十七条), appeal deadlines
(第四十四条) and retirement (第四十六条8).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.cases import make_community, make_worker
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Worker
from core.params import EPOCH, Override
from core.results import Month
from core.rules import Rules
from plugins.shenyang.exit import recall_petition
from plugins.shenyang.posts import grade_rank

KEY = "shenyang"
ON = dt.date(2026, 11, 25)
# Demo figures for the district of the test community; the text gives none (第十四条).
TABLE = {
    "测试区": {
        "posts": {"staff": "2000", "committee_member": "2200", "committee_director": "2600"},
        "year_step": "20",
        "year_cap": 30,
        "performance": {
            "excellent": "300",
            "competent": "200",
            "warning": "50",
            "incompetent": "0",
            "ungraded": "150",
        },
        "certificate": {"assistant_social_worker": "100", "social_worker": "200"},
    }
}

_JS = Jurisdictions()
_JS.load_entry_points()
assert KEY in _JS.keys, _JS.broken

days = st.integers(min_value=0, max_value=365 * 30)
births = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2000, 12, 31))
scores = st.decimals(min_value=0, max_value=100, places=1)


def rules(params: dict[str, Any] | None = None, today: dt.date = ON) -> Rules:
    _JS.set_overrides(
        [Override(KEY, k, v, EPOCH, "test", "test", i) for i, (k, v) in enumerate((params or {}).items())]
    )
    registry = MemoryRegistry(user="test")
    registry.add_community(make_community(KEY, {}))
    return Rules(registry, _JS, today=today)


def total(worker: Worker, month: Month) -> Decimal:
    return sum(
        (line.amount for line in rules({"pay.district_table": TABLE}).pay_lines(worker, month)), Decimal(0)
    )


@given(st.integers(min_value=0, max_value=500))
@settings(max_examples=100, deadline=None)
def test_excellent_quota_is_floor_of_twenty_percent(headcount: int) -> None:
    """第二十八条: the 优秀 limit is floor(N × 20 / 100), never above N."""
    workers = [make_worker({}, i + 1) for i in range(headcount)]
    r = rules()
    community = r.communities.get_community("case-community")
    quota = r.grade_quotas("street:测试区/测试街道", workers, 2026, community)[0]
    assert quota.limit == headcount * 20 // 100
    assert 0 <= quota.limit <= headcount


@given(days, st.integers(min_value=1, max_value=3650))
@settings(max_examples=80, deadline=None)
def test_pay_never_falls_when_only_service_grows(offset: int, more: int) -> None:
    """第十三条: more years of community work never lower the month's subsidy."""
    later = dt.date(2026, 11, 30) - dt.timedelta(days=offset)
    earlier = later - dt.timedelta(days=more)
    assume(earlier >= dt.date(1990, 1, 1))
    month = Month(2026, 11)

    def worker(start: dt.date) -> Worker:
        return make_worker(
            {"birth_date": "1970-01-01", "service_start": start, "posts": [{"post": "staff", "start": start}]}
        )

    assert total(worker(earlier), month) >= total(worker(later), month)


@given(st.integers(min_value=1, max_value=30))
@settings(max_examples=30, deadline=None)
def test_a_partial_month_pays_no_more_than_a_full_one(day: int) -> None:
    """Reading: a month partly in service is paid pro rata, each line rounded to the cent."""
    left = dt.date(2026, 11, day)
    base = {"posts": [{"post": "staff", "start": "2010-01-01"}]}
    full = total(make_worker(base), Month(2026, 11))
    part_worker = make_worker(base | {"statuses": [{"status": "left", "since": left}]})
    lines = rules({"pay.district_table": TABLE}).pay_lines(part_worker, Month(2026, 11))
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) and line.amount >= 0 for line in lines)
    assert sum((line.amount for line in lines), Decimal(0)) <= full


@given(births, st.integers(min_value=1, max_value=4000), st.sampled_from(["male", "female"]))
@settings(max_examples=100, deadline=None)
def test_retirement_date_is_monotone_in_birth_date(birth: dt.date, later_by: int, sex: str) -> None:
    """第四十六条8 and the national rule: a later birth never retires earlier."""
    young = birth + dt.timedelta(days=later_by)
    r = rules()
    a = r.retirement(make_worker({"sex": sex, "birth_date": birth, "service_start": "2020-01-01"}))
    b = r.retirement(make_worker({"sex": sex, "birth_date": young, "service_start": "2020-01-01"}))
    assert a.date <= b.date


@given(days, st.integers(min_value=1, max_value=3650))
@settings(max_examples=80, deadline=None)
def test_leave_never_falls_as_service_grows(offset: int, more: int) -> None:
    """第十六条: 5 / 10 / 15 days by years; an earlier start never gives fewer days."""
    later = dt.date(2026, 12, 31) - dt.timedelta(days=offset)
    earlier = later - dt.timedelta(days=more)
    assume(earlier >= dt.date(1990, 1, 1))
    r = rules()
    a = r.annual_leave(make_worker({"birth_date": "1970-01-01", "service_start": earlier}), 2026)
    b = r.annual_leave(make_worker({"birth_date": "1970-01-01", "service_start": later}), 2026)
    assert a.days >= b.days
    assert a.days in (0, 5, 10, 15)


def grade(worker: Worker, period: str = "half_year") -> str | None:
    return rules().propose_grade(worker, 2026, period).grade


@given(scores, scores, scores, st.decimals(min_value=0, max_value=20, places=1))
@settings(max_examples=150, deadline=None)
def test_a_higher_score_never_gives_a_worse_grade(r: Decimal, d: Decimal, p: Decimal, bump: Decimal) -> None:
    """第二十二、二十八条: raising one opinion's score never lowers the grade."""

    def worker(residents: Decimal) -> Worker:
        s = {"residents": str(residents), "departments": str(d), "peers": str(p)}
        return make_worker({"assessments": [{"year": 2026, "period": "half_year", "scores": s}]})

    low, high = grade(worker(r)), grade(worker(min(Decimal(100), r + bump)))
    assert low is not None and high is not None
    assert grade_rank(high) <= grade_rank(low)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=160), st.integers(min_value=0, max_value=12)),
        min_size=0,
        max_size=6,
    ),
    st.integers(min_value=0, max_value=160),
    st.integers(min_value=0, max_value=12),
    scores,
)
@settings(max_examples=150, deadline=None)
def test_more_unexcused_absence_never_improves_the_grade(
    spans: list[tuple[int, int]], start: int, length: int, score: Decimal
) -> None:
    """第二十九条3, 第三十条5: adding absence can only keep or worsen the grade, and forced wins.

    The absences stay inside January-June: a run that goes on into July moves, by the Reading of
    `assessment.record_window`, to the year-end assessment (see the propose_grade cases).
    """
    first = dt.date(2026, 1, 1)

    def absences(items: list[tuple[int, int]]) -> list[dict[str, Any]]:
        return [
            {"start": first + dt.timedelta(days=s), "end": first + dt.timedelta(days=s + n)} for s, n in items
        ]

    s = str(score)
    record = {"year": 2026, "period": "half_year", "scores": {"residents": s, "departments": s, "peers": s}}
    before = make_worker({"absences": absences(spans), "assessments": [record]})
    after = make_worker({"absences": absences([*spans, (start, length)]), "assessments": [record]})
    g_before, g_after = grade(before), grade(after)
    assert g_before is not None and g_after is not None
    assert grade_rank(g_after) >= grade_rank(g_before)
    proposal = rules().propose_grade(after, 2026, "half_year")
    if proposal.forced:
        assert proposal.grade in ("warning", "incompetent")


@given(
    st.integers(min_value=1, max_value=20_000),
    st.integers(min_value=0, max_value=20_000),
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=0, max_value=300),
)
@settings(max_examples=200, deadline=None)
def test_recall_petition_thresholds_are_exact(voters: int, signed: int, reps: int, reps_signed: int) -> None:
    """第三十七条: one fifth of voters, or one third or more of representatives, in exact integers."""
    assume(signed <= voters and reps_signed <= reps)
    ctx = rules().context(make_community(KEY, {}))
    check = recall_petition(
        ctx,
        ON,
        voters=voters,
        voter_signatures=signed,
        representatives=reps,
        representative_signatures=reps_signed,
    )
    assert check.by_voters == (signed * 5 >= voters)
    assert check.by_representatives == (reps_signed * 3 >= reps)
    assert check.met == (check.by_voters or check.by_representatives)


@given(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=30),
)
@settings(max_examples=100, deadline=None)
def test_appeal_window_is_ten_days_after_the_decision(decided: dt.date, later: int) -> None:
    """第四十四条: review may be asked through the tenth day after the decision, not after."""
    on = decided + dt.timedelta(days=later)
    worker = make_worker({"decisions": [{"kind": "assessment", "decided_on": decided}]})
    found = [f for f in rules(today=on).worker_findings(worker, on) if f.code == "appeal_open"]
    assert bool(found) == (later <= 10)
    if found:
        assert found[0].due == decided + dt.timedelta(days=10)
