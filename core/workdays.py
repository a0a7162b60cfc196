"""China's working-day calendar: which days are worked, which are statutory holidays.

Absence thresholds (旷工, 无故缺勤, 连续缺勤) count working days, and part-month pay counts paid
days (RULES.md, "Readings added after the first release"). Both need the State Council's yearly
holiday notice: statutory holidays off, and the 调休 weekends worked in return. The notices come
from the maintained `chinese-calendar` library; a year it does not know yet (the notice for the
next year is published late in the year) is entered by an operator in the registry's
`params.toml`:

    [calendar.2027]
    holidays = [2027-01-01, ...]       # statutory holidays (法定节假日): off, and paid
    days_off = [2027-02-12, ...]       # weekdays off in lieu of a worked weekend (调休): off, unpaid
    working_days = [2027-02-07, ...]   # weekend days worked (调休上班)

An operator's year replaces the library's for that year. A day of a year neither knows stops the
computation with `UnknownCalendarYear` naming the year: a day is never guessed.

The library lists every day off of a holiday period (weekends included) and marks the weekdays
given off in lieu of a worked weekend. Its statutory holidays are read as the weekdays off that are
not in lieu: a statutory day falling on a weekend (国庆 3 October 2026, a Saturday) is counted on
the weekday given off in its place (5 October), so each month and each year holds as many paid
days as the notice gives.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import chinese_calendar

from core.errors import ShegongError, ValidationError
from core.i18n import msg

DAY = dt.timedelta(days=1)
SATURDAY = 5
CACHE_LIMIT = 65536


class UnknownCalendarYear(ShegongError):
    """A day of a year whose holiday notice neither the library nor the operator holds."""

    def __init__(self, year: int, known: str) -> None:
        self.year = year
        super().__init__(msg("workdays.unknown_year", year=year, known=known))


@attrs.frozen
class YearCalendar:
    """One year's holiday notice: days off that would be worked, weekend days that are worked."""

    year: int
    holidays: frozenset[dt.date]  # statutory: off and paid
    days_off: frozenset[dt.date]  # in lieu: off, not paid
    working_days: frozenset[dt.date]  # weekend days worked
    source: str  # "chinese-calendar" or the operator's file

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.holidays or day in self.days_off:
            return False
        return day.weekday() < SATURDAY

    def is_paid_day(self, day: dt.date) -> bool:
        """劳社部发〔2008〕3号: 月计薪天数 counts working days and statutory holidays."""
        return day in self.holidays or self.is_working_day(day)


@functools.lru_cache(maxsize=64)
def library_year(year: int) -> YearCalendar | None:
    """The library's notice for `year`, or None when it does not hold that year."""
    if not library_years()[0] <= year <= library_years()[1]:
        return None
    off = {d for d in chinese_calendar.holidays if d.year == year and d.weekday() < SATURDAY}
    in_lieu = {d for d in chinese_calendar.in_lieu_days if d.year == year}
    worked = frozenset(d for d in chinese_calendar.workdays if d.year == year and d.weekday() >= SATURDAY)
    return YearCalendar(year, frozenset(off - in_lieu), frozenset(in_lieu), worked, "chinese-calendar")


@functools.lru_cache(maxsize=1)
def library_years() -> tuple[int, int]:
    """The first and last year the installed library holds."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


class WorkCalendar:
    """The library's years, under the operator's: the calendar every counting rule reads."""

    def __init__(self, operator_years: Mapping[int, YearCalendar] | None = None) -> None:
        self.operator_years = dict(operator_years or {})
        self._counts: dict[tuple[dt.date, dt.date, bool], int] = {}

    def year(self, year: int) -> YearCalendar:
        found = self.operator_years.get(year) or library_year(year)
        if found is None:
            raise UnknownCalendarYear(year, self.known_years())
        return found

    def known_years(self) -> str:
        first, last = library_years()
        extra = sorted(y for y in self.operator_years if not first <= y <= last)
        return ", ".join([f"{first}-{last}", *map(str, extra)])

    def is_working_day(self, day: dt.date) -> bool:
        return self.year(day.year).is_working_day(day)

    def is_paid_day(self, day: dt.date) -> bool:
        return self.year(day.year).is_paid_day(day)

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` to `last`, both included (0 when `last` is before `first`)."""
        return self._count(first, last, paid=False)

    def paid_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days and statutory holidays from `first` to `last`, both included."""
        return self._count(first, last, paid=True)

    def _count(self, first: dt.date, last: dt.date, *, paid: bool) -> int:
        if last < first:
            return 0
        key = (first, last, paid)
        cached = self._counts.get(key)
        if cached is None:
            test = self.is_paid_day if paid else self.is_working_day
            cached = sum(1 for i in range((last - first).days + 1) if test(first + i * DAY))
            if len(self._counts) >= CACHE_LIMIT:  # a long-running screen must not grow without end
                self._counts.clear()
            self._counts[key] = cached
        return cached


DEFAULT = WorkCalendar()


def is_working_day(day: dt.date, calendar: WorkCalendar = DEFAULT) -> bool:
    return calendar.is_working_day(day)


def working_days_between(first: dt.date, last: dt.date, calendar: WorkCalendar = DEFAULT) -> int:
    return calendar.working_days_between(first, last)


# --- the operator's years -------------------------------------------------------------------


def _dates(raw: Any, year: int, where: str) -> frozenset[dt.date]:
    if not isinstance(raw, list):
        raise ValidationError(where, msg("workdays.invalid.list"))
    out = set()
    for i, item in enumerate(raw):
        day = item.date() if isinstance(item, dt.datetime) else item
        if not isinstance(day, dt.date):
            raise ValidationError(f"{where}[{i}]", msg("invalid.date", value=item))
        if day.year != year:
            raise ValidationError(f"{where}[{i}]", msg("workdays.invalid.other_year", day=day, year=year))
        out.add(day)
    return frozenset(out)


def year_from_table(year_text: str, body: Any, origin: str) -> YearCalendar:
    """One `[calendar.YYYY]` table, checked: dates of that year, worked days on weekends only."""
    where = f"{Path(origin).name}: calendar.{year_text}"
    try:
        year = int(year_text)
    except ValueError:
        raise ValidationError(where, msg("workdays.invalid.year", value=year_text)) from None
    if not isinstance(body, Mapping):
        raise ValidationError(where, msg("workdays.invalid.table"))
    unknown = sorted(set(body) - {"holidays", "days_off", "working_days"})
    if unknown:
        raise ValidationError(f"{where}.{unknown[0]}", msg("workdays.invalid.key", key=unknown[0]))
    holidays = _dates(body.get("holidays", []), year, f"{where}.holidays")
    days_off = _dates(body.get("days_off", []), year, f"{where}.days_off")
    worked = _dates(body.get("working_days", []), year, f"{where}.working_days")
    for day in sorted(worked):
        if day.weekday() < SATURDAY:
            raise ValidationError(f"{where}.working_days", msg("workdays.invalid.weekday_worked", day=day))
        if day in holidays or day in days_off:
            raise ValidationError(f"{where}.working_days", msg("workdays.invalid.both", day=day))
    return YearCalendar(year, holidays, days_off, worked, origin)


def load_calendar(path: Path) -> WorkCalendar:
    """The registry's `params.toml` `[calendar.YYYY]` tables over the library; no file, no tables."""
    if not path.exists():
        return DEFAULT
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(str(path), msg("invalid.param_file", detail=str(exc))) from None
    tables = data.get("calendar", {})
    if not tables:
        return DEFAULT
    if not isinstance(tables, Mapping):
        raise ValidationError(f"{path.name}: calendar", msg("workdays.invalid.table"))
    years = [year_from_table(str(k), v, str(path)) for k, v in tables.items()]
    return WorkCalendar({y.year: y for y in years})
