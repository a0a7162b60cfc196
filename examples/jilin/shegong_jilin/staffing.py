"""How many 社工岗 a community may set (4.1) and whether its two bodies have the structure 4.2-4.3 set.

4.1: "3000户以下社区，可按10人~15人左右设立'社工岗'，对超过3000户的社区，每增加300户~500户可增设1个
'社工岗'". RULES.md's Reading: a range whose low end adds one post per whole 500 households above
3000 and whose high end one per whole 300; "以下" includes 3000 and "超过" excludes it. The standard
says "可" (may): a count outside the range is a warning for the office, not an error.

People, not posts, are counted: a secretary who is also the director (4.2.2) is one person in each
body and one 社工岗. Part-time members take no 社工岗 (3.2) and no place in the Party organisation's
5-7 (4.2.1: "不占社区党组织班子成员职数").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, Post, Worker
from core.params import Parameters
from core.results import Citation, Finding, Reason, Severity, StaffingRequirement
from shegong_jilin.common import cite, households, in_service
from shegong_jilin.posts import (
    COMMITTEE_PART_TIME_MEMBER,
    PART_TIME,
    PARTY_ORGANISATION,
    PARTY_PART_TIME_MEMBER,
    RESIDENTS_COMMITTEE_FULL_TIME,
)

PARTY = "party_organisation"
COMMITTEE = "residents_committee"


@attrs.frozen
class Range:
    """Posts a community may set under 4.1, and the figures they came from."""

    minimum: int
    maximum: int
    households: int
    basis: str
    extra_for_minimum: int
    extra_for_maximum: int


def posts_range(community: Community, on: dt.date, params: Parameters) -> Range:
    basis = str(params.value("households.basis", on))
    count = households(community, basis)
    base = params.integer("staffing.base.households", on)
    above = max(0, count - base)  # "超过3000户": only households beyond 3000 add posts
    for_min = above // params.integer("staffing.extra.households_per_post.minimum", on)
    for_max = above // params.integer("staffing.extra.households_per_post.maximum", on)
    return Range(
        params.integer("staffing.base.minimum", on) + for_min,
        params.integer("staffing.base.maximum", on) + for_max,
        count,
        basis,
        for_min,
        for_max,
    )


def _present(workers: Sequence[Worker], community_id: str, on: dt.date) -> list[tuple[Worker, set[str]]]:
    return [(w, set(w.posts_on(on))) for w in workers if w.community_id == community_id and in_service(w, on)]


@attrs.frozen
class Counts:
    """People in each body and post on a day; `full_time` fill a 社工岗 (3.2)."""

    full_time: int
    party: int
    committee: int
    party_part_time: int
    by_post: dict[str, int]
    secretaries_directing: int  # secretaries who are also the residents' committee director


def count(workers: Sequence[Worker], community_id: str, on: dt.date, params: Parameters) -> Counts:
    committee_posts = set(RESIDENTS_COMMITTEE_FULL_TIME)
    if params.value("structure.residents_committee.count_part_time", on):
        committee_posts.add(COMMITTEE_PART_TIME_MEMBER)
    present = _present(workers, community_id, on)
    by_post: dict[str, int] = {}
    for _, posts in present:
        for post in posts:
            by_post[post] = by_post.get(post, 0) + 1
    return Counts(
        full_time=sum(1 for _, posts in present if not posts or posts - PART_TIME),
        party=sum(1 for _, posts in present if posts & PARTY_ORGANISATION),
        committee=sum(1 for _, posts in present if posts & committee_posts),
        party_part_time=sum(1 for _, posts in present if PARTY_PART_TIME_MEMBER in posts),
        by_post=by_post,
        secretaries_directing=sum(
            1 for _, posts in present if {Post.PARTY_SECRETARY.value, Post.COMMITTEE_DIRECTOR.value} <= posts
        ),
    )


def _bounds(params: Parameters, name: str, on: dt.date) -> tuple[int, int]:
    return params.integer(f"{name}.minimum", on), params.integer(f"{name}.maximum", on)


def staffing(community: Community, workers: Sequence[Worker], ctx: RuleContext) -> StaffingRequirement:
    on = ctx.today
    p = ctx.params
    r = posts_range(community, on, p)
    counts = count(workers, community.id, on, p)
    party = _bounds(p, "structure.party_organisation", on)
    committee = _bounds(p, "structure.residents_committee", on)
    deputies = _bounds(p, "structure.committee_deputy_director", on)
    one = p.integer("structure.one_each", on)
    reasons = [
        Reason(
            msg(
                "jilin.staffing.reason.base",
                households=r.households,
                basis=msg(f"jilin.basis.{r.basis}"),
                base=p.integer("staffing.base.households", on),
                low=p.integer("staffing.base.minimum", on),
                high=p.integer("staffing.base.maximum", on),
            ),
            cite("4.1"),
            {"households": r.households, "basis": r.basis},
        )
    ]
    if r.extra_for_minimum or r.extra_for_maximum:
        reasons.append(
            Reason(
                msg(
                    "jilin.staffing.reason.extra",
                    above=r.households - p.integer("staffing.base.households", on),
                    per_min=p.integer("staffing.extra.households_per_post.minimum", on),
                    per_max=p.integer("staffing.extra.households_per_post.maximum", on),
                    extra_min=r.extra_for_minimum,
                    extra_max=r.extra_for_maximum,
                ),
                cite("4.1"),
                {"extra_for_minimum": r.extra_for_minimum, "extra_for_maximum": r.extra_for_maximum},
            )
        )
    reasons.append(Reason(msg("jilin.staffing.reason.party", low=party[0], high=party[1]), cite("4.2.1")))
    reasons.append(
        Reason(msg("jilin.staffing.reason.committee", low=committee[0], high=committee[1]), cite("4.3.2"))
    )
    return StaffingRequirement(
        community_id=community.id,
        minimum=r.minimum,
        maximum=r.maximum,
        citation=cite("4.1"),
        by_type={
            PARTY: party,
            COMMITTEE: committee,
            Post.PARTY_SECRETARY.value: (one, one),
            Post.PARTY_DEPUTY_SECRETARY.value: (one, one),
            Post.COMMITTEE_DIRECTOR.value: (one, one),
            Post.COMMITTEE_DEPUTY_DIRECTOR.value: deputies,
        },
        inputs={
            "households": r.households,
            "households_basis": r.basis,
            "extra_for_minimum": r.extra_for_minimum,
            "extra_for_maximum": r.extra_for_maximum,
            "full_time_in_post": counts.full_time,
        },
        reasons=tuple(reasons),
        in_post_by_type={PARTY: counts.party, COMMITTEE: counts.committee},
    )


def community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding]:
    """社工岗 against 4.1, then the structure of both bodies against 4.2.1, 4.2.2 and 4.3.2."""
    p = ctx.params
    subject = f"community:{community.id}"
    r = posts_range(community, on, p)
    c = count(workers, community.id, on, p)
    one = p.integer("structure.one_each", on)
    out: list[Finding] = []
    if c.full_time < r.minimum:
        out.append(_finding("posts_below_range", "4.1", subject, c.full_time, r.minimum, r.maximum))
    elif c.full_time > r.maximum:
        out.append(_finding("posts_above_range", "4.1", subject, c.full_time, r.minimum, r.maximum))
    checks: Iterable[tuple[str, str, int, tuple[int, int]]] = (
        ("party_organisation_size", "4.2.1", c.party, _bounds(p, "structure.party_organisation", on)),
        ("party_secretary_count", "4.2.1", c.by_post.get(Post.PARTY_SECRETARY.value, 0), (one, one)),
        (
            "party_deputy_secretary_count",
            "4.2.1",
            c.by_post.get(Post.PARTY_DEPUTY_SECRETARY.value, 0),
            (one, one),
        ),
        ("residents_committee_size", "4.3.2", c.committee, _bounds(p, "structure.residents_committee", on)),
        ("committee_director_count", "4.3.2", c.by_post.get(Post.COMMITTEE_DIRECTOR.value, 0), (one, one)),
        (
            "committee_deputy_director_count",
            "4.3.2",
            c.by_post.get(Post.COMMITTEE_DEPUTY_DIRECTOR.value, 0),
            _bounds(p, "structure.committee_deputy_director", on),
        ),
    )
    for code, clause, found, (low, high) in checks:
        if not low <= found <= high:
            out.append(_finding(code, clause, subject, found, low, high))
    part_time = _bounds(p, "structure.party_part_time", on)
    only_present = p.value("structure.party_part_time.only_when_present", on)
    if (c.party_part_time or not only_present) and not part_time[0] <= c.party_part_time <= part_time[1]:
        out.append(_finding("party_part_time_size", "4.2.1", subject, c.party_part_time, *part_time))
    has_secretary = c.by_post.get(Post.PARTY_SECRETARY.value, 0) > 0
    if p.value("structure.secretary_is_director", on) and has_secretary and not c.secretaries_directing:
        out.append(
            Finding(
                "secretary_not_director",
                Severity.WARNING,
                msg("jilin.finding.secretary_not_director"),
                cite("4.2.2"),
                subject,
            )
        )
    return out


def _finding(code: str, clause: str, subject: str, found: int, low: int, high: int) -> Finding:
    citation: Citation = cite(clause)
    return Finding(
        code,
        Severity.WARNING,
        msg(f"jilin.finding.{code}", found=found, low=low, high=high),
        citation,
        subject,
        inputs={"found": found, "minimum": low, "maximum": high},
    )
