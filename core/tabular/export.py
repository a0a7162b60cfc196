"""Exports: the roster, a payroll run, an assessment round, the staffing review, the forecast and
the alerts, each to .xlsx (and the single-sheet ones to .csv), headers in the operator's language.

Resident IDs and phones are masked in the roster unless `full_ids` is asked for; a full roster uses
the import columns, so it can be corrected in Excel and imported back. IDs are always text cells,
money always an exact Decimal rounded to the cent (`core.tabular.writing`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.i18n import Message, current_language, t
from core.model import Community, Worker
from core.privacy import Shown, as_is, hide_birth_dates, mask_birth, mask_phone, mask_resident_id
from core.repository import Repository
from core.results import Citation, Finding, shown_data
from core.scope import Scope
from core.tabular.headers import WORKER_COLUMNS
from core.tabular.workers_import import held_posts
from core.tabular.writing import Sheet, write_book

if TYPE_CHECKING:
    from core.assessment import Round
    from core.payroll import PayrollRun, WorkerPay
    from core.review import CommunityStaffing, Due

Progress = Callable[[int, int], None]


def _label(key: str, fallback: str, lang: str) -> str:
    text = t(key, lang)
    return fallback if text == key else text


def _h(key: str, lang: str) -> str:
    return t(f"tabular.head.{key}", lang)


# --- roster --------------------------------------------------------------------------------------


def worker_values(worker: Worker, community: Community | None, today: dt.date) -> dict[str, Any]:
    """A worker as one flat row of the import columns (codes and dates; the inverse of the import)."""
    open_posts = held_posts(worker, today)
    contract = max(worker.contracts, key=lambda c: c.start) if worker.contracts else None
    certificate = max(worker.certificates, key=lambda c: c.registered) if worker.certificates else None
    changes = sorted((s for s in worker.statuses if s.since <= today), key=lambda s: s.since)
    return {
        "worker_id": worker.id,
        "name": worker.name,
        "sex": worker.sex.value,
        "birth_date": worker.birth_date,
        "id_number": worker.id_number,
        "community_id": worker.community_id,
        "community_name": community.name if community else None,
        "street": community.street if community else None,
        "service_start": worker.service_start,
        "work_start": worker.work_start,
        "entry": worker.entry.value,
        "education": worker.education.value,
        "phone": worker.phone or None,
        "hukou_city": worker.hukou.city if worker.hukou else None,
        "hukou_kind": ("urban" if worker.hukou.urban else "rural") if worker.hukou else None,
        "party": worker.party.value,
        "posts": tuple(p.post for p in open_posts),
        "post_start": max((p.start for p in open_posts), default=None),
        "contract_kind": contract.kind.value if contract else None,
        "contract_start": contract.start if contract else None,
        "contract_end": contract.end if contract else None,
        "certificate": certificate.kind if certificate else None,
        "certificate_date": certificate.registered if certificate else None,
        "status": worker.status_on(today).value,
        "status_since": changes[-1].since if changes else None,
        "note": worker.note or None,
    }


def export_roster(
    registry: Repository,
    path: str | Path,
    *,
    scope: Scope | None = None,
    lang: str | None = None,
    full_ids: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the workers of `scope` (all by default), one row each; returns the number of rows.

    IDs and phones are masked unless `full_ids` (refused with `AccessDenied` unless `registry` is
    seen by an admin); a full roster can be imported back unchanged.
    """
    if full_ids:  # full numbers leave the registry only by an admin's explicit choice
        from core.scoped import require

        require(registry, "export_full")
    lang = lang or current_language()
    day = today or dt.date.today()
    chosen = scope or Scope()
    communities = {c.id: c for c in registry.communities()}
    workers = registry.workers(chosen.query())
    columns = WORKER_COLUMNS

    def rows() -> Iterator[list[object]]:
        for w in workers:
            values = worker_values(w, communities.get(w.community_id), day)
            if not full_ids:  # core.privacy: what a masked roster may show together
                values["id_number"] = mask_resident_id(w.id_number)
                values["phone"] = mask_phone(w.phone) if w.phone else None
                values["birth_date"] = mask_birth(w.birth_date)
                values = hide_birth_dates(values, w.birth_date)
            yield [c.format(values[c.field], lang) for c in columns]

    sheet = Sheet(
        t("tabular.sheet.workers", lang),
        [c.header(lang) for c in columns],
        rows(),
        text=frozenset(i for i, c in enumerate(columns) if c.is_text),
        widths=[c.width for c in columns],
    )
    write_book(Path(path), [sheet], progress=progress, total=len(workers))
    return len(workers)


# --- payroll -------------------------------------------------------------------------------------


def export_payroll(
    run: PayrollRun,
    path: str | Path,
    *,
    lang: str | None = None,
    names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write a `core.payroll.PayrollRun`: a totals sheet (per community, per street, overall, and
    the run's month, scope and state), then one sheet per street with every worker's lines and
    their citations, a subtotal per worker and the street's total. `names` maps community ids to
    names. .xlsx only (several sheets)."""
    lang = lang or current_language()
    names = names or {}
    by_street: dict[tuple[str, str], list[WorkerPay]] = defaultdict(list)
    for w in run.workers:
        by_street[(w.district, w.street)].append(w)
    streets = sorted(by_street)
    sheets = [_payroll_totals(run, by_street, names, lang)]
    for district, street in streets:
        sheets.append(_payroll_street(by_street[(district, street)], names, street, lang))
    target = Path(path)
    write_book(target, sheets, progress=progress, total=len(run.workers))
    return target


_PAYROLL_STREET = (
    "community_id",
    "community_name",
    "worker_id",
    "name",
    "item",
    "amount",
    "cash",
    "document",
    "article",
)


def _payroll_street(workers: Sequence[WorkerPay], names: Mapping[str, str], street: str, lang: str) -> Sheet:
    yes, no = t("tabular.notes.yes", lang), t("tabular.notes.no", lang)

    def rows() -> Iterator[list[object]]:
        total = Decimal(0)
        for w in sorted(workers, key=lambda w: (w.community_id, w.worker_id)):
            head: list[object] = [w.community_id, names.get(w.community_id), w.worker_id, w.name]
            if w.error:
                text = w.error.get(lang) or next(iter(w.error.values()))
                yield [*head, t("tabular.payroll.failed", lang, reason=text), None, None, None, None]
                continue
            for line in w.lines:
                yield [
                    *head,
                    _label(line.label_key, line.code, lang),
                    line.amount,
                    yes if line.cash else no,
                    _title(line.citation, lang),
                    line.citation.clause,
                ]
            yield [*head, t("tabular.payroll.subtotal", lang), w.total, None, None, None]
            total += w.total
        yield [
            None,
            None,
            None,
            None,
            t("tabular.payroll.street_total", lang, street=street),
            total,
            None,
            None,
            None,
        ]

    return Sheet(
        street,
        [_h(k, lang) for k in _PAYROLL_STREET],
        rows(),
        text=frozenset({0}),
        money=frozenset({5}),
        widths=[12, 14, 8, 10, 26, 12, 8, 30, 16],
    )


def _payroll_totals(
    run: PayrollRun,
    by_street: Mapping[tuple[str, str], Sequence[WorkerPay]],
    names: Mapping[str, str],
    lang: str,
) -> Sheet:
    keys = ("level", "district", "street", "community_id", "community_name", "headcount", "total", "failed")

    def rows() -> Iterator[list[object]]:
        level_c, level_s = t("tabular.payroll.level.community", lang), t("tabular.payroll.level.street", lang)
        for (district, street), workers in sorted(by_street.items()):
            per: dict[str, list[WorkerPay]] = defaultdict(list)
            for w in workers:
                per[w.community_id].append(w)
            for cid, ws in sorted(per.items()):
                yield [
                    level_c,
                    district,
                    street,
                    cid,
                    names.get(cid),
                    len(ws),
                    sum((w.total for w in ws), Decimal(0)),
                    sum(1 for w in ws if w.error),
                ]
        for (district, street), workers in sorted(by_street.items()):
            yield [
                level_s,
                district,
                street,
                None,
                None,
                len(workers),
                sum((w.total for w in workers), Decimal(0)),
                sum(1 for w in workers if w.error),
            ]
        yield [
            t("tabular.payroll.level.all", lang),
            None,
            None,
            None,
            None,
            len(run.workers),
            run.total,
            len(run.failed),
        ]
        yield []
        state = t("tabular.payroll.closed" if run.closed else "tabular.payroll.open", lang)
        for key, value in (
            ("month", run.month),
            ("scope", run.scope),
            ("computed_at", run.computed_at),
            ("computed_by", run.computed_by),
            ("state", state),
        ):
            yield [_h(key, lang), value]

    return Sheet(
        t("tabular.sheet.totals", lang),
        [_h(k, lang) for k in keys],
        rows(),
        text=frozenset({3}),
        money=frozenset({6}),
        widths=[10, 14, 16, 12, 16, 8, 14, 10],
    )


# --- assessment round ----------------------------------------------------------------------------


def _reason_text(item: Mapping[str, Any], lang: str) -> str:
    data = item.get(lang) or next(iter(item.values()), "")
    if isinstance(data, Mapping):
        text = str(data.get("text", ""))
        citation = data.get("citation")
        if isinstance(citation, Mapping) and (citation.get("text") or citation.get("article")):
            return t("tabular.cited", lang, text=text, cite=shown_data(citation, lang))
        return text
    return str(data)


def _grade(code: str | None, lang: str) -> str | None:
    return None if code is None else _label(f"grade.{code}", code, lang)


def export_round(r: Round, path: str | Path, *, lang: str | None = None) -> Path:
    """Write a `core.assessment.Round`: each worker's proposed and decided grade with the reasons
    (and, once closed, the consequences), then each unit's quota use. .xlsx only."""
    lang = lang or current_language()
    yes = t("tabular.notes.yes", lang)
    keys = (
        "unit",
        "worker_id",
        "name",
        "jurisdiction",
        "proposed",
        "decided",
        "final",
        "forced",
        "reasons",
        "consequences",
        "error",
    )

    def rows() -> Iterator[list[object]]:
        for e in r.entries:
            yield [
                e.unit,
                e.worker_id,
                e.name,
                e.jurisdiction,
                _grade(e.proposed, lang),
                _grade(e.decided, lang),
                _grade(e.grade, lang),
                yes if e.forced else None,
                "\n".join(_reason_text(x, lang) for x in e.reasons) or None,
                "\n".join(_reason_text(x, lang) for x in r.consequences.get(str(e.worker_id), ())) or None,
                (e.error.get(lang) or next(iter(e.error.values()))) if e.error else None,
            ]

    quota_keys = ("unit", "grade", "headcount", "limit", "used", "left", "citation")

    def quotas() -> Iterator[list[object]]:
        for q in r.quotas:
            yield [q.unit, _grade(q.grade, lang), q.headcount, q.limit, q.used, q.left, q.cited.shown(lang)]

    sheets = [
        Sheet(
            t("tabular.sheet.results", lang),
            [_h(k, lang) for k in keys],
            rows(),
            widths=[22, 8, 10, 14, 10, 10, 10, 8, 60, 40, 30],
            wrap=frozenset({8, 9, 10}),
        ),
        Sheet(
            t("tabular.sheet.quotas", lang),
            [_h(k, lang) for k in quota_keys],
            quotas(),
            widths=[24, 10, 8, 8, 8, 8, 30],
        ),
    ]
    target = Path(path)
    write_book(target, sheets)
    return target


# --- reviews -------------------------------------------------------------------------------------


def _cite(citation: Citation | None, lang: str | None = None) -> str | None:
    return None if citation is None else citation.shown(lang)


def _title(citation: Citation, lang: str) -> str:
    """The document column of a payroll sheet: the document's own title, never the seed file's
    name (only a run stored before titles were kept has none, and then the file must do)."""
    if not citation.title:
        return citation.document
    return (citation.title_en or citation.title) if lang == "en" else citation.title


def _render(message: Message | None, lang: str) -> str | None:
    return None if message is None else message.render(lang)


def export_staffing(rows: Sequence[CommunityStaffing], path: str | Path, *, lang: str | None = None) -> Path:
    """Write a `core.review.staffing_review` result: one row per community, with each post type's
    numbers, the shortfall or surplus and the citation."""
    lang = lang or current_language()
    keys = (
        "district",
        "street",
        "community_id",
        "community_name",
        "in_post",
        "minimum",
        "maximum",
        "shortfall",
        "surplus",
        "by_type",
        "citation",
        "error",
    )

    def body() -> Iterator[list[object]]:
        for s in rows:
            req = s.requirement
            counted = dict(req.in_post_by_type) if req is not None else {}
            types = [
                t(
                    "tabular.staffing.type",
                    lang,
                    post=_label(f"post.{post}", post, lang),
                    have=counted.get(post, have),
                    low=low,
                    high="—" if high is None else high,
                )
                for post, (have, low, high) in s.type_gaps().items()
            ]
            yield [
                s.community.district,
                s.community.street,
                s.community.id,
                s.community.name,
                s.in_post,
                req.minimum if req is not None else None,
                req.maximum if req is not None else None,
                s.shortfall,
                s.surplus,
                "\n".join(types) or None,
                _cite(req.citation, lang) if req is not None else None,
                _render(s.error, lang),
            ]

    sheet = Sheet(
        t("tabular.sheet.staffing", lang),
        [_h(k, lang) for k in keys],
        body(),
        text=frozenset({2}),
        widths=[12, 14, 12, 14, 8, 8, 8, 8, 8, 36, 30, 40],
        wrap=frozenset({9, 11}),
    )
    target = Path(path)
    write_book(target, [sheet])
    return target


def export_forecast(
    due: Sequence[Due],
    problems: Sequence[Finding],
    path: str | Path,
    *,
    lang: str | None = None,
    shown: Shown = as_is,
) -> Path:
    """Write a `core.review.forecast` result: who is due for retirement, a contract or probation
    end, by date; workers whose retirement could not be computed follow, with the reason.
    `shown` cuts the dates that give a birth date away (`core.privacy.shown_to`)."""
    lang = lang or current_language()
    keys = ("date", "kind", "worker_id", "name", "community_id", "detail", "citation")

    def body() -> Iterator[list[object]]:
        for d in due:
            yield [
                shown(d, d.date),
                t(f"tabular.due.{d.kind}", lang),
                d.worker_id,
                d.name,
                d.community_id,
                shown(d, "\n".join(m.render(lang) for m in d.detail)) or None,
                _cite(d.citation, lang),
            ]
        for f in problems:
            yield [
                shown(f, f.due),
                t("tabular.due.cannot_compute", lang),
                f.subject,
                None,
                None,
                shown(f, f.message.render(lang)),
                _cite(f.citation, lang),
            ]

    sheet = Sheet(
        t("tabular.sheet.forecast", lang),
        [_h(k, lang) for k in keys],
        body(),
        text=frozenset({4}),
        widths=[12, 10, 10, 10, 12, 60, 30],
        wrap=frozenset({5}),
    )
    target = Path(path)
    write_book(target, [sheet])
    return target


def export_alerts(
    findings: Sequence[Finding], path: str | Path, *, lang: str | None = None, shown: Shown = as_is
) -> Path:
    """Write a `core.review.alerts` result: severity, subject, what to act on, by when, and the
    rule; `shown` cuts the dates that give a birth date away (`core.privacy.shown_to`)."""
    lang = lang or current_language()
    keys = ("severity", "subject", "message", "due", "citation", "code")

    def body() -> Iterator[list[object]]:
        for f in findings:
            yield [
                _label(f"severity.{f.severity.value}", f.severity.value, lang),
                f.subject,
                shown(f, f.message.render(lang)),
                shown(f, f.due),
                _cite(f.citation, lang),
                f.code,
            ]

    sheet = Sheet(
        t("tabular.sheet.alerts", lang),
        [_h(k, lang) for k in keys],
        body(),
        widths=[8, 22, 70, 12, 30, 20],
        wrap=frozenset({2}),
    )
    target = Path(path)
    write_book(target, [sheet])
    return target
