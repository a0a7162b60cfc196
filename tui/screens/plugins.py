"""Which jurisdictions are loaded, from which documents, with which parameters, and which
plugins failed to load and why: what an operator checks before trusting a figure.

Each parameter's source is the document and article it comes from, the local override in the
registry's `params.toml` that replaced it, or "unset" (a rule that needs it cannot run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from core.errors import ShegongError
from core.i18n import current_language, t
from core.jurisdictions import Jurisdictions
from core.params import EPOCH, ParamSpec, ParamValue, Source
from tui.bindings import key
from tui.labels import EMPTY, Lexicon, fmt_date, yes_no
from tui.messages import RowHighlighted
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column, VirtualTable


@dataclass(frozen=True)
class PluginRow:
    """One line of the plugin list: a loaded jurisdiction, or a plugin that failed to load."""

    key: str
    cells: tuple[str, ...]
    detail: str
    params: list[tuple[str, ...]]
    param_details: list[str]


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, Mapping | list):
        return t("ui.plugins.table_value", count=len(value))
    return str(value)


def _articles(parts: Sequence[str]) -> list[str]:
    """The articles a plugin says it uses; a 篇 names which text of a bundled file it is, shown
    already by the title."""
    return [p for p in parts if not p.endswith("篇")]


def param_source(value: ParamValue | None, lexicon: Lexicon) -> str:
    if value is None:
        return t("ui.plugins.unset")
    if value.source == Source.OVERRIDE:
        return t("ui.plugins.override", note=value.note or EMPTY)
    return lexicon.cite(value.citation)


def param_rows(
    specs: Sequence[ParamSpec], today: dt.date, lexicon: Lexicon
) -> tuple[list[tuple[str, ...]], list[str]]:
    rows: list[tuple[str, ...]] = []
    details: list[str] = []
    english = current_language() == "en"
    for spec in specs:
        value = spec.value_on(today)
        label = (spec.en or spec.zh) if english else (spec.zh or spec.en)
        shown = format_value(value.value) if value is not None else EMPTY
        since = fmt_date(value.since) if value is not None and value.since != EPOCH else EMPTY
        rows.append(
            (
                spec.name,
                label or EMPTY,
                shown + (f" {spec.unit}" if spec.unit and value else ""),
                since,
                param_source(value, lexicon),
            )
        )
        lines = [
            f"{spec.name}  {label}",
            t("ui.plugins.declared_in", jurisdiction=spec.jurisdiction, type=spec.type),
        ]
        for v in sorted(spec.values, key=lambda v: v.since):
            origin = param_source(v, lexicon)
            where = f"  ({v.origin})" if v.source == Source.OVERRIDE and v.origin else ""
            since_text = fmt_date(v.since) if v.since != EPOCH else EMPTY
            lines.append(f"  {since_text}  {format_value(v.value)}  {origin}{where}")
        if not spec.values:
            lines.append("  " + t("ui.plugins.unset_help"))
        details.append("\n".join(lines))
    return rows, details


def plugin_rows(jurisdictions: Jurisdictions, lexicon: Lexicon, today: dt.date) -> list[PluginRow]:
    out: list[PluginRow] = []
    english = current_language() == "en"
    for jkey in jurisdictions.keys:
        loaded = jurisdictions.loaded(jkey)
        info = loaded.info
        name = (info.en or info.zh) if english else info.zh
        try:
            specs = list(jurisdictions.params(jkey))
            params, details = param_rows(specs, today, lexicon)
            problem = ""
        except ShegongError as exc:  # e.g. an override naming an unknown parameter
            specs, params, details, problem = [], [], [], exc.render()
        unset = sum(1 for s in specs if s.value_on(today) is None)
        # The document by its own title; a bundled file's 篇 says which text it is, not which articles.
        comma = ", " if english else "、"  # titles and lists as Citation.shown writes them
        docs = [
            ("  " + (d.en or d.zh) if english else f"  《{d.zh}》")
            + "".join(f" {p}" if i == 0 else f"{comma}{p}" for i, p in enumerate(_articles(d.parts)))
            for d in info.documents
        ]
        detail = "\n".join(
            [
                t("ui.plugins.loaded_from", key=jkey, name=name, origin=loaded.origin),
                t("ui.plugins.parent", parent=info.parent or EMPTY),
                t("ui.plugins.documents"),
                *(docs or ["  " + EMPTY]),
                *([t("ui.plugins.params_failed", reason=problem)] if problem else []),
            ]
        )
        cells = (jkey, name, t("ui.plugins.status.loaded"), str(len(specs)), str(unset), info.parent or EMPTY)
        out.append(PluginRow(jkey, cells, detail, params, details))
    for i, broken in enumerate(jurisdictions.broken):
        detail = "\n".join(
            [t("ui.plugins.failed_detail", name=broken.name, error=broken.error), broken.detail.rstrip()]
        )
        cells = (broken.name, EMPTY, t("ui.plugins.status.failed"), EMPTY, EMPTY, broken.error)
        out.append(PluginRow(f"broken:{i}", cells, detail, [], []))
    return out


class PluginsScreen(ShegongScreen[None]):
    """Loaded jurisdictions with documents and parameters; plugins that failed, with the error."""

    TITLE_KEY = "ui.plugins.title"
    HELP_KEY = "ui.plugins.help"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+r", "refresh_list", "plugins.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="plugins")
        self.rows: list[PluginRow] = []
        self._param_details: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        plugins = VirtualTable(
            [
                Column("key", t("ui.plugins.col.key"), max_width=18),
                Column("name", t("ui.plugins.col.name"), max_width=16),
                Column("status", t("ui.plugins.col.status"), max_width=8),
                Column("params", t("ui.plugins.col.params"), max_width=6, align="right"),
                Column("unset", t("ui.plugins.col.unset"), max_width=6, align="right"),
                Column("note", t("ui.plugins.col.note"), max_width=200, min_width=8, flex=True),
            ],
            id="plugin-table",
            empty_text=t("ui.plugins.none"),
        )
        plugins.border_title = t("ui.plugins.list")
        yield plugins
        with VerticalScroll(id="plugin-detail-scroll", can_focus=True) as scroll:
            scroll.border_title = t("ui.plugins.detail")
            yield Static("", id="plugin-detail", markup=False)
        params = VirtualTable(
            [
                Column("name", t("ui.plugins.col.param"), max_width=28),
                Column("label", t("ui.plugins.col.label"), max_width=18),
                Column("value", t("ui.plugins.col.value"), max_width=16),
                Column("since", t("ui.plugins.col.since"), max_width=10),
                Column("source", t("ui.plugins.col.source"), max_width=200, min_width=8, flex=True),
            ],
            id="param-table",
            empty_text=t("ui.plugins.no_params"),
        )
        params.border_title = t("ui.plugins.params")
        yield params
        yield DetailPane(id="param-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#plugin-table", VirtualTable).focus()

    def refresh_list(self) -> None:
        app = self.shegong
        self.rows = plugin_rows(app.jurisdictions, app.lexicon, app.today)
        table = self.query_one("#plugin-table", VirtualTable)
        table.set_data([r.cells for r in self.rows])
        loaded = sum(1 for r in self.rows if not r.key.startswith("broken:"))
        table.border_subtitle = t("ui.plugins.counts", loaded=loaded, failed=len(self.rows) - loaded)
        self._show_plugin(table.cursor_row if self.rows else None)

    def action_refresh_list(self) -> None:
        self.refresh_list()

    def _show_plugin(self, position: int | None) -> None:
        detail = self.query_one("#plugin-detail", Static)
        params = self.query_one("#param-table", VirtualTable)
        if position is None or not 0 <= position < len(self.rows):
            detail.update(t("ui.plugins.none"))
            params.set_data([])
            self._param_details = []
            self._show_param(None)
            return
        row = self.rows[position]
        detail.update(row.detail)
        params.empty_text = t(
            "ui.plugins.failed_no_params" if row.key.startswith("broken:") else "ui.plugins.no_params"
        )
        params.set_data(row.params, keep_cursor=False)
        self._param_details = row.param_details
        self._show_param(0 if row.params else None)

    def _show_param(self, position: int | None) -> None:
        text = (
            self._param_details[position]
            if position is not None and position < len(self._param_details)
            else ""
        )
        self.query_one("#param-detail", DetailPane).show(text)

    @on(RowHighlighted, "#plugin-table")
    def _plugin_highlighted(self, event: RowHighlighted) -> None:
        if isinstance(event.key, int):
            self._show_plugin(event.key)

    @on(RowHighlighted, "#param-table")
    def _param_highlighted(self, event: RowHighlighted) -> None:
        if isinstance(event.key, int):
            self._show_param(event.key)

    def palette_commands(self) -> list[PaletteCommand]:
        return [(t("ui.cmd.plugins_refresh"), t("ui.tip.plugins.refresh"), self.action_refresh_list)]
