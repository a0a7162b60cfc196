"""One part-month rule for every jurisdiction: monthly pay ÷ 21.75 × paid days in service.

劳社部发〔2008〕3号《关于职工全年月平均工作时间和工资折算问题的通知》 二: 月计薪天数 =
(365 − 104) ÷ 12 = 21.75; paid days are the working days and the statutory holidays. The calendar
facts are from the 2026 holiday notice and a wall calendar: November 2026 starts on a Sunday and has
no holiday; October 2026 starts on a Thursday, 1-7 October off (1, 2, 3 statutory; 3 October a
Saturday, given on Monday 5 October; 6-7 October in lieu of Sunday 20 September and Saturday
10 October, both worked).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import ValidationError
from core.proration import CALENDAR_DAYS, NOTICE, PAY_DAYS, month_share
from core.results import Month
from core.rulekit import days_between
from core.workdays import DEFAULT, UnknownCalendarYear

D = dt.date
NOV = Month(2026, 11)
OCT = Month(2026, 10)


def share(month: Month, first: dt.date, last: dt.date, basis: str = PAY_DAYS) -> Decimal:
    return month_share(month, days_between(first, last), basis, DEFAULT).share


def test_a_worker_hired_on_30_november_earns_one_paid_day() -> None:
    # Monday 30 November: one working day → 1 / 21.75 of the month, not the whole month
    assert share(NOV, D(2026, 11, 30), D(2026, 11, 30)) == Decimal(1) / Decimal("21.75")


def test_hired_on_saturday_28_november_earns_the_same_one_day() -> None:
    # 28-29 November are a weekend: no paid day; 30 November is the only one
    assert share(NOV, D(2026, 11, 28), D(2026, 11, 30)) == Decimal(1) / Decimal("21.75")


def test_a_worker_leaving_after_9_november_earns_six_paid_days() -> None:
    # 1 November a Sunday; 2-6 and Monday 9 November: 6
    assert share(NOV, D(2026, 11, 1), D(2026, 11, 9)) == Decimal(6) / Decimal("21.75")


def test_calendar_days_is_the_alternative() -> None:
    # 9 of November's 30 days
    assert share(NOV, D(2026, 11, 1), D(2026, 11, 9), CALENDAR_DAYS) == Decimal(9) / Decimal(30)


def test_a_whole_month_is_paid_whole_whatever_its_paid_days() -> None:
    # November 2026 has 21 paid days (2-6, 9-13, 16-20, 23-27, 30), under 21.75: still the whole month
    whole = month_share(NOV, days_between(NOV.first_day, NOV.last_day), PAY_DAYS, DEFAULT)
    assert whole.whole and whole.share == 1
    assert whole.reasons() == ()


def test_a_part_month_never_pays_more_than_the_whole() -> None:
    # March 2026: 22 weekdays, no holiday. Served 2-31 March (missing only Sunday 1 March): 22 paid
    # days, 22 / 21.75 > 1 → capped at the whole month, and the reason says so
    part = month_share(Month(2026, 3), days_between(D(2026, 3, 2), D(2026, 3, 31)), PAY_DAYS, DEFAULT)
    assert not part.whole
    assert part.counted == 22
    assert part.share == 1
    assert len(part.reasons()) == 2


class TestNationalDay:
    def test_hired_on_monday_5_october_the_statutory_day_is_paid(self) -> None:
        # 5 October (the statutory day given for Saturday 3 October) paid; 6, 7 in lieu not; 8, 9,
        # Saturday 10 (调休 worked), 12-16, 19-23, 26-30: 1 + 18 = 19
        assert share(OCT, D(2026, 10, 5), D(2026, 10, 31)) == Decimal(19) / Decimal("21.75")

    def test_hired_on_tuesday_6_october_the_days_in_lieu_are_not(self) -> None:
        # 6 and 7 October unpaid rest (in lieu): 18, the same as hired on Thursday 8 October
        assert share(OCT, D(2026, 10, 6), D(2026, 10, 31)) == Decimal(18) / Decimal("21.75")
        assert share(OCT, D(2026, 10, 8), D(2026, 10, 31)) == Decimal(18) / Decimal("21.75")

    def test_leaving_after_the_holiday_week_keeps_the_statutory_days(self) -> None:
        # 1-7 October: 1, 2 and 5 October paid (statutory), nothing else → 3
        assert share(OCT, D(2026, 10, 1), D(2026, 10, 7)) == Decimal(3) / Decimal("21.75")


def test_a_month_split_between_two_rates_splits_its_paid_days() -> None:
    # Whole March 2026 served; 22 paid days: 10 to 15 March, 12 from 16 March
    march = Month(2026, 3)
    whole = month_share(march, days_between(march.first_day, march.last_day), PAY_DAYS, DEFAULT)
    first = whole.part(days_between(D(2026, 3, 1), D(2026, 3, 15)))
    second = whole.part(days_between(D(2026, 3, 16), D(2026, 3, 31)))
    assert (first, second) == (Decimal(10) / 22, Decimal(12) / 22)
    assert first + second == 1


def test_a_part_month_split_between_two_rates_shares_its_share() -> None:
    # Served 16-30 November (11 paid days): rate A on 16-20 (5), rate B on 23-30 (6)
    part = month_share(NOV, days_between(D(2026, 11, 16), D(2026, 11, 30)), PAY_DAYS, DEFAULT)
    a = part.part(days_between(D(2026, 11, 16), D(2026, 11, 22)))
    b = part.part(days_between(D(2026, 11, 23), D(2026, 11, 30)))
    assert a == part.share * 5 / 11
    assert b == part.share * 6 / 11
    assert part.share == Decimal(11) / Decimal("21.75")


def test_the_reason_cites_the_notice() -> None:
    part = month_share(NOV, days_between(D(2026, 11, 30), D(2026, 11, 30)), PAY_DAYS, DEFAULT)
    (reason,) = part.reasons()
    assert reason.citation == NOTICE
    # A national notice: no seed file, cited by its own title (劳社部发〔2008〕3号) and its section 二.
    assert NOTICE.document == "" and "劳社部发〔2008〕3号" in NOTICE.title and NOTICE.article == "二"
    assert "21.75" in reason.text.render()


def test_an_unknown_basis_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as err:
        month_share(NOV, [D(2026, 11, 30)], "month_end", DEFAULT)
    assert err.value.field == "pay.proration"


def test_a_part_month_of_a_year_without_a_calendar_stops_with_its_year() -> None:
    january = Month(2027, 1)
    with pytest.raises(UnknownCalendarYear) as err:
        month_share(january, days_between(D(2027, 1, 18), D(2027, 1, 31)), PAY_DAYS, DEFAULT)
    assert err.value.year == 2027
    # a whole month needs no calendar
    assert month_share(january, days_between(january.first_day, january.last_day), PAY_DAYS, DEFAULT).whole
