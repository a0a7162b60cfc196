"""预警: every finding about the workers and communities (`core.review.alerts`), most severe first.

Each line names who it is about, what to do, by when and the article behind it; the whole text of
the highlighted line shows below the table. `l` picks a severity, `j` a jurisdiction, `/` filters
by text; `x` writes what is shown to .xlsx or .csv; enter opens the worker or the community.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType

from core.i18n import current_language, t
from core.model import Community, Worker
from core.privacy import Shown, as_is, shown_to
from core.repository import Repository
from core.results import Finding, Severity
from core.review import alerts
from core.rules import Rules
from core.scope import Scope
from core.tabular.export import export_alerts
from tui.bindings import key
from tui.labels import EMPTY, Lexicon, fmt_date, labelled, severity_label
from tui.messages import OpenWorker, RowHighlighted, RowSelected
from tui.screens.base import PaletteCommand
from tui.screens.filtered import FilteredListScreen
from tui.screens.roster import SEPARATOR, initials
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column

SEVERITIES = ("all", Severity.ERROR.value, Severity.WARNING.value, Severity.INFO.value)
ALL = "all"

# (key, max width)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("severity", 8),
    ("name", 8),
    ("message", 80),
    ("due", 10),
    ("community", 12),
    ("citation", 30),
    ("jurisdiction", 12),
)


@dataclass(frozen=True)
class AlertItem:
    finding: Finding
    worker_id: int | None
    community_id: str | None
    jurisdiction: str | None
    cells: tuple[str, ...]
    haystack: str
    detail: str


@dataclass(frozen=True)
class AlertsData:
    items: list[AlertItem]
    jurisdictions: list[str]
    shown: Shown = as_is
    """How the dates are shown to the operator (cut for a viewer, `core.privacy.shown_to`),
    on the screen and in the export alike."""


def subject_of(finding: Finding) -> tuple[int | None, str | None]:
    """(worker id, community id) named by a finding's subject (`worker:12`, `community:tc-001`)."""
    kind, _, value = finding.subject.partition(":")
    if kind == "worker" and value.isdigit():
        return int(value), None
    if kind == "community":
        return None, value
    return None, None


def alert_item(
    finding: Finding,
    workers: dict[int, Worker],
    communities: dict[str, Community],
    lexicon: Lexicon,
    shown: Shown = as_is,
) -> AlertItem:
    worker_id, community_id = subject_of(finding)
    worker = workers.get(worker_id) if worker_id is not None else None
    if worker is not None:
        community_id = worker.community_id
    community = communities.get(community_id) if community_id is not None else None
    name = worker.name if worker is not None else community.name if community else finding.subject
    community_name = community.name if community is not None else (community_id or EMPTY)
    jurisdiction = community.jurisdiction if community is not None else None
    j_label = lexicon.jurisdiction(jurisdiction) if jurisdiction else EMPTY
    severity = severity_label(finding.severity)
    message = shown(finding, finding.message.render())
    due = fmt_date(shown(finding, finding.due)) if finding.due else EMPTY
    cite = lexicon.cite(finding.citation)
    cells = (
        severity,
        name,
        message,
        due,
        community_name,
        cite,
        j_label,
    )
    fields = [name, initials(name), community_name, message, cite, j_label, finding.code, severity]
    detail = [f"[{severity}] {name} · {community_name} · {j_label}", message]
    if finding.citation is not None:
        detail.append(labelled(t("ui.alerts.cite"), cite))
    if finding.due is not None:
        detail.append(labelled(t("ui.alerts.due"), due))
    return AlertItem(
        finding,
        worker_id,
        community_id,
        jurisdiction,
        cells,
        SEPARATOR.join(fields).lower(),
        "\n".join(detail),
    )


def build_alerts(
    findings: Sequence[Finding],
    workers: dict[int, Worker],
    communities: dict[str, Community],
    lexicon: Lexicon,
    shown: Shown = as_is,
) -> AlertsData:
    items = [alert_item(f, workers, communities, lexicon, shown) for f in findings]
    jurisdictions = sorted({i.jurisdiction for i in items if i.jurisdiction})
    return AlertsData(items, jurisdictions, shown)


def load_alerts(registry: Repository, rules: Rules, lexicon: Lexicon, today: dt.date) -> AlertsData:
    findings = alerts(registry, rules, Scope(), today)
    workers = {w.id: w for w in registry.workers()}
    communities = {c.id: c for c in registry.communities()}
    return build_alerts(findings, workers, communities, lexicon, shown_to(registry, workers.values()))


def matching(items: Sequence[AlertItem], severity: str, jurisdiction: str) -> list[int]:
    return [
        i
        for i, item in enumerate(items)
        if (severity == ALL or item.finding.severity.value == severity)
        and (jurisdiction == ALL or item.jurisdiction == jurisdiction)
    ]


class AlertsScreen(FilteredListScreen):
    """Every finding, most severe first; filter by severity, jurisdiction and text; export."""

    TITLE_KEY = "ui.alerts.title"
    HELP_KEY = "ui.alerts.help"
    FILTER_PLACEHOLDER_KEY = "ui.alerts.filter_placeholder"
    FAILED_KEY = "ui.alerts.failed"

    CSS = (
        FilteredListScreen.CSS
        + """
    AlertsScreen #alert-detail {
        max-height: 5;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        key("l", "next_severity", "alerts.severity"),
        key("j", "next_jurisdiction", "alerts.jurisdiction"),
        key("x", "export", "alerts.export"),
        key("s", "next_sort", "list.sort", show=False),  # in the help; the footer is full
    ]

    def __init__(self) -> None:
        super().__init__(id="alerts")
        self.severity = ALL
        self.jurisdiction = ALL

    def columns(self) -> list[Column]:
        return [
            Column(
                name,
                t(f"ui.alerts.col.{name}"),
                max_width=limit,
                flex=name == "message",
                min_width=24 if name == "message" else 2,
            )
            for name, limit in COLUMNS
        ]

    def compose_below(self) -> ComposeResult:
        yield DetailPane(id="alert-detail")

    def compute(self) -> AlertsData:
        app = self.shegong
        return load_alerts(app.registry, app.rules, app.lexicon, app.today)

    def show_data(self, data: AlertsData) -> None:
        if self.jurisdiction not in data.jurisdictions:
            self.jurisdiction = ALL
        self._narrow(data)

    def _narrow(self, data: AlertsData) -> None:
        items = data.items
        positions = matching(items, self.severity, self.jurisdiction)
        table = self.table
        table.empty_text = t("ui.alerts.none")
        far = dt.date.max
        table.set_data(
            [items[i].cells for i in positions],
            keys=positions,
            haystacks=[items[i].haystack for i in positions],
            sort_keys={
                0: [-items[i].finding.severity.rank for i in positions],
                3: [items[i].finding.due or far for i in positions],
            },
        )
        # Marks are by row number of the data just set, which are positions into `positions`.
        table.marks = {
            row: items[i].finding.severity.value
            for row, i in enumerate(positions)
            if items[i].finding.severity in (Severity.ERROR, Severity.WARNING)
        }
        table.apply_filter(self.filter_input.value)
        self._show_detail(table.cursor_key)
        self.update_status()

    def _renarrow(self) -> None:
        if isinstance(self.data, AlertsData):
            self._narrow(self.data)
        else:
            self.update_status()

    def _show_detail(self, row_key: object) -> None:
        text = ""
        if isinstance(self.data, AlertsData) and isinstance(row_key, int):
            text = self.data.items[row_key].detail
        self.query_one("#alert-detail", DetailPane).show(text)

    @on(RowHighlighted, "#list-table")
    def _highlighted(self, event: RowHighlighted) -> None:
        self._show_detail(event.key)

    def status_parts(self) -> list[str]:
        j = self.jurisdiction
        return [
            t("ui.alerts.severity_shown", severity=self._severity_text(self.severity)),
            t(
                "ui.alerts.jurisdiction_shown",
                jurisdiction=t("ui.alerts.all") if j == ALL else self.shegong.lexicon.jurisdiction(j),
            ),
        ]

    @staticmethod
    def _severity_text(severity: str) -> str:
        return t("ui.alerts.all") if severity == ALL else severity_label(severity)

    # --- actions --------------------------------------------------------------------------------

    def action_next_severity(self) -> None:
        self.set_severity(SEVERITIES[(SEVERITIES.index(self.severity) + 1) % len(SEVERITIES)])

    def set_severity(self, severity: str) -> None:
        self.severity = severity
        self._renarrow()

    def action_next_jurisdiction(self) -> None:
        choices = [ALL, *(self.data.jurisdictions if isinstance(self.data, AlertsData) else [])]
        current = choices.index(self.jurisdiction) if self.jurisdiction in choices else 0
        self.set_jurisdiction(choices[(current + 1) % len(choices)])

    def set_jurisdiction(self, jurisdiction: str) -> None:
        self.jurisdiction = jurisdiction
        self._renarrow()

    def visible_items(self) -> list[AlertItem]:
        if not isinstance(self.data, AlertsData):
            return []
        items = self.data.items
        return [items[k] for k in self.table.visible_keys if isinstance(k, int)]

    def action_export(self) -> None:
        findings = [i.finding for i in self.visible_items()]
        lang = current_language()
        shown = self.data.shown if isinstance(self.data, AlertsData) else as_is

        def write(path: Path) -> None:
            export_alerts(findings, path, lang=lang, shown=shown)

        default = f"alerts-{self.shegong.today.isoformat()}.xlsx"
        self.ask_export(t("ui.alerts.export_title"), default, len(findings), write)

    @on(RowSelected, "#list-table")
    def _open(self, event: RowSelected) -> None:
        if not isinstance(self.data, AlertsData) or not isinstance(event.key, int):
            return
        item = self.data.items[event.key]
        if item.worker_id is not None:
            self.post_message(OpenWorker(item.worker_id))
        elif item.community_id is not None:
            from tui.screens.community_detail import CommunityDetailScreen

            self.app.push_screen(CommunityDetailScreen(item.community_id))

    def palette_commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = [
            (
                t("ui.cmd.alerts_severity", severity=self._severity_text(s)),
                t("ui.tip.alerts.severity"),
                _setter(self.set_severity, s),
            )
            for s in SEVERITIES
        ]
        commands += [
            (t("ui.cmd.alerts_jurisdiction"), t("ui.tip.alerts.jurisdiction"), self.action_next_jurisdiction),
            (t("ui.cmd.alerts_export"), t("ui.tip.alerts.export"), self.action_export),
        ]
        return commands + self.list_commands()


def _setter(setter: Any, value: str) -> Any:
    return lambda: setter(value)
