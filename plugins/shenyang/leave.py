"""Paid annual leave (第十六条): as for enterprise employees, on years of community work.

The enterprise standard (职工带薪年休假条例 第三条) gives 5 days from 1 year, 10 from 10 and 15 from
20 ("满" includes the bound); 第十六条 counts the years of community work actually done.
"""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import IN_SERVICE, Worker, completed_years
from core.results import LeaveEntitlement, Reason
from core.rulekit import bracket
from plugins.national.common import LEAVE_REGULATION
from plugins.shenyang.common import cite, text_param

ENTERPRISE_RULE = LEAVE_REGULATION.cite("第三条")  # the national regulation: no seed file, cited by title


def leave_table(ctx: RuleContext, on: dt.date) -> list[tuple[int, int]]:
    raw = ctx.params.value("leave.days_by_years", on)
    ok = isinstance(raw, list) and all(
        isinstance(row, list)
        and len(row) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in row)
        for row in raw
    )
    if not ok:
        raise ValidationError("leave.days_by_years", msg("shenyang.invalid.leave_table", value=repr(raw)))
    return sorted((int(row[0]), int(row[1])) for row in raw)


def annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_service = any(
        worker.status_on(d) in IN_SERVICE
        for d in (max(start, worker.service_start), end)
        if worker.service_start <= end
    )
    if not in_service:
        return LeaveEntitlement(
            0,
            cite("第十六条"),
            {"year": year},
            (Reason(msg("shenyang.leave.reason.not_in_service", year=year)),),
        )
    count_on = text_param(ctx, "leave.count_on", end, ("year_end", "year_start"))
    day = end if count_on == "year_end" else start
    years = completed_years(worker.service_start, day)
    table = leave_table(ctx, end)
    days = bracket(years, table)
    return LeaveEntitlement(
        days=days,
        citation=cite("第十六条"),
        inputs={"service_start": worker.service_start, "counted_on": day, "years": years, "table": table},
        reasons=(
            Reason(msg("shenyang.leave.reason.years", day=day, years=years, days=days), cite("第十六条")),
            Reason(msg("shenyang.leave.reason.enterprise"), ENTERPRISE_RULE),
        ),
    )
