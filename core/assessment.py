"""The assessment round: propose each worker's grade, let the panel decide within quota, close.

The jurisdiction proposes a grade with its reasons; the operator records the panel's decision
per worker. A grade quota (e.g. 优秀 at most 20% of a street) is counted per the jurisdiction's
unit, and a decision that would exceed it is refused with the places left. Closing writes the
grades into the workers' records in one all-or-nothing change and lists the consequences.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from core.convert import structure, unstructure
from core.errors import NotFound, ShegongError, ValidationError
from core.i18n import LANGUAGES, Message, msg, translate
from core.model import IN_SERVICE, Assessment, Community, Period, Worker
from core.overlaps import closed_overlap, refusal
from core.report import to_data
from core.repository import Repository
from core.results import Citation, Reason
from core.rules import Rules
from core.scope import Scope, describe_scope_text
from core.storage.backups import checkpoint

ROUND_KIND = "assessment"


@attrs.frozen
class Entry:
    worker_id: int
    name: str
    unit: str
    jurisdiction: str
    proposed: str | None
    reasons: tuple[Mapping[str, Any], ...] = ()  # rendered reasons with citations, per language
    forced: bool = False  # a rule-based grade the panel cannot lift
    decided: str | None = None  # the panel's grade; None until decided
    error: Mapping[str, str] = attrs.field(factory=dict)
    score: Decimal | None = None  # the score the proposal was made from, if the rules use one

    @property
    def grade(self) -> str | None:
        return self.decided if self.decided is not None else self.proposed


@attrs.frozen
class QuotaUse:
    unit: str
    grade: str
    limit: int
    headcount: int
    used: int
    citation: str  # as code cites it: `file article`
    title: str = ""  # the document's own title; "" in rounds stored before titles were kept
    title_en: str = ""

    @property
    def cited(self) -> Citation:
        document, _, article = self.citation.partition(" ")
        return Citation(document, article, self.title, self.title_en)

    @property
    def left(self) -> int:
        return self.limit - self.used


@attrs.frozen
class Round:
    year: int
    period: str
    scope: str
    opened_at: str
    opened_by: str
    entries: tuple[Entry, ...]
    quotas: tuple[QuotaUse, ...] = ()
    closed: bool = False
    closed_at: str = ""
    closed_by: str = ""
    consequences: Mapping[str, tuple[Mapping[str, Any], ...]] = attrs.field(factory=dict)

    @property
    def key(self) -> str:
        return round_key(self.year, self.period, self.scope)

    def entry(self, worker_id: int) -> Entry:
        for e in self.entries:
            if e.worker_id == worker_id:
                return e
        raise NotFound("worker", worker_id)


def round_key(year: int, period: str, scope: str) -> str:
    return f"{year}-{period}@{scope}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def unit_of(rules: Rules, community: Community) -> str:
    """Where a quota is counted: the street (Shenyang) or the community (Ningguo)."""
    unit = rules.jurisdictions.info(community.jurisdiction).quota_unit
    return (
        f"community:{community.id}"
        if unit == "community"
        else f"street:{community.district}/{community.street}"
    )


def _reasons(items: Sequence[object]) -> tuple[Mapping[str, Any], ...]:
    return tuple({lang: _data(r, lang) for lang in LANGUAGES} for r in items)


_PLAIN = frozenset({str, int, bool, type(None)})


def _data(value: Any, lang: str) -> Any:
    """`to_data`, with the shapes a round's reasons are made of (reasons, messages, fact dicts
    of text, numbers, amounts and dates) turned by exact type instead of by `to_data`'s chain of
    checks: a city's round turns some 150,000 reasons in each language. Anything else, a
    subclass included, goes to `to_data` itself, so the result is the same."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Reason:
        return {
            "text": _data(value.text, lang),
            "citation": _data(value.citation, lang),
            "inputs": _data(value.inputs, lang),
        }
    if kind is Message:
        return value.render(lang)
    if kind is Decimal:
        return str(value)
    if kind is dt.date:
        return value.isoformat()
    if kind is dict:
        return {str(k): _data(v, lang) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_data(v, lang) for v in value]
    return to_data(value, lang)


def open_round(
    registry: Repository, rules: Rules, year: int, scope: Scope, period: str = "year_end"
) -> Round:
    """Propose a grade for every worker in service in `scope` and compute each unit's quotas.

    Workers of a jurisdiction whose texts set no assessment are left out of the round.
    """
    day = dt.date(year, 12, 31) if period == Period.YEAR_END else dt.date(year, 6, 30)
    communities = {c.id: c for c in registry.communities() if scope.contains(c)}
    by_unit: dict[str, list[Worker]] = defaultdict(list)
    unit_community: dict[str, Community] = {}
    entries = []
    for worker in registry.workers(scope.query()):
        if worker.status_on(day) not in IN_SERVICE:
            continue
        community = communities.get(worker.community_id) or registry.get_community(worker.community_id)
        if not rules.jurisdictions.answers(community.jurisdiction, "shegong_propose_grade"):
            continue  # the jurisdiction's texts set no assessment (e.g. Wenzhou): nothing to grade
        unit = unit_of(rules, community)
        by_unit[unit].append(worker)
        unit_community.setdefault(unit, community)
        try:
            proposal = rules.propose_grade(worker, year, period, community)
        except ShegongError as exc:
            entries.append(
                Entry(
                    worker.id,
                    worker.name,
                    unit,
                    community.jurisdiction,
                    None,
                    error={lang: exc.render(lang) for lang in LANGUAGES},
                )
            )
            continue
        entries.append(
            Entry(
                worker.id,
                worker.name,
                unit,
                community.jurisdiction,
                proposal.grade,
                _reasons(proposal.reasons),
                proposal.forced,
                score=proposal.score,
            )
        )
    quotas = []
    for unit, workers in sorted(by_unit.items()):
        community = unit_community[unit]
        if not rules.jurisdictions.answers(community.jurisdiction, "shegong_grade_quotas"):
            continue  # no quota in the texts
        for q in rules.grade_quotas(unit, workers, year, community):
            c = q.citation
            code = f"{c.document} {c.article}"
            quotas.append(QuotaUse(unit, q.grade, q.limit, q.headcount, 0, code, c.title, c.title_en))
    opened = Round(year, period, str(scope), _now(), registry.user, tuple(entries), tuple(quotas))
    return _recount(opened)


def _recount(r: Round) -> Round:
    used: dict[tuple[str, str], int] = defaultdict(int)
    for e in r.entries:
        if e.grade is not None:
            used[(e.unit, e.grade)] += 1
    return attrs.evolve(r, quotas=tuple(attrs.evolve(q, used=used[(q.unit, q.grade)]) for q in r.quotas))


def over_quota(r: Round) -> list[QuotaUse]:
    return [q for q in r.quotas if q.used > q.limit]


def decide(r: Round, worker_id: int, grade: str | None) -> Round:
    """Record the panel's grade; refused if the round is closed, the grade lifts a forced one, or
    it would take a unit over its quota (the message says how many places are left)."""
    if r.closed:
        raise ValidationError("round", msg("round.closed", key=r.key))
    entry = r.entry(worker_id)
    if entry.forced and grade is not None and grade != entry.proposed:
        raise ValidationError(
            "grade", msg("round.forced", name=entry.name, grade=msg(f"grade.{entry.proposed}"))
        )
    updated = _recount(
        attrs.evolve(
            r,
            entries=tuple(
                attrs.evolve(e, decided=grade) if e.worker_id == worker_id else e for e in r.entries
            ),
        )
    )
    for q in updated.quotas:
        if q.unit == entry.unit and q.grade == grade and q.used > q.limit:
            before = next(b for b in r.quotas if b.unit == q.unit and b.grade == q.grade)
            raise ValidationError(
                "grade",
                msg(
                    "round.over_quota",
                    unit=q.unit,
                    grade=msg(f"grade.{grade}"),
                    limit=q.limit,
                    headcount=q.headcount,
                    left=max(before.left, 0),
                    cite=q.cited,
                ),
            )
    return updated


def save_round(registry: Repository, r: Round) -> Round:
    existing = load_round(registry, r.year, r.period, r.scope)
    if existing is not None and existing.closed:
        raise ValidationError("round", msg("round.closed", key=r.key))
    refuse_overlap(registry, r)
    registry.save_document(ROUND_KIND, r.key, unstructure(r))
    return r


def refuse_overlap(registry: Repository, r: Round) -> None:
    """A period is graded once per worker: refused if a closed round of the same year and period
    in another scope covers one of the round's workers or communities (closing this one would
    replace the grades that one wrote)."""
    found = closed_overlap(
        registry,
        ROUND_KIND,
        f"{r.year}-{r.period}@",
        r.key,
        r.scope,
        [e.worker_id for e in r.entries],
        "entries",
    )
    if found is not None:
        raise ValidationError(
            "round",
            refusal(
                found,
                "round",
                year=r.year,
                period=msg(f"records.period.{r.period}"),
                mine=describe_scope_text(r.scope),
            ),
        )


def load_round(registry: Repository, year: int, period: str, scope: str) -> Round | None:
    data = registry.load_document(ROUND_KIND, round_key(year, period, scope))
    return (
        None
        if data is None
        else structure(data, Round, where=f"{ROUND_KIND}/{round_key(year, period, scope)}")
    )


def close_round(registry: Repository, rules: Rules, r: Round) -> Round:
    """Write every grade into the workers' records at once and list what follows from each.

    Refused (and nothing written) while a unit is over quota or a worker has no grade.
    """
    if r.closed:
        raise ValidationError("round", msg("round.closed", key=r.key))
    refuse_overlap(registry, r)
    over = over_quota(r)
    if over:
        q = over[0]
        raise ValidationError(
            "grade",
            msg(
                "round.over_quota",
                unit=q.unit,
                grade=msg(f"grade.{q.grade}"),
                limit=q.limit,
                headcount=q.headcount,
                left=0,
                cite=q.cited,
            ),
        )
    missing = [e.name for e in r.entries if e.grade is None]
    if missing:
        raise ValidationError(
            "grade", msg("round.ungraded", count=len(missing), names="、".join(missing[:5]))
        )
    checkpoint(registry, translate("backup.reason.round_close", key=r.key))
    saved = registry.update_workers([with_grade(registry.get_worker(e.worker_id), r, e) for e in r.entries])
    consequences = _consequences(rules, r, saved)
    closed = attrs.evolve(
        r, closed=True, closed_at=_now(), closed_by=registry.user, consequences=consequences
    )
    registry.save_document(ROUND_KIND, closed.key, unstructure(closed))
    registry.record_event("close", ROUND_KIND, closed.key, note=f"{len(saved)}")
    return closed


def with_grade(worker: Worker, r: Round, entry: Entry) -> Worker:
    """The worker as closing `r` saves them: this round's grade replaces any of the same period."""
    period = Period(r.period)
    panel = entry.decided is not None
    kept = tuple(a for a in worker.assessments if not (a.year == r.year and a.period == period))
    old = next((a for a in worker.assessments if a.year == r.year and a.period == period), None)
    record = (
        attrs.evolve(old, grade=entry.grade, panel=panel)
        if old
        else Assessment(r.year, period, entry.grade, panel=panel)
    )
    return attrs.evolve(worker, assessments=(*kept, record))


def preview_consequences(
    registry: Repository, rules: Rules, r: Round
) -> dict[str, tuple[Mapping[str, Any], ...]]:
    """What closing `r` would list, without writing anything: the consequences are computed on
    the workers as closing will save them (a run of 优秀 counts this year's grade)."""
    return _consequences(rules, r, [with_grade(registry.get_worker(e.worker_id), r, e) for e in r.entries])


def _consequences(
    rules: Rules, r: Round, workers: Sequence[Worker]
) -> dict[str, tuple[Mapping[str, Any], ...]]:
    out: dict[str, tuple[Mapping[str, Any], ...]] = {}
    for worker, e in zip(workers, r.entries, strict=True):
        if e.grade is None:
            continue
        try:
            items = rules.grade_consequences(worker, r.year, e.grade, r.period)
        except ShegongError as exc:
            out[str(worker.id)] = ({lang: exc.render(lang) for lang in LANGUAGES},)
            continue
        if items:
            out[str(worker.id)] = _reasons(items)
    return out
