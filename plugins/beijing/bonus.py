"""The yearly bonus pool of a street (第四篇 第五条(一)3; 第一篇 第五条(一)3, 第六条(二)2).

"奖金实行总额包干，按照平均每人每年3600元的标准核定总额。奖金发放时应由街道(乡镇)根据社区工作者岗位和
考核情况拉开档次。各区(县)还可根据本区(县)实际，适当上浮社区工作者奖金标准。"

The pool is `pay.bonus.per_head` × the number of workers shared (the street's workers for the
year). The street's own scheme decides the shares; by default (RULES.md Reading) each worker
weighs tier × grade (`pay.bonus.tier_weights`, `pay.bonus.grade_weights`: 正 1.2, 副 1.1, 一般 1.0;
优秀 1.2, 合格 1.0, 基本合格 0.8, 不合格 0 — Haidian's "扣减奖金" for 不合格) and the pool is
shared in proportion, to the cent, adding up exactly to the pool (`core.rulekit.share_pool`).
A re-employed retiree shares like everyone else (第五条(三)). The tier is the highest held on the
last day of the year the worker was on the books; the grade is the year-end grade, which must be
recorded: the pool is shared after the assessment, so a missing grade is refused by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker
from core.results import PoolShare, Reason
from core.rulekit import share_pool
from plugins.beijing.common import amount, city, in_service, table_entry
from plugins.beijing.posts import check_grade, tier_label, tier_on

PER_HEAD = "pay.bonus.per_head"
TIER_WEIGHTS = "pay.bonus.tier_weights"
GRADE_WEIGHTS = "pay.bonus.grade_weights"


def year_tier(worker: Worker, year: int) -> str:
    """The tier on the last day of `year` the worker was on the books and held a post."""
    day = dt.date(year, 12, 31)
    first = dt.date(year, 1, 1)
    while day >= first:
        if in_service(worker, day):
            tier = tier_on(worker, day)
            if tier is not None:
                return tier
        day -= dt.timedelta(days=1)
    raise ValidationError("posts", msg("beijing.error.no_post_in_year", name=worker.name, year=year))


def weight(worker: Worker, year: int, ctx: RuleContext) -> tuple[str, str, Decimal, Decimal]:
    on = dt.date(year, 12, 31)
    recorded = worker.grade_for(year)
    if recorded is None:
        raise ValidationError(
            f"assessments[{year}]", msg("beijing.error.no_grade", name=worker.name, year=year)
        )
    grade = check_grade(recorded)
    tier = year_tier(worker, year)
    tw = amount(table_entry(ctx, TIER_WEIGHTS, on, tier), f"{TIER_WEIGHTS}.{tier}")
    gw = amount(table_entry(ctx, GRADE_WEIGHTS, on, grade), f"{GRADE_WEIGHTS}.{grade}")
    return tier, grade, tw, gw


def pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare]:
    if not workers:
        return []
    on = dt.date(year, 12, 31)
    per_head = amount(ctx.params.decimal(PER_HEAD, on), PER_HEAD)
    headcount = len(workers)
    pool = per_head * headcount
    rows = [weight(w, year, ctx) for w in workers]
    weights = [tw * gw for _, _, tw, gw in rows]
    total_weight = sum(weights, Decimal(0))
    shares = share_pool(pool, weights)
    unit = ""
    if ctx.community is not None:
        unit = f"street:{ctx.community.district}/{ctx.community.street}"
    pool_reason = Reason(
        msg("beijing.bonus.pool", per_head=per_head, headcount=headcount, pool=pool),
        city("第五条(一)3"),
        {"per_head": per_head, "headcount": headcount, "pool": pool, "unit": unit},
    )
    out = []
    for worker, (tier, grade, tw, gw), w, share in zip(workers, rows, weights, shares, strict=True):
        reasons = [
            pool_reason,
            Reason(
                msg(
                    "beijing.bonus.weight",
                    tier=tier_label(tier),
                    tier_weight=tw,
                    grade=msg(f"grade.{grade}"),
                    grade_weight=gw,
                    weight=w,
                ),
                city("第五条(一)3"),
                {"tier": tier, "tier_weight": tw, "grade": grade, "grade_weight": gw},
            ),
        ]
        if total_weight == 0:
            reasons.append(Reason(msg("beijing.bonus.nobody"), city("第五条(一)3")))
        else:
            reasons.append(
                Reason(
                    msg("beijing.bonus.share", pool=pool, weight=w, total=total_weight, share=share),
                    city("第五条(一)3"),
                )
            )
        if gw == 0:
            reasons.append(Reason(msg("beijing.bonus.cut", grade=msg(f"grade.{grade}")), city("第五条(一)3")))
        out.append(
            PoolShare(
                worker.id,
                share,
                city("第五条(一)3"),
                {
                    "year": year,
                    "pool": pool,
                    "headcount": headcount,
                    "tier": tier,
                    "grade": grade,
                    "weight": w,
                    "total_weight": total_weight,
                },
                tuple(reasons),
            )
        )
    return out
