"""Days off work counted as the texts mean them: working days, runs that join across weekends.

RULES.md ("Days off work"): 旷工, 无故缺勤 and 连续缺勤 thresholds count working days under
China's holiday calendar (`core.workdays`): a weekend or a statutory holiday inside an absence
is no day of absence, and a 调休 Saturday worked is one. A run of consecutive absence goes on
across days that are not worked: Thursday and Friday absent, then Monday to Wednesday, is one run
of five working days whether it was entered as one record or two.

"N个月" of leave counts calendar months for one continuous leave (1 March – 31 May is exactly three
months, not 超过; 1 February – 1 May is more); several leaves in a year add up their calendar days
against N × 30 (`leave_over_months`).

A threshold crossed in a year stays reported with its year: the yearly helpers take the year to
count and the last day known (`years_of_record` lists the years a worker's record can reach).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from core.model import AbsenceKind, Worker, add_months
from core.rulekit import absent_day_set
from core.workdays import WorkCalendar

DAY = dt.timedelta(days=1)
DAYS_PER_MONTH = 30  # "N个月" summed over separate leaves: N × 30 days


@attrs.frozen
class Run:
    """Consecutive absence: first and last day absent, and the working days it holds."""

    first: dt.date
    last: dt.date
    days: int


def _absent_days(
    worker: Worker, kind: AbsenceKind, start: dt.date | None, end: dt.date | None
) -> list[dt.date]:
    return sorted(absent_day_set(worker, kind, start, end))


def working_absence_days(
    worker: Worker, kind: AbsenceKind, start: dt.date, end: dt.date, calendar: WorkCalendar
) -> int:
    """Working days within [start, end] on which the worker was absent (`kind`), overlaps once."""
    return sum(1 for d in _absent_days(worker, kind, start, end) if calendar.is_working_day(d))


def working_runs(
    worker: Worker,
    kind: AbsenceKind,
    calendar: WorkCalendar,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Run]:
    """Every run of consecutive working days absent within [start, end] (open where None), oldest
    first. Two absent working days belong to one run when no working day lies between them."""
    runs: list[Run] = []
    for day in _absent_days(worker, kind, start, end):
        if not calendar.is_working_day(day):
            continue
        if runs and _joins(runs[-1].last, day, calendar):
            runs[-1] = Run(runs[-1].first, day, runs[-1].days + 1)
        else:
            runs.append(Run(day, day, 1))
    return runs


def _joins(last: dt.date, day: dt.date, calendar: WorkCalendar) -> bool:
    """Whether an absence on `day` continues one that reached `last`: no working day between."""
    return day - last == DAY or calendar.working_days_between(last + DAY, day - DAY) == 0


def longest_run(runs: Iterable[Run]) -> Run | None:
    """The longest run; of equal ones the earliest."""
    best: Run | None = None
    for run in runs:
        if best is None or run.days > best.days:
            best = run
    return best


def continuous_leaves(
    worker: Worker, kind: AbsenceKind, start: dt.date, end: dt.date, calendar: WorkCalendar
) -> list[tuple[dt.date, dt.date]]:
    """Each continuous leave within [start, end] as (first day, last day): records touching or
    separated only by days not worked make one leave, which runs through those days."""
    leaves: list[tuple[dt.date, dt.date]] = []
    for day in _absent_days(worker, kind, start, end):
        if leaves and _joins(leaves[-1][1], day, calendar):
            leaves[-1] = (leaves[-1][0], day)
        else:
            leaves.append((day, day))
    return leaves


def leave_over_months(leaves: list[tuple[dt.date, dt.date]], months: int) -> bool:
    """ "超过N个月": one continuous leave longer than N calendar months (its last day on or after the
    same date N months on), or several whose calendar days add up to more than N × 30."""
    if any(last >= add_months(first, months) for first, last in leaves):
        return True
    return len(leaves) > 1 and leave_days(leaves) > months * DAYS_PER_MONTH


def leave_days(leaves: list[tuple[dt.date, dt.date]]) -> int:
    return sum((last - first).days + 1 for first, last in leaves)


def years_of_record(worker: Worker, kind: AbsenceKind, on: dt.date) -> range:
    """The calendar years from the worker's first absence of `kind` to `on`'s year (empty if none
    started by `on`): the years whose thresholds a finding on `on` may report."""
    starts = [a.start.year for a in worker.absences if a.kind == kind and a.start <= on]
    if not starts:
        return range(0)
    return range(min(starts), on.year + 1)
