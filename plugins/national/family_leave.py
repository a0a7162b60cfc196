"""Marriage and maternity leave: the national days, plus a local extension where one is set.

- 婚假: 国家劳动总局、财政部 (80)劳总薪字29号 一: 职工本人结婚 … 给予一至三天的婚丧假; the product takes
  the three days (`national.marriage.days`).
- 产假: 女职工劳动保护特别规定 第七条: 98 天; 难产的，应增加产假15天; 生育多胞胎的，每多生育1个婴儿，
  可增加产假15天 (`national.maternity.*`).
- Provinces add days (their 人口与计划生育条例); no seed gives a figure, so `national.marriage.
  extra_days` and `national.maternity.extra_days` ship unset: until an office sets its own the
  answer is the national minimum and the reasons say the extension is not set.
"""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Sex, Worker
from core.results import LeaveEntitlement, Reason
from plugins.national.common import MARRIAGE_NOTICE, WOMEN_PROTECTION


def _extension(ctx: RuleContext, name: str, on: dt.date) -> tuple[int, Reason]:
    if not ctx.params.is_set(name, on):
        return 0, Reason(msg("national.family.extension_unset", parameter=name))
    value = ctx.params.get(name, on)
    days = value.value
    assert isinstance(days, int), f"{name} is not an int parameter"
    return days, Reason(msg("national.family.extension", parameter=name, days=days), value.citation)


def marriage_leave(worker: Worker, on: dt.date, ctx: RuleContext) -> LeaveEntitlement:
    cite = MARRIAGE_NOTICE.cite("一")
    base = ctx.params.integer("national.marriage.days", on)
    extra, why = _extension(ctx, "national.marriage.extra_days", on)
    days = base + extra
    return LeaveEntitlement(
        days,
        cite,
        {"national_days": base, "extra_days": extra, "married_on": on},
        (Reason(msg("national.family.marriage", days=base), cite), why),
    )


def maternity_leave(
    worker: Worker, on: dt.date, difficult: bool, babies: int, ctx: RuleContext
) -> LeaveEntitlement:
    cite = WOMEN_PROTECTION.cite("第七条")
    if worker.sex != Sex.FEMALE:
        return LeaveEntitlement(
            0, cite, {"sex": worker.sex.value}, (Reason(msg("national.family.not_female"), cite),)
        )
    base = ctx.params.integer("national.maternity.days", on)
    hard = ctx.params.integer("national.maternity.difficult_days", on) if difficult else 0
    per_baby = ctx.params.integer("national.maternity.per_extra_baby_days", on)
    more = per_baby * max(0, babies - 1)
    extra, why = _extension(ctx, "national.maternity.extra_days", on)
    days = base + hard + more + extra
    return LeaveEntitlement(
        days,
        cite,
        {
            "national_days": base,
            "difficult_days": hard,
            "babies": babies,
            "extra_babies_days": more,
            "extra_days": extra,
        },
        (Reason(msg("national.family.maternity", base=base, hard=hard, babies=babies, more=more), cite), why),
    )
