"""Paid annual leave (第二十九条): "社区工作者年休假…统一按照国家规定执行".

The national rule (职工带薪年休假条例 第三条): worked 1 to under 10 years, 5 days; 10 to under 20,
10 days; 20 or more, 15 days. The regulation counts all years of work; the registry holds only
the start of community service, so that start is used and the reason says so — a worker with
earlier jobs may be owed more. Years are completed on 1 January of the leave year
(`leave.annual.reference`): the entitlement that holds for the whole year, without the part-year
share of the implementing measures.
"""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, completed_years
from core.results import LeaveEntitlement, Reason
from core.rulekit import bracket
from plugins.jiulongpo.common import cite

REFERENCES = ("year_start", "year_end")


def annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement:
    on = dt.date(year, 12, 31)  # the parameters in force in the leave year
    reference = str(ctx.params.value("leave.annual.reference", on))
    if reference not in REFERENCES:
        raise ValidationError(
            "leave.annual.reference",
            msg("jiulongpo.error.reading", value=reference, allowed=", ".join(REFERENCES)),
        )
    day = dt.date(year, 1, 1) if reference == "year_start" else on
    raw = ctx.params.value("leave.annual.brackets", on)
    if not isinstance(raw, list) or not all(
        isinstance(row, list)
        and len(row) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in row)
        for row in raw
    ):
        raise ValidationError(
            "leave.annual.brackets", msg("jiulongpo.error.brackets", where="leave.annual.brackets")
        )
    table = [(int(a), int(b)) for a, b in raw]
    years = completed_years(worker.service_start, day)
    days = bracket(years, table)
    return LeaveEntitlement(
        days,
        cite("第二十九条"),
        {"service_start": worker.service_start, "years": years, "counted_on": day},
        (
            Reason(msg("jiulongpo.leave.reason", years=years, day=day, days=days), cite("第二十九条")),
            Reason(msg("jiulongpo.leave.national"), cite("第二十九条")),
        ),
    )
