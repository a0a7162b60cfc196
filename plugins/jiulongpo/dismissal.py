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


def absence_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    p = ctx.params
    start = dt.date(on.year, 1, 1)
    subject = f"worker:{worker.id}"
    margin = p.integer("findings.warn_margin_days", on)
    out = []

    run = longest_absence_run(worker, AbsenceKind.UNEXCUSED, start, on)
    run_limit = p.integer("dismissal.absence_run_days", on)
    inputs = {"year": on.year, "longest_run": run, "limit": run_limit}
    if run >= run_limit:  # "连续旷工15天": reaching 15 is enough
        out.append(
            Finding(
                "absence_run_dismissal",
                Severity.ERROR,
                msg("jiulongpo.finding.absence_run_dismissal", run=run, limit=run_limit),
                cite("第二十三条 2"),
                subject,
                inputs=inputs,
            )
        )
    elif run >= run_limit - margin and run > 0:
        out.append(
            Finding(
                "absence_run_near",
                Severity.WARNING,
                msg("jiulongpo.finding.absence_run_near", run=run, limit=run_limit),
                cite("第二十三条 2"),
                subject,
                inputs=inputs,
            )
        )

    total = absence_days(worker, AbsenceKind.UNEXCUSED, start, on)
    total_limit = p.integer("dismissal.absence_total_days", on)
    inputs = {"year": on.year, "total": total, "limit": total_limit}
    if total > total_limit:  # "累计超过30天": 30 itself is not over
        out.append(
            Finding(
                "absence_total_dismissal",
                Severity.ERROR,
                msg("jiulongpo.finding.absence_total_dismissal", total=total, limit=total_limit),
                cite("第二十三条 2"),
                subject,
                inputs=inputs,
            )
        )
    elif total > total_limit - margin and total > 0:
        out.append(
            Finding(
                "absence_total_near",
                Severity.WARNING,
                msg("jiulongpo.finding.absence_total_near", total=total, limit=total_limit),
                cite("第二十三条 2"),
                subject,
                inputs=inputs,
            )
        )

    leave = absence_days(worker, AbsenceKind.PERSONAL, start, on)
    leave_limit = p.integer("dismissal.personal_leave_days", on)
    inputs = {"year": on.year, "personal_leave_days": leave, "limit_days": leave_limit}
    if leave > leave_limit:  # "累计超过3个月"
        out.append(
            Finding(
                "personal_leave_dismissal",
                Severity.ERROR,
                msg("jiulongpo.finding.personal_leave_dismissal", days=leave, limit=leave_limit),
                cite("第二十三条 3"),
                subject,
                inputs=inputs,
            )
        )
    elif leave > leave_limit - margin and leave > 0:
        out.append(
            Finding(
                "personal_leave_near",
                Severity.WARNING,
                msg("jiulongpo.finding.personal_leave_near", days=leave, limit=leave_limit),
                cite("第二十三条 3"),
                subject,
                inputs=inputs,
            )
        )
    return out
