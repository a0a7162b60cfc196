"""The 服务站 staffing standard (第三篇 第十条, 北京市社区管理办法).

"社区服务站原则上按每500户居民配备1名专职工作人员标准执行。社区服务站一般设站长、副站长各1名，原则上
专设，也可由社区党组织或社区居委会负责人兼任。"

The standard counts 服务站 staff only: the 两委 are elected and the texts give their size nowhere,
so the community's total has this as its minimum and no maximum. Reading
(`staffing.station.rounding`): "每500户配备1名" is a standard to meet, so a part of 500 households
counts as one more (ceil, default); "floor" counts whole blocks only. Households are the
resident households (常住户数). A station head or deputy cross-appointed from the 两委 counts
once among the station's people.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, Post, Worker
from core.results import Finding, Reason, Severity, StaffingRequirement
from plugins.beijing.common import community_text, in_service, text_param
from plugins.beijing.posts import STATION_POSTS

STATION = "station"
ROUNDINGS = ("ceil", "floor")


def staffing(
    community: Community, workers: Sequence[Worker], ctx: RuleContext, on: dt.date | None = None
) -> StaffingRequirement:
    on = on or ctx.today
    households = community.households_resident
    if households <= 0:
        raise ValidationError(
            "households_resident", msg("beijing.error.no_households", community=community.name)
        )
    per = ctx.params.integer("staffing.station.households_per_worker", on)
    rounding = text_param(ctx, "staffing.station.rounding", on, ROUNDINGS)
    heads = ctx.params.integer("staffing.station.heads", on)
    needed = math.ceil(households / per) if rounding == "ceil" else households // per
    present = [w for w in workers if in_service(w, on)]
    in_station = sum(1 for w in present if any(p in STATION_POSTS for p in w.posts_on(on)))
    facts: dict[str, Any] = {
        "households_resident": households,
        "households_per_worker": per,
        "rounding": rounding,
        "station_staff": needed,
        "station_in_post": in_station,
    }
    cite = community_text("第十条")
    return StaffingRequirement(
        community.id,
        needed,
        None,
        cite,
        by_type={
            STATION: (needed, needed),
            Post.STATION_HEAD.value: (heads, heads),
            Post.STATION_DEPUTY_HEAD.value: (heads, heads),
        },
        inputs=facts,
        reasons=(
            Reason(
                msg(f"beijing.staffing.station_{rounding}", households=households, per=per, needed=needed),
                cite,
                facts,
            ),
            Reason(msg("beijing.staffing.heads", heads=heads), cite),
            Reason(msg("beijing.staffing.liangwei_open"), cite),
        ),
        in_post_by_type={STATION: in_station},
    )


def community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding]:
    req = staffing(community, workers, ctx, on)
    subject = f"community:{community.id}"
    needed = req.by_type[STATION][0]
    have = req.in_post_by_type[STATION]
    facts = {"needed": needed, "in_post": have, "households_resident": community.households_resident}
    out = []
    if have < needed:
        out.append(
            Finding(
                "station_understaffed",
                Severity.WARNING,
                msg("beijing.finding.station_understaffed", have=have, needed=needed),
                req.citation,
                subject,
                inputs=facts,
            )
        )
    elif have > needed:
        out.append(
            Finding(
                "station_above_standard",
                Severity.INFO,
                msg("beijing.finding.station_above_standard", have=have, needed=needed),
                req.citation,
                subject,
                inputs=facts,
            )
        )
    present = [w for w in workers if in_service(w, on)]
    for post in (Post.STATION_HEAD.value, Post.STATION_DEPUTY_HEAD.value):
        if not any(post in w.posts_on(on) for w in present):
            out.append(
                Finding(
                    f"no_{post}",
                    Severity.INFO,
                    msg("beijing.finding.no_station_leader", post=msg(f"post.{post}")),
                    req.citation,
                    subject,
                )
            )
    return out
