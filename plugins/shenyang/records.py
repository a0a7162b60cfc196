"""Reading a worker's records for one assessment: which days and which trainings it judges.

第二十二条 has two assessments a year whose results combine into the year's, while the absence
grounds (第二十九条3, 第三十条5) speak of runs and of "一年内累计". Judged naively, one run of absence
would be punished at the half-year and again at year-end, and the second 告诫 would then turn into
不称职 (第三十条6). The `assessment.record_window` parameter settles this (see `Window`).

Days of absence count working days under China's holiday calendar (RULES.md "Days off work",
`core.absence`): "无故连续缺勤五天" is five working days in a row, joined across weekends and
holidays between records (absent Thursday to Wednesday is five, entered as one record or two), and
"一年内累计" adds up working days.
"""

from __future__ import annotations

import datetime as dt

import attrs

from core.absence import Run, longest_run, working_absence_days, working_runs
from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import AbsenceKind, Period, Worker
from plugins.shenyang.common import text_param

HALF_YEAR = str(Period.HALF_YEAR)
YEAR_END = str(Period.YEAR_END)
PERIODS = (HALF_YEAR, YEAR_END)
WINDOW_PERIOD = "period"
WINDOW_YEAR = "year"


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValidationError(
            "period", msg("shenyang.invalid.period", value=period, allowed=" / ".join(PERIODS))
        )
    return period


def period_span(year: int, period: str) -> tuple[dt.date, dt.date]:
    """The half-year assessment covers January to June; the year-end one ends on 31 December."""
    if period == HALF_YEAR:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


@attrs.frozen
class Window:
    """What one assessment judges.

    `runs_from`..`end`: a run of absence counts in the assessment whose span holds its last day,
    at its full length (so a run across 30 June is not cut in two, nor judged twice).
    `year_days(threshold)`: the "一年内累计" days for a threshold; under the `period` reading the
    year-end counts the whole year unless the half-year days alone already reached that same
    threshold (they were sanctioned then), in which case only the second half counts.
    """

    year: int
    period: str
    runs_from: dt.date
    end: dt.date
    first_half_days: int
    second_half_days: int
    whole_year: bool

    def year_days(self, threshold: int) -> int:
        if self.period == HALF_YEAR:
            return self.first_half_days
        if self.whole_year or self.first_half_days < threshold:
            return self.first_half_days + self.second_half_days
        return self.second_half_days


def window(worker: Worker, year: int, period: str, ctx: RuleContext) -> Window:
    start, end = period_span(year, period)
    mode = text_param(ctx, "assessment.record_window", end, (WINDOW_PERIOD, WINDOW_YEAR))
    whole_year = period == YEAR_END and mode == WINDOW_YEAR
    runs_from = dt.date(year, 1, 1) if whole_year else start
    calendar = ctx.params.calendar
    h1 = working_absence_days(
        worker, AbsenceKind.UNEXCUSED, dt.date(year, 1, 1), dt.date(year, 6, 30), calendar
    )
    h2 = working_absence_days(
        worker, AbsenceKind.UNEXCUSED, dt.date(year, 7, 1), dt.date(year, 12, 31), calendar
    )
    return Window(year, period, runs_from, end, h1, h2, whole_year)


def longest_run_ending(
    worker: Worker, start: dt.date, end: dt.date, ctx: RuleContext, *, known_on: dt.date | None = None
) -> tuple[int, tuple[dt.date, dt.date] | None]:
    """The longest unexcused run (in working days) whose last day is within [start, end], at its
    full length.

    An assessment judges the runs as recorded, so a run going on past `end` belongs to the next
    one; a finding on a day (`known_on`) sees only the days up to that day.
    """
    runs: list[Run] = working_runs(worker, AbsenceKind.UNEXCUSED, ctx.params.calendar, end=known_on)
    best = longest_run(r for r in runs if start <= r.last <= end)
    return (best.days, (best.first, best.last)) if best is not None else (0, None)
