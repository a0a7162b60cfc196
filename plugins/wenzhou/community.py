"""Findings about a Wenzhou community as a whole: size, staffing, funds, space, disclosure.

Every finding cites its article. Community size "原则上" and "左右" are soft targets and 山区、海岛
communities may be smaller (第八条), so a size outside the band is a warning, never an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, CommunityKind, Worker
from core.results import Finding, Month, Severity
from plugins.wenzhou.common import basis_label, cite, households
from plugins.wenzhou.funds import funds_findings
from plugins.wenzhou.office import required_area
from plugins.wenzhou.staffing import headcount, need

RURAL_STANDARDS = ("county_town", "urban", "none")


def _band(kind: CommunityKind, on: dt.date, ctx: RuleContext) -> tuple[int, int | None] | None:
    """第八条's household band for a kind of community; None where no standard applies."""
    p = ctx.params
    standard = kind.value
    if kind == CommunityKind.RURAL:
        # "通过'转、并、联'方式成立的农村新社区按上述标准参照执行": which of the two is the choice.
        standard = str(p.value("size.rural_standard", on))
        if standard not in RURAL_STANDARDS:
            raise ValidationError(
                "size.rural_standard",
                msg("wenzhou.error.reading", value=standard, allowed=", ".join(RURAL_STANDARDS)),
            )
    if standard == "urban":
        return p.integer("size.urban.min_households", on), None
    if standard == "county_town":
        return p.integer("size.county_town.min_households", on), p.integer(
            "size.county_town.max_households", on
        )
    return None


def size_findings(
    community: Community, count: int, basis: str, on: dt.date, ctx: RuleContext
) -> list[Finding]:
    band = _band(community.kind, on, ctx)
    if band is None:
        return []
    low, high = band
    subject = f"community:{community.id}"
    inputs = {
        "households": count,
        "basis": basis,
        "minimum": low,
        "maximum": high,
        "kind": community.kind.value,
    }
    if count < low:  # "2000户以上" includes 2000
        return [
            Finding(
                "community_size_below_standard",
                Severity.WARNING,
                msg("wenzhou.finding.size_below", households=count, basis=basis_label(basis), minimum=low),
                cite("第八条"),
                subject,
                inputs=inputs,
            )
        ]
    if high is not None and count > high:  # "2000-4000户": 4000 itself is inside
        return [
            Finding(
                "community_size_above_standard",
                Severity.WARNING,
                msg("wenzhou.finding.size_above", households=count, basis=basis_label(basis), maximum=high),
                cite("第八条"),
                subject,
                inputs=inputs,
            )
        ]
    return []


def staffing_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding]:
    n = need(community, on, ctx)
    full_time, police = headcount(workers, community.id, on)
    subject = f"community:{community.id}"
    out = []
    if full_time < n.full_time:
        out.append(
            Finding(
                "staffing_short",
                Severity.WARNING,
                msg("wenzhou.finding.staffing_short", required=n.full_time, actual=full_time),
                cite("第十九条 第一款"),
                subject,
                inputs={"required": n.full_time, "actual": full_time},
            )
        )
    if police < n.police_assistants:
        out.append(
            Finding(
                "police_assistants_short",
                Severity.WARNING,
                msg(
                    "wenzhou.finding.police_short",
                    required=n.police_assistants,
                    actual=police,
                    new_residents=community.new_residents,
                ),
                cite("第十九条 第二款"),
                subject,
                inputs={"required": n.police_assistants, "actual": police},
            )
        )
    return out


def office_findings(community: Community, count: int, on: dt.date, ctx: RuleContext) -> list[Finding]:
    subject = f"community:{community.id}"
    required = required_area(count, on, ctx)
    inputs = {"households": count, "required_area": required, "office_area": community.office_area}
    if community.office_area == 0:
        return [
            Finding(
                "office_area_unrecorded",
                Severity.WARNING,
                msg("wenzhou.finding.office_unrecorded", required=required),
                cite("第十五条"),
                subject,
                inputs=inputs,
            )
        ]
    if community.office_area < required:  # "不少于" / "不低于": the bound itself is enough
        return [
            Finding(
                "office_space_short",
                Severity.WARNING,
                msg("wenzhou.finding.office_short", area=community.office_area, required=required),
                cite("第十五条"),
                subject,
                inputs=inputs,
            )
        ]
    return []


def disclosure_finding(community: Community, on: dt.date, ctx: RuleContext) -> Finding:
    """第十二条 / 第二十七条: publish at least once a period; due at the end of the current one."""
    months = ctx.params.integer("disclosure.interval_months", on)
    if months < 1 or 12 % months:
        raise ValidationError("disclosure.interval_months", msg("wenzhou.error.interval", value=months))
    end_month = ((on.month - 1) // months + 1) * months
    due = Month(on.year, end_month).last_day
    return Finding(
        "disclosure_schedule",
        Severity.INFO,
        msg("wenzhou.finding.disclosure", months=months, due=due),
        cite("第十二条 第二款；第二十七条"),
        f"community:{community.id}",
        due=due,
        inputs={"interval_months": months},
    )


def community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding]:
    basis = str(ctx.params.value("households.basis", on))
    count = households(community, basis, "households.basis")
    out: list[Finding] = []
    if count == 0:
        out.append(
            Finding(
                "households_unrecorded",
                Severity.WARNING,
                msg("wenzhou.finding.households_unrecorded", basis=basis_label(basis)),
                cite("第八条"),
                f"community:{community.id}",
                inputs={"basis": basis},
            )
        )
    else:
        out += size_findings(community, count, basis, on, ctx)
    out += staffing_findings(community, workers, on, ctx)
    out += office_findings(community, count, on, ctx)
    out += funds_findings(community, on, ctx)
    out.append(disclosure_finding(community, on, ctx))
    return out
