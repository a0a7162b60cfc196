"""Monthly pay of a Jiulongpo community worker (第二十条): 基本补贴 + 职级补贴 + 绩效考核奖励.

基本补贴: 书记 and 主任 at least 1.2 × the district's urban per-capita disposable income of the
previous year ("上年度"), 副书记 / 副主任 90% of that, other full-time staff 80%. The text sets a
yearly standard; the monthly line is a twelfth of it (`pay.base.months_per_year`). The income is
`pay.base.disposable_income`, a table keyed by statistical year (`{ "2024" = "…" }`), unset until
the district's figure is published; pay for any month of year Y reads the entry for Y − 1.
"不低于" makes 1.2 a floor a district may raise (`pay.base.multiplier`).

职级补贴 and 绩效考核奖励 have no figures in the text; their tables ship unset:
- `pay.rank_allowance`: per tier, brackets of completed community-service years →
  monthly amount, `{ principal = [[0, "…"], [3, "…"]], deputy = [...], general = [...] }`
  (one `[0, amount]` row gives a flat amount);
- `pay.performance_reward`: per tier, a monthly amount by the previous year's year-end grade,
  `{ principal = { excellent = "…", qualified = "…", basically_qualified = "…",
  unqualified = "…", ungraded = "…" }, … }`; `ungraded` is for a worker with no grade recorded
  for that year (new hires); without it such a worker's pay stops with a message.

Cross-appointment is encouraged (第十三条); a worker holding several posts is paid at the highest
tier, never twice. The month is paid on the posts held on its last day in service. The text says
nothing of part months, so a month begun or ended in service is paid by the national rule
(`core.proration`, 劳社部发〔2008〕3号): each line ÷ 21.75 × paid days in service (`pay.proration`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, completed_years
from core.proration import prorate, share_for
from core.results import Month, PayLine, Reason, round_money
from core.rulekit import bracket, days_where, highest_tier
from plugins.jiulongpo.common import amount, cite, in_service, table
from plugins.jiulongpo.posts import DEPUTY, GENERAL, PRINCIPAL, TIER_ORDER, TIERS

INCOME = "pay.base.disposable_income"
CITE = "004_5569dc7a30480689.txt 第二十条"


def tier_of(posts: Sequence[str], day: dt.date) -> str:
    if not posts:
        raise ValidationError("posts", msg("jiulongpo.error.no_post", day=day))
    unknown = [p for p in posts if p not in TIERS]
    if unknown:
        raise ValidationError("posts", msg("jiulongpo.error.unknown_post", post=", ".join(unknown)))
    tier = highest_tier(posts, TIERS, TIER_ORDER)
    assert tier is not None  # every known post has a tier
    return tier


def income_of(year: int, day: dt.date, ctx: RuleContext) -> Decimal:
    """The district's urban per-capita disposable income of `year`, or MissingParameter naming it."""
    incomes = table(ctx.params, INCOME, day)
    if str(year) not in incomes:
        raise MissingParameter(ctx.jurisdiction, INCOME, day, CITE, detail=str(year))
    return amount(incomes[str(year)], f"{INCOME}.{year}")


def base_allowance(tier: str, posts: Sequence[str], year: int, day: dt.date, ctx: RuleContext) -> PayLine:
    p = ctx.params
    income = income_of(year - 1, day, ctx)
    multiplier = p.decimal("pay.base.multiplier", day)
    months = p.integer("pay.base.months_per_year", day)
    ratio = {
        PRINCIPAL: Decimal(1),
        DEPUTY: p.decimal("pay.base.deputy_ratio", day),
        GENERAL: p.decimal("pay.base.general_ratio", day),
    }[tier]
    monthly = income * multiplier * ratio / months
    reasons = [
        Reason(
            msg(
                "jiulongpo.pay.reason.base",
                year=year - 1,
                income=income,
                multiplier=multiplier,
                months=months,
            ),
            cite("第二十条"),
            {"income_year": year - 1, "income": income, "multiplier": multiplier},
        ),
        Reason(msg(f"jiulongpo.pay.reason.tier.{tier}", ratio=ratio), cite("第二十条"), {"tier": tier}),
    ]
    if len(posts) > 1:
        reasons.append(
            Reason(
                msg("jiulongpo.pay.reason.cross", count=len(posts), tier=msg(f"jiulongpo.tier.{tier}")),
                cite("第十三条；第二十条"),
                {"posts": list(posts)},
            )
        )
    return PayLine(
        "base_allowance",
        msg("jiulongpo.pay.base_allowance"),
        round_money(monthly),
        cite("第二十条"),
        {"tier": tier, "posts": list(posts), "income_year": year - 1, "income": income, "ratio": ratio},
        tuple(reasons),
    )


def _brackets(raw: Any, where: str) -> list[tuple[int, Decimal]]:
    if not isinstance(raw, list) or not raw:
        raise ValidationError(where, msg("jiulongpo.error.brackets", where=where))
    rows = []
    for i, row in enumerate(raw):
        if (
            not isinstance(row, list)
            or len(row) != 2
            or isinstance(row[0], bool)
            or not isinstance(row[0], int)
        ):
            raise ValidationError(f"{where}[{i}]", msg("jiulongpo.error.brackets", where=where))
        rows.append((row[0], amount(row[1], f"{where}[{i}]")))
    return sorted(rows)


def rank_allowance(worker: Worker, tier: str, day: dt.date, ctx: RuleContext) -> PayLine:
    rates = table(ctx.params, "pay.rank_allowance", day)
    if tier not in rates:
        raise MissingParameter(ctx.jurisdiction, "pay.rank_allowance", day, CITE, detail=tier)
    rows = _brackets(rates[tier], f"pay.rank_allowance.{tier}")
    years = completed_years(worker.service_start, day)
    # rulekit.bracket answers with the row reached (1-based), 0 when none is reached yet.
    row = bracket(years, [(threshold, i + 1) for i, (threshold, _) in enumerate(rows)])
    value = rows[row - 1][1] if row else Decimal(0)
    text = (
        msg("jiulongpo.pay.reason.rank", years=years, threshold=rows[row - 1][0], amount=value)
        if row
        else msg("jiulongpo.pay.reason.rank_none", years=years, threshold=rows[0][0])
    )
    return PayLine(
        "rank_allowance",
        msg("jiulongpo.pay.rank_allowance"),
        round_money(value),
        cite("第二十条"),
        {"tier": tier, "service_years": years},
        (Reason(text, cite("第二十条")),),
    )


def performance_reward(worker: Worker, tier: str, year: int, day: dt.date, ctx: RuleContext) -> PayLine:
    rates = table(ctx.params, "pay.performance_reward", day)
    if tier not in rates:
        raise MissingParameter(ctx.jurisdiction, "pay.performance_reward", day, CITE, detail=tier)
    if not isinstance(rates[tier], Mapping):
        raise ValidationError(
            f"pay.performance_reward.{tier}",
            msg("jiulongpo.error.table_shape", name=f"pay.performance_reward.{tier}"),
        )
    by_grade = rates[tier]
    grade = worker.grade_for(year - 1)
    key = grade or "ungraded"
    if key not in by_grade:
        if grade is None:
            raise ValidationError("assessments", msg("jiulongpo.error.no_grade", year=year - 1))
        raise MissingParameter(
            ctx.jurisdiction, "pay.performance_reward", day, CITE, detail=f"{tier}.{grade}"
        )
    value = amount(by_grade[key], f"pay.performance_reward.{tier}.{key}")
    text = (
        msg("jiulongpo.pay.reason.performance", year=year - 1, grade=msg(f"grade.{grade}"), amount=value)
        if grade
        else msg("jiulongpo.pay.reason.performance_ungraded", year=year - 1, amount=value)
    )
    return PayLine(
        "performance_reward",
        msg("jiulongpo.pay.performance_reward"),
        round_money(value),
        cite("第二十条；第三十二条 1"),
        {"tier": tier, "grade_year": year - 1, "grade": grade},
        (Reason(text, cite("第三十二条 1")),),
    )


def pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
    served = days_where(worker, month.first_day, month.last_day, lambda d: in_service(worker, d))
    if not served:
        return []
    day = served[-1]
    posts = worker.posts_on(day)
    tier = tier_of(posts, day)
    share = share_for(ctx, month, served)
    return [
        prorate(line, share)
        for line in (
            base_allowance(tier, posts, month.year, day, ctx),
            rank_allowance(worker, tier, day, ctx),
            performance_reward(worker, tier, month.year, day, ctx),
        )
    ]
