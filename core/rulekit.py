"""Small pure helpers that several jurisdictions' rules share, so each is written once.

Counting conventions follow RULES.md: "以上/以下/不超过/不少于/满" include the bound, "超过/不满/
未满" exclude it; ages and service are completed years; a quota "不超过 N%" of M is floor(M·N/100);
money is rounded half-up to the cent at the end of each line; a pool is shared to the cent.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_DOWN, Decimal

import attrs

from core.model import AbsenceKind, Contract, ContractKind, Worker, add_months, completed_years
from core.results import CENT

DAY = dt.timedelta(days=1)


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def absent_day_set(
    worker: Worker, kind: AbsenceKind, start: dt.date | None, end: dt.date | None
) -> set[dt.date]:
    """Every day an absence of `kind` covers within [start, end] (open ends: the whole record)."""
    days: set[dt.date] = set()
    for a in worker.absences:
        if a.kind != kind:
            continue
        lo = a.start if start is None else max(a.start, start)
        hi = a.end if end is None else min(a.end, end)
        for i in range((hi - lo).days + 1):
            days.add(lo + dt.timedelta(days=i))
    return days


def absence_days(worker: Worker, kind: AbsenceKind, start: dt.date, end: dt.date) -> int:
    """Calendar days of absences of `kind` within [start, end], overlaps counted once."""
    return len(absent_day_set(worker, kind, start, end))


def absence_runs(
    worker: Worker, kind: AbsenceKind, start: dt.date | None = None, end: dt.date | None = None
) -> list[tuple[dt.date, dt.date]]:
    """Every run of consecutive calendar days of `kind` within [start, end] (open where None), as
    (first day, last day), oldest first; overlapping or touching records make one run."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(absent_day_set(worker, kind, start, end)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def run_length(run: tuple[dt.date, dt.date]) -> int:
    return (run[1] - run[0]).days + 1


def longest_absence_run(worker: Worker, kind: AbsenceKind, start: dt.date, end: dt.date) -> int:
    """The longest run of consecutive calendar days of `kind` within [start, end]."""
    return max((run_length(r) for r in absence_runs(worker, kind, start, end)), default=0)


@attrs.frozen
class ContractState:
    """Where a worker's contracts of some kinds stand on a day, as the compliance rules read them."""

    contracts: tuple[Contract, ...]  # every contract of the kinds asked
    current: Contract | None  # the latest-starting one covering the day
    last_ended: Contract | None  # with none current: the one that ended last before the day

    @property
    def renewed(self) -> bool:
        """A later contract of these kinds starts by the day after the current one ends: the
        renewal is signed already, so its end needs no warning."""
        c = self.current
        if c is None or c.end is None:
            return False
        return any(o.start > c.start and o.start <= c.end + DAY for o in self.contracts)

    def days_left(self, on: dt.date) -> int | None:
        """Days from `on` to the current contract's end; None when none is current or it is open."""
        if self.current is None or self.current.end is None:
            return None
        return (self.current.end - on).days


def contract_state(worker: Worker, kinds: Iterable[ContractKind], on: dt.date) -> ContractState:
    wanted = set(kinds)
    contracts = tuple(c for c in worker.contracts if c.kind in wanted)
    covering = [c for c in contracts if c.covers(on)]
    current = max(covering, key=lambda c: c.start) if covering else None
    ended = [c for c in contracts if c.end is not None and c.end < on]
    last = max(ended, key=lambda c: c.end or c.start) if ended and current is None else None
    return ContractState(contracts, current, last)


def usual_term(contract: Contract, months: int) -> bool:
    """The contract runs `months` from its start: to the same day or the day before (both are
    how a term is written: 2024-03-01 to 2027-03-01 or to 2027-02-28)."""
    if contract.end is None:
        return False
    usual = add_months(contract.start, months)
    return contract.end in (usual, usual - DAY)


def training_total(
    worker: Worker,
    year: int,
    unit: str = "hours",
    *,
    kinds: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    passed_only: bool = False,
) -> Decimal:
    """Hours or days of training that started in `year`, optionally of some kinds or levels."""
    wanted_kinds = set(kinds) if kinds is not None else None
    wanted_levels = set(levels) if levels is not None else None
    total = Decimal(0)
    for t in worker.trainings:
        if t.start.year != year:
            continue
        if wanted_kinds is not None and t.kind not in wanted_kinds:
            continue
        if wanted_levels is not None and t.level not in wanted_levels:
            continue
        if passed_only and t.passed is False:
            continue
        value = t.hours if unit == "hours" else t.days
        if value is None and unit == "days":
            value = Decimal((t.end - t.start).days + 1)
        total += value or Decimal(0)
    return total


def quota_limit(headcount: int, percent: int | Decimal) -> int:
    """RULES.md: "不超过 N%" of M people is floor(M × N / 100)."""
    return int((Decimal(headcount) * Decimal(percent) / 100).to_integral_value(rounding=ROUND_DOWN))


def service_years(worker: Worker, on: dt.date, origin: dt.date | None = None) -> int:
    """Completed years of community service on `on`, counted from the later of start and origin."""
    start = max(worker.service_start, origin) if origin is not None else worker.service_start
    return completed_years(start, on)


def year_end_grades(worker: Worker) -> dict[int, str]:
    return {a.year: a.grade for a in worker.assessments if a.period == "year_end" and a.grade}


def grades_in_order(worker: Worker) -> list[tuple[int, str, str]]:
    """(year, period, grade) for every graded assessment, oldest first, half-year before year-end."""
    order = {"half_year": 0, "year_end": 1}
    return sorted(
        ((a.year, str(a.period), a.grade) for a in worker.assessments if a.grade),
        key=lambda g: (g[0], order.get(g[1], 2)),
    )


def share_pool(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the cent, summing exactly to `total`.

    Each share is first rounded down to the cent; the cents left over go one each to the largest
    remainders (ties to the earlier worker), so no cent is lost or invented.
    """
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        return [Decimal("0.00") for _ in weights]
    raw = [total * w / weight_sum for w in weights]
    floors = [r.quantize(CENT, rounding=ROUND_DOWN) for r in raw]
    left = int(((total - sum(floors, Decimal(0))) / CENT).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    return floors


def highest_tier(posts: Iterable[str], tiers: Mapping[str, str], order: Sequence[str]) -> str | None:
    """兼职不兼酬、就高不就低: of several posts held, the highest tier in `order` (best first)."""
    held = {tiers[p] for p in posts if p in tiers}
    for tier in order:
        if tier in held:
            return tier
    return None


def bracket(value: int, table: Sequence[tuple[int, int]]) -> int:
    """The result for the highest threshold `value` reaches: [(1, 5), (10, 10), (20, 15)] → days."""
    result = 0
    for threshold, amount in table:
        if value >= threshold:
            result = amount
    return result


def steady_starts(worker: Worker, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days of [first, last] from which a worker's status, posts and service may differ from
    the day before (`first` included), sorted. Between two of them `status_on` and `posts_on`
    give the same answer every day, so a rule asked day by day can ask once per stretch."""
    cuts = {first, worker.service_start}
    cuts.update(s.since for s in worker.statuses)
    for p in worker.posts:
        cuts.add(p.start)
        if p.end is not None:
            cuts.add(p.end + DAY)
    return sorted(c for c in cuts if first <= c <= last)


def steady_stretches(worker: Worker, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut into stretches (first day, last day) over which nothing of the worker's
    status, posts or service start changes (see `steady_starts`)."""
    starts = steady_starts(worker, first, last)
    ends = [s - DAY for s in starts[1:]] + [last]
    return list(zip(starts, ends, strict=True))


def days_where(
    worker: Worker, first: dt.date, last: dt.date, holds: Callable[[dt.date], bool]
) -> list[dt.date]:
    """The days of [first, last] on which `holds(day)` is true, for a test that depends only on
    the worker's status, posts and service start: asked once per steady stretch, not per day."""
    out: list[dt.date] = []
    for start, end in steady_stretches(worker, first, last):
        if holds(start):
            out.extend(days_between(start, end))
    return out


@functools.lru_cache(maxsize=4096)
def days_between(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """Every day from `first` to `last`, both included. Most workers of a month's payroll are in
    service the whole month: the same days, built once."""
    return tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
