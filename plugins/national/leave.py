"""Paid annual leave under national law: what a local text leaves to "国家规定".

- 职工带薪年休假条例 第三条: 累计工作满1年不满10年 5 天, 满10年不满20年 10 天, 满20年 15 天
  (`national.leave.brackets`), counted on all working years from the first day of work
  (`work_start`), not on community service. A worker whose `work_start` is not recorded is
  counted from the start of community service, and the reasons say the figure may be too low.
- 第四条: no leave in the year after 事假 累计20天以上 that the unit paid (`national.leave.
  personal_days`; whether the unit pays is `national.leave.personal_leave_paid`, the unit's own
  rule, shipped unset and read only when a worker reaches the 20 days), or 病假 累计2 / 3 / 4
  个月以上 by working years (`national.leave.sick_months`). "N个月": one continuous sick leave of N
  calendar months, or separate leaves adding up to N × 30 days. 第四条(一) (寒暑假) does not apply:
  community workers have no school holidays, and the registry records none.
- 企业职工带薪年休假实施办法 第五条: a worker new to the unit in the year gets days × remaining
  calendar days (the first day included) / 365, whole days only.
- 第十条 (with 条例 第五条): untaken days are paid at 300% of the daily pay, the normal day's pay
  included, so 200% is owed on top; 第十一条: daily pay = monthly pay / 21.75.

Reading (`national.leave.count_on`): years are counted on 31 December of the leave year, so a
year of work completed during the year counts for it; "year_start" counts on 1 January.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import AbsenceKind, Worker, add_months, completed_years
from core.results import LeaveEntitlement, PayLine, Reason, round_money
from core.rulekit import absence_days, absence_runs, bracket
from plugins.national.common import int_table, leave_measures, leave_rule, money, on_books_in, text_param

DAY = dt.timedelta(days=1)


def sick_leave_bars(worker: Worker, first: dt.date, last: dt.date, months: int) -> tuple[bool, int]:
    """(bars the year's leave, sick days in the year): "病假累计N个月以上" reached by one
    continuous leave of N calendar months or by N × 30 days in all."""
    total = absence_days(worker, AbsenceKind.SICK, first, last)
    if total >= months * 30:
        return True, total
    for start, end in absence_runs(worker, AbsenceKind.SICK, first, last):
        if end >= add_months(start, months) - DAY:
            return True, total
    return False, total


def annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cite = leave_rule("第三条")
    if not on_books_in(worker, first, last):
        return LeaveEntitlement(
            0, cite, {"year": year}, (Reason(msg("national.leave.not_in_service", year=year), cite),)
        )
    reasons: list[Reason] = []
    if worker.work_start is None:
        start = worker.service_start
        reasons.append(Reason(msg("national.leave.no_work_start", start=start), cite))
    else:
        start = min(worker.work_start, worker.service_start)
    count_on = text_param(ctx, "national.leave.count_on", last, ("year_end", "year_start"))
    day = last if count_on == "year_end" else first
    years = completed_years(start, day)
    table = int_table(ctx, "national.leave.brackets", last)
    full = bracket(years, table)
    inputs: dict[str, object] = {"work_start": start, "counted_on": day, "years": years, "table": table}
    reasons.insert(0, Reason(msg("national.leave.years", start=start, day=day, years=years, days=full), cite))
    if full == 0:
        return LeaveEntitlement(0, cite, inputs, tuple(reasons))

    barred = _barred(worker, year, years, ctx)
    if barred is not None:
        return LeaveEntitlement(0, barred.citation or cite, inputs, (*reasons, barred))

    days = full
    if first < worker.service_start <= last:
        remaining = (last - worker.service_start).days + 1
        divisor = ctx.params.integer("national.leave.new_hire_divisor", last)
        share = (Decimal(remaining) * full / divisor).to_integral_value(rounding=ROUND_FLOOR)
        days = min(full, int(share))
        share_cite = leave_measures("第五条")
        inputs |= {"remaining_days": remaining, "divisor": divisor}
        reasons.append(
            Reason(
                msg(
                    "national.leave.new_hire",
                    start=worker.service_start,
                    remaining=remaining,
                    divisor=divisor,
                    full=full,
                    days=days,
                ),
                share_cite,
            )
        )
        return LeaveEntitlement(days, share_cite, inputs, tuple(reasons))
    return LeaveEntitlement(days, cite, inputs, tuple(reasons))


def _barred(worker: Worker, year: int, years: int, ctx: RuleContext) -> Reason | None:
    """The 第四条 ground that takes away the year's leave, if any."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = bracket(years, int_table(ctx, "national.leave.sick_months", last))
    if months:
        barred, total = sick_leave_bars(worker, first, last, months)
        if barred:
            return Reason(
                msg("national.leave.sick_bar", days=total, months=months, years=years),
                leave_rule("第四条(三)(四)(五)"),
            )
    limit = ctx.params.integer("national.leave.personal_days", last)
    personal = absence_days(worker, AbsenceKind.PERSONAL, first, last)
    if personal >= limit:
        # Read only when it matters: whether the unit paid is its own rule, unset until told.
        paid = ctx.params.value("national.leave.personal_leave_paid", last)
        if paid is True:
            return Reason(
                msg("national.leave.personal_bar", days=personal, limit=limit), leave_rule("第四条(二)")
            )
    return None


def untaken_leave_pay(
    worker: Worker, year: int, days: int, monthly_pay: Decimal, ctx: RuleContext
) -> PayLine:
    """实施办法 第十条、第十一条: days × monthly pay / 21.75 × (300% − the 100% already paid)."""
    on = dt.date(year, 12, 31)
    pay = money(monthly_pay, "monthly_pay")
    rate = ctx.params.decimal("national.leave.untaken_rate", on)
    month_days = ctx.params.decimal("national.leave.pay_days_per_month", on)
    extra = rate - 1
    amount = round_money(pay / month_days * days * extra) if days > 0 else Decimal("0.00")
    cite = leave_measures("第十条、第十一条")
    return PayLine(
        "untaken_leave",
        msg("national.leave.untaken_label"),
        amount,
        cite,
        {"days": days, "monthly_pay": pay, "pay_days_per_month": month_days, "rate": rate, "year": year},
        (
            Reason(
                msg(
                    "national.leave.untaken",
                    days=days,
                    pay=pay,
                    month_days=month_days,
                    rate=rate * 100,
                    extra=extra * 100,
                    amount=amount,
                ),
                cite,
            ),
        ),
    )
