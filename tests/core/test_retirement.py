"""The national statutory retirement rule (RULES.md "National rule"), worked month by month."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cases import make_worker
from core.errors import ValidationError
from core.model import FlexibleRetirement, RetirementTrack
from core.retirement import RULE_PRE_2025, delay_months, national_retirement

M60, F55, F50 = RetirementTrack.MALE_60, RetirementTrack.FEMALE_55, RetirementTrack.FEMALE_50


@pytest.mark.parametrize(
    ("birth", "sex", "track", "age", "date"),
    [
        # Born before 1965-01: the old age of 60, no delay.
        ("1964-12-31", "male", M60, "60y0m", "2024-12-31"),
        # RULES.md example: born 1965-01 → m = 0, delay = floor(0/4) + 1 = 1 → 60y1m, in 2025-02.
        ("1965-01-15", "male", M60, "60y1m", "2025-02-15"),
        # 1965-04: m = 3 → floor(3/4) + 1 = 1 month.
        ("1965-04-01", "male", M60, "60y1m", "2025-05-01"),
        # 1965-05: m = 4 → floor(4/4) + 1 = 2 months → 2025-05 + 2 = 2025-07.
        ("1965-05-20", "male", M60, "60y2m", "2025-07-20"),
        # 1976-08: m = 11·12 + 7 = 139 → floor(139/4) + 1 = 35 → 62y11m → 2038-08 + 35m = 2039-07.
        ("1976-08-10", "male", M60, "62y11m", "2039-07-10"),
        # RULES.md: born 1976-09 or later → 63 years: m = 140 → 35 + 1 = 36 (the cap).
        ("1976-09-10", "male", M60, "63y0m", "2039-09-10"),
        ("1990-01-01", "male", M60, "63y0m", "2053-01-01"),
        # Women, 55 track, counted from 1970-01: born 1969-12 → 55y; 1970-01 → 55y1m.
        ("1969-12-31", "female", F55, "55y0m", "2024-12-31"),
        ("1970-01-10", "female", F55, "55y1m", "2025-02-10"),
        # Women, 50 track: delay = min(60, floor(m/2) + 1) from 1975-01.
        # 1975-01: m = 0 → 1 → 50y1m.  1975-03: m = 2 → 2 → 50y2m → 2025-03 + 2 = 2025-05.
        ("1975-01-05", "female", F50, "50y1m", "2025-02-05"),
        ("1975-03-05", "female", F50, "50y2m", "2025-05-05"),
        # 1984-10: m = 117 → 58 + 1 = 59 → 54y11m.  1984-11: m = 118 → 59 + 1 = 60 → 55y (cap).
        ("1984-10-01", "female", F50, "54y11m", "2039-09-01"),
        ("1984-11-01", "female", F50, "55y0m", "2039-11-01"),
        # 29 February: 1968-02-29 on the 55 track is before 1970 → 55y → 2023 has no 29 Feb → 28 Feb.
        ("1968-02-29", "female", F55, "55y0m", "2023-02-28"),
        # 1972-02-29 on the 55 track: m = 25 → floor(25/4) + 1 = 7 → 55y7m → 2027-02 + 7 = 2027-09-29.
        ("1972-02-29", "female", F55, "55y7m", "2027-09-29"),
    ],
)
def test_national_rule(birth: str, sex: str, track: RetirementTrack, age: str, date: str) -> None:
    """Each birth month gives the age and date the national table gives."""
    worker = make_worker({"birth_date": birth, "sex": sex})
    result = national_retirement(worker, track)
    assert f"{result.age_years}y{result.age_months}m" == age
    assert result.date == dt.date.fromisoformat(date)
    assert result.citation.article


def test_pre_2025_rule_uses_the_literal_ages() -> None:
    """History and what-if: the texts' own ages, 60 / 55 / 50, without delay."""
    man = make_worker({"birth_date": "1976-09-10", "sex": "male"})
    woman = make_worker({"birth_date": "1980-03-03", "sex": "female"})
    assert national_retirement(man, M60, rule=RULE_PRE_2025).date == dt.date(2036, 9, 10)
    assert national_retirement(woman, F50, rule=RULE_PRE_2025).date == dt.date(2030, 3, 3)


def test_flexible_retirement_early_never_below_old_age_and_late_up_to_three_years() -> None:
    """1970-06 man: m = 65 → floor(65/4) + 1 = 17 → 61y5m; 36 months early stops at 60y; 12 late → 62y5m."""
    early = make_worker(
        {"birth_date": "1970-06-01", "flexible_retirement": {"months": -36, "agreed_on": "2025-01-01"}}
    )
    assert national_retirement(early, M60).age_years == 60
    assert national_retirement(early, M60).age_months == 0
    late = make_worker(
        {"birth_date": "1970-06-01", "flexible_retirement": {"months": 12, "agreed_on": "2025-01-01"}}
    )
    result = national_retirement(late, M60)
    assert (result.age_years, result.age_months) == (62, 5)
    assert result.date == dt.date(2032, 11, 1)


def test_local_minimum_takes_the_later_age() -> None:
    """A local exception to 53 (Ningguo) over the 50 track: 1980-01 woman, m = 60 → 31 → 52y7m < 53y."""
    worker = make_worker({"birth_date": "1980-01-15", "sex": "female"})
    assert national_retirement(worker, F50).age_years == 52
    raised = national_retirement(worker, F50, minimum_age_months=53 * 12)
    assert (raised.age_years, raised.age_months) == (53, 0)


def test_flexible_months_are_bounded() -> None:
    """Up to 3 years either way: 37 months is refused, naming the field."""
    with pytest.raises(ValidationError) as caught:
        FlexibleRetirement(months=37, agreed_on=dt.date(2025, 1, 1))
    assert caught.value.field == "flexible_retirement.months"


births = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31))


@given(births, births, st.sampled_from([M60, F55, F50]))
def test_retirement_date_is_monotone_in_birth_date(a: dt.date, b: dt.date, track: RetirementTrack) -> None:
    """Someone born later never retires earlier."""
    early, late = sorted((a, b))
    sex = "male" if track == M60 else "female"
    first = national_retirement(make_worker({"birth_date": early.isoformat(), "sex": sex}), track)
    second = national_retirement(make_worker({"birth_date": late.isoformat(), "sex": sex}), track)
    assert first.date <= second.date


@given(births, st.sampled_from([M60, F55, F50]))
def test_delay_is_within_the_cap(birth: dt.date, track: RetirementTrack) -> None:
    assert 0 <= delay_months(birth, track) <= (60 if track == F50 else 36)
