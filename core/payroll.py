"""The monthly payroll run: every worker's lines for a month and a scope, with totals.

A run is a snapshot: the lines, the parameter values they used and who computed it when. Closing a
month freezes it; computing the month again afterwards shows what changed against the closed run
instead of replacing it, so a payslip already paid can always be reproduced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from core.convert import structure, unstructure
from core.errors import ShegongError, ValidationError
from core.i18n import LANGUAGES, msg
from core.model import IN_SERVICE, Worker
from core.overlaps import closed_overlap, refusal
from core.report import to_data
from core.repository import Repository
from core.results import Citation, Month, PayLine
from core.rules import Rules
from core.scope import Scope, describe_scope_text

RUN_KIND = "payroll"
PROGRESS_STEPS = 100  # a progress callback hears about every hundredth of the workers, not each one

Progress = Callable[[int, int], None]
"""`progress(done, total)`: workers computed so far out of those in scope."""


@attrs.frozen
class Line:
    """A pay line as stored in a run: rendered-independent, cited."""

    code: str
    label_key: str
    amount: Decimal
    document: str
    article: str
    cash: bool = True
    title: str = ""  # the document's own title; "" in runs stored before titles were kept
    title_en: str = ""

    @classmethod
    def of(cls, line: PayLine) -> Line:
        c = line.citation
        return cls(
            line.code, line.label.key, line.amount, c.document, c.article, line.cash, c.title, c.title_en
        )

    @property
    def citation(self) -> Citation:
        return Citation(self.document, self.article, self.title, self.title_en)


@attrs.frozen
class WorkerPay:
    worker_id: int
    name: str
    community_id: str
    street: str
    district: str
    jurisdiction: str
    lines: tuple[Line, ...] = ()
    error: Mapping[str, str] = attrs.field(factory=dict)  # language → why this worker could not be computed

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.cash), Decimal(0))


@attrs.frozen
class PayrollRun:
    month: str  # "2026-11"
    scope: str  # core.scope.Scope text
    computed_at: str
    computed_by: str
    workers: tuple[WorkerPay, ...]
    parameters: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)  # jurisdiction → name → value
    closed: bool = False
    closed_at: str = ""
    closed_by: str = ""

    @property
    def key(self) -> str:
        return run_key(self.month, self.scope)

    @property
    def total(self) -> Decimal:
        return sum((w.total for w in self.workers), Decimal(0))

    @property
    def failed(self) -> list[WorkerPay]:
        return [w for w in self.workers if w.error]

    def totals_by(self, level: str) -> dict[str, Decimal]:
        """Totals per "community", "street" (district/street) or "district"."""
        out: dict[str, Decimal] = defaultdict(Decimal)
        for w in self.workers:
            key = {"community": w.community_id, "street": f"{w.district}/{w.street}", "district": w.district}[
                level
            ]
            out[key] += w.total
        return dict(sorted(out.items()))


def run_key(month: str, scope: str) -> str:
    return f"{month}@{scope}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def payable(worker: Worker, month: Month) -> bool:
    """In service at some point of the month, or a retiree re-employed full time."""
    if worker.reemployed_retiree:
        return True
    return worker.status_on(month.first_day) in IN_SERVICE or worker.status_on(month.last_day) in IN_SERVICE


def compute_payroll(
    registry: Repository, rules: Rules, month: Month, scope: Scope, *, progress: Progress | None = None
) -> PayrollRun:
    """Compute (not save) the run; a worker who cannot be computed is listed with the reason.

    `progress(done, total)` is called about a hundred times and once at the end, so a screen can
    show how far a city-wide run has got; it may raise to abandon the run."""
    communities = {c.id: c for c in registry.communities() if scope.contains(c)}
    results: list[WorkerPay] = []
    taking_part: set[str] = set()
    in_scope = registry.workers(scope.query())
    total = len(in_scope)
    every = max(1, total // PROGRESS_STEPS)
    for done, worker in enumerate(in_scope):
        if progress is not None and done % every == 0:
            progress(done, total)
        if not payable(worker, month):
            continue
        c = communities.get(worker.community_id) or registry.get_community(worker.community_id)
        base = WorkerPay(
            worker_id=worker.id,
            name=worker.name,
            community_id=c.id,
            street=c.street,
            district=c.district,
            jurisdiction=c.jurisdiction,
        )
        try:
            lines = rules.pay_lines(worker, month, c)
        except ShegongError as exc:
            results.append(attrs.evolve(base, error={lang: exc.render(lang) for lang in LANGUAGES}))
            continue
        results.append(attrs.evolve(base, lines=tuple(Line.of(line) for line in lines)))
        taking_part.add(c.jurisdiction)
    if progress is not None:
        progress(total, total)
    return PayrollRun(
        month=str(month),
        scope=str(scope),
        computed_at=_now(),
        computed_by=registry.user,
        workers=tuple(results),
        parameters={key: _parameter_values(rules, key, month.last_day) for key in sorted(taking_part)},
    )


def _parameter_values(rules: Rules, jurisdiction: str, on: dt.date) -> dict[str, str]:
    out = {}
    for spec in rules.jurisdictions.params(jurisdiction):
        value = spec.value_on(on)
        if value is not None:
            origin = str(value.citation) if value.citation else value.origin
            out[spec.name] = f"{to_data(value.value)} ({value.source}: {origin})"
    return out


# --- saving, closing, comparing ------------------------------------------------------------------


def load_run(registry: Repository, month: str, scope: str) -> PayrollRun | None:
    data = registry.load_document(RUN_KIND, run_key(month, scope))
    return None if data is None else structure(data, PayrollRun, where=f"{RUN_KIND}/{run_key(month, scope)}")


def save_run(registry: Repository, run: PayrollRun, *, overlap_checked: bool = False) -> PayrollRun:
    """Keep the run as the month's working copy; a closed month is never overwritten.

    A working copy saved before that says `closed: false` is replaced without being read back
    into objects first (a city's run takes longer to rebuild than to write)."""
    saved = registry.load_document(RUN_KIND, run_key(run.month, run.scope))
    open_copy = isinstance(saved, Mapping) and saved.get("closed") is False
    existing = None if saved is None or open_copy else load_run(registry, run.month, run.scope)
    if existing is not None and existing.closed:
        raise ValidationError(
            "month",
            msg(
                "payroll.closed",
                month=run.month,
                scope=run.scope,
                who=existing.closed_by,
                when=existing.closed_at,
            ),
        )
    if not overlap_checked:  # each check reads every other run of the month
        refuse_overlap(registry, run)
    registry.save_document(RUN_KIND, run.key, unstructure(run))
    return run


def refuse_overlap(registry: Repository, run: PayrollRun) -> None:
    """A month is paid once per worker: refused if a closed run of the month in another scope
    covers one of the run's workers or communities (a street closed, then an "all" run)."""
    found = closed_overlap(
        registry,
        RUN_KIND,
        f"{run.month}@",
        run.key,
        run.scope,
        [w.worker_id for w in run.workers],
        "workers",
    )
    if found is not None:
        raise ValidationError(
            "scope", refusal(found, "payroll", month=run.month, mine=describe_scope_text(run.scope))
        )


def close_run(registry: Repository, run: PayrollRun) -> PayrollRun:
    """Freeze the month; refused while any worker could not be computed, or when a closed run of
    the month in another scope covers some of the same workers."""
    refuse_overlap(registry, run)
    if run.failed:
        raise ValidationError(
            "month", msg("payroll.cannot_close_failed", month=run.month, count=len(run.failed))
        )
    closed = attrs.evolve(run, closed=True, closed_at=_now(), closed_by=registry.user)
    save_run(registry, closed, overlap_checked=True)
    registry.record_event("close", RUN_KIND, run.key, note=str(run.total))
    return closed


@attrs.frozen
class Difference:
    worker_id: int
    name: str
    code: str  # a line code, or "*" for a worker added or dropped
    before: Decimal | None
    after: Decimal | None


def compare(closed: PayrollRun, fresh: PayrollRun) -> list[Difference]:
    """Every line that differs between a closed run and a recomputation of the same month."""
    old = {w.worker_id: w for w in closed.workers}
    new = {w.worker_id: w for w in fresh.workers}
    out: list[Difference] = []
    for wid in sorted(old.keys() | new.keys()):
        a, b = old.get(wid), new.get(wid)
        if a is None or b is None:
            present = a or b
            assert present is not None
            out.append(Difference(wid, present.name, "*", a.total if a else None, b.total if b else None))
            continue
        la = {line.code: line.amount for line in a.lines}
        lb = {line.code: line.amount for line in b.lines}
        for code in sorted(la.keys() | lb.keys()):
            if la.get(code) != lb.get(code):
                out.append(Difference(wid, b.name, code, la.get(code), lb.get(code)))
    return out


def summary(run: PayrollRun) -> dict[str, Any]:
    return {
        "month": run.month,
        "scope": run.scope,
        "workers": len(run.workers),
        "failed": len(run.failed),
        "total": str(run.total),
        "closed": run.closed,
        "by_street": {k: str(v) for k, v in run.totals_by("street").items()},
        "by_community": {k: str(v) for k, v in run.totals_by("community").items()},
    }
