"""Monthly subsidy (第十三、十四条): one table per district, by post, performance and years.

第十三条 sets the principle (岗位、工作绩效、工作年限) and 第十四条 leaves the figures to each
区、县(市) civil-affairs bureau, with extras for 助理社会工作师 / 社会工作师. No figure is invented:
the table parameter `pay.district_table` ships unset, and every line names the entry it used.

Table shape (one entry per district name, as written on the community record):

    [override.value."和平区"]
    year_step = "20"            # per completed year of community work, per month
    year_cap = 30               # optional: most years counted
    posts = { committee_director = "2600", committee_member = "2200", staff = "2000", ... }
    performance = { excellent = "300", competent = "200", warning = "0", incompetent = "0", ungraded = "200" }
    certificate = { assistant_social_worker = "100", social_worker = "200" }

Readings: a month is paid on the posts held and the years completed on its last day in service
(a post change mid-month takes effect for that month), and a month only partly in service is
paid by the national rule (`core.proration`, 劳社部发〔2008〕3号: each line ÷ 21.75 × paid days in
service, `pay.proration`; the text has no rule of its own); see also `pay.cross_appointment`,
`pay.certificate_mode` and `pay.performance_basis` in params.toml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import IN_SERVICE, Worker, completed_years
from core.proration import share_for
from core.results import Month, PayLine, Reason, round_money
from core.rulekit import days_where
from plugins.shenyang.common import as_amount, cite, join, missing_entry, text_param
from plugins.shenyang.grading import grade_of
from plugins.shenyang.posts import check_post, grade_rank
from plugins.shenyang.records import HALF_YEAR, YEAR_END

TABLE = "pay.district_table"
ARTICLE = "第十三条、第十四条"  # the articles that leave the table to the districts
TITLE_KINDS = ("assistant_social_worker", "social_worker")  # named by 第十四条
UNGRADED = "ungraded"


def service_days(worker: Worker, month: Month) -> list[dt.date]:
    return days_where(
        worker,
        month.first_day,
        month.last_day,
        lambda day: day >= worker.service_start and worker.status_on(day) in IN_SERVICE,
    )


def _section(
    entry: Mapping[str, Any], key: str, ctx: RuleContext, on: dt.date, district: str
) -> Mapping[str, Any]:
    section = entry.get(key)
    if section is None:
        raise missing_entry(ctx, TABLE, on, f"{district}.{key}", ARTICLE)
    if not isinstance(section, Mapping):
        raise ValidationError(f"{TABLE}.{district}.{key}", msg("shenyang.invalid.table_section", key=key))
    return section


def _amount(section: Mapping[str, Any], code: str, ctx: RuleContext, on: dt.date, path: str) -> Decimal:
    if code not in section:
        raise missing_entry(ctx, TABLE, on, f"{path}.{code}", ARTICLE)
    return as_amount(section[code], TABLE, f"{path}.{code}")


def district_entry(ctx: RuleContext, on: dt.date) -> tuple[str, Mapping[str, Any]]:
    if ctx.community is None:
        raise ValidationError("community", msg("shenyang.invalid.no_community"))
    try:
        table = ctx.params.value(TABLE, on)
    except MissingParameter as exc:  # until the districts fill it in: say where the text leaves it to them
        raise MissingParameter(exc.jurisdiction, exc.name, exc.on, str(cite(ARTICLE))) from None
    district = ctx.community.district
    if not isinstance(table, Mapping):
        raise ValidationError(TABLE, msg("shenyang.invalid.table_section", key=TABLE))
    entry = table.get(district)
    if entry is None:
        raise missing_entry(ctx, TABLE, on, district, ARTICLE)
    if not isinstance(entry, Mapping):
        raise ValidationError(f"{TABLE}.{district}", msg("shenyang.invalid.table_section", key=district))
    return district, entry


def performance_grade(
    worker: Worker, month: Month, ctx: RuleContext, on: dt.date
) -> tuple[int, str, str | None]:
    """Which assessment the month's performance subsidy follows (Reading `pay.performance_basis`)."""
    basis = text_param(ctx, "pay.performance_basis", on, ("latest_period", "previous_year"))
    if basis == "latest_period" and month.month >= 7:
        year, period = month.year, HALF_YEAR
    else:
        year, period = month.year - 1, YEAR_END
    return year, period, grade_of(worker, year, period)


def pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
    days = service_days(worker, month)
    if not days:
        return []
    ref = days[-1]
    share = share_for(ctx, month, days)
    district, entry = district_entry(ctx, ref)
    lines: list[tuple[str, Decimal, str, dict[str, Any], list[Reason]]] = []

    # 岗位 (第十三条): the posts held on the reference day.
    held = sorted({check_post(p) for p in worker.posts_on(ref)})
    if not held:
        raise ValidationError("posts", msg("shenyang.invalid.no_post", day=ref))
    posts = _section(entry, "posts", ctx, ref, district)
    amounts = {p: _amount(posts, p, ctx, ref, f"{district}.posts") for p in held}
    mode = text_param(ctx, "pay.cross_appointment", ref, ("highest", "sum"))
    post_amount = max(amounts.values()) if mode == "highest" else sum(amounts.values(), Decimal(0))
    lines.append(
        (
            "post_subsidy",
            post_amount,
            "第十三条、第十四条",
            {"district": district, "posts": held, "amounts": amounts, "mode": mode},
            [
                Reason(
                    msg(
                        "shenyang.pay.reason.post",
                        district=district,
                        posts=join([msg(f"shenyang.post.{p}") for p in held]),
                        amount=post_amount,
                        mode=msg(f"shenyang.pay.mode.{mode}"),
                    ),
                    cite("第十三条、第十四条"),
                )
            ],
        )
    )

    # 工作年限 (第十三条): completed years of community work.
    years = completed_years(worker.service_start, ref)
    step = as_amount(entry.get("year_step"), TABLE, f"{district}.year_step") if "year_step" in entry else None
    if step is None:
        raise missing_entry(ctx, TABLE, ref, f"{district}.year_step", ARTICLE)
    counted = years
    cap = entry.get("year_cap")
    if cap is not None:
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise ValidationError(
                f"{TABLE}.{district}.year_cap", msg("shenyang.invalid.amount", value=repr(cap))
            )
        counted = min(years, cap)
    lines.append(
        (
            "seniority_subsidy",
            step * counted,
            "第十三条",
            {
                "service_start": worker.service_start,
                "years": years,
                "counted": counted,
                "step": step,
                "cap": cap,
            },
            [
                Reason(
                    msg("shenyang.pay.reason.seniority", years=years, counted=counted, step=step),
                    cite("第十三条"),
                )
            ],
        )
    )

    # 工作绩效 (第十三条; a 告诫 lowers it, 第三十二条): by the grade of the assessment it follows.
    performance = _section(entry, "performance", ctx, ref, district)
    g_year, g_period, grade = performance_grade(worker, month, ctx, ref)
    period_label = msg(f"shenyang.period.{g_period}")
    if grade is None:
        perf = _amount(performance, UNGRADED, ctx, ref, f"{district}.performance")
        why = msg("shenyang.pay.reason.performance_ungraded", year=g_year, period=period_label, amount=perf)
    else:
        grade_rank(grade)
        perf = _amount(performance, grade, ctx, ref, f"{district}.performance")
        why = msg(
            "shenyang.pay.reason.performance",
            year=g_year,
            period=period_label,
            grade=msg(f"shenyang.grade.{grade}"),
            amount=perf,
        )
    lines.append(
        (
            "performance_subsidy",
            perf,
            "第十三条、第三十二条",
            {"year": g_year, "period": g_period, "grade": grade or UNGRADED},
            [Reason(why, cite("第十三条、第三十二条"))],
        )
    )

    # 职称 (第十四条): 助理社会工作师、社会工作师 "可适当增加补贴", from the month registered.
    extras_table = _section(entry, "certificate", ctx, ref, district)
    kinds = sorted(
        {
            c.kind
            for c in worker.certificates
            if c.registered <= ref and (c.kind in TITLE_KINDS or c.kind in extras_table)
        }
    )
    if kinds:
        extras = {k: _amount(extras_table, k, ctx, ref, f"{district}.certificate") for k in kinds}
        cmode = text_param(ctx, "pay.certificate_mode", ref, ("highest", "sum"))
        extra = max(extras.values()) if cmode == "highest" else sum(extras.values(), Decimal(0))
        lines.append(
            (
                "certificate_subsidy",
                extra,
                "第十四条",
                {"certificates": kinds, "amounts": extras, "mode": cmode},
                [
                    Reason(
                        msg(
                            "shenyang.pay.reason.certificate",
                            kinds=join([msg(f"shenyang.certificate.{k}") for k in kinds]),
                            amount=extra,
                            mode=msg(f"shenyang.pay.certificate_mode.{cmode}"),
                        ),
                        cite("第十四条"),
                    )
                ],
            )
        )

    out = []
    for code, amount, article, inputs, reasons in lines:
        out.append(
            PayLine(
                code=code,
                label=msg(f"shenyang.pay.line.{code}"),
                amount=round_money(amount * share.share),
                citation=cite(article),
                inputs=inputs | {"reference_day": ref, "days_in_service": len(days), "share": share.share},
                reasons=(*reasons, *share.reasons()),
            )
        )
    return out
