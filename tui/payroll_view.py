"""What the payroll screen shows, worked out off the event loop: the month and scope an operator
typed, read into core's `Month` and `Scope`, and a run turned into rows of text.

The screen only lays these out; keeping them here lets the tests check the parsing and the totals
without a terminal, and keeps the screen module about keys and widgets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from core.errors import ShegongError, ValidationError
from core.i18n import current_language, msg, t
from core.model import Community
from core.payroll import Difference, PayrollRun, WorkerPay
from core.results import Month
from core.scope import Scope
from tui.labels import EMPTY, fmt_money, has_key, labelled, listing, paren


def parse_month(text: str) -> Month:
    """`2026-11`, `202611`, `2026/11` or `2026年11月`; anything else is refused, saying so."""
    try:
        month = Month.parse(text)
    except (ValueError, TypeError):
        month = None
    if month is None or not 1900 <= month.year <= 2999:  # `26-5` is a typo, not the year 26
        raise ValidationError("month", msg("ui.payroll.bad_month", value=text.strip()))
    return month


def scope_choices(communities: Sequence[Community]) -> list[str]:
    """Every scope an operator can pick, for the input to suggest as one types: in
    `Scope.parse` spelling (all, district:…, street:…, community:…), then the bare district,
    district/street, community id and name that `parse_scope` also understands."""
    districts = sorted({c.district for c in communities})
    streets = sorted({f"{c.district}/{c.street}" for c in communities})
    ordered = sorted(communities, key=lambda c: c.id)
    return [
        "all",
        *(f"district:{d}" for d in districts),
        *(f"street:{s}" for s in streets),
        *(f"community:{c.id}" for c in ordered),
        *districts,
        *streets,
        *(c.id for c in ordered),
        *dict.fromkeys(c.name for c in ordered),
    ]


def parse_scope(text: str, communities: Sequence[Community]) -> Scope:
    """The scope `text` names, checked against the registry's communities.

    Besides `Scope.parse`'s spelling, a bare community id, community name, district or
    `district/street` is understood, since that is what an operator types first; a scope with no
    community in it is refused with the names that exist, not answered with an empty payroll."""
    cleaned = text.strip()
    try:
        scope = Scope.parse(cleaned)
    except ShegongError:
        found = _guess_scope(cleaned, communities)
        if found is None:
            raise ValidationError("scope", msg("ui.payroll.bad_scope", value=cleaned)) from None
        scope = found
    if scope == Scope() or any(scope.contains(c) for c in communities):
        return scope
    if scope.community:
        known = sorted(c.id for c in communities)
    elif scope.street:
        known = sorted({f"{c.district}/{c.street}" for c in communities})
    else:
        known = sorted({c.district for c in communities})
    shown = listing(known[:5]) + ("…" if len(known) > 5 else "")
    raise ValidationError("scope", msg("ui.payroll.empty_scope", value=cleaned, known=shown or EMPTY))


def _guess_scope(text: str, communities: Sequence[Community]) -> Scope | None:
    for c in communities:
        if text in (c.id, c.name):
            return Scope(community=c.id)
    if "/" in text:
        district, _, street = text.partition("/")
        if any(c.district == district and c.street == street for c in communities):
            return Scope(district=district, street=street)
    if any(c.district == text for c in communities):
        return Scope(district=text)
    streets = {(c.district, c.street) for c in communities if c.street == text}
    if len(streets) == 1:
        district, street = streets.pop()
        return Scope(district=district, street=street)
    return None


def describe_scope(scope: Scope, names: dict[str, str]) -> str:
    """The scope as an operator says it: 全部, 鹿城区, 鹿城区/五马街道, 幸福里社区（tc-001）."""
    if scope.community:
        name = names.get(scope.community)
        return f"{name}{paren(scope.community)}" if name else scope.community
    if scope.street:
        return f"{scope.district}/{scope.street}"
    if scope.district:
        return scope.district
    return t("ui.payroll.scope_all")


def line_label(label_key: str, code: str) -> str:
    """A stored line's label in the operator's language (its code if no catalog names it)."""
    return t(label_key) if has_key(label_key) else code


def error_text(worker: WorkerPay) -> str:
    """Why a worker could not be computed, in the operator's language if the run has it."""
    return worker.error.get(current_language()) or next(iter(worker.error.values()), "")


@dataclass(frozen=True)
class Totals:
    """One row of a totals table: headcount, how many could not be computed, the cash total."""

    key: str
    district: str
    street: str
    community: str
    workers: int = 0
    failed: int = 0
    total: Decimal = Decimal(0)


def totals(run: PayrollRun, level: str) -> list[Totals]:
    """Totals per "street" or "community", sorted by their key (as `PayrollRun.totals_by` does)."""
    heads: dict[str, WorkerPay] = {}
    counts: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    for w in run.workers:
        key = w.community_id if level == "community" else f"{w.district}/{w.street}"
        heads.setdefault(key, w)
        counts[key] += 1
        failed[key] += bool(w.error)
    out = []
    for key, amount in run.totals_by(level).items():
        head = heads[key]
        community = head.community_id if level == "community" else ""
        out.append(Totals(key, head.district, head.street, community, counts[key], failed[key], amount))
    return out


SEPARATOR = "\x00"  # around every field of a haystack, so a filter can ask for one whole field


def worker_haystack(worker: WorkerPay, names: dict[str, str]) -> str:
    """What the workers' filter searches: name, community id and name, district/street."""
    fields = (
        worker.name,
        worker.community_id,
        names.get(worker.community_id, ""),
        f"{worker.district}/{worker.street}",
    )
    return (SEPARATOR + SEPARATOR.join(fields) + SEPARATOR).lower()


def whole_field(text: str) -> str:
    """A filter matching `text` as a whole field (`tc-001`, not `tc-0010`)."""
    return f"{SEPARATOR}{text}{SEPARATOR}".lower()


@dataclass(frozen=True)
class TableRows:
    """One table's rows as text, a key per row, what the filter searches, and the text shown
    under the table for each row (if any)."""

    rows: list[tuple[str, ...]]
    keys: list[Hashable]
    haystacks: list[str] | None = None
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PayrollView:
    """One computation as the screen shows it.

    `run` is what the figures are: the closed run if the month is closed (a paid month is shown as
    paid), else the fresh computation. `kept` is what the registry holds for the month and scope
    (saved or closed, None if nothing), and `differences` compares it with the fresh computation."""

    month: Month
    scope: Scope
    fresh: PayrollRun
    kept: PayrollRun | None
    names: dict[str, str]
    differences: list[Difference] = field(default_factory=list)

    @property
    def run(self) -> PayrollRun:
        return self.kept if self.kept is not None and self.kept.closed else self.fresh

    @property
    def closed(self) -> bool:
        return self.kept is not None and self.kept.closed

    @property
    def saved_as_is(self) -> bool:
        """The registry's copy gives exactly these figures (nothing to save)."""
        return self.kept is not None and not self.differences

    @cached_property
    def tables(self) -> dict[str, TableRows]:
        """The rows of the screen's five tables. Built on first use, which the screen's worker
        thread does: 50,000 workers take a second to turn into text, too long for the event loop."""
        run, names = self.run, self.names
        streets = totals(run, "street")
        communities = totals(run, "community")
        failed = run.failed
        return {
            "streets": TableRows(
                [
                    (s.district, s.street, str(s.workers), str(s.failed or ""), fmt_money(s.total))
                    for s in streets
                ],
                [s.key for s in streets],
            ),
            "communities": TableRows(
                [
                    (
                        c.community,
                        names.get(c.community, c.community),
                        c.street,
                        str(c.workers),
                        str(c.failed or ""),
                        fmt_money(c.total),
                    )
                    for c in communities
                ],
                [c.key for c in communities],
            ),
            "workers": TableRows(
                [
                    (
                        str(w.worker_id),
                        w.name,
                        names.get(w.community_id, w.community_id),
                        t("ui.payroll.failed_cell") if w.error else fmt_money(w.total),
                    )
                    for w in run.workers
                ],
                [w.worker_id for w in run.workers],
                haystacks=[worker_haystack(w, names) for w in run.workers],
            ),
            "failed": TableRows(
                [
                    (str(w.worker_id), w.name, names.get(w.community_id, w.community_id), error_text(w))
                    for w in failed
                ],
                [w.worker_id for w in failed],
                details=[labelled(w.name, error_text(w)) for w in failed],
            ),
            "diff": TableRows(
                difference_rows(self.differences, line_labels(run, self.fresh)),
                list(range(len(self.differences))),
            ),
        }


def difference_rows(differences: Sequence[Difference], labels: dict[str, str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for d in differences:
        change = (d.after or Decimal(0)) - (d.before or Decimal(0))
        item = t("ui.payroll.added_or_dropped") if d.code == "*" else labels.get(d.code, d.code)
        rows.append(
            (
                str(d.worker_id),
                d.name,
                item,
                EMPTY if d.before is None else fmt_money(d.before),
                EMPTY if d.after is None else fmt_money(d.after),
                ("+" if change > 0 else "") + fmt_money(change),
            )
        )
    return rows


def line_labels(*runs: PayrollRun) -> dict[str, str]:
    out: dict[str, str] = {}
    for run in runs:
        for w in run.workers:
            for line in w.lines:
                out.setdefault(line.code, line_label(line.label_key, line.code))
    return out


def failure_groups(failed: Sequence[WorkerPay], limit: int = 3) -> list[str]:
    """The reasons workers could not be computed, most common first, each with how many."""
    groups: dict[str, list[WorkerPay]] = defaultdict(list)
    for w in failed:
        groups[error_text(w)].append(w)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    out = [
        t("ui.payroll.failure_group", count=len(ws), names=listing([w.name for w in ws[:3]]), reason=reason)
        for reason, ws in ordered[:limit]
    ]
    if len(ordered) > limit:
        out.append(t("ui.payroll.more_reasons", count=len(ordered) - limit))
    return out
