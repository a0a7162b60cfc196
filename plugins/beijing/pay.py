"""A Beijing worker's monthly pay lines (第四篇 第五条(一)1-2, (二), (三)).

- 基本工资 by tier: 正职 720, 副职 640, 一般 590 (第五条(一)1).
- 职务年限补贴: the tier's starting value (960 / 845 / 740) plus 50 a month for each increment
  earned (`service.seniority`, 第五条(一)2).
- 职业水平补贴: 社会工作师 80, 助理社会工作师 50 "自完成登记注册当月起" — from the month of
  registration, the whole month; one allowance, the higher (第五条(二)). Districts may raise it
  (`pay.certificate_allowance`).
- A retiree re-employed full time in the 两委 gets a 生活补贴 "参照……职务年限补贴和奖金执行"
  (第五条(三)): the seniority allowance as a living allowance, no base wage, no certificate
  allowance; the bonus share comes with the yearly pool.

Cross-appointment: "兼职不兼酬、就高不就低" — the highest tier held, never a sum.
A month begun or ended in service is paid by the national rule (`core.proration`, 劳社部发〔2008〕
3号: monthly pay ÷ 21.75 × paid days in service; `pay.proration`, calendar days the alternative);
the text has none of its own. A month with a change of post pays each tier on its share of the
month's paid days. The increments are counted on the pay month's last day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from core.certificates import holding
from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker
from core.proration import MonthShare, share_for
from core.results import Month, PayLine, Reason, round_money
from core.rulekit import days_between, steady_starts, steady_stretches
from plugins.beijing.common import amount, city, in_service, table_entry
from plugins.beijing.posts import TIER_ORDER, posts_label, tier_label, tier_of
from plugins.beijing.service import reasons as seniority_reasons
from plugins.beijing.service import seniority

CERTIFICATE_ALLOWANCE = "pay.certificate_allowance"


def paid_days(worker: Worker, month: Month) -> list[dt.date]:
    """The days of the month served, in order.

    Whether a day is served is asked once per stretch of days over which the worker's status and
    posts stay the same (`steady_stretches`), not once per day."""
    serving: list[dt.date] = []
    for first, last in steady_stretches(worker, month.first_day, month.last_day):
        if not in_service(worker, first):
            continue
        # A retiree is paid while re-employed in a post; a day without one is not a day at work.
        if worker.reemployed_retiree and not worker.posts_on(first):
            continue
        serving.extend(days_between(first, last))
    return serving


def tiers_paid(worker: Worker, days: list[dt.date]) -> tuple[dict[str, list[dt.date]], list[Reason]]:
    """Days served per tier, and the posts behind each tier (就高不就低 when several are held).

    The posts and tier are worked out once per run of `days` (ascending, as `paid_days` gives
    them) that falls in one stretch of unchanged posts, not once per day."""
    counts: dict[str, list[dt.date]] = {}
    spans: dict[tuple[str, ...], list[dt.date]] = {}
    starts = steady_starts(worker, days[0], days[-1]) if days else []
    i = 0
    while i < len(days):
        at = bisect.bisect_right(starts, days[i]) - 1
        # The run goes on up to the next stretch's first day.
        j = bisect.bisect_left(days, starts[at + 1], i) if at + 1 < len(starts) else len(days)
        posts = worker.posts_on(starts[at])
        tier = tier_of(posts)
        if tier is None:
            raise ValidationError("posts", msg("beijing.error.no_post", name=worker.name, day=days[i]))
        counts.setdefault(tier, []).extend(days[i:j])
        first, last = days[i], days[j - 1]
        span = spans.setdefault(tuple(sorted(posts)), [first, last])
        span[0], span[1] = min(span[0], first), max(span[1], last)
        i = j
    out = []
    for posts, (first, last) in spans.items():
        tier = tier_of(posts)
        assert tier is not None
        key = "beijing.pay.cross_appointed" if len(posts) > 1 else "beijing.pay.post_tier"
        out.append(
            Reason(
                msg(key, posts=posts_label(posts), tier=tier_label(tier), start=first, end=last),
                city("第五条(一)"),
                {"posts": list(posts), "tier": tier, "from": first, "to": last},
            )
        )
    return counts, out


def pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
    on = month.last_day
    days = paid_days(worker, month)
    if not days:
        return []
    share = share_for(ctx, month, days)
    counts, post_reasons = tiers_paid(worker, days)
    tiers = [t for t in TIER_ORDER if t in counts]
    parts_of = {t: share.part(counts[t]) for t in tiers}
    lines: list[PayLine] = []
    facts = {
        "proration": share.basis,
        "share": share.share,
        "days": {t: len(counts[t]) for t in tiers},
        "parts": parts_of,
    }

    if not worker.reemployed_retiree:
        total = Decimal(0)
        parts = []
        for tier in tiers:
            base = amount(ctx.params.decimal(f"pay.base.{tier}", on), f"pay.base.{tier}")
            total += base * parts_of[tier]
            parts.append(_part(tier, base, len(counts[tier]), parts_of[tier], "第五条(一)1"))
        lines.append(
            PayLine(
                "base",
                msg("beijing.line.base"),
                round_money(total),
                city("第五条(一)1"),
                facts,
                (*post_reasons, *parts, *share.reasons()),
            )
        )

    s = seniority(worker, on, ctx)
    step = amount(ctx.params.decimal("pay.seniority.step", on), "pay.seniority.step")
    counts_ungraded = bool(ctx.params.value("service.ungraded_year_counts", on))
    total = Decimal(0)
    parts = []
    for tier in tiers:
        start = amount(ctx.params.decimal(f"pay.seniority.start.{tier}", on), f"pay.seniority.start.{tier}")
        monthly = start + step * s.increments
        total += monthly * parts_of[tier]
        parts.append(
            Reason(
                msg(
                    "beijing.pay.seniority_part",
                    tier=tier_label(tier),
                    start=start,
                    increments=s.increments,
                    step=step,
                    monthly=monthly,
                    days=len(counts[tier]),
                    share=parts_of[tier].quantize(Decimal("0.0001")),
                ),
                city("第五条(一)2"),
                {
                    "tier": tier,
                    "start": start,
                    "increments": s.increments,
                    "step": step,
                    "days": len(counts[tier]),
                    "part": parts_of[tier],
                },
            )
        )
    seniority_facts = {**facts, **s.inputs(), "step": step}
    seniority_why = (*seniority_reasons(s, counts_ungraded), *parts, *share.reasons())
    if worker.reemployed_retiree:
        lines.append(
            PayLine(
                "living_allowance",
                msg("beijing.line.living_allowance"),
                round_money(total),
                city("第五条(三)"),
                seniority_facts,
                (
                    Reason(msg("beijing.pay.retiree"), city("第五条(三)")),
                    *post_reasons,
                    *seniority_why,
                ),
            )
        )
        return lines
    lines.append(
        PayLine(
            "seniority_allowance",
            msg("beijing.line.seniority_allowance"),
            round_money(total),
            city("第五条(一)2"),
            seniority_facts,
            seniority_why,
        )
    )

    certificate = certificate_line(worker, month, ctx, share)
    if certificate is not None:
        lines.append(certificate)
    return lines


def _part(tier: str, monthly: Decimal, days: int, part: Decimal, article: str) -> Reason:
    share = part.quantize(Decimal("0.0001"))
    return Reason(
        msg("beijing.pay.base_part", tier=tier_label(tier), monthly=monthly, days=days, share=share),
        city(article),
        {"tier": tier, "monthly": monthly, "days": days, "part": part},
    )


def certificate_line(worker: Worker, month: Month, ctx: RuleContext, share: MonthShare) -> PayLine | None:
    """第五条(二): the higher of the allowances for certificates registered by the end of `month`.

    A higher certificate of the same line meets the rule for a lower one (`core.certificates`):
    a 高级社会工作师 with no entry of its own is paid the 社会工作师 allowance."""
    on = month.last_day
    table = ctx.params.value(CERTIFICATE_ALLOWANCE, on)
    if not isinstance(table, dict):
        raise ValidationError(CERTIFICATE_ALLOWANCE, msg("beijing.error.amount", value=repr(table)))
    met = {kind: cert for kind in table if (cert := holding(worker, kind, on)) is not None}
    if not met:
        return None
    kind = max(
        met,
        key=lambda k: (amount(table_entry(ctx, CERTIFICATE_ALLOWANCE, on, k), CERTIFICATE_ALLOWANCE), k),
    )
    best = met[kind]
    held = list(met.values())
    monthly = amount(table[kind], f"{CERTIFICATE_ALLOWANCE}.{kind}")
    reasons = [
        Reason(
            msg(
                "beijing.pay.certificate",
                certificate=msg(f"beijing.certificate.{kind}"),
                registered=best.registered,
                monthly=monthly,
            ),
            city("第五条(二)"),
            {"kind": kind, "registered": best.registered, "monthly": monthly},
        )
    ]
    if len({c.kind for c in held}) > 1:
        reasons.append(Reason(msg("beijing.pay.certificate_higher"), city("第五条(二)")))
    if best.kind != kind:
        reasons.append(
            Reason(
                msg(
                    "beijing.pay.certificate_above",
                    held=msg(f"beijing.certificate.{best.kind}"),
                    certificate=msg(f"beijing.certificate.{kind}"),
                ),
                city("第五条(二)"),
                {"held": best.kind, "paid_as": kind},
            )
        )
    reasons.extend(share.reasons())
    return PayLine(
        "certificate_allowance",
        msg("beijing.line.certificate_allowance"),
        round_money(monthly * share.share),
        city("第五条(二)"),
        {"kind": kind, "registered": best.registered, "monthly": monthly, "share": share.share},
        tuple(reasons),
    )
