"""Monthly pay of a Wenzhou community worker (第二十三条), every figure from operator tables.

第二十三条 names the parts — 基本工资 (职务工资, 工龄津贴, 职业职称津贴, 学历津贴) and 五险一金 —
but no amounts, so each part is an UNSET table parameter and pay stops with `MissingParameter`
until an operator fills it:

- `pay.post_wage`: 职务工资 per post, `{ party_secretary = "…", staff = "…", … }`;
- `pay.seniority_allowance`: 工龄津贴 per completed year of community service,
  `{ per_year = "…", max_years = N }` (`max_years` optional);
- `pay.title_allowance`: 职业职称津贴 per certificate or title code held, `{ social_worker = "…" }`;
- `pay.education_allowance`: 学历津贴 per education level, `{ bachelor = "…" }`;
- `pay.social_insurance`: the unit's 五险一金 share, `{ employer_rate = "0.xx", base = "…" }`
  (`base` optional: the month's basic wage). It is paid to the funds, not to the worker, so its
  line is not cash.

The month is paid on the posts and facts of its last day in service (a post change on the 15th
counts for the whole month). The text says nothing of part months, so a month begun or ended in
service is paid by the national rule (`core.proration`, 劳社部发〔2008〕3号): each wage line ÷ 21.75
× paid days in service (`pay.proration`). The 五险一金 share follows the cut basic wage, or its
fixed `base` when one is set (a contribution base is monthly).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, completed_years
from core.proration import MonthShare, prorate, share_for
from core.results import Month, PayLine, Reason, round_money
from core.rulekit import days_where
from plugins.wenzhou.common import cite, in_service
from plugins.wenzhou.posts import POST_CODES, post_label
from plugins.wenzhou.tables import amount, table, whole

COMBINE = ("highest", "sum")
CITE = "001_ab7657c5fca22a12.txt 第二十三条"


def _combine(values: list[Decimal], how: str, parameter: str) -> Decimal:
    if how == "highest":
        return max(values, default=Decimal(0))
    if how == "sum":
        return sum(values, Decimal(0))
    raise ValidationError(parameter, msg("wenzhou.error.combine", value=how, allowed=", ".join(COMBINE)))


def post_wage(worker: Worker, day: dt.date, ctx: RuleContext) -> PayLine:
    posts = worker.posts_on(day)
    if not posts:
        raise ValidationError("posts", msg("wenzhou.error.no_post", day=day))
    unknown = [p for p in posts if p not in POST_CODES]
    if unknown:
        raise ValidationError("posts", msg("wenzhou.error.unknown_post", post=", ".join(unknown)))
    rates = table(ctx.params, "pay.post_wage", day)
    values = []
    for post in posts:
        if post not in rates:
            raise MissingParameter(ctx.jurisdiction, "pay.post_wage", day, CITE, detail=post)
        values.append(amount(rates[post], f"pay.post_wage.{post}"))
    how = str(ctx.params.value("pay.post_wage.cross_appointment", day))
    total = _combine(values, how, "pay.post_wage.cross_appointment")
    if len(posts) == 1:
        text = msg("wenzhou.pay.reason.post", post=post_label(posts[0]), amount=values[0])
    elif how == "highest":
        top = posts[values.index(max(values))]
        text = msg("wenzhou.pay.reason.posts_highest", count=len(posts), post=post_label(top), amount=total)
    else:
        text = msg("wenzhou.pay.reason.posts_sum", count=len(posts), amount=total)
    reasons = (Reason(text, cite("第二十三条"), {"posts": list(posts), "amounts": [str(v) for v in values]}),)
    return PayLine(
        "post_wage",
        msg("wenzhou.pay.post_wage"),
        round_money(total),
        cite("第二十三条"),
        {"posts": list(posts), "cross_appointment": how},
        reasons,
    )


def seniority_allowance(worker: Worker, day: dt.date, ctx: RuleContext) -> PayLine:
    rule = table(ctx.params, "pay.seniority_allowance", day)
    if "per_year" not in rule:
        raise MissingParameter(ctx.jurisdiction, "pay.seniority_allowance", day, CITE, detail="per_year")
    per_year = amount(rule["per_year"], "pay.seniority_allowance.per_year")
    years = completed_years(worker.service_start, day)
    counted = years
    if "max_years" in rule:
        counted = min(years, whole(rule["max_years"], "pay.seniority_allowance.max_years"))
    return PayLine(
        "seniority_allowance",
        msg("wenzhou.pay.seniority_allowance"),
        round_money(per_year * counted),
        cite("第二十三条"),
        {
            "service_start": worker.service_start,
            "years": years,
            "counted_years": counted,
            "per_year": per_year,
        },
        (
            Reason(
                msg("wenzhou.pay.reason.seniority", years=years, counted=counted, per_year=per_year),
                cite("第二十三条"),
            ),
        ),
    )


def title_allowance(worker: Worker, day: dt.date, ctx: RuleContext) -> PayLine:
    rates = table(ctx.params, "pay.title_allowance", day)
    held = {kind: amount(v, f"pay.title_allowance.{kind}") for kind, v in rates.items()}
    held = {kind: v for kind, v in held.items() if worker.certificate_on(kind, day) is not None}
    how = str(ctx.params.value("pay.title_allowance.combine", day))
    total = _combine(list(held.values()), how, "pay.title_allowance.combine")
    reason = (
        msg(
            "wenzhou.pay.reason.titles",
            titles=", ".join(sorted(held)),
            how=msg(f"wenzhou.combine.{how}"),
            amount=total,
        )
        if held
        else msg("wenzhou.pay.reason.no_title")
    )
    return PayLine(
        "title_allowance",
        msg("wenzhou.pay.title_allowance"),
        round_money(total),
        cite("第二十三条"),
        {"held": sorted(held), "combine": how},
        (Reason(reason, cite("第二十三条")),),
    )


def education_allowance(worker: Worker, day: dt.date, ctx: RuleContext) -> PayLine:
    rates = table(ctx.params, "pay.education_allowance", day)
    level = worker.education.value
    if level in rates:
        value = amount(rates[level], f"pay.education_allowance.{level}")
        reason = msg("wenzhou.pay.reason.education", level=msg(f"wenzhou.education.{level}"), amount=value)
    else:
        value = Decimal(0)
        reason = msg("wenzhou.pay.reason.no_education", level=msg(f"wenzhou.education.{level}"))
    return PayLine(
        "education_allowance",
        msg("wenzhou.pay.education_allowance"),
        round_money(value),
        cite("第二十三条"),
        {"education": level},
        (Reason(reason, cite("第二十三条")),),
    )


def social_insurance(basic: Decimal, day: dt.date, ctx: RuleContext) -> PayLine:
    rule = table(ctx.params, "pay.social_insurance", day)
    if "employer_rate" not in rule:
        raise MissingParameter(ctx.jurisdiction, "pay.social_insurance", day, CITE, detail="employer_rate")
    rate = amount(rule["employer_rate"], "pay.social_insurance.employer_rate")
    base = amount(rule["base"], "pay.social_insurance.base") if "base" in rule else basic
    return PayLine(
        "social_insurance_employer",
        msg("wenzhou.pay.social_insurance"),
        round_money(base * rate),
        cite("第二十三条"),
        {"base": base, "employer_rate": rate, "base_is_basic_wage": "base" not in rule},
        (Reason(msg("wenzhou.pay.reason.social_insurance", base=base, rate=rate), cite("第二十三条")),),
        cash=False,
    )


def pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
    served = days_where(worker, month.first_day, month.last_day, lambda d: in_service(worker, d))
    if not served:
        return []
    return _lines(worker, served[-1], share_for(ctx, month, served), ctx)


def _lines(worker: Worker, day: dt.date, share: MonthShare, ctx: RuleContext) -> list[PayLine]:
    """The month's lines on its last day in service, each on the month's share."""
    lines = [
        prorate(line, share)
        for line in (
            post_wage(worker, day, ctx),
            seniority_allowance(worker, day, ctx),
            title_allowance(worker, day, ctx),
            education_allowance(worker, day, ctx),
        )
    ]
    basic = sum((line.amount for line in lines), Decimal(0))
    lines.append(social_insurance(basic, day, ctx))
    return lines


def year_pay(worker: Worker, year: int, ctx: RuleContext) -> tuple[Decimal, Decimal]:
    """第十九条 "年收入": the cash pay of `year`'s months as the records stand (months still to come
    counted at the pay the records give them), and the months of the year served — a part month
    counts its share of the month (`core.proration`), so a worker who joined or left during the
    year is held to the floor pro rata."""
    total = Decimal(0)
    months = Decimal(0)
    for number in range(1, 13):
        month = Month(year, number)
        served = days_where(worker, month.first_day, month.last_day, lambda d: in_service(worker, d))
        if not served:
            continue
        share = share_for(ctx, month, served)  # worked out once for the share and the lines
        months += share.share
        lines = _lines(worker, served[-1], share, ctx)
        total += sum((line.amount for line in lines if line.cash), Decimal(0))
    return total, months
