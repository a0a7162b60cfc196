"""The size of a community's 两委 (第十三条) and the findings about it.

"社区'两委'职数，一般按照5到9人配备，鼓励'两委'成员交叉任职": 5 to 9 people, counted as people, so
a cross-appointed member counts once. The community's total number of workers is set by the
district (第十二条: 区委组织部、区民政局、区财政局 … 核定) and is not in the text; the requirement's
minimum is the 5 the 两委 need and its maximum is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, Worker
from core.results import Finding, Reason, Severity, StaffingRequirement
from plugins.jiulongpo.common import cite, in_service
from plugins.jiulongpo.posts import TWO_COMMITTEES

GROUP = "two_committees"


def two_committee_members(workers: Sequence[Worker], community_id: str, on: dt.date) -> int:
    return sum(
        1
        for w in workers
        if w.community_id == community_id and in_service(w, on) and set(w.posts_on(on)) & TWO_COMMITTEES
    )


def staffing(community: Community, workers: Sequence[Worker], ctx: RuleContext) -> StaffingRequirement:
    on = ctx.today
    low = ctx.params.integer("staffing.two_committees.min", on)
    high = ctx.params.integer("staffing.two_committees.max", on)
    members = two_committee_members(workers, community.id, on)
    return StaffingRequirement(
        community_id=community.id,
        minimum=low,
        maximum=None,  # 第十二条: the district sets the total; the text gives no ceiling for it
        citation=cite("第十三条"),
        by_type={GROUP: (low, high)},
        inputs={"two_committees_in_post": members},
        in_post_by_type={"two_committees": members},
        reasons=(
            Reason(msg("jiulongpo.staffing.reason.two_committees", low=low, high=high), cite("第十三条")),
            Reason(msg("jiulongpo.staffing.reason.total"), cite("第十二条")),
        ),
    )


def community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding]:
    low = ctx.params.integer("staffing.two_committees.min", on)
    high = ctx.params.integer("staffing.two_committees.max", on)
    members = two_committee_members(workers, community.id, on)
    if low <= members <= high:  # "5到9人": both ends allowed
        return []
    return [
        Finding(
            "two_committees_out_of_range",
            Severity.WARNING,
            msg("jiulongpo.finding.two_committees_out_of_range", members=members, low=low, high=high),
            cite("第十三条"),
            f"community:{community.id}",
            inputs={"members": members, "minimum": low, "maximum": high},
        )
    ]
