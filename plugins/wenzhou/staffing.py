"""How many full-time workers and police assistants a Wenzhou community needs (第十九条).

"每个社区的专职社区工作者应不少于5人，规模在2000户以上的社区按每400户配备1人 … 新居民较多的应
按新居民每2000人增配1人" and "社区协警按照新居民每500人增配1名". RULES.md's Reading: a part of
400 households still needs a worker (ceil: the text sets a minimum standard), while new residents
count in whole blocks of 2000 (floor); police assistants, like the other new-resident rule, in
whole blocks of 500 (floor). Each rounding is a parameter an operator may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, Worker
from core.results import Reason, StaffingRequirement
from plugins.wenzhou.common import basis_label, cite, households, in_service
from plugins.wenzhou.posts import AUXILIARY

ROUNDINGS = ("ceil", "floor")


def blocks(count: int, size: int, rounding: str, parameter: str) -> int:
    """Blocks of `size` in `count`: a started block counts under "ceil", only whole ones under "floor"."""
    if rounding == "ceil":
        return -(-count // size)
    if rounding == "floor":
        return count // size
    raise ValidationError(
        parameter, msg("wenzhou.error.rounding", value=rounding, allowed=", ".join(ROUNDINGS))
    )


@attrs.frozen
class Need:
    full_time: int
    police_assistants: int
    households: int
    basis: str
    by_households: int
    by_new_residents: int


def need(community: Community, on: dt.date, ctx: RuleContext) -> Need:
    p = ctx.params
    basis = str(p.value("households.basis", on))
    count = households(community, basis, "households.basis")
    large = p.integer("staffing.large_community_households", on)
    by_households = 0
    if count >= large:  # "2000户以上" includes 2000
        by_households = blocks(
            count,
            p.integer("staffing.households_per_worker", on),
            str(p.value("staffing.households_rounding", on)),
            "staffing.households_rounding",
        )
    by_new = blocks(
        community.new_residents,
        p.integer("staffing.new_residents_per_worker", on),
        str(p.value("staffing.new_residents_rounding", on)),
        "staffing.new_residents_rounding",
    )
    police = blocks(
        community.new_residents,
        p.integer("staffing.new_residents_per_police_assistant", on),
        str(p.value("staffing.police_assistant_rounding", on)),
        "staffing.police_assistant_rounding",
    )
    full_time = max(p.integer("staffing.min_workers", on), by_households) + by_new
    return Need(full_time, police, count, basis, by_households, by_new)


def staffing(community: Community, ctx: RuleContext) -> StaffingRequirement:
    on = ctx.today
    n = need(community, on, ctx)
    p = ctx.params
    reasons = (
        Reason(
            msg(
                "wenzhou.staffing.reason.base",
                minimum=p.integer("staffing.min_workers", on),
                households=n.households,
                basis=basis_label(n.basis),
                large=p.integer("staffing.large_community_households", on),
                per=p.integer("staffing.households_per_worker", on),
                by_households=n.by_households,
            ),
            cite("第十九条 第一款"),
            {"households": n.households, "basis": n.basis, "by_households": n.by_households},
        ),
        Reason(
            msg(
                "wenzhou.staffing.reason.new_residents",
                new_residents=community.new_residents,
                per=p.integer("staffing.new_residents_per_worker", on),
                extra=n.by_new_residents,
            ),
            cite("第十九条 第一款"),
            {"new_residents": community.new_residents, "extra": n.by_new_residents},
        ),
        Reason(
            msg(
                "wenzhou.staffing.reason.police",
                new_residents=community.new_residents,
                per=p.integer("staffing.new_residents_per_police_assistant", on),
                police=n.police_assistants,
            ),
            cite("第十九条 第二款"),
            {"new_residents": community.new_residents, "police_assistants": n.police_assistants},
        ),
    )
    return StaffingRequirement(
        community_id=community.id,
        minimum=n.full_time,
        maximum=None,  # "不少于" and "配备" set a floor, never a ceiling
        citation=cite("第十九条"),
        # Only a real post code goes in by_type (core's review counts holders of each code); the
        # full-time requirement is the minimum itself, since 书记, 主任 and staff all count toward it.
        by_type={"police_assistant": (n.police_assistants, None)},
        inputs={
            "households": n.households,
            "households_basis": n.basis,
            "new_residents": community.new_residents,
            "by_households": n.by_households,
            "by_new_residents": n.by_new_residents,
        },
        reasons=reasons,
    )


def headcount(workers: Sequence[Worker], community_id: str, on: dt.date) -> tuple[int, int]:
    """(full-time workers, police assistants) in post on `on`.

    A worker in service with no post recorded counts as full-time staff: the registry holds
    community workers, and 协管员 / 协警 are recorded by their post.
    """
    full_time = police = 0
    for w in workers:
        if w.community_id != community_id or not in_service(w, on):
            continue
        posts = set(w.posts_on(on))
        if "police_assistant" in posts:
            police += 1
        if not posts or posts - AUXILIARY:
            full_time += 1
    return full_time, police
