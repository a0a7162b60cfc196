"""Who retires, whose contract ends and whose probation ends in the next N months.

The forecast (`core.review.forecast`) is computed once, in a background thread, for the longest
horizon an operator can pick; changing the months or the kind shown only narrows that list, and
the filter narrows it further as you type. Workers whose retirement date cannot be computed are
listed with the reason rather than left out. `x` writes what is shown to .xlsx or .csv.
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
from core.model import Worker, add_months
from core.privacy import Shown, as_is, shown_to
from core.repository import Repository
from core.results import Finding
from core.review import Due, forecast
from core.rules import Rules
from core.scope import Scope
from core.tabular.export import export_forecast
from tui.bindings import key
from tui.labels import EMPTY, Lexicon, fmt_date, labelled
from tui.messages import OpenWorker, RowHighlighted, RowSelected
from tui.screens.base import PaletteCommand
from tui.screens.filtered import FilteredListScreen
from tui.screens.roster import SEPARATOR, initials
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column, VirtualTable

KINDS = ("all", "retirement", "contract", "probation")
DEFAULT_MONTHS = 3
MAX_MONTHS = 36
PROBLEM = "cannot_compute"

# (key, max width, align)
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("date", 10, "left"),
    ("kind", 18, "left"),
    ("name", 8, "left"),
    ("community", 12, "left"),
    ("detail", 60, "left"),
    ("citation", 24, "left"),
)


@dataclass(frozen=True)
class ForecastItem:
    """One line: a `Due` or a worker whose retirement could not be computed (`problem`)."""

    kind: str  # one of KINDS[1:] or PROBLEM
    date: dt.date | None
    worker_id: int | None
    cells: tuple[str, ...]
    haystack: str
    detail: str = ""
    """The whole line, shown under the table: what, who, every reason and the article."""
    due: Due | None = None
    problem: Finding | None = None


@dataclass(frozen=True)
class ForecastData:
    items: list[ForecastItem]
    horizon: int
    shown: Shown = as_is
    """How the dates are shown to the operator (cut for a viewer, `core.privacy.shown_to`),
    on the screen and in the export alike."""


def _worker_id(subject: str) -> int | None:
    kind, _, value = subject.partition(":")
    return int(value) if kind == "worker" and value.isdigit() else None


def build_forecast(
    due: Sequence[Due],
    problems: Sequence[Finding],
    workers: dict[int, Worker],
    communities: dict[str, str],
    lexicon: Lexicon,
    horizon: int,
    shown: Shown = as_is,
) -> ForecastData:
    items: list[ForecastItem] = []
    for d in due:
        community = communities.get(d.community_id, d.community_id)
        lines = [shown(d, m.render()) for m in d.detail]
        detail = "；".join(lines) if lines else EMPTY
        cells = (
            fmt_date(shown(d, d.date)),
            t(f"ui.fc.kind.{d.kind}"),
            d.name,
            community,
            detail,
            lexicon.cite(d.citation),
        )
        fields = [d.name, initials(d.name), community, d.community_id, cells[1], detail, str(d.worker_id)]
        full = [f"{cells[0]} {cells[1]} · {d.name} · {community}", *lines]
        if d.citation is not None:
            full.append(labelled(t("ui.fc.cite"), cells[5]))
        haystack = SEPARATOR.join(fields).lower()
        items.append(ForecastItem(d.kind, d.date, d.worker_id, cells, haystack, "\n".join(full), due=d))
    for f in problems:
        worker_id = _worker_id(f.subject)
        worker = workers.get(worker_id) if worker_id is not None else None
        name = worker.name if worker is not None else f.subject
        community = communities.get(worker.community_id, worker.community_id) if worker else EMPTY
        reason = shown(f, f.message.render())
        cells = (EMPTY, t("ui.fc.kind.cannot_compute"), name, community, reason, EMPTY)
        fields = [name, initials(name), community, cells[1], reason]
        text = f"{cells[1]} · {name} · {community}\n{reason}"
        haystack = SEPARATOR.join(fields).lower()
        items.append(ForecastItem(PROBLEM, None, worker_id, cells, haystack, text, problem=f))
    return ForecastData(items, horizon, shown)


def load_forecast(registry: Repository, rules: Rules, lexicon: Lexicon, today: dt.date) -> ForecastData:
    due, problems = forecast(registry, rules, Scope(), today, MAX_MONTHS)
    ids = {_worker_id(f.subject) for f in problems}
    workers = {w.id: w for w in registry.workers() if w.id in ids}
    communities = {c.id: c.name for c in registry.communities()}
    return build_forecast(due, problems, workers, communities, lexicon, MAX_MONTHS, shown_to(registry))


def shown(items: Sequence[ForecastItem], kind: str, until: dt.date) -> list[int]:
    """Positions of the items of `kind` ("all" for every one) due by `until`; problems count as
    retirements, since it is the retirement date that is missing."""
    out = []
    for i, item in enumerate(items):
        if kind != "all" and item.kind != kind and not (kind == "retirement" and item.kind == PROBLEM):
            continue
        if item.date is not None and item.date > until:
            continue
        out.append(i)
    return out


class ForecastsScreen(FilteredListScreen):
    """Retirements, contract ends and probation ends due in the next N months."""

    TITLE_KEY = "ui.fc.title"
    HELP_KEY = "ui.fc.help"
    FILTER_PLACEHOLDER_KEY = "ui.fc.filter_placeholder"
    FAILED_KEY = "ui.fc.failed"

    CSS = (
        FilteredListScreen.CSS
        + """
    ForecastsScreen #forecast-detail {
        max-height: 5;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        key("t", "next_kind", "fc.kind"),
        key("plus,equals_sign", "months(1)", "fc.more", key_display="+"),
        key("minus", "months(-1)", "fc.less", key_display="-", show=False),
        key("x", "export", "fc.export"),
        key("s", "next_sort", "list.sort", show=False),  # in the help; the footer is full
    ]

    def __init__(self) -> None:
        super().__init__(id="forecasts")
        self.kind = "all"
        self.months = DEFAULT_MONTHS
        self.positions: list[int] = []
        """Items (by position in `data.items`) that pass the kind and months, before the filter."""

    def columns(self) -> list[Column]:
        return [
            Column(
                name,
                t(f"ui.fc.col.{name}"),
                max_width=limit,
                align="right" if align == "right" else "left",
                flex=name == "detail",
                min_width=16 if name == "detail" else 2,
            )
            for name, limit, align in COLUMNS
        ]

    def select_text(self) -> str:
        return t("ui.key.list.open_worker")

    def compose_below(self) -> ComposeResult:
        yield DetailPane(id="forecast-detail")

    def compute(self) -> ForecastData:
        app = self.shegong
        return load_forecast(app.registry, app.rules, app.lexicon, app.today)

    @property
    def until(self) -> dt.date:
        return add_months(self.shegong.today, self.months)

    def show_data(self, data: ForecastData) -> None:
        self.table.empty_text = t("ui.fc.none")
        self._narrow(data)

    def _narrow(self, data: ForecastData) -> None:
        items = data.items
        self.positions = shown(items, self.kind, self.until)
        table: VirtualTable = self.table
        dates = [items[i].date or dt.date.min for i in self.positions]
        table.set_data(
            [items[i].cells for i in self.positions],
            keys=list(self.positions),
            haystacks=[items[i].haystack for i in self.positions],
            sort_keys={0: dates},
        )
        table.apply_filter(self.filter_input.value)
        self._show_detail(table.cursor_key)
        self.update_status()

    def _show_detail(self, row_key: object) -> None:
        text = ""
        if isinstance(self.data, ForecastData) and isinstance(row_key, int):
            text = self.data.items[row_key].detail
        self.query_one("#forecast-detail", DetailPane).show(text)

    @on(RowHighlighted, "#list-table")
    def _highlighted(self, event: RowHighlighted) -> None:
        self._show_detail(event.key)

    def _renarrow(self) -> None:
        if isinstance(self.data, ForecastData):
            self._narrow(self.data)
        else:
            self.update_status()

    def status_parts(self) -> list[str]:
        return [
            t("ui.fc.months", months=self.months, until=fmt_date(self.until)),
            t("ui.fc.kind_shown", kind=t(f"ui.fc.kinds.{self.kind}")),
        ]

    # --- actions --------------------------------------------------------------------------------

    def action_next_kind(self) -> None:
        self.set_kind(KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)])

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self._renarrow()

    def action_months(self, step: int) -> None:
        self.set_months(self.months + step)

    def set_months(self, months: int) -> None:
        self.months = max(1, min(MAX_MONTHS, months))
        self._renarrow()

    def visible_items(self) -> list[ForecastItem]:
        if not isinstance(self.data, ForecastData):
            return []
        items = self.data.items
        return [items[k] for k in self.table.visible_keys if isinstance(k, int)]

    def action_export(self) -> None:
        items = self.visible_items()
        due = [i.due for i in items if i.due is not None]
        problems = [i.problem for i in items if i.problem is not None]
        lang = current_language()
        shown = self.data.shown if isinstance(self.data, ForecastData) else as_is

        def write(path: Path) -> None:
            export_forecast(due, problems, path, lang=lang, shown=shown)

        default = f"forecast-{self.shegong.today.isoformat()}.xlsx"
        self.ask_export(t("ui.fc.export_title"), default, len(items), write)

    @on(RowSelected, "#list-table")
    def _open(self, event: RowSelected) -> None:
        if isinstance(self.data, ForecastData) and isinstance(event.key, int):
            worker_id = self.data.items[event.key].worker_id
            if worker_id is not None:
                self.post_message(OpenWorker(worker_id))

    def palette_commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = [
            (
                t("ui.cmd.fc_kind", kind=t(f"ui.fc.kinds.{kind}")),
                t("ui.tip.fc.kind"),
                _kind_setter(self, kind),
            )
            for kind in KINDS
        ]
        commands += [
            (t("ui.cmd.fc_more"), t("ui.tip.fc.more"), lambda: self.action_months(1)),
            (t("ui.cmd.fc_less"), t("ui.tip.fc.less"), lambda: self.action_months(-1)),
            (t("ui.cmd.fc_export"), t("ui.tip.fc.export"), self.action_export),
        ]
        return commands + self.list_commands()


def _kind_setter(screen: ForecastsScreen, kind: str) -> Any:
    return lambda: screen.set_kind(kind)
