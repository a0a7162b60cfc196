"""The first screen: how many people are in post where, who retires or whose contract ends in the
next three months, and how many findings need attention.

Everything is computed in a background thread from core's rules; a jurisdiction plugin that is
missing, broken or raising shows up as a problem line (and a "cannot compute" finding), never as
a crash of the screen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static

from core.errors import ShegongError
from core.i18n import Message, msg, t
from core.model import IN_SERVICE, Community, Status, Worker
from core.repository import Repository
from core.results import Finding, Severity
from core.review import forecast
from core.rules import Rules
from core.scope import Scope
from tui.bindings import key
from tui.labels import EMPTY, Lexicon, fmt_date, severity_label, status_label
from tui.messages import DashboardComputed, LoadFailed, OpenWorker, RowSelected
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.widgets.virtual_table import Column, VirtualTable

FORECAST_MONTHS = 3


@dataclass(frozen=True)
class DueRow:
    kind: str  # "retirement", "contract", "probation"
    date: dt.date
    worker_id: int
    name: str
    community: str
    detail: str


@dataclass(frozen=True)
class DashboardData:
    total: int
    in_service: int
    communities: int
    by_jurisdiction: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_post: list[tuple[str, int]]
    severities: list[tuple[str, int]]
    dues: list[DueRow]
    problems: list[str] = field(default_factory=list)


def _cannot_compute(worker: Worker | Community, exc: BaseException) -> Finding:
    reason = exc.message if isinstance(exc, ShegongError) else f"{type(exc).__name__}: {exc}"
    subject = f"worker:{worker.id}" if isinstance(worker, Worker) else f"community:{worker.id}"
    return Finding(
        "cannot_compute", Severity.ERROR, msg("finding.cannot_compute", reason=reason), None, subject
    )


def _safe_findings(rules: Rules, worker: Worker, on: dt.date) -> list[Finding]:
    try:
        return rules.worker_findings(worker, on)
    except Exception as exc:  # a plugin's wrong answer must not take the dashboard down
        return [_cannot_compute(worker, exc)]


def _reason(finding: Finding) -> str | None:
    """Why a rule could not run; None when a missing jurisdiction, reported on its own line, is why."""
    reason = finding.message.args.get("reason") if finding.message.key == "finding.cannot_compute" else None
    if isinstance(reason, Message):
        return None if reason.key == "error.unknown_jurisdiction" else reason.render()
    return finding.message.render()


def compute_dashboard(registry: Repository, rules: Rules, lexicon: Lexicon, today: dt.date) -> DashboardData:
    """Counts, dues and findings for the whole registry as of `today` (runs off the event loop)."""
    workers = registry.workers()
    communities = {c.id: c for c in registry.communities()}
    loaded = set(rules.jurisdictions.keys)
    statuses: Counter[str] = Counter()
    by_jurisdiction: Counter[str] = Counter()
    by_post: Counter[str] = Counter()
    severities: Counter[Severity] = Counter()
    cannot: Counter[str] = Counter()
    in_post: dict[str, list[Worker]] = {}
    in_service = 0

    def count(found: Sequence[Finding]) -> None:
        for finding in found:
            severities[finding.severity] += 1
            if finding.code == "cannot_compute" and (reason := _reason(finding)) is not None:
                cannot[reason] += 1

    for w in workers:
        status = w.status_on(today)
        statuses[status] += 1
        community = communities.get(w.community_id)
        jurisdiction = community.jurisdiction if community is not None else None
        if status in IN_SERVICE:
            in_service += 1
            in_post.setdefault(w.community_id, []).append(w)
            by_jurisdiction[lexicon.jurisdiction(jurisdiction) if jurisdiction else w.community_id] += 1
            for post in sorted(set(w.posts_on(today))):
                by_post[lexicon.post(post, jurisdiction)] += 1
        if status in IN_SERVICE or w.reemployed_retiree:
            count(_safe_findings(rules, w, today))
    for community in communities.values():
        try:
            found = rules.community_findings(community, in_post.get(community.id, []), today)
        except Exception as exc:
            found = [_cannot_compute(community, exc)]
        count(found)

    problems = [t("ui.dash.problem.broken", name=b.name, error=b.error) for b in rules.jurisdictions.broken]
    for missing in sorted({c.jurisdiction for c in communities.values()} - loaded):
        ids = {c.id for c in communities.values() if c.jurisdiction == missing}
        people = sum(len(in_post.get(cid, [])) for cid in ids)
        problems.append(t("ui.dash.problem.missing", key=missing, communities=len(ids), workers=people))

    dues: list[DueRow] = []
    try:
        due, unknown = forecast(registry, rules, Scope(), today, FORECAST_MONTHS)
    except Exception as exc:
        due, unknown = [], []
        problems.append(t("ui.dash.problem.forecast", reason=f"{type(exc).__name__}: {exc}"))
    for d in due:
        community = communities.get(d.community_id)
        detail = d.detail[0].render() if d.detail else EMPTY
        dues.append(
            DueRow(
                d.kind, d.date, d.worker_id, d.name, community.name if community else d.community_id, detail
            )
        )
    retire_reasons = Counter(reason for f in unknown if (reason := _reason(f)) is not None)
    for reason, n in retire_reasons.most_common():
        problems.append(t("ui.dash.problem.retirement", count=n, reason=reason))
    for reason, n in cannot.most_common():
        problems.append(t("ui.dash.problem.cannot", count=n, reason=reason))

    status_order = [s.value for s in Status]
    return DashboardData(
        total=len(workers),
        in_service=in_service,
        communities=len(communities),
        by_jurisdiction=sorted(by_jurisdiction.items(), key=lambda kv: (-kv[1], kv[0])),
        by_status=[(status_label(s), statuses[s]) for s in status_order if statuses[s]],
        by_post=sorted(by_post.items(), key=lambda kv: (-kv[1], kv[0])),
        severities=[(severity_label(s), severities[s]) for s in sorted(Severity, key=lambda s: -s.rank)],
        dues=dues,
        problems=problems,
    )


def _count_rows(pairs: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    return [(label, str(n)) for label, n in pairs]


class DashboardScreen(ShegongScreen[None]):
    """Head counts, the next three months' retirements and contract ends, findings by severity."""

    TITLE_KEY = "ui.dash.title"
    HELP_KEY = "ui.dash.help"
    # A tall terminal gives the count boxes more rows (see app.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (Textual declares it unannotated)

    BINDINGS: ClassVar[list[BindingType]] = [
        key("r", "app.show_mode('roster')", "dash.roster"),
        key("p", "app.show_mode('plugins')", "dash.plugins"),
        key("ctrl+r", "recompute", "dash.recompute"),
        key("escape", "back", "screen.back", show=False),  # the first screen: nowhere to go back to
    ]

    def __init__(self) -> None:
        super().__init__(id="dashboard")
        self.data: DashboardData | None = None
        self.problems: list[str] = []
        self._edits_seen = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.common.computing"), id="dash-summary", markup=False)
        computing = t("ui.common.computing")
        with Horizontal(id="dash-counts"):
            yield self._count_table("by-jurisdiction", "ui.dash.by_jurisdiction", "ui.dash.col.jurisdiction")
            yield self._count_table("by-status", "ui.dash.by_status", "ui.dash.col.status", flex=False)
            yield self._count_table("by-post", "ui.dash.by_post", "ui.dash.col.post")
            severity = VirtualTable(
                [
                    Column("severity", t("ui.dash.col.severity"), max_width=12),
                    Column("count", t("ui.dash.col.count"), align="right", max_width=7),
                ],
                id="by-severity",
                empty_text=computing,
            )
            severity.border_title = t("ui.dash.findings")
            yield severity
        dues = VirtualTable(
            [
                Column("date", t("ui.dash.col.date"), max_width=10),
                Column("kind", t("ui.dash.col.kind"), max_width=14),
                Column("name", t("ui.dash.col.name"), max_width=10),
                Column("community", t("ui.dash.col.community"), max_width=16),
                Column("detail", t("ui.dash.col.detail"), max_width=60, min_width=8, flex=True),
            ],
            id="dues",
            empty_text=computing,
            select_text=t("ui.key.dash.open_worker"),
        )
        dues.border_title = t("ui.dash.dues", months=FORECAST_MONTHS)
        yield dues
        problems = VirtualTable(
            [Column("problem", "", max_width=400, flex=True)],
            id="dash-problems",
            show_header=False,
            select_text=t("ui.key.dash.show_problem"),
        )
        yield problems
        yield Footer()

    def _count_table(
        self, table_id: str, title_key: str, label_key: str, *, flex: bool = True
    ) -> VirtualTable:
        # A flex label takes the box's width; a fixed one lets the box fit its content.
        table = VirtualTable(
            [
                Column("label", t(label_key), max_width=20 if flex else 14, flex=flex, min_width=4),
                Column("count", t("ui.dash.col.count"), align="right", max_width=7),
            ],
            id=table_id,
            empty_text=t("ui.common.computing"),
            select_text=t("ui.key.dash.filter_roster"),
        )
        table.border_title = t(title_key)
        return table

    def on_mount(self) -> None:
        self._edits_seen = len(self.shegong.edited_workers)
        self.query_one("#dues", VirtualTable).focus()
        self.compute()

    def on_screen_resume(self) -> None:
        if len(self.shegong.edited_workers) != self._edits_seen:
            self._edits_seen = len(self.shegong.edited_workers)
            self.compute()

    def action_recompute(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, group="dashboard")
    def compute(self) -> None:
        app = self.shegong
        try:
            data = compute_dashboard(app.registry, app.rules, app.lexicon, app.today)
        except Exception as exc:  # the screen must stay up and say what went wrong
            self.post_message(LoadFailed(t("ui.dash.failed", reason=f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(DashboardComputed(data))

    def on_dashboard_computed(self, message: DashboardComputed) -> None:
        data = self.data = message.data
        self.query_one("#dash-summary", Static).update(
            t(
                "ui.dash.summary",
                total=data.total,
                in_service=data.in_service,
                communities=data.communities,
                today=fmt_date(self.shegong.today),
            )
        )
        self._fill("#by-jurisdiction", _count_rows(data.by_jurisdiction))
        self._fill("#by-status", _count_rows(data.by_status))
        self._fill("#by-post", _count_rows(data.by_post))
        self._fill("#by-severity", _count_rows(data.severities))
        dues = self.query_one("#dues", VirtualTable)
        dues.empty_text = t("ui.dash.no_dues")
        dues.set_data(
            [
                (fmt_date(d.date), t(f"ui.dash.due.{d.kind}"), d.name, d.community, d.detail)
                for d in data.dues
            ],
            keys=list(range(len(data.dues))),
        )
        retirements = sum(1 for d in data.dues if d.kind == "retirement")
        dues.border_subtitle = t(
            "ui.dash.dues_counts", retirements=retirements, contracts=len(data.dues) - retirements
        )
        problems = self.query_one("#dash-problems", VirtualTable)
        self.problems = [*self.shegong.startup_problems, *data.problems]
        problems.set_data([(f"[!] {p}",) for p in self.problems])
        problems.display = bool(self.problems)

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#dash-summary", Static).update(message.text)
        self.notify(message.text, severity="error", timeout=10)

    def _fill(self, selector: str, rows: list[tuple[str, str]]) -> None:
        table = self.query_one(selector, VirtualTable)
        table.empty_text = t("ui.common.none")
        table.set_data(rows)

    @on(RowSelected, "#dues")
    def _open_due(self, event: RowSelected) -> None:
        if self.data is not None and isinstance(event.key, int):
            self.post_message(OpenWorker(self.data.dues[event.key].worker_id))

    @on(RowSelected, "#by-jurisdiction, #by-status, #by-post")
    def _filter_roster(self, event: RowSelected) -> None:
        assert isinstance(event.key, int)
        self.shegong.show_roster(event.table.row(event.key)[0])

    @on(RowSelected, "#dash-problems")
    def _show_problem(self, event: RowSelected) -> None:
        if isinstance(event.key, int) and event.key < len(self.problems):
            self.notify(self.problems[event.key], severity="warning", timeout=15)

    def palette_commands(self) -> list[PaletteCommand]:
        return [(t("ui.cmd.dash_recompute"), t("ui.tip.dash.recompute"), self.action_recompute)]
