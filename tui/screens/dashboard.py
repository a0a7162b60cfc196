"""The first screen: how many people are in post where, who retires or whose contract ends in the
next three months, the most serious findings, and where this month's payroll and this year's
assessment round stand.

Everything is computed in a background thread from core's rules; a jurisdiction plugin that is
missing, broken or raising shows up as a problem line (and a "cannot compute" finding), never as
a crash of the screen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message as TextualMessage
from textual.widgets import Footer, Header, Static

from core.assessment import ROUND_KIND, load_round
from core.errors import NotFound, ShegongError
from core.i18n import Message, msg, t
from core.model import IN_SERVICE, Community, Status, Worker
from core.payroll import RUN_KIND, load_run
from core.privacy import Shown, as_is, shown_to
from core.repository import Repository, WorkerQuery
from core.results import Finding, Month, Severity
from core.review import forecast_of
from core.rules import Rules
from core.summary import WorkerSummary, worker_summaries
from tui.bindings import key
from tui.labels import EMPTY, Lexicon, fmt_date, fmt_money, severity_label, status_label
from tui.messages import DashboardComputed, LoadFailed, OpenWorker, RowSelected
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.widgets.marked_table import MarkedTable
from tui.widgets.virtual_table import Column, VirtualTable

FORECAST_MONTHS = 3
TOP_ALERTS = 50  # the dashboard's alerts box: the most serious first; `w` shows them all
ROUND_PERIOD = "year_end"


@dataclass(frozen=True)
class DueRow:
    kind: str  # "retirement", "contract", "probation"
    date: dt.date
    worker_id: int
    name: str
    community: str
    detail: str
    shown_date: str
    """The date as the operator may see it (a viewer: to the month, `core.privacy.shown_to`)."""


@dataclass(frozen=True)
class AlertRow:
    severity: Severity
    worker_id: int | None
    community_id: str | None
    name: str
    message: str


@dataclass(frozen=True)
class HeadCounts:
    """What the count boxes show: known from worker summaries, before any rule has run."""

    total: int
    in_service: int
    communities: int
    by_jurisdiction: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_post: list[tuple[str, int]]


@dataclass
class DashboardCounted(TextualMessage):
    """The head counts, shown while the findings and dues are still being computed."""

    counts: HeadCounts


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
    alerts: list[AlertRow] = field(default_factory=list)
    payroll: str = ""
    assessment: str = ""


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


def count_heads(
    people: Iterable[Worker | WorkerSummary],
    communities: dict[str, Community],
    lexicon: Lexicon,
    today: dt.date,
) -> HeadCounts:
    """Head counts by status, and of those in service by jurisdiction and post, as of `today`."""
    statuses: Counter[str] = Counter()
    by_jurisdiction: Counter[str] = Counter()
    by_post: Counter[str] = Counter()
    total = in_service = 0
    for w in people:
        total += 1
        status = w.status_on(today)
        statuses[status] += 1
        if status in IN_SERVICE:
            in_service += 1
            community = communities.get(w.community_id)
            jurisdiction = community.jurisdiction if community is not None else None
            by_jurisdiction[lexicon.jurisdiction(jurisdiction) if jurisdiction else w.community_id] += 1
            for post in sorted(set(w.posts_on(today))):
                by_post[lexicon.post(post, jurisdiction)] += 1
    status_order = [s.value for s in Status]
    return HeadCounts(
        total=total,
        in_service=in_service,
        communities=len(communities),
        by_jurisdiction=sorted(by_jurisdiction.items(), key=lambda kv: (-kv[1], kv[0])),
        by_status=[(status_label(s), statuses[s]) for s in status_order if statuses[s]],
        by_post=sorted(by_post.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def read_workers(
    registry: Repository, communities: Iterable[Community], worker_ids: Iterable[int]
) -> list[Worker]:
    """Every worker (by id), read a street at a time.

    The registry is locked while it reads: one read of 50,000 whole workers holds it for seconds,
    and the roster opened meanwhile waited that long for its first rows. Between two streets it
    gets in. Workers of no known community (no street to read them by) are read one by one.
    """
    found: dict[int, Worker] = {}
    for district, street in sorted({(c.district, c.street) for c in communities}):
        for w in registry.workers(WorkerQuery(district=district, street=street)):
            found[w.id] = w
    for worker_id in worker_ids:
        if worker_id not in found:
            try:
                found[worker_id] = registry.get_worker(worker_id)
            except NotFound:
                continue  # deleted since it was counted
    return [found[worker_id] for worker_id in sorted(found)]


def compute_dashboard(
    registry: Repository,
    rules: Rules,
    lexicon: Lexicon,
    today: dt.date,
    counted: Callable[[HeadCounts], object] | None = None,
) -> DashboardData:
    """Counts, dues and findings for the whole registry as of `today` (runs off the event loop).

    The head counts come first, from worker summaries (`counted` is given them at once); the
    findings and dues need whole workers and every rule, which at city scale takes seconds."""
    communities = {c.id: c for c in registry.communities()}
    summaries = worker_summaries(registry)
    heads = count_heads(summaries, communities, lexicon, today)
    if counted is not None:
        counted(heads)
    workers = read_workers(registry, communities.values(), (s.id for s in summaries))
    del summaries
    loaded = set(rules.jurisdictions.keys)
    severities: Counter[Severity] = Counter()
    cannot: Counter[str] = Counter()
    in_post: dict[str, list[Worker]] = {}

    findings: list[Finding] = []

    def count(found: Sequence[Finding]) -> None:
        findings.extend(found)
        for finding in found:
            severities[finding.severity] += 1
            if finding.code == "cannot_compute" and (reason := _reason(finding)) is not None:
                cannot[reason] += 1

    for w in workers:
        status = w.status_on(today)
        if status in IN_SERVICE:
            in_post.setdefault(w.community_id, []).append(w)
        if status in IN_SERVICE or w.reemployed_retiree:
            count(_safe_findings(rules, w, today))
    for place in communities.values():
        try:
            found = rules.community_findings(place, in_post.get(place.id, []), today)
        except Exception as exc:
            found = [_cannot_compute(place, exc)]
        count(found)

    problems = [t("ui.dash.problem.broken", name=b.name, error=b.error) for b in rules.jurisdictions.broken]
    for missing in sorted({c.jurisdiction for c in communities.values()} - loaded):
        ids = {c.id for c in communities.values() if c.jurisdiction == missing}
        people = sum(len(in_post.get(cid, [])) for cid in ids)
        problems.append(t("ui.dash.problem.missing", key=missing, communities=len(ids), workers=people))

    dues: list[DueRow] = []
    try:
        due, unknown = forecast_of(workers, rules, today, FORECAST_MONTHS)
    except Exception as exc:
        due, unknown = [], []
        problems.append(t("ui.dash.problem.forecast", reason=f"{type(exc).__name__}: {exc}"))
    shown = shown_to(registry, workers)
    for d in due:
        community = communities.get(d.community_id)
        detail = shown(d, d.detail[0].render()) if d.detail else EMPTY
        dues.append(
            DueRow(
                d.kind,
                d.date,
                d.worker_id,
                d.name,
                community.name if community else d.community_id,
                detail,
                fmt_date(shown(d, d.date)),
            )
        )
    retire_reasons = Counter(reason for f in unknown if (reason := _reason(f)) is not None)
    for reason, n in retire_reasons.most_common():
        problems.append(t("ui.dash.problem.retirement", count=n, reason=reason))
    for reason, n in cannot.most_common():
        problems.append(t("ui.dash.problem.cannot", count=n, reason=reason))

    by_id = {w.id: w for w in workers}
    return DashboardData(
        total=heads.total,
        in_service=heads.in_service,
        communities=heads.communities,
        by_jurisdiction=heads.by_jurisdiction,
        by_status=heads.by_status,
        by_post=heads.by_post,
        severities=[(severity_label(s), severities[s]) for s in sorted(Severity, key=lambda s: -s.rank)],
        dues=dues,
        problems=problems,
        alerts=top_alerts(findings, by_id, communities, shown),
        payroll=payroll_state(registry, today),
        assessment=round_state(registry, today.year),
    )


def top_alerts(
    findings: Sequence[Finding],
    workers: dict[int, Worker],
    communities: dict[str, Community],
    shown: Shown = as_is,
) -> list[AlertRow]:
    """The `TOP_ALERTS` most serious findings, soonest due first (the order of `core.review.alerts`)."""
    far = dt.date.max
    ranked = sorted(findings, key=lambda f: (-f.severity.rank, f.due or far, f.subject, f.code))
    rows = []
    for f in ranked[:TOP_ALERTS]:
        kind, _, value = f.subject.partition(":")
        worker = workers.get(int(value)) if kind == "worker" and value.isdigit() else None
        community = communities.get(value) if kind == "community" else None
        name = worker.name if worker else community.name if community else f.subject
        rows.append(
            AlertRow(
                f.severity,
                worker.id if worker else None,
                community.id if community else None,
                name,
                shown(f, f.message.render()),
            )
        )
    return rows


def payroll_state(registry: Repository, today: dt.date) -> str:
    """This month's payroll: not computed, computed (not closed) or closed, with head count and total.

    A run is kept per scope; the whole registry's run is shown if there is one, else the first,
    with how many other scopes have one."""
    month = str(Month.of(today))
    keys = [k for k in registry.list_documents(RUN_KIND) if k.startswith(f"{month}@")]
    if not keys:
        return t("ui.dash.payroll.none", month=month)
    scopes = [k.split("@", 1)[1] for k in keys]
    scope = "all" if "all" in scopes else scopes[0]
    try:
        run = load_run(registry, month, scope)
    except ShegongError as exc:
        return t("ui.dash.payroll.unreadable", month=month, reason=exc.render())
    if run is None:
        return t("ui.dash.payroll.none", month=month)
    text = t(
        "ui.dash.payroll.closed" if run.closed else "ui.dash.payroll.computed",
        month=month,
        count=len(run.workers),
        total=fmt_money(run.total),
    )
    if run.failed:
        text += t("ui.dash.payroll.failed", count=len(run.failed))
    if scope != "all":
        text += t("ui.dash.scope", scope=scope)
    if len(keys) > 1:
        text += t("ui.dash.more_scopes", count=len(keys) - 1)
    return text


def round_state(registry: Repository, year: int) -> str:
    """This year's year-end assessment round: not opened, open (decided of all), or closed."""
    prefix = f"{year}-{ROUND_PERIOD}@"
    keys = [k for k in registry.list_documents(ROUND_KIND) if k.startswith(prefix)]
    if not keys:
        return t("ui.dash.round.none", year=year)
    scopes = [k.split("@", 1)[1] for k in keys]
    scope = "all" if "all" in scopes else scopes[0]
    try:
        r = load_round(registry, year, ROUND_PERIOD, scope)
    except ShegongError as exc:
        return t("ui.dash.round.unreadable", year=year, reason=exc.render())
    if r is None:
        return t("ui.dash.round.none", year=year)
    decided = sum(1 for e in r.entries if e.decided is not None)
    text = t(
        "ui.dash.round.closed" if r.closed else "ui.dash.round.open",
        year=year,
        decided=decided,
        count=len(r.entries),
    )
    if scope != "all":
        text += t("ui.dash.scope", scope=scope)
    if len(keys) > 1:
        text += t("ui.dash.more_scopes", count=len(keys) - 1)
    return text


def _count_rows(pairs: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    return [(label, str(n)) for label, n in pairs]


class DashboardScreen(ShegongScreen[None]):
    """Head counts, the next three months' dues, the most serious findings, payroll and round."""

    TITLE_KEY = "ui.dash.title"
    HELP_KEY = "ui.dash.help"
    # A tall terminal gives the count boxes more rows (see app.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (Textual declares it unannotated)
    AUTO_FOCUS = "#dues"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("r", "app.show_mode('roster')", "dash.roster"),
        key("c", "app.show_mode('communities')", "dash.communities"),
        key("f", "app.show_mode('forecasts')", "dash.forecasts"),
        key("w", "app.show_mode('alerts')", "dash.alerts"),
        key("p", "app.show_mode('plugins')", "dash.plugins", show=False),
        key("ctrl+r", "recompute", "dash.recompute", show=False),
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
        yield Static("", id="dash-state", markup=False)
        with Horizontal(id="dash-counts"):
            yield self._count_table("by-jurisdiction", "ui.dash.by_jurisdiction", "ui.dash.col.jurisdiction")
            yield self._count_table("by-status", "ui.dash.by_status", "ui.dash.col.status", flex=False)
            yield self._count_table("by-post", "ui.dash.by_post", "ui.dash.col.post")
        with Horizontal(id="dash-lists"):
            dues = MarkedTable(
                [
                    Column("date", t("ui.dash.col.date"), max_width=10),
                    Column("kind", t("ui.dash.col.kind"), max_width=14),
                    Column("name", t("ui.dash.col.name"), max_width=10),
                    Column("community", t("ui.dash.col.community"), max_width=16),
                    Column("detail", t("ui.dash.col.detail"), max_width=60, min_width=8, flex=True),
                ],
                id="dues",
                empty_text=t("ui.common.computing"),
                select_text=t("ui.key.dash.open"),
            )
            dues.border_title = t("ui.dash.dues", months=FORECAST_MONTHS)
            yield dues
            alerts = MarkedTable(
                [
                    Column("severity", t("ui.dash.col.severity"), max_width=8),
                    Column("name", t("ui.dash.col.name"), max_width=10),
                    Column("message", t("ui.dash.col.message"), max_width=200, min_width=8, flex=True),
                ],
                id="dash-alerts",
                empty_text=t("ui.common.computing"),
                select_text=t("ui.key.dash.open"),
            )
            alerts.border_title = t("ui.dash.findings")
            alerts.border_subtitle = t("ui.dash.alerts_more")
            yield alerts
        problems = VirtualTable(
            [Column("problem", "", max_width=400, flex=True)],
            id="dash-problems",
            show_header=False,
            select_text=t("ui.key.dash.show_problem"),
        )
        yield problems
        yield Footer(compact=True)

    def _count_table(
        self, table_id: str, title_key: str, label_key: str, *, flex: bool = True
    ) -> MarkedTable:
        # A flex label takes the box's width; a fixed one lets the box fit its content.
        table = MarkedTable(
            [
                Column("label", t(label_key), max_width=20 if flex else 14, flex=flex, min_width=4),
                Column("count", t("ui.dash.col.count"), align="right", max_width=7),
            ],
            id=table_id,
            empty_text=t("ui.common.computing"),
            select_text=t("ui.key.dash.in_roster"),
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
            data = compute_dashboard(
                app.registry,
                app.rules,
                app.lexicon,
                app.today,
                counted=lambda heads: self.post_message(DashboardCounted(heads)),
            )
        except Exception as exc:  # the screen must stay up and say what went wrong
            self.post_message(LoadFailed(t("ui.dash.failed", reason=f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(DashboardComputed(data))

    def on_dashboard_counted(self, message: DashboardCounted) -> None:
        self._show_counts(message.counts)

    def _show_counts(self, counts: HeadCounts | DashboardData) -> None:
        self.query_one("#dash-summary", Static).update(
            t(
                "ui.dash.summary",
                total=counts.total,
                in_service=counts.in_service,
                communities=counts.communities,
                today=fmt_date(self.shegong.today),
            )
        )
        self._fill("#by-jurisdiction", _count_rows(counts.by_jurisdiction))
        self._fill("#by-status", _count_rows(counts.by_status))
        self._fill("#by-post", _count_rows(counts.by_post))

    def on_dashboard_computed(self, message: DashboardComputed) -> None:
        data = self.data = message.data
        self._show_counts(data)
        self.query_one("#dash-state", Static).update(f"{data.payroll} · {data.assessment}")
        dues = self.query_one("#dues", VirtualTable)
        dues.empty_text = t("ui.dash.no_dues")
        dues.set_data(
            [(d.shown_date, t(f"ui.dash.due.{d.kind}"), d.name, d.community, d.detail) for d in data.dues],
            keys=list(range(len(data.dues))),
        )
        retirements = sum(1 for d in data.dues if d.kind == "retirement")
        dues.border_subtitle = t(
            "ui.dash.dues_counts", retirements=retirements, contracts=len(data.dues) - retirements
        )
        alerts = self.query_one("#dash-alerts", MarkedTable)
        alerts.empty_text = t("ui.dash.no_alerts")
        alerts.marks = {
            i: a.severity.value
            for i, a in enumerate(data.alerts)
            if a.severity in (Severity.ERROR, Severity.WARNING)
        }
        alerts.set_data([(severity_label(a.severity), a.name, a.message) for a in data.alerts])
        counts = [f"{label} {n}" for label, n in data.severities if n]
        alerts.border_title = t("ui.dash.findings_counts", counts=" · ".join(counts) or t("ui.common.none"))
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

    @on(RowSelected, "#dash-alerts")
    def _open_alert(self, event: RowSelected) -> None:
        if self.data is None or not isinstance(event.key, int):
            return
        alert = self.data.alerts[event.key]
        if alert.worker_id is not None:
            self.post_message(OpenWorker(alert.worker_id))
        elif alert.community_id is not None:
            from tui.screens.community_detail import CommunityDetailScreen

            self.app.push_screen(CommunityDetailScreen(alert.community_id))

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
