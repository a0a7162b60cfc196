"""Posts per community (第4条) and the findings about a community as a whole (第4条, 第6条).

"由市民政局按社区逐个核算社区两委成员、社区后备干部职数 … 各街道在社区工作者总数不突破的前提下 …
统筹使用辖区社区工作者，街道统筹后的社区两委成员、社区后备干部职数与市民政局核算职数相差均不得超过
1名。" The city's quota per type is `Community.post_quotas["liangwei"]` and `["reserve_cadre"]`; a
community may be staffed from quota − 1 to quota + 1 of each type ("不得超过1名" includes 1). Where
the street has recorded its reallocation, it sits under `"<type>.allocated"`; the street's total
of posts (allocation where recorded, else the quota) must not exceed the sum of the quotas. Which
communities took the extra posts get the finding, since they are the ones that must give back.

第6条: "社区两委正职担任网格长": a community with nobody in a principal post has no grid head.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, Worker
from core.results import Finding, Reason, Severity, StaffingRequirement
from plugins.ningguo.common import cite, in_service
from plugins.ningguo.posts import ALLOCATED, TYPES, is_principal, type_label, type_on, unknown_posts


def quota(community: Community, kind: str) -> int | None:
    return community.post_quotas.get(kind)


def allocated(community: Community, kind: str) -> int | None:
    return community.post_quotas.get(kind + ALLOCATED)


def in_post_counts(community: Community, workers: Sequence[Worker], on: dt.date) -> Counter[str]:
    """People in post per type on `on`; a worker with a 两委 and a reserve post counts once, as 两委,
    and one holding a post the text does not name is left to their own finding."""
    counts: Counter[str] = Counter()
    for w in workers:
        if w.community_id != community.id or not in_service(w, on) or unknown_posts(w.posts_on(on)):
            continue
        kind = type_on(w, on)
        if kind is not None:
            counts[kind] += 1
    return counts


def staffing(community: Community, workers: Sequence[Worker], ctx: RuleContext) -> StaffingRequirement:
    tolerance = ctx.params.integer("staffing.tolerance", ctx.today)
    missing = [k for k in TYPES if quota(community, k) is None]
    if missing:
        raise ValidationError(
            f"post_quotas.{missing[0]}",
            msg("ningguo.error.quota_missing", community=community.name, type=type_label(missing[0])),
        )
    by_type: dict[str, tuple[int, int | None]] = {}
    reasons = []
    for kind in TYPES:
        q = quota(community, kind)
        assert q is not None
        low, high = max(0, q - tolerance), q + tolerance
        by_type[kind] = (low, high)
        reasons.append(
            Reason(
                msg("ningguo.staffing.range", type=type_label(kind), quota=q, low=low, high=high),
                cite(4),
                {"type": kind, "quota": q, "tolerance": tolerance, "allocated": allocated(community, kind)},
            )
        )
    counts = in_post_counts(community, workers, ctx.today)
    lows = sum(lo for lo, _ in by_type.values())
    highs = sum(hi or 0 for _, hi in by_type.values())
    return StaffingRequirement(
        community.id,
        lows,
        highs,
        cite(4),
        by_type,
        {"post_quotas": dict(community.post_quotas), "tolerance": tolerance},
        tuple(reasons),
        in_post_by_type={kind: counts.get(kind, 0) for kind in TYPES},
    )


def community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding]:
    subject = f"community:{community.id}"
    present = [w for w in workers if w.community_id == community.id and in_service(w, on)]
    out: list[Finding] = []
    tolerance = ctx.params.integer("staffing.tolerance", on)
    counts = in_post_counts(community, present, on)
    for kind in TYPES:
        q = quota(community, kind)
        if q is None:
            out.append(
                Finding(
                    "quota_missing",
                    Severity.ERROR,
                    msg(
                        "ningguo.finding.quota_missing",
                        community=community.name,
                        type=type_label(kind),
                        field=kind,
                    ),
                    cite(4),
                    subject,
                    inputs={"type": kind},
                )
            )
            continue
        low, high = max(0, q - tolerance), q + tolerance
        given = allocated(community, kind)
        if given is not None and abs(given - q) > tolerance:
            out.append(
                Finding(
                    "allocation_out_of_range",
                    Severity.WARNING,
                    msg(
                        "ningguo.finding.allocation_out_of_range",
                        type=type_label(kind),
                        allocated=given,
                        quota=q,
                        tolerance=tolerance,
                    ),
                    cite(4),
                    subject,
                    inputs={"type": kind, "allocated": given, "quota": q, "tolerance": tolerance},
                )
            )
        n = counts.get(kind, 0)
        if n > high:
            out.append(
                Finding(
                    "headcount_above_range",
                    Severity.WARNING,
                    msg(
                        "ningguo.finding.headcount_above", type=type_label(kind), count=n, quota=q, high=high
                    ),
                    cite(4),
                    subject,
                    inputs={"type": kind, "count": n, "quota": q, "high": high},
                )
            )
        elif n < low:
            out.append(
                Finding(
                    "headcount_below_range",
                    Severity.INFO,
                    msg("ningguo.finding.headcount_below", type=type_label(kind), count=n, quota=q, low=low),
                    cite(4),
                    subject,
                    inputs={"type": kind, "count": n, "quota": q, "low": low},
                )
            )
    out.extend(_street_total(community, ctx))
    if not any(is_principal(w, on) for w in present):
        out.append(
            Finding(
                "no_grid_leader", Severity.WARNING, msg("ningguo.finding.no_grid_leader"), cite(6), subject
            )
        )
    return out


def _posts(community: Community) -> tuple[int, int] | None:
    """(posts in use after the street's reallocation, city quota) over both types; None if unknown."""
    used = total = 0
    for kind in TYPES:
        q = quota(community, kind)
        if q is None:
            return None
        a = allocated(community, kind)
        used += q if a is None else a
        total += q
    return used, total


def _street_total(community: Community, ctx: RuleContext) -> list[Finding]:
    street = {c.id: c for c in ctx.street_communities}
    street[community.id] = community
    figures = {cid: _posts(c) for cid, c in street.items()}
    known = {cid: f for cid, f in figures.items() if f is not None}
    if len(known) != len(figures):
        return []  # a community without quotas has its own finding; the street sum is unknown
    used = sum(u for u, _ in known.values())
    total = sum(t for _, t in known.values())
    mine = known[community.id]
    if used <= total or mine[0] <= mine[1]:
        return []
    return [
        Finding(
            "street_total_exceeded",
            Severity.WARNING,
            msg(
                "ningguo.finding.street_total",
                street=community.street,
                used=used,
                total=total,
                mine=mine[0],
                quota=mine[1],
            ),
            cite(4),
            f"community:{community.id}",
            inputs={
                "street_posts": used,
                "street_quota": total,
                "community_posts": mine[0],
                "community_quota": mine[1],
            },
        )
    ]
