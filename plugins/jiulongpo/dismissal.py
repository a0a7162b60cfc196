"""Absence and leave grounds for dismissal (第二十三条 2、3), as findings before and when they bite.

"年内连续旷工15天或累计超过30天": days off work count working days under China's holiday calendar
(`core.absence`, RULES.md "Days off work"): a run of 15 working days absent within the calendar year
is enough (15 itself counts), joined across weekends and holidays between records; a yearly total
must exceed 30 working days (31 or more). "年内事假时间累计超过3个月": one continuous leave longer
than 3 calendar months (1 March – 31 May is exactly three, not 超过; 1 February – 1 May is more), or
several leaves in the year whose calendar days add up to more than 3 × 30 = 90
(`dismissal.personal_leave_months`).

Counted in each calendar year: the current one up to the day looked at, with a warning
`findings.warn_margin_days` days before each line; a line crossed in an earlier year stays reported
with its year (the registry has no way yet for an operator to mark a finding resolved; the dismissal
itself, once recorded as the worker leaving service, ends every finding).
"""

from __future__ import annotations

import datetime as dt

from core.absence import (
    DAYS_PER_MONTH,
    continuous_leaves,
    leave_days,
    leave_over_months,
    longest_run,
    working_absence_days,
    working_runs,
    years_of_record,
)
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import AbsenceKind, Worker
from core.params import in_force_from
from core.results import Finding, Severity
from core.rulekit import year_span
from plugins.jiulongpo.common import cite


def _finding(
    code: str, crossed: bool, article: str, subject: str, inputs: dict[str, object], **args: object
) -> Finding:
    suffix = "dismissal" if crossed else "near"
    return Finding(
        f"{code}_{suffix}",
        Severity.ERROR if crossed else Severity.WARNING,
        msg(f"jiulongpo.finding.{code}_{suffix}", **args),
        cite(article),
        subject,
        inputs=inputs,
    )


def year_findings(
    worker: Worker, year: int, on: dt.date, ctx: RuleContext, *, current: bool
) -> list[Finding]:
    """The grounds of one calendar year, counted up to `on` (its end for a past year); warnings
    only for the current year."""
    p = ctx.params
    calendar = p.calendar
    first, last = year_span(year)
    end = min(last, on)
    # Days before the measures took effect (2023-12-01) are not judged by them.
    first = max(first, in_force_from(p, "dismissal.absence_run_days", first))
    if first > end:
        return []
    subject = f"worker:{worker.id}"
    margin = p.integer("findings.warn_margin_days", on) if current else 0
    out: list[Finding] = []

    run = longest_run(working_runs(worker, AbsenceKind.UNEXCUSED, calendar, first, end))
    days = run.days if run else 0
    run_limit = p.integer("dismissal.absence_run_days", end)
    # "连续旷工15天": reaching 15 is enough
    if days >= run_limit or (current and days > 0 and days >= run_limit - margin):
        facts = {"year": year, "longest_run": days, "limit": run_limit, "unit": "working_days"}
        if run is not None:
            facts |= {"first": run.first, "last": run.last}
        out.append(
            _finding(
                "absence_run",
                days >= run_limit,
                "第二十三条 2",
                subject,
                facts,
                run=days,
                limit=run_limit,
                year=year,
            )
        )

    total = working_absence_days(worker, AbsenceKind.UNEXCUSED, first, end, calendar)
    total_limit = p.integer("dismissal.absence_total_days", end)
    # "累计超过30天": 30 itself is not over
    if total > total_limit or (current and total > 0 and total > total_limit - margin):
        facts = {"year": year, "total": total, "limit": total_limit, "unit": "working_days"}
        out.append(
            _finding(
                "absence_total",
                total > total_limit,
                "第二十三条 2",
                subject,
                facts,
                total=total,
                limit=total_limit,
                year=year,
            )
        )

    leaves = continuous_leaves(worker, AbsenceKind.PERSONAL, first, end, calendar)
    months = p.integer("dismissal.personal_leave_months", end)
    leave = leave_days(leaves)
    over = leave_over_months(leaves, months)
    # "事假时间累计超过3个月": months for one leave, N × 30 days for several
    if over or (current and leave > 0 and leave > months * DAYS_PER_MONTH - margin):
        facts = {
            "year": year,
            "personal_leave_days": leave,
            "leaves": [[a, b] for a, b in leaves],
            "limit_months": months,
        }
        out.append(
            _finding(
                "personal_leave",
                over,
                "第二十三条 3",
                subject,
                facts,
                days=leave,
                count=len(leaves),
                months=months,
                limit=months * DAYS_PER_MONTH,
                year=year,
            )
        )
    return out


def absence_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    years = set(years_of_record(worker, AbsenceKind.UNEXCUSED, on))
    years |= set(years_of_record(worker, AbsenceKind.PERSONAL, on))
    out: list[Finding] = []
    for year in sorted(years):
        out += year_findings(worker, year, on, ctx, current=year == on.year)
    return out
