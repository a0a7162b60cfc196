"""劳动合同法 第四十六、四十七条: economic compensation when a labour contract ends.

第四十七条: "经济补偿按劳动者在本单位工作的年限，每满一年支付一个月工资的标准向劳动者支付。六个月以上
不满一年的，按一年计算；不满六个月的，向劳动者支付半个月工资的经济补偿。劳动者月工资高于用人单位所在
直辖市、设区的市级人民政府公布的本地区上年度职工月平均工资三倍的，向其支付经济补偿的标准按职工月平均
工资三倍的数额支付，向其支付经济补偿的年限最高不超过十二年。"

- Years run from the start of community service to the last day of the contract (both included).
  The part of a year left over: six months or more ("以上") counts as a year, anything less (but
  more than nothing) as half a month.
- The local average monthly wage of the previous year is `national.severance.average_monthly_wage`,
  a table by statistical year (`{ "2025" = "…" }`) set by the city; shipped unset, and a
  computation stops naming it and the year. "高于" excludes the bound: pay equal to three times the
  average is not capped.
- Which ends are owed compensation (第四十六条: not a resignation, not a dismissal for misconduct)
  is the operator's to judge; the figure is what is owed if it is.
- Not computed: 第九十七条 (service before 2008-01-01 counted under the earlier rules).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import MissingParameter
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, add_months, completed_months
from core.results import Reason, Severance, round_money
from plugins.national.common import contract_law, money

AVERAGE_WAGE = "national.severance.average_monthly_wage"
HALF = Decimal("0.5")


def service_months(worker: Worker, ended_on: dt.date) -> Decimal:
    """Months' pay by service: whole years, plus 1 for a remainder of 6 months or more, else ½."""
    after = ended_on + dt.timedelta(days=1)
    months = completed_months(worker.service_start, after)
    years, rest = divmod(months, 12)
    leftover_days = add_months(worker.service_start, months) < after
    if rest >= 6:
        return Decimal(years + 1)
    if rest > 0 or leftover_days:
        return years + HALF
    return Decimal(years)


def average_wage(ctx: RuleContext, ended_on: dt.date) -> tuple[int, Decimal]:
    table = ctx.params.value(AVERAGE_WAGE, ended_on) if ctx.params.is_set(AVERAGE_WAGE, ended_on) else {}
    previous = ended_on.year - 1
    raw = table.get(str(previous)) if isinstance(table, dict) else None
    if raw is None:
        raise MissingParameter(
            ctx.jurisdiction,
            AVERAGE_WAGE,
            ended_on.isoformat(),
            str(contract_law("第四十七条")),
            str(previous),
        )
    return previous, money(raw, f"{AVERAGE_WAGE}.{previous}")


def severance(worker: Worker, ended_on: dt.date, monthly_pay: Decimal, ctx: RuleContext) -> Severance:
    pay = money(monthly_pay, "monthly_pay")
    months = service_months(worker, ended_on)
    multiple = ctx.params.integer("national.severance.cap_multiple", ended_on)
    cap_years = ctx.params.integer("national.severance.cap_years", ended_on)
    year, average = average_wage(ctx, ended_on)
    ceiling = average * multiple
    cite = contract_law("第四十七条")
    reasons = [
        Reason(
            msg("national.severance.months", start=worker.service_start, end=ended_on, months=months), cite
        )
    ]
    capped = pay > ceiling
    month_pay = pay
    if capped:
        month_pay = ceiling
        months = min(months, Decimal(cap_years))
        reasons.append(
            Reason(
                msg(
                    "national.severance.capped",
                    pay=pay,
                    average=average,
                    year=year,
                    multiple=multiple,
                    ceiling=ceiling,
                    cap_years=cap_years,
                    months=months,
                ),
                cite,
            )
        )
    amount = round_money(month_pay * months)
    reasons.append(
        Reason(msg("national.severance.amount", month_pay=month_pay, months=months, amount=amount), cite)
    )
    return Severance(
        amount,
        months,
        month_pay,
        capped,
        cite,
        {
            "service_start": worker.service_start,
            "ended_on": ended_on,
            "monthly_pay": pay,
            "average_wage": average,
            "average_wage_year": year,
        },
        tuple(reasons),
    )
