"""Paid annual leave in Haidian (第一篇 第五条(四)); the city's text gives none.

"社区工作者享受带薪休假。累计满一年不满十年的，年休假5天；满10年不满20年的，年休假10天，满20年的，年休假
15天。" — 满 includes the bound, 不满 excludes it: 1 ≤ years < 10 → 5, 10 ≤ years < 20 → 10,
20 or more → 15 (`leave.brackets`).

Readings: years are counted on 31 December of the leave year (`leave.count_on` = "year_end"; a
year completed during the year counts for it) or on 1 January ("year_start"); "累计" is read as
community service (`leave.count_from` = "service_start", RULES.md) or as all working years from
`work_start` ("work_start", the national regulation's 累计工作时间). A worker not on the books at
any time of the year gets none.
"""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, completed_years
from core.results import LeaveEntitlement, Reason
from core.rulekit import bracket
from plugins.beijing.common import haidian, in_service, text_param

BRACKETS = "leave.brackets"


def leave_table(ctx: RuleContext, on: dt.date) -> list[tuple[int, int]]:
    raw = ctx.params.value(BRACKETS, on)
    if not isinstance(raw, list) or not all(
        isinstance(row, list)
        and len(row) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in row)
        for row in raw
    ):
        raise ValidationError(BRACKETS, msg("beijing.error.brackets", value=repr(raw)))
    return sorted((int(a), int(b)) for a, b in raw)


def annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cite = haidian("第五条(四)")
    days_in_year = (last - first).days + 1
    if not any(in_service(worker, first + dt.timedelta(days=i)) for i in range(days_in_year)):
        return LeaveEntitlement(
            0, cite, {"year": year}, (Reason(msg("beijing.haidian.leave.not_in_service", year=year)),)
        )
    count_on = text_param(ctx, "leave.count_on", last, ("year_end", "year_start"))
    count_from = text_param(ctx, "leave.count_from", last, ("service_start", "work_start"))
    day = last if count_on == "year_end" else first
    if count_from == "work_start":
        if worker.work_start is None:
            raise ValidationError("work_start", msg("beijing.haidian.leave.no_work_start", name=worker.name))
        start = worker.work_start
    else:
        start = worker.service_start
    years = completed_years(start, day)
    table = leave_table(ctx, last)
    days = bracket(years, table)
    return LeaveEntitlement(
        days,
        cite,
        {"counted_from": start, "basis": count_from, "counted_on": day, "years": years, "table": table},
        (
            Reason(
                msg(f"beijing.haidian.leave.{count_from}", start=start, day=day, years=years, days=days),
                cite,
            ),
        ),
    )
