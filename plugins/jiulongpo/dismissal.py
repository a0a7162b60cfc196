"""Absence and leave grounds for dismissal (第二十三条 2、3), as findings before and when they bite.

"年内连续旷工15天或累计超过30天": a run of 15 unexcused days within the calendar year is enough
(15 itself counts), a yearly total must exceed 30 (31 or more). "年内事假时间累计超过3个月": the
text says months; the product counts personal leave in calendar days and takes 3 months as 90 days
(`dismissal.personal_leave_days`, a month of 30 days), so 91 days or more. Runs and totals are
counted within the calendar year of the day looked at, up to that day. A warning comes
`findings.warn_margin_days` days before each line is crossed.
"""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import AbsenceKind, Worker
from core.results import Finding, Severity
from core.rulekit import absence_days, longest_absence_run
from plugins.jiulongpo.common import cite


def _ground(
    code: str,
    count: int,
    limit: int,
    margin: int,
    *,
    counts_at_limit: bool,
    arg: str,
    article: str,
    subject: str,
    inputs: dict[str, int],
) -> list[Finding]:
    """The finding for one threshold: crossed (an error) or within `margin` of it (a warning).

    `counts_at_limit`: "连续…15天" is reached at 15 itself; "累计超过…" only above the limit.
    """
    crossed = count >= limit if counts_at_limit else count > limit
    near = (count >= limit - margin if counts_at_limit else count > limit - margin) and count > 0
    if not (crossed or near):
        return []
    suffix = "dismissal" if crossed else "near"
    return [
        Finding(
            f"{code}_{suffix}",
            Severity.ERROR if crossed else Severity.WARNING,
            msg(f"jiulongpo.finding.{code}_{suffix}", **{arg: count}, limit=limit),
            cite(article),
            subject,
            inputs=inputs,
        )
    ]


def absence_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    p = ctx.params
    start = dt.date(on.year, 1, 1)
    subject = f"worker:{worker.id}"
    margin = p.integer("findings.warn_margin_days", on)

    run = longest_absence_run(worker, AbsenceKind.UNEXCUSED, start, on)
    run_limit = p.integer("dismissal.absence_run_days", on)
    total = absence_days(worker, AbsenceKind.UNEXCUSED, start, on)
    total_limit = p.integer("dismissal.absence_total_days", on)
    leave = absence_days(worker, AbsenceKind.PERSONAL, start, on)
    leave_limit = p.integer("dismissal.personal_leave_days", on)
    return [
        # "连续旷工15天": reaching 15 is enough
        *_ground(
            "absence_run",
            run,
            run_limit,
            margin,
            counts_at_limit=True,
            arg="run",
            article="第二十三条 2",
            subject=subject,
            inputs={"year": on.year, "longest_run": run, "limit": run_limit},
        ),
        # "累计超过30天": 30 itself is not over
        *_ground(
            "absence_total",
            total,
            total_limit,
            margin,
            counts_at_limit=False,
            arg="total",
            article="第二十三条 2",
            subject=subject,
            inputs={"year": on.year, "total": total, "limit": total_limit},
        ),
        # "事假时间累计超过3个月"
        *_ground(
            "personal_leave",
            leave,
            leave_limit,
            margin,
            counts_at_limit=False,
            arg="days",
            article="第二十三条 3",
            subject=subject,
            inputs={"year": on.year, "personal_leave_days": leave, "limit_days": leave_limit},
        ),
    ]
