"""A Ningguo worker's monthly pay lines (第15条, 第17条).

两委 members are paid "按照宁办发〔2019〕15号文件执行": the text does not hold those amounts, so they
are the table parameter `pay.liangwei.monthly` by tier (principal, deputy, general), unset until an
operator enters them; a worker holding posts of two tiers is paid at the higher (one salary for
one person). A reserve cadre is paid a share of the general member's amount that steps up with
the employment years (`reserve.schedule`). The meal allowance is a budget of 200 a head a month
granted to the community and reimbursed against receipts, "不得以现金形式直接发放": it is a line
with `cash=False`, so it counts toward the community's budget and never toward cash pay.

A month begun or ended in service is paid by the national rule (`core.proration`, 劳社部发〔2008〕
3号: monthly pay ÷ 21.75 × paid days in service; `pay.proration`, calendar days the alternative);
the text has none of its own. When the post or the reserve rate changes within a month, each is
paid on its share of the month's paid days.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker
from core.proration import share_for
from core.results import Month, PayLine, Reason, round_money
from core.rulekit import days_where, steady_starts
from plugins.ningguo.common import amount, cite, in_service, table_entry
from plugins.ningguo.posts import LIANGWEI_TIERS, RESERVE_TIER, tier_label, tier_on
from plugins.ningguo.reserve import hire_date, schedule, step_on

MONTHLY = "pay.liangwei.monthly"


def pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
    on = month.last_day
    serving = days_where(worker, month.first_day, on, lambda day: in_service(worker, day))
    if not serving:
        return []
    share = share_for(ctx, month, serving)

    steps = None
    hire = hire_date(worker)
    if hire is not None:
        steps = schedule(worker, hire, on, ctx)
    states: dict[tuple[str, Decimal], list[dt.date]] = {}
    step_reasons: dict[dt.date, Reason] = {}
    # Posts change on few days: the tier is worked out once per steady stretch, not per day.
    starts = steady_starts(worker, serving[0], serving[-1])
    tiers: dict[dt.date, str | None] = {}
    for day in serving:
        stretch = starts[bisect.bisect_right(starts, day) - 1]
        if stretch not in tiers:
            tiers[stretch] = tier_on(worker, stretch)
        tier = tiers[stretch]
        if tier is None:
            raise ValidationError("posts", msg("ningguo.error.no_post", name=worker.name, day=day))
        rate = Decimal(1)
        if tier == RESERVE_TIER:
            assert steps is not None  # a reserve post means a hire date
            step = step_on(steps, day)
            rate = step.rate
            step_reasons[step.start] = step.reason
        states.setdefault((tier, rate), []).append(day)

    lines: list[PayLine] = []
    liangwei = [(t, r, n) for (t, r), n in sorted(states.items()) if t in LIANGWEI_TIERS]
    reserve = [(r, n) for (t, r), n in sorted(states.items()) if t == RESERVE_TIER]
    if liangwei:
        total = Decimal(0)
        reasons = []
        for tier, _, n in liangwei:
            monthly = amount(table_entry(ctx, MONTHLY, on, tier), f"{MONTHLY}.{tier}")
            part = share.part(n)
            total += monthly * part
            reasons.append(
                Reason(
                    msg(
                        "ningguo.pay.liangwei_part",
                        tier=tier_label(tier),
                        monthly=monthly,
                        days=len(n),
                        share=part.quantize(Decimal("0.0001")),
                    ),
                    cite(15),
                    {"tier": tier, "monthly": monthly, "days": len(n), "part": part},
                )
            )
        lines.append(
            PayLine(
                "liangwei_pay",
                msg("ningguo.line.liangwei_pay"),
                round_money(total),
                cite(15),
                {"proration": share.basis, "share": share.share},
                (*reasons, *share.reasons()),
            )
        )
    if reserve:
        general = amount(table_entry(ctx, MONTHLY, on, "general"), f"{MONTHLY}.general")
        total = Decimal(0)
        reasons = [step_reasons[d] for d in sorted(step_reasons)]
        for rate, n in reserve:
            part = share.part(n)
            total += general * rate * part
            reasons.append(
                Reason(
                    msg(
                        "ningguo.pay.reserve_part",
                        general=general,
                        rate=rate,
                        days=len(n),
                        share=part.quantize(Decimal("0.0001")),
                    ),
                    cite(15),
                    {"general": general, "rate": rate, "days": len(n), "part": part},
                )
            )
        reasons.extend(share.reasons())
        lines.append(
            PayLine(
                "reserve_pay",
                msg("ningguo.line.reserve_pay"),
                round_money(total),
                cite(15),
                {"proration": share.basis, "hire": hire, "general_member_pay": general},
                tuple(reasons),
            )
        )
    budget = ctx.params.decimal("meal.monthly_budget", on)
    lines.append(
        PayLine(
            "meal_allowance",
            msg("ningguo.line.meal_allowance"),
            round_money(budget),
            cite(17),
            {"budget": budget},
            (Reason(msg("ningguo.pay.meal", budget=budget), cite(17)),),
            cash=False,
        )
    )
    return lines
