"""Invariants the Wenzhou rules must keep whatever the community or worker (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.cases import make_community, make_worker
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community
from core.params import Override
from core.results import Month
from core.rules import Rules

KEY = "wenzhou"
ON = dt.date(2026, 11, 25)
PAY = {
    "pay.post_wage": {"staff": "3500", "party_secretary": "5000"},
    "pay.seniority_allowance": {"per_year": "40"},
    "pay.title_allowance": {"social_worker": "400"},
    "pay.education_allowance": {"associate": "100", "bachelor": "200"},
    "pay.social_insurance": {"employer_rate": "0.3"},
}

_JS = Jurisdictions()
_JS.load_entry_points()
assert KEY in _JS.keys, _JS.broken

households = st.integers(min_value=0, max_value=50_000)
residents = st.integers(min_value=0, max_value=100_000)


def rules(community: Community, params: dict[str, object] | None = None) -> Rules:
    _JS.set_overrides(
        [
            Override(KEY, k, v, dt.date(2011, 12, 23), "test", "test", i)
            for i, (k, v) in enumerate((params or {}).items())
        ]
    )
    registry = MemoryRegistry(user="test")
    registry.add_community(community)
    return Rules(registry, _JS, today=ON)


def staff_needed(h: int, new: int) -> tuple[int, int]:
    c = make_community(KEY, {"households_resident": h, "new_residents": new})
    req = rules(c).staffing(c, [])
    return req.minimum, req.by_type["police_assistant"][0]


@given(households, households, residents)
@settings(max_examples=150, deadline=None)
def test_staffing_never_falls_as_households_grow(a: int, b: int, new: int) -> None:
    low, high = sorted((a, b))
    assert staff_needed(low, new)[0] <= staff_needed(high, new)[0]


@given(households, residents, residents)
@settings(max_examples=150, deadline=None)
def test_staffing_never_falls_as_new_residents_grow(h: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    need_low, police_low = staff_needed(h, low)
    need_high, police_high = staff_needed(h, high)
    assert need_low <= need_high
    assert police_low <= police_high


@given(households, residents)
@settings(max_examples=150, deadline=None)
def test_staffing_meets_every_clause_of_article_19(h: int, new: int) -> None:
    need, police = staff_needed(h, new)
    assert need >= 5 + new // 2000
    if h >= 2000:
        assert (need - new // 2000) * 400 >= h  # one worker for every started 400 households
    assert police == new // 500


def _office_required(h: int) -> Decimal:
    c = make_community(KEY, {"households_resident": h, "office_area": "0.01"})
    found = rules(c).community_findings(c, [], ON)
    (short,) = [f for f in found if f.code == "office_space_short"]
    value = short.inputs["required_area"]
    assert isinstance(value, Decimal)
    return value


@given(households, households)
@settings(max_examples=100, deadline=None)
def test_office_space_never_falls_and_never_below_350(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert Decimal(350) <= _office_required(low) <= _office_required(high)


@given(households, households)
@settings(max_examples=100, deadline=None)
def test_urban_funds_follow_the_formula_exactly(resident: int, registered: int) -> None:
    c = make_community(
        KEY, {"households_resident": resident, "households_registered": registered, "office_area": "1"}
    )
    (funds,) = [f for f in rules(c).community_findings(c, [], ON) if f.code == "operating_funds"]
    expected = Decimal(100_000) + 60 * (
        Decimal(resident) * Decimal("0.7") + Decimal(registered) * Decimal("0.3")
    )
    assert funds.inputs["amount"] == expected.quantize(Decimal("0.01"))


@given(st.integers(min_value=0, max_value=40 * 365), st.integers(min_value=1, max_value=3000))
@settings(max_examples=100, deadline=None)
def test_pay_never_falls_when_only_service_grows(days_earlier: int, base_days: int) -> None:
    """Two workers alike but for an earlier start: the earlier one is never paid less."""
    c = make_community(KEY, {})
    r = rules(c, PAY)
    later_start = ON - dt.timedelta(days=base_days)
    earlier_start = later_start - dt.timedelta(days=days_earlier)
    totals = []
    for start in (later_start, earlier_start):
        w = make_worker(
            {"birth_date": "1950-01-01", "service_start": start, "posts": [{"post": "staff", "start": start}]}
        )
        lines = r.pay_lines(w, Month(2026, 11))
        totals.append(sum((line.amount for line in lines if line.cash), Decimal(0)))
    assert totals[0] <= totals[1]


@given(
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.sampled_from(["male", "female"]),
)
@settings(max_examples=150, deadline=None)
def test_retirement_date_is_monotone_in_birth_date(a: dt.date, b: dt.date, sex: str) -> None:
    c = make_community(KEY, {})
    r = rules(c)
    early, late = sorted((a, b))
    first = r.retirement(make_worker({"sex": sex, "birth_date": early, "service_start": "2020-01-01"}))
    second = r.retirement(make_worker({"sex": sex, "birth_date": late, "service_start": "2020-01-01"}))
    assert first.date <= second.date


@given(st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2040, 12, 31)))
@settings(max_examples=100, deadline=None)
def test_disclosure_is_due_within_the_quarter(on: dt.date) -> None:
    c = make_community(KEY, {"households_resident": 1000, "office_area": "400"})
    (finding,) = [f for f in rules(c).community_findings(c, [], on) if f.code == "disclosure_schedule"]
    assert finding.due is not None
    assert on <= finding.due <= on + dt.timedelta(days=92)
    assert finding.due.month % 3 == 0
