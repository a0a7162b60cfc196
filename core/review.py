"""The office's periodic reviews: staffing against requirements, who is due to retire or renew,
and every compliance finding in one list.

These read the registry and ask the rules; they change nothing, so they are safe to repeat.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import attrs

from core.errors import ShegongError
from core.i18n import Message, msg
from core.model import IN_SERVICE, Community, ContractKind, Status, Worker, add_months
from core.repository import Repository
from core.results import Citation, Finding, Severity, StaffingRequirement
from core.rules import Rules
from core.scope import Scope

# --- staffing ------------------------------------------------------------------------------------


@attrs.frozen
class CommunityStaffing:
    community: Community
    in_post: int
    by_type: Mapping[str, int]
    requirement: StaffingRequirement | None
    error: Message | None = None

    @property
    def shortfall(self) -> int:
        if self.requirement is None:
            return 0
        return max(0, self.requirement.minimum - self.in_post)

    @property
    def surplus(self) -> int:
        if self.requirement is None or self.requirement.maximum is None:
            return 0
        return max(0, self.in_post - self.requirement.maximum)

    def type_gaps(self) -> dict[str, tuple[int, int, int | None]]:
        """post type → (in post, minimum, maximum) for every type the requirement names."""
        if self.requirement is None:
            return {}
        return {
            post: (self.by_type.get(post, 0), lo, hi) for post, (lo, hi) in self.requirement.by_type.items()
        }


def in_post(workers: list[Worker], on: dt.date) -> list[Worker]:
    return [w for w in workers if w.status_on(on) in IN_SERVICE]


def staffing_review(registry: Repository, rules: Rules, scope: Scope, on: dt.date) -> list[CommunityStaffing]:
    by_community: dict[str, list[Worker]] = defaultdict(list)
    for w in registry.workers(scope.query()):
        by_community[w.community_id].append(w)
    out = []
    for c in sorted(
        (c for c in registry.communities() if scope.contains(c)), key=lambda c: (c.district, c.street, c.id)
    ):
        present = in_post(by_community.get(c.id, []), on)
        types = Counter(p for w in present for p in set(w.posts_on(on)))
        try:
            req: StaffingRequirement | None = rules.staffing(c, present)
            error = None
        except ShegongError as exc:
            req, error = None, exc.message
        out.append(CommunityStaffing(c, len(present), dict(types), req, error))
    return out


def street_totals(rows: list[CommunityStaffing]) -> dict[str, tuple[int, int | None, int | None]]:
    """district/street → (in post, required minimum, required maximum).

    The minimum is None when some community's requirement could not be computed (the sum would
    understate it); the maximum is None when any is open-ended or unknown.
    """
    totals: dict[str, tuple[int, int | None, int | None]] = {}
    for r in rows:
        key = f"{r.community.district}/{r.community.street}"
        present, low, high = totals.get(key, (0, 0, 0))
        req = r.requirement
        low = None if low is None or req is None else low + req.minimum
        high = None if high is None or req is None or req.maximum is None else high + req.maximum
        totals[key] = (present + r.in_post, low, high)
    return dict(sorted(totals.items()))


# --- forecast ------------------------------------------------------------------------------------


@attrs.frozen
class Due:
    kind: str  # "retirement", "contract", "probation"
    date: dt.date
    worker_id: int
    name: str
    community_id: str
    citation: Citation | None
    detail: tuple[Message, ...] = ()


def forecast(
    registry: Repository, rules: Rules, scope: Scope, today: dt.date, months: int
) -> tuple[list[Due], list[Finding]]:
    """Who reaches retirement, a contract end or a probation end between today and `months` ahead.

    Workers whose retirement cannot be computed come back as findings, not silently dropped.
    """
    return forecast_of(registry.workers(scope.query()), rules, today, months)


def forecast_of(
    workers: Iterable[Worker], rules: Rules, today: dt.date, months: int
) -> tuple[list[Due], list[Finding]]:
    """`forecast` of workers already read (the dashboard reads them once for all it shows)."""
    until = add_months(today, months)
    out: list[Due] = []
    problems: list[Finding] = []
    for w in workers:
        if w.status_on(today) not in IN_SERVICE:
            continue
        try:
            r = rules.retirement(w)
            if today <= r.date <= until:
                out.append(
                    Due(
                        "retirement",
                        r.date,
                        w.id,
                        w.name,
                        w.community_id,
                        r.citation,
                        (r.rule, *(x.text for x in r.reasons)),
                    )
                )
        except ShegongError as exc:
            problems.append(_problem(w, exc))
        contract = w.contract_on(today)
        if contract is not None and contract.end is not None and today <= contract.end <= until:
            kind = "probation" if contract.kind == ContractKind.PROBATION else "contract"
            out.append(Due(kind, contract.end, w.id, w.name, w.community_id, None))
        if w.status_on(today) == Status.PROBATION:
            ends = [
                c.end
                for c in w.contracts
                if c.kind == ContractKind.PROBATION and c.end and today <= c.end <= until
            ]
            out.extend(
                Due("probation", d, w.id, w.name, w.community_id, None)
                for d in ends
                if not any(x.kind == "probation" and x.worker_id == w.id and x.date == d for x in out)
            )
    return sorted(out, key=lambda d: (d.date, d.kind, d.worker_id)), problems


def _problem(w: Worker, exc: ShegongError) -> Finding:
    return Finding(
        "cannot_compute",
        Severity.ERROR,
        msg("finding.cannot_compute", reason=exc.message),
        None,
        f"worker:{w.id}",
    )


# --- alerts --------------------------------------------------------------------------------------


def alerts(registry: Repository, rules: Rules, scope: Scope, on: dt.date) -> list[Finding]:
    """Every finding about workers and communities in scope, most severe first, then by due date."""
    by_community: dict[str, list[Worker]] = defaultdict(list)
    found: list[Finding] = []
    for w in registry.workers(scope.query()):
        by_community[w.community_id].append(w)
        if w.status_on(on) in IN_SERVICE or w.reemployed_retiree:
            found.extend(rules.worker_findings(w, on))
    for c in registry.communities():
        if scope.contains(c):
            found.extend(rules.community_findings(c, in_post(by_community.get(c.id, []), on), on))
    far = dt.date.max
    return sorted(found, key=lambda f: (-f.severity.rank, f.due or far, f.subject, f.code))
