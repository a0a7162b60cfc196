"""Yearly performance pay by grade (第16条), as one share per worker.

"个人履职考核优秀的，除绩效报酬全额发放外，另给予一次性奖励，最多不超过1500元；年度考核为合格的，
绩效报酬全额发放；年度考核为基本合格的，绩效报酬减半发放；年度考核不合格的，取消绩效报酬。"

There is no common pot: each worker's share is the full performance pay of their tier
(`pay.performance.base`, set by 宁办发〔2019〕15号 or the street, unset here) times the grade's
factor, plus the one-off reward for 优秀 (`pay.performance.excellent_reward`, which the street sets
at no more than `pay.performance.excellent_reward_max` = 1500). The shares therefore add up to the
sum of the workers' own entitlements, each rounded to the cent. A worker with no grade recorded
for the year is refused by name rather than paid nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Grade, Worker
from core.results import PoolShare, Reason, round_money
from plugins.ningguo.common import amount, cite, in_service, table_entry
from plugins.ningguo.posts import check_grade, tier_label, tier_on

BASE = "pay.performance.base"
FACTORS = "pay.performance.factors"
REWARD = "pay.performance.excellent_reward"
REWARD_MAX = "pay.performance.excellent_reward_max"


def year_tier(worker: Worker, year: int) -> str:
    """The tier on the last day of `year` the worker was in service and held a post."""
    day = dt.date(year, 12, 31)
    first = dt.date(year, 1, 1)
    while day >= first:
        if in_service(worker, day):
            tier = tier_on(worker, day)
            if tier is not None:
                return tier
        day -= dt.timedelta(days=1)
    raise ValidationError("posts", msg("ningguo.error.no_post_in_year", name=worker.name, year=year))


def excellent_reward(ctx: RuleContext, on: dt.date) -> Decimal:
    """The street's reward, checked against the text's ceiling (最多不超过1500元: 1500 allowed)."""
    reward = ctx.params.decimal(REWARD, on)
    ceiling = ctx.params.decimal(REWARD_MAX, on)
    if reward < 0 or reward > ceiling:
        raise ValidationError(REWARD, msg("ningguo.error.reward_over", value=reward, ceiling=ceiling))
    return reward


def pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare]:
    on = dt.date(year, 12, 31)
    shares = []
    reward: Decimal | None = None
    for worker in workers:
        recorded = worker.grade_for(year)
        if recorded is None:
            raise ValidationError(
                f"assessments[{year}]", msg("ningguo.error.no_grade", name=worker.name, year=year)
            )
        grade = check_grade(recorded)
        tier = year_tier(worker, year)
        base = amount(table_entry(ctx, BASE, on, tier), f"{BASE}.{tier}")
        factor = amount(table_entry(ctx, FACTORS, on, grade), f"{FACTORS}.{grade}")
        reasons = [
            Reason(
                msg(
                    "ningguo.performance.part",
                    grade=msg(f"grade.{grade}"),
                    tier=tier_label(tier),
                    base=base,
                    factor=factor,
                ),
                cite(16),
                {"grade": grade, "tier": tier, "base": base, "factor": factor},
            )
        ]
        total = base * factor
        if grade == Grade.EXCELLENT:
            if reward is None:
                reward = excellent_reward(ctx, on)
            total += reward
            reasons.append(
                Reason(msg("ningguo.performance.reward", reward=reward), cite(16), {"reward": reward})
            )
        shares.append(
            PoolShare(
                worker.id,
                round_money(total),
                cite(16),
                {"year": year, "grade": grade, "tier": tier, "base": base, "factor": factor},
                tuple(reasons),
            )
        )
    return shares
