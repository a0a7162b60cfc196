"""The working-day calendar: the State Council's holiday notices, and the operator's years.

Dates below are read from the notices (国务院办公厅关于2026年部分节假日安排的通知) and a wall
calendar, not from the code: 1 October 2026 is a Thursday; National Day is 1-7 October off, with
Sunday 20 September and Saturday 10 October worked; Spring Festival is 15-23 February off (除夕
16 February), with Saturday 14 February and Saturday 28 February worked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.jurisdictions import Jurisdictions
from core.workdays import (
    DEFAULT,
    UnknownCalendarYear,
    WorkCalendar,
    is_working_day,
    load_calendar,
    working_days_between,
)

D = dt.date


class TestNationalDay2026:
    def test_the_holiday_week_is_off(self) -> None:
        for day in range(1, 8):
            assert not is_working_day(D(2026, 10, day)), day

    def test_the_days_either_side_are_worked(self) -> None:
        assert is_working_day(D(2026, 9, 30))  # Wednesday before
        assert is_working_day(D(2026, 10, 8))  # Thursday after

    def test_the_tiaoxiu_weekends_are_worked(self) -> None:
        assert is_working_day(D(2026, 9, 20))  # Sunday
        assert is_working_day(D(2026, 10, 10))  # Saturday
        assert not is_working_day(D(2026, 10, 11))  # the Sunday after is an ordinary Sunday

    def test_working_days_of_october(self) -> None:
        # 31 days from a Thursday: 22 weekdays; 1, 2, 5, 6, 7 October off (5); Saturday 10 worked (+1)
        assert working_days_between(D(2026, 10, 1), D(2026, 10, 31)) == 22 - 5 + 1

    def test_paid_days_of_october_count_the_statutory_days(self) -> None:
        # 劳社部发〔2008〕3号: working days 18 + the three statutory National Day days = 21 (the
        # statutory 3 October falls on a Saturday and is given on Monday 5 October)
        assert DEFAULT.paid_days_between(D(2026, 10, 1), D(2026, 10, 31)) == 21
        assert DEFAULT.is_paid_day(D(2026, 10, 5))
        assert not DEFAULT.is_paid_day(D(2026, 10, 6))  # in lieu of Sunday 20 September: unpaid rest
        assert not DEFAULT.is_paid_day(D(2026, 10, 4))  # a Sunday


class TestSpringFestival2026:
    def test_the_festival_is_off_and_its_saturdays_worked(self) -> None:
        assert is_working_day(D(2026, 2, 13))  # Friday before
        assert is_working_day(D(2026, 2, 14))  # Saturday, 调休
        for day in range(15, 24):
            assert not is_working_day(D(2026, 2, day)), day
        assert is_working_day(D(2026, 2, 24))  # Tuesday after
        assert is_working_day(D(2026, 2, 28))  # Saturday, 调休

    def test_four_statutory_days(self) -> None:
        # 全国年节及纪念日放假办法 (2024 revision): 春节 4 days, 除夕 to 初三 (16-19 February, Mon-Thu)
        paid_off = [d for d in range(15, 24) if DEFAULT.is_paid_day(D(2026, 2, d))]
        assert paid_off == [16, 17, 18, 19]


def test_a_year_has_as_many_paid_days_as_weekdays() -> None:
    # 21.75 × 12 = 261: 2026 starts and ends on a Thursday, 52 weeks and one day = 261 weekdays;
    # 2024 (leap, from a Monday) has 262. Statutory days: 13 from 2025, 11 before.
    assert DEFAULT.paid_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 261
    assert DEFAULT.paid_days_between(D(2024, 1, 1), D(2024, 12, 31)) == 262
    assert working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 261 - 13
    assert working_days_between(D(2024, 1, 1), D(2024, 12, 31)) == 262 - 11


def test_an_empty_span_has_no_days() -> None:
    assert working_days_between(D(2026, 10, 9), D(2026, 10, 8)) == 0
    assert working_days_between(D(2026, 10, 8), D(2026, 10, 8)) == 1


def test_a_year_nobody_knows_stops_with_its_year() -> None:
    with pytest.raises(UnknownCalendarYear) as err:
        is_working_day(D(2027, 1, 4))
    assert err.value.year == 2027
    assert "2027" in str(err.value)
    assert "[calendar.2027]" in str(err.value)
    with pytest.raises(UnknownCalendarYear):
        working_days_between(D(2026, 12, 28), D(2027, 1, 8))


def _params(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "params.toml"
    path.write_text(body, encoding="utf-8")
    return path


# An invented 2027 notice (the real one is not out when this is written): New Year on Friday
# 1 January; a Spring Festival week 5-11 February (Fri-Thu) with 除夕 to 初三 statutory on
# 5, 8, 9, 10 February (6-7 a weekend) and 11 February in lieu of Sunday 14 February worked.
YEAR_2027 = """
[calendar.2027]
holidays = [2027-01-01, 2027-02-05, 2027-02-08, 2027-02-09, 2027-02-10]
days_off = [2027-02-11]
working_days = [2027-02-14]
"""


class TestOperatorYears:
    def test_an_operator_year_is_read(self, tmp_path: Path) -> None:
        calendar = load_calendar(_params(tmp_path, YEAR_2027))
        assert not calendar.is_working_day(D(2027, 1, 1))
        assert calendar.is_working_day(D(2027, 1, 4))  # Monday
        assert calendar.is_working_day(D(2027, 2, 14))  # Sunday worked
        assert not calendar.is_working_day(D(2027, 2, 11))
        # 1-14 February: 10 weekdays − 5 off (5, 8, 9, 10, 11) + Sunday 14 = 6 working days
        assert calendar.working_days_between(D(2027, 2, 1), D(2027, 2, 14)) == 6
        # paid: those 6 + the 4 statutory days = 10; the day in lieu is not paid
        assert calendar.paid_days_between(D(2027, 2, 1), D(2027, 2, 14)) == 10
        assert "2027" in calendar.known_years()

    def test_the_library_years_stay_under_an_operator_year(self, tmp_path: Path) -> None:
        calendar = load_calendar(_params(tmp_path, YEAR_2027))
        assert not calendar.is_working_day(D(2026, 10, 1))
        with pytest.raises(UnknownCalendarYear):
            calendar.is_working_day(D(2028, 1, 3))

    def test_the_registry_params_file_reaches_the_rules(self, tmp_path: Path) -> None:
        js = Jurisdictions()
        js.load_entry_points()
        assert js.params("shenyang").calendar is DEFAULT
        js.load_override_file(_params(tmp_path, YEAR_2027))
        assert js.params("shenyang").calendar.is_working_day(D(2027, 2, 14))

    def test_no_file_and_no_tables_is_the_library(self, tmp_path: Path) -> None:
        assert load_calendar(tmp_path / "missing.toml") is DEFAULT
        assert load_calendar(_params(tmp_path, "[[override]]\n")) is DEFAULT

    @pytest.mark.parametrize(
        ("body", "field", "what"),
        [
            ("[calendar.2027]\nworking_days = [2027-02-15]\n", "calendar.2027.working_days", "2027-02-15"),
            ("[calendar.2027]\nholidays = [2026-10-01]\n", "calendar.2027.holidays[0]", "2026-10-01"),
            ("[calendar.2027]\nholiday = [2027-01-01]\n", "calendar.2027.holiday", "holiday"),
            ("[calendar.next]\nholidays = []\n", "calendar.next", "next"),
            ("[calendar.2027]\nholidays = 2027-01-01\n", "calendar.2027.holidays", ""),
            (
                "[calendar.2027]\nholidays = [2027-02-14]\nworking_days = [2027-02-14]\n",
                "calendar.2027.working_days",
                "2027-02-14",
            ),
        ],
    )
    def test_a_bad_year_is_refused_naming_file_and_field(
        self, tmp_path: Path, body: str, field: str, what: str
    ) -> None:
        with pytest.raises(ValidationError) as err:
            load_calendar(_params(tmp_path, body))
        assert err.value.field == f"params.toml: {field}"
        assert what in str(err.value)


def test_counts_are_cached_per_calendar() -> None:
    calendar = WorkCalendar()
    first = calendar.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    assert calendar.working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == first
    assert (D(2026, 1, 1), D(2026, 12, 31), False) in calendar._counts
