"""A month's payroll or a period's grades are decided once per worker.

Runs and rounds are kept per scope (`2026-11@street:沈河区/五里河街道`, `2026-year_end@all`), so
nothing in their keys stops an "all" run from taking in 27 people whose street's run was closed,
nor an "all communities" round from grading again those a community's closed round graded (its
close would replace their grades). Before a run or round is saved, closed or graded, this finds
a closed document of the same month or period that shares a worker or a community with it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import attrs

from core.errors import ShegongError
from core.i18n import Listing, Message, msg
from core.repository import Repository
from core.scope import Scope, describe_scope_text
from core.storage.layout import display_time


@attrs.frozen
class ClosedOverlap:
    """A closed run or round that already decided some of the same workers."""

    key: str
    scope: str
    closed_by: str
    closed_at: str
    shared: tuple[str, ...]  # the names of the workers both cover (all of them, in order)


def closed_overlap(
    registry: Repository,
    kind: str,
    prefix: str,
    own_key: str,
    scope: str,
    worker_ids: Collection[int],
    items: str,
) -> ClosedOverlap | None:
    """The first closed `kind` document keyed `prefix…` (other than `own_key`) that holds one of
    `worker_ids` in its `items` list, or whose scope shares a community with `scope`."""
    others = [k for k in registry.list_documents(kind) if k.startswith(prefix) and k != own_key]
    if not others:
        return None
    communities = registry.communities()
    mine = _community_ids(scope, communities)
    wanted = set(worker_ids)
    for key in others:
        data = registry.load_document(kind, key)
        if not isinstance(data, Mapping) or data.get("closed") is not True:
            continue
        listed = [i for i in data.get(items) or () if isinstance(i, Mapping)]
        shared = tuple(str(i.get("name", i.get("worker_id"))) for i in listed if i.get("worker_id") in wanted)
        other_scope = str(data.get("scope", ""))
        if shared or mine & _community_ids(other_scope, communities):
            return ClosedOverlap(
                key, other_scope, str(data.get("closed_by", "")), str(data.get("closed_at", "")), shared
            )
    return None


def _community_ids(scope: str, communities: Collection[Any]) -> set[str]:
    try:
        parsed = Scope.parse(scope)
    except ShegongError:
        return set()
    return {c.id for c in communities if parsed.contains(c)}


def refusal(overlap: ClosedOverlap, what: str, **args: Any) -> Message:
    """Why saving, closing or grading is refused, naming the closed run or round: its scope, who
    closed it and when, and the workers both cover. `what` is "payroll" or "round"."""
    common = {
        "scope": describe_scope_text(overlap.scope),
        "who": overlap.closed_by,
        "when": display_time(overlap.closed_at),
        **args,
    }
    if not overlap.shared:
        return msg(f"records.overlap.{what}_scope", **common)
    names = Listing("list", items=overlap.shared)
    return msg(f"records.overlap.{what}", count=len(overlap.shared), names=names, **common)
