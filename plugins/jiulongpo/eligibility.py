"""Promotion seniority (第十六条 2); the text has no computable recruitment conditions.

"社区'两委'正职原则上需在副职工作岗位上任职满3年或有3年以上相关岗位管理经验": for 书记 or 主任,
3 years in a deputy post (副书记 / 副主任), counted from the post records, or 3 years' related
management experience, which the registry does not hold: a worker short on deputy years is told
that this other path must be checked by hand. "社区党组织副书记、居委会副主任原则上需在社区'两委'
成员或社区专职工作人员岗位上任职满3年以上": every community worker is one or the other (第二条), so
completed years of community service count. "满3年" includes 3.

Years in posts: the held spans are merged (a cross-appointment counts once) and each span's
completed months are added up; 36 months make 3 years.
"""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, completed_months, completed_years
from core.results import Eligibility, Reason
from plugins.jiulongpo.common import cite
from plugins.jiulongpo.posts import DEPUTY, DEPUTY_POSTS, PRINCIPAL, TIERS


def months_in(worker: Worker, posts: frozenset[str], on: dt.date) -> int:
    """Completed months spent in any of `posts` before `on` (each day counted once)."""
    spans = sorted(
        (t.start, min(t.end + dt.timedelta(days=1), on) if t.end is not None else on)
        for t in worker.posts
        if t.post in posts and t.start < on
    )
    merged: list[list[dt.date]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    return sum(completed_months(start, stop) for start, stop in merged)


def eligibility(
    worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext
) -> Eligibility | None:
    if purpose != "promotion":
        return None  # 第十五条 states qualities, not conditions a record can show
    if target not in TIERS:
        raise ValidationError("target", msg("jiulongpo.error.unknown_post", post=target))
    tier = TIERS[target]
    if tier == PRINCIPAL:
        need = ctx.params.integer("promotion.principal.deputy_years", on)
        months = months_in(worker, DEPUTY_POSTS, on)
        ok = months >= need * 12
        reasons = [
            Reason(
                msg("jiulongpo.eligibility.deputy_years", years=months // 12, months=months % 12, need=need),
                cite("第十六条 2"),
                {"deputy_months": months, "need_years": need},
            )
        ]
        if not ok:
            reasons.append(
                Reason(msg("jiulongpo.eligibility.management_path", need=need), cite("第十六条 2"))
            )
        return Eligibility(purpose, target, ok, tuple(reasons))
    if tier == DEPUTY:
        need = ctx.params.integer("promotion.deputy.service_years", on)
        years = completed_years(worker.service_start, on)
        return Eligibility(
            purpose,
            target,
            years >= need,
            (
                Reason(
                    msg(
                        "jiulongpo.eligibility.service_years",
                        years=years,
                        need=need,
                        start=worker.service_start,
                    ),
                    cite("第十六条 2；第二条"),
                    {"service_years": years, "need_years": need},
                ),
            ),
        )
    raise ValidationError("target", msg("jiulongpo.error.no_promotion_rule", post=target))
