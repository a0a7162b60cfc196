"""The full trace of one worker's rules for a month: what an operator shows an auditor.

Each section (pay, retirement, leave, grade, findings) is computed on its own; a section that
cannot be computed (a parameter unset, no rule in the jurisdiction) says why, and the others
still appear. `as_text` renders the trace for a terminal in the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from core.errors import ShegongError
from core.i18n import Message, t
from core.model import Worker
from core.report import to_data
from core.results import Citation, Month, PayLine, Reason
from core.rules import Rules


@attrs.frozen
class Section:
    name: str  # "pay", "retirement", "leave", "grade", "contract", "findings"
    result: Any = None
    error: Message | None = None


@attrs.frozen
class Trace:
    worker: Worker
    jurisdiction: str
    month: Month
    sections: tuple[Section, ...]

    @property
    def pay_total(self) -> Decimal | None:
        for s in self.sections:
            if s.name == "pay" and s.error is None:
                return sum((line.amount for line in s.result if line.cash), Decimal(0))
        return None


def _section(name: str, compute: Callable[[], Any]) -> Section:
    try:
        return Section(name, compute())
    except ShegongError as exc:
        return Section(name, None, exc.message)


def explain(rules: Rules, worker: Worker, month: Month) -> Trace:
    """Every rule for `worker`: pay for `month`, retirement, the year's leave and grade, whether an
    open-ended contract is due (national law), findings."""
    community = rules.community_of(worker)
    year = month.year
    sections = (
        _section("pay", lambda: rules.pay_lines(worker, month)),
        _section("retirement", lambda: rules.retirement(worker)),
        _section("leave", lambda: rules.annual_leave(worker, year)),
        _section("grade", lambda: rules.propose_grade(worker, year)),
        _section("contract", lambda: rules.contract_entitlement(worker, month.last_day)),
        _section("findings", lambda: rules.worker_findings(worker, month.last_day)),
    )
    return Trace(worker, community.jurisdiction, month, sections)


def as_data(trace: Trace, lang: str | None = None) -> dict[str, Any]:
    total = trace.pay_total
    return {
        "worker": {"id": trace.worker.id, "name": trace.worker.name, "community": trace.worker.community_id},
        "jurisdiction": trace.jurisdiction,
        "month": str(trace.month),
        "pay_total": str(total) if total is not None else None,
        "sections": {
            s.name: {"result": to_data(s.result, lang), "error": s.error.render(lang) if s.error else None}
            for s in trace.sections
        },
    }


def _cite(c: Citation | None, lang: str | None = None) -> str:
    return f"  〔{c.shown(lang)}〕" if c is not None else ""


def _inputs(inputs: Any, lang: str | None) -> str:
    if not inputs:
        return ""
    return (
        "    "
        + t("explain.inputs", lang)
        + "："
        + ", ".join(f"{k}={to_data(v, lang)}" for k, v in inputs.items())
    )


def _reasons(reasons: tuple[Reason, ...], lang: str | None, indent: str = "    ") -> list[str]:
    return [f"{indent}· {r.text.render(lang)}{_cite(r.citation, lang)}" for r in reasons]


def as_text(trace: Trace, lang: str | None = None) -> str:
    w = trace.worker
    out = [
        t(
            "explain.header",
            lang,
            name=w.name,
            id=w.id,
            community=w.community_id,
            jurisdiction=trace.jurisdiction,
            month=str(trace.month),
        ),
    ]
    for s in trace.sections:
        out.append("")
        out.append(t(f"explain.section.{s.name}", lang))
        if s.error is not None:
            out.append("  " + s.error.render(lang))
            continue
        out.extend(_render_section(s, lang))
    return "\n".join(out)


def _render_section(s: Section, lang: str | None) -> list[str]:
    out: list[str] = []
    r = s.result
    if s.name == "pay":
        lines: list[PayLine] = r
        for line in lines:
            cash = "" if line.cash else " " + t("explain.not_cash", lang)
            out.append(f"  {line.label.render(lang)}：{line.amount}{cash}{_cite(line.citation, lang)}")
            out.extend(_reasons(line.reasons, lang))
            if line.inputs:
                out.append(_inputs(line.inputs, lang))
        total = sum((line.amount for line in lines if line.cash), Decimal(0))
        out.append("  " + t("explain.total", lang, total=total))
    elif s.name == "retirement":
        out.append(
            "  "
            + t("explain.retire", lang, date=r.date.isoformat(), years=r.age_years, months=r.age_months)
            + _cite(r.citation, lang)
        )
        out.append("    " + r.rule.render(lang))
        out.extend(_reasons(r.reasons, lang))
    elif s.name == "leave":
        out.append("  " + t("explain.leave", lang, days=r.days) + _cite(r.citation, lang))
        out.extend(_reasons(r.reasons, lang))
    elif s.name == "contract":
        head = (
            t("explain.contract.due", lang, since=r.since) if r.due else t("explain.contract.not_due", lang)
        )
        out.append("  " + head + _cite(r.citation, lang))
        out.extend(_reasons(r.reasons, lang))
    elif s.name == "grade":
        grade = t(f"grade.{r.grade}", lang) if r.grade else t("explain.no_grade", lang)
        out.append("  " + t("explain.grade", lang, grade=grade))
        out.extend(_reasons(r.reasons, lang))
    elif s.name == "findings":
        if not r:
            out.append("  " + t("explain.no_findings", lang))
        for f in r:
            due = f" ({f.due.isoformat()})" if isinstance(f.due, dt.date) else ""
            head = f"  [{t(f'severity.{f.severity}', lang)}] {f.message.render(lang)}{due}"
            out.append(head + _cite(f.citation, lang))
    return out
