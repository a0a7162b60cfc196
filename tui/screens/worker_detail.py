"""One worker: the record in tabs, this month's pay with the article behind each line, the
retirement date with its rule, the findings, and the history of every change.

The record is read from the registry when the screen opens; the rules run in a background thread
and each section that cannot be computed (a parameter unset, no rule in the jurisdiction, a plugin
that fails) says why in place of its figures.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, Tabs

from core.errors import AccessDenied, MissingParameter, NoAnswer, NotFound, ShegongError, UnknownJurisdiction
from core.i18n import msg, t
from core.model import Community, Worker, age_on, completed_years
from core.privacy import hide_birth_dates, mask_birth
from core.report import to_data
from core.repository import Change
from core.results import Finding, Month, PayLine, Reason, RetirementDate, Severity
from core.rules import Rules
from core.scoped import may_reveal, require
from tui.bindings import key
from tui.labels import (
    EMPTY,
    enum_label,
    field_label,
    fmt_date,
    fmt_money,
    labelled,
    listing,
    mask_id,
    mask_phone,
    paren,
    severity_label,
    status_label,
    yes_no,
)
from tui.messages import RowHighlighted, WorkerRulesComputed
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column, VirtualTable

TABS = (
    "profile",
    "posts",
    "contracts",
    "certificates",
    "assessments",
    "trainings",
    "absences",
    "awards",
    "pay",
    "retirement",
    "findings",
    "history",
)
# Tabs whose table has a line below it showing the whole of the highlighted row.
DETAILED = ("profile", "pay", "findings", "history")


@dataclass(frozen=True)
class WorkerRules:
    """What the rules say about one worker this month; an `*_error` replaces a missing result."""

    worker_id: int
    month: Month
    pay: list[PayLine] | None
    pay_error: str | None
    retirement: RetirementDate | None
    retirement_error: str | None
    findings: list[Finding]


def problem_text(exc: BaseException) -> str:
    """What an operator can do about a rule that could not run."""
    if isinstance(exc, MissingParameter):
        return t("ui.worker.missing_parameter", name=exc.name, jurisdiction=exc.jurisdiction, on=exc.on)
    if isinstance(exc, NoAnswer):
        return t("ui.worker.no_answer", jurisdiction=exc.jurisdiction, rule=exc.rule)
    if isinstance(exc, UnknownJurisdiction):
        return t("ui.worker.unknown_jurisdiction", key=exc.key)
    if isinstance(exc, ShegongError):
        return exc.render()
    return t("ui.worker.rule_failed", reason=f"{type(exc).__name__}: {exc}")


def compute_worker_rules(rules: Rules, worker: Worker, today: dt.date) -> WorkerRules:
    month = Month.of(today)
    pay: list[PayLine] | None = None
    pay_error = retirement_error = None
    retirement: RetirementDate | None = None
    try:
        pay = rules.pay_lines(worker, month)
    except Exception as exc:  # each section fails alone, with its reason
        pay_error = problem_text(exc)
    try:
        retirement = rules.retirement(worker)
    except Exception as exc:
        retirement_error = problem_text(exc)
    try:
        findings = rules.worker_findings(worker, today)
    except Exception as exc:
        findings = [
            Finding(
                "cannot_compute",
                Severity.ERROR,
                msg("ui.worker.cannot_compute", reason=problem_text(exc)),
                None,
                f"worker:{worker.id}",
            )
        ]
    return WorkerRules(worker.id, month, pay, pay_error, retirement, retirement_error, findings)


def _reasons(reasons: Sequence[Reason], cite: Callable[[Any], str]) -> list[str]:
    out = []
    for r in reasons:
        line = "· " + r.text.render()
        if r.citation is not None:
            line += f"〔{cite(r.citation)}〕"
        out.append(line)
    return out


def _value_text(value: Any) -> str:
    """An input as an operator reads it: amounts as plain numbers, dates as ISO text."""
    data = to_data(value)
    if isinstance(data, dict | list):
        return json.dumps(data, ensure_ascii=False)
    return str(data)


def _inputs(inputs: Mapping[str, Any]) -> str:
    if not inputs:
        return ""
    return t("ui.worker.inputs", values=", ".join(f"{k}={_value_text(v)}" for k, v in inputs.items()))


def _changed_fields(change: Change) -> str:
    if change.before is None:
        return t("ui.worker.history.created")
    if change.after is None:
        return t("ui.worker.history.deleted")
    if not isinstance(change.before, dict) or not isinstance(change.after, dict):
        return change.note or EMPTY
    names = [
        field_label(k)
        for k in sorted(set(change.before) | set(change.after))
        if k != "revision" and change.before.get(k) != change.after.get(k)
    ]
    return listing(names, change.note or EMPTY)


def _history_detail(change: Change) -> str:
    if not isinstance(change.before, dict) or not isinstance(change.after, dict):
        return change.note
    lines = []
    for k in sorted(set(change.before) | set(change.after)):
        if k != "revision" and change.before.get(k) != change.after.get(k):
            lines.append(labelled(field_label(k), f"{change.before.get(k)!s} → {change.after.get(k)!s}"))
    if change.note:
        lines.append(change.note)
    return "\n".join(lines)


def full_or_masked(registry: object, phone: str) -> str:
    """The phone in full for a role that may see it (operator, admin), masked for a viewer."""
    return (phone or EMPTY) if may_reveal(registry) else mask_phone(phone)


class WorkerDetailScreen(ShegongScreen[None]):
    """A worker's record, pay, retirement, findings and history; `e` opens the edit form."""

    TITLE_KEY = "ui.worker.title"
    HELP_KEY = "ui.worker.help"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("e", "edit", "worker.edit"),
        key("v", "reveal", "worker.reveal"),
        key("right_square_bracket", "next_tab", "worker.next_tab"),
        key("left_square_bracket", "previous_tab", "worker.previous_tab"),
        key("ctrl+r", "reload", "worker.reload", show=False),
        key("down", "focus_content", "worker.to_content", show=False),
    ]

    def __init__(self, worker_id: int) -> None:
        super().__init__(classes="worker-detail")
        self.worker_id = worker_id
        self.worker: Worker | None = None
        self.community: Community | None = None
        self.rules_result: WorkerRules | None = None
        self.reveal_id = False
        self._details: dict[str, list[str]] = {}

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.common.loading"), id="worker-heading", markup=False)
        with TabbedContent(id="worker-tabs"):
            for tab in TABS:
                with TabPane(t(f"ui.worker.tab.{tab}"), id=f"tab-{tab}"):
                    if tab == "retirement":
                        with VerticalScroll(id="retirement-scroll", can_focus=True):
                            yield Static(t("ui.common.computing"), id="retirement-text", markup=False)
                        continue
                    if tab == "pay":
                        yield Static(t("ui.common.computing"), id="pay-note", markup=False)
                    yield VirtualTable(
                        self._columns(tab),
                        id=f"{tab}-table",
                        empty_text=t(
                            "ui.common.computing" if tab in ("pay", "findings") else "ui.worker.none"
                        ),
                    )
                    if tab in DETAILED:
                        yield DetailPane(id=f"{tab}-detail")
        yield Footer()

    def _columns(self, tab: str) -> list[Column]:
        def c(name: str, max_width: int = 12, **kw: Any) -> Column:
            return Column(name, t(f"ui.worker.col.{name}"), max_width=max_width, **kw)

        flex = {"flex": True, "min_width": 8}
        columns: dict[str, list[Column]] = {
            "profile": [c("field", 20), c("value", 200, **flex)],
            "posts": [c("post", 20), c("start", 10), c("end", 10), c("current", 6)],
            "contracts": [c("contract", 12), c("start", 10), c("end", 10), c("current", 6)],
            "certificates": [c("certificate", 16), c("title", 20), c("number", 16), c("registered", 10)],
            "assessments": [
                c("year", 6),
                c("period", 8),
                c("grade", 10),
                c("panel", 6),
                c("scores", 40, **flex),
                c("note", 30),
            ],
            "trainings": [
                c("start", 10),
                c("end", 10),
                c("training", 10),
                c("level", 6),
                c("hours", 6, align="right"),
                c("passed", 6),
                c("title", 40, **flex),
            ],
            "absences": [
                c("start", 10),
                c("end", 10),
                c("days", 6, align="right"),
                c("absence", 8),
                c("note", 40, **flex),
            ],
            "awards": [c("date", 10), c("kind", 8), c("title", 40, **flex), c("level", 16)],
            "pay": [c("item", 20), c("amount", 12, align="right"), c("source", 80, **flex)],
            "findings": [c("severity", 6), c("message", 200, **flex), c("due", 10)],
            "history": [
                c("at", 16),
                c("user", 10),
                c("action", 8),
                c("revision", 6, align="right"),
                c("changed", 60, **flex),
            ],
        }
        return columns[tab]

    # --- loading --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.load()
        self.query_one(TabbedContent).query_one(Tabs).focus()

    def load(self) -> None:
        app = self.shegong
        try:
            self.worker = app.registry.get_worker(self.worker_id)
        except NotFound:
            self.notify(t("ui.worker.gone", id=self.worker_id), severity="error")
            self.dismiss()
            return
        try:
            self.community = app.registry.get_community(self.worker.community_id)
        except NotFound:
            self.community = None
        self._fill_record()
        self.compute_rules()

    @work(thread=True, exclusive=True, group="worker-rules")
    def compute_rules(self) -> None:
        app = self.shegong
        assert self.worker is not None
        self.post_message(WorkerRulesComputed(compute_worker_rules(app.rules, self.worker, app.today)))

    def on_worker_rules_computed(self, message: WorkerRulesComputed) -> None:
        if message.rules.worker_id != self.worker_id:
            return
        self.rules_result = message.rules
        self._fill_pay(message.rules)
        self._fill_retirement(message.rules)
        self._fill_findings(message.rules)

    # --- filling --------------------------------------------------------------------------------

    @property
    def jurisdiction(self) -> str | None:
        return self.community.jurisdiction if self.community is not None else None

    def _table(self, tab: str) -> VirtualTable:
        return self.query_one(f"#{tab}-table", VirtualTable)

    def _set(self, tab: str, rows: Sequence[Sequence[str]], details: list[str] | None = None) -> None:
        """Fill a tab's table (and the lines below it) with what the operator may see."""
        table = self._table(tab)
        table.set_data([self._shown(list(row)) for row in rows], keep_cursor=True)
        if details is not None:
            self._details[tab] = self._shown(details)
            self._show_detail(tab, table.cursor_row if rows else None)

    def _show_detail(self, tab: str, position: int | None) -> None:
        details = self._details.get(tab, [])
        text = details[position] if position is not None and 0 <= position < len(details) else ""
        self.query_one(f"#{tab}-detail", DetailPane).show(text)

    @on(RowHighlighted)
    def _row_highlighted(self, event: RowHighlighted) -> None:
        table_id = event.table.id or ""
        tab = table_id.removesuffix("-table")
        if tab in DETAILED and isinstance(event.key, int):
            self._show_detail(tab, event.key)

    def _fill_record(self) -> None:
        w = self.worker
        assert w is not None
        app = self.shegong
        today = app.today
        lex = app.lexicon
        j = self.jurisdiction
        posts = [lex.post(p, j) for p in dict.fromkeys(w.posts_on(today))]
        community = self.community
        heading = [
            w.name,
            community.name if community is not None else w.community_id,
            status_label(w.status_on(today)),
            listing(posts, t("ui.worker.no_post")),
        ]
        self.query_one("#worker-heading", Static).update(" · ".join(heading))
        self.sub_title = t("ui.worker.title_of", name=w.name)

        profile = self._profile_rows(w)
        self._set("profile", profile, [labelled(label, value) for label, value in profile])
        until = t("ui.worker.until_now")
        self._set(
            "posts",
            [
                (
                    lex.post(p.post, j),
                    fmt_date(p.start),
                    fmt_date(p.end) if p.end else until,
                    yes_no(p.covers(today)),
                )
                for p in sorted(w.posts, key=lambda p: p.start, reverse=True)
            ],
        )
        self._set(
            "contracts",
            [
                (
                    enum_label(c.kind),
                    fmt_date(c.start),
                    fmt_date(c.end) if c.end else until,
                    yes_no(c.covers(today)),
                )
                for c in sorted(w.contracts, key=lambda c: c.start, reverse=True)
            ],
        )
        self._set(
            "certificates",
            [
                (lex.certificate(c.kind, j), c.name or EMPTY, c.number or EMPTY, fmt_date(c.registered))
                for c in sorted(w.certificates, key=lambda c: c.registered, reverse=True)
            ],
        )
        self._set(
            "assessments",
            [
                (
                    str(a.year),
                    enum_label(a.period),
                    lex.grade(a.grade, j) if a.grade else EMPTY,
                    yes_no(a.panel),
                    ", ".join(f"{k}={v}" for k, v in a.scores.items()) or EMPTY,
                    a.note or EMPTY,
                )
                for a in sorted(w.assessments, key=lambda a: (a.year, a.period), reverse=True)
            ],
        )
        self._set(
            "trainings",
            [
                (
                    fmt_date(x.start),
                    fmt_date(x.end),
                    enum_label(x.kind),
                    enum_label(x.level),
                    str(x.hours) if x.hours is not None else EMPTY,
                    yes_no(x.passed),
                    x.title or EMPTY,
                )
                for x in sorted(w.trainings, key=lambda x: x.start, reverse=True)
            ],
        )
        self._set(
            "absences",
            [
                (fmt_date(a.start), fmt_date(a.end), str(a.days), enum_label(a.kind), a.note or EMPTY)
                for a in sorted(w.absences, key=lambda a: a.start, reverse=True)
            ],
        )
        awards: list[tuple[dt.date, tuple[str, ...]]] = [
            (a.date, (fmt_date(a.date), t("ui.worker.award"), a.title, a.level or EMPTY)) for a in w.awards
        ]
        for d in w.decisions:
            appeal = t("ui.worker.appealed", on=fmt_date(d.appealed_on)) if d.appealed_on else EMPTY
            awards.append((d.decided_on, (fmt_date(d.decided_on), t("ui.worker.decision"), d.kind, appeal)))
        self._set("awards", [row for _, row in sorted(awards, key=lambda x: x[0], reverse=True)])
        self._fill_history()

    def _shown(self, texts: list[str]) -> list[str]:
        """`texts` as the operator may see them: for a viewer, every date that could be the birth
        date moved by whole months (a retirement, the day an age is reached) cut to the month and
        the birth date to its year, as in every masked output (`core.privacy`)."""
        w = self.worker
        if w is None or may_reveal(self.shegong.registry):
            return texts
        return [hide_birth_dates(text, w.birth_date) for text in texts]

    def _profile_rows(self, w: Worker) -> list[tuple[str, str]]:
        today = self.shegong.today
        lex = self.shegong.lexicon
        c = self.community
        full = may_reveal(self.shegong.registry)
        status = w.status_on(today)
        since = max((s.since for s in w.statuses if s.since <= today and s.status == status), default=None)
        rows = [
            (field_label("name"), w.name),
            (field_label("sex"), enum_label(w.sex)),
            (
                field_label("birth_date"),
                t("ui.worker.birth", date=fmt_date(w.birth_date), age=age_on(w.birth_date, today))
                if full
                else t("privacy.birth_year", year=mask_birth(w.birth_date)),
            ),
            (field_label("id_number"), w.id_number if self.reveal_id else mask_id(w.id_number)),
            (field_label("phone"), full_or_masked(self.shegong.registry, w.phone)),
            (field_label("community_id"), c.name + paren(c.id) if c else w.community_id),
        ]
        if c is not None:
            rows += [
                (t("ui.worker.area"), f"{c.city} {c.district} {c.street}"),
                (t("ui.worker.jurisdiction"), lex.jurisdiction(c.jurisdiction) + paren(c.jurisdiction)),
            ]
        rows += [
            (
                t("ui.worker.status"),
                status_label(status) + (t("ui.worker.since", date=fmt_date(since)) if since else ""),
            ),
            (
                field_label("service_start"),
                t(
                    "ui.worker.service",
                    date=fmt_date(w.service_start),
                    years=completed_years(w.service_start, today),
                ),
            ),
            (field_label("work_start"), fmt_date(w.work_start)),
            (field_label("entry"), enum_label(w.entry)),
            (field_label("education"), enum_label(w.education)),
            (field_label("party"), enum_label(w.party)),
            (
                field_label("hukou"),
                w.hukou.city + paren(t("ui.worker.urban") if w.hukou.urban else t("ui.worker.rural"))
                if w.hukou
                else EMPTY,
            ),
            (
                field_label("retirement_track"),
                enum_label(w.retirement_track)
                if w.retirement_track
                else t("ui.worker.track_by_jurisdiction"),
            ),
            (
                field_label("flexible_retirement"),
                t(
                    "ui.worker.flexible",
                    months=w.flexible_retirement.months,
                    on=fmt_date(w.flexible_retirement.agreed_on),
                )
                if w.flexible_retirement
                else EMPTY,
            ),
            (field_label("reemployed_retiree"), yes_no(w.reemployed_retiree)),
            (
                field_label("secondments"),
                listing(
                    [
                        f"{fmt_date(s.start)}~{fmt_date(s.end)} {s.to}"
                        + (t("ui.worker.approved") if s.approved else t("ui.worker.not_approved"))
                        for s in w.secondments
                    ],
                    clauses=True,
                ),
            ),
            (field_label("health_checks"), listing([fmt_date(d) for d in sorted(w.health_checks)])),
            (
                field_label("statuses"),
                listing(
                    [
                        f"{fmt_date(s.since)} {status_label(s.status)}"
                        + (paren(s.reason) if s.reason else "")
                        for s in sorted(w.statuses, key=lambda s: s.since)
                    ],
                    clauses=True,
                ),
            ),
            (field_label("note"), w.note or EMPTY),
            (field_label("revision"), str(w.revision)),
        ]
        if full:
            return rows
        # A viewer: dates that could be the birth date moved by whole months (a retirement) are
        # cut to the month, as in every masked output (core.privacy).
        return [(label, hide_birth_dates(value, w.birth_date)) for label, value in rows]

    def _fill_history(self) -> None:
        changes = self.shegong.registry.changes(kind="worker", key=str(self.worker_id))
        changes = list(reversed(changes))
        rows = [
            (
                c.at[:16].replace("T", " "),
                c.user,
                t(f"ui.worker.action.{c.action}") if c.action in ACTIONS else c.action,
                str(c.revision),
                _changed_fields(c),
            )
            for c in changes
        ]
        self._set("history", rows, [_history_detail(c) for c in changes])

    def _fill_pay(self, result: WorkerRules) -> None:
        lex = self.shegong.lexicon
        note = self.query_one("#pay-note", Static)
        month = t("ui.worker.pay_month", year=result.month.year, month=result.month.month)
        if result.pay is None:
            note.update(f"{month}\n{t('ui.worker.pay_failed', reason=result.pay_error)}")
            note.add_class("problem")
            table = self._table("pay")
            table.empty_text = t("ui.worker.cannot")
            self._set("pay", [], [])
            return
        note.remove_class("problem")
        note.update(month)
        rows: list[tuple[str, ...]] = []
        details: list[str] = []
        for line in result.pay:
            amount = fmt_money(line.amount) + ("" if line.cash else t("ui.worker.not_cash"))
            rows.append((line.label.render(), amount, lex.cite(line.citation)))
            parts = [
                labelled(line.label.render(), lex.cite(line.citation)),
                *_reasons(line.reasons, lex.cite),
            ]
            if line.inputs:
                parts.append(_inputs(line.inputs))
            details.append("\n".join(parts))
        total = sum((line.amount for line in result.pay if line.cash), Decimal(0))
        rows.append((t("ui.worker.pay_total"), fmt_money(total), EMPTY))
        details.append(t("ui.worker.pay_total_help"))
        self._table("pay").empty_text = t("ui.worker.no_pay")
        self._set("pay", rows, details)

    def _fill_retirement(self, result: WorkerRules) -> None:
        text = self.query_one("#retirement-text", Static)
        r = result.retirement
        if r is None:
            text.update(t("ui.worker.retirement_failed", reason=result.retirement_error))
            return
        lex = self.shegong.lexicon
        lines = [
            t("ui.worker.retire_date", date=fmt_date(r.date)),
            t("ui.worker.retire_age", years=r.age_years, months=r.age_months),
            t("ui.worker.retire_rule", rule=r.rule.render()),
            t("ui.worker.retire_cite", cite=lex.cite(r.citation)),
        ]
        if r.reasons:
            lines.append(t("ui.worker.reasons"))
            lines.extend("  " + line for line in _reasons(r.reasons, lex.cite))
        if r.inputs:
            lines.append(_inputs(r.inputs))
        text.update("\n".join(self._shown(lines)))

    def _fill_findings(self, result: WorkerRules) -> None:
        lex = self.shegong.lexicon
        findings = sorted(result.findings, key=lambda f: (-f.severity.rank, f.due or dt.date.max))
        rows = [
            (severity_label(f.severity), f.message.render(), fmt_date(f.due) if f.due else EMPTY)
            for f in findings
        ]
        details = []
        for f in findings:
            parts = [f"[{severity_label(f.severity)}] {f.message.render()}"]
            if f.citation is not None:
                parts.append(t("ui.worker.cite", cite=lex.cite(f.citation)))
            if f.inputs:
                parts.append(_inputs(f.inputs))
            details.append("\n".join(parts))
        self._table("findings").empty_text = t("ui.worker.no_findings")
        self._set("findings", rows, details)

    # --- actions --------------------------------------------------------------------------------

    def action_edit(self) -> None:
        if self.shegong.refuse_if_read_only() or self.worker is None:
            return

        self.shegong.open_worker_form(self.worker_id)

    def action_reveal(self) -> None:
        if not self.reveal_id:
            try:  # a viewer may not see full numbers: refused, said why, and audited
                require(self.shegong.registry, "reveal", "worker", self.worker_id)
            except AccessDenied as exc:
                self.notify(exc.render(), title=t("ui.access.refused"), severity="warning")
                return
        self.reveal_id = not self.reveal_id
        if self.worker is not None:
            profile = self._profile_rows(self.worker)
            self._set("profile", profile, [labelled(label, value) for label, value in profile])

    def action_reload(self) -> None:
        self.load()

    def _tab_ids(self) -> list[str]:
        return [f"tab-{tab}" for tab in TABS]

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = self._tab_ids()
        current = ids.index(tabs.active) if tabs.active in ids else 0
        self.show_tab(TABS[(current + step) % len(ids)])

    def show_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = f"tab-{tab}"
        if not isinstance(self.focused, Tabs):
            self.action_focus_content()

    def action_focus_content(self) -> None:
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        if pane is None:
            return
        for widget in pane.query("VirtualTable, #retirement-scroll"):
            if widget.focusable:
                widget.focus()
                return

    def palette_commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = [
            (t("ui.cmd.worker_edit"), t("ui.tip.worker.edit"), self.action_edit),
            (t("ui.cmd.worker_reveal"), t("ui.tip.worker.reveal"), self.action_reveal),
        ]
        for tab in TABS:
            commands.append(
                (
                    t("ui.cmd.worker_tab", tab=t(f"ui.worker.tab.{tab}")),
                    t("ui.cmd.worker_tab_help"),
                    _tab_opener(self, tab),
                )
            )
        return commands


ACTIONS = ("add", "update", "delete", "refused", "migrate", "import", "denied", "restore")


def _tab_opener(screen: WorkerDetailScreen, tab: str) -> Callable[[], None]:
    return lambda: screen.show_tab(tab)
