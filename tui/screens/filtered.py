"""What the communities, forecast and alert lists share: a filter bar (`/`), one table sorted by
any column (`s`, 1-9), a status line, and rows computed in a background thread.

A subclass says how to compute its data (`compute`, off the event loop) and how to show it
(`show_data`); typing in the filter only narrows the rows the table shows, as in the roster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Static

from core.errors import ShegongError
from core.i18n import t
from tui.bindings import key
from tui.messages import LoadFailed
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.screens.export_path import ExportPathScreen
from tui.widgets.marked_table import MarkedTable
from tui.widgets.virtual_table import Column

SORT_KEYS = 9


@dataclass
class ListComputed(Message):
    """A list screen's data, computed off the event loop."""

    data: Any


@dataclass
class ExportDone(Message):
    """An export finished (`error` False) or was refused, with the text to show."""

    text: str
    error: bool


class FilteredListScreen(ShegongScreen[None]):
    """Filter bar, a `MarkedTable` (`#list-table`), what `compose_below` adds, a status line."""

    FILTER_PLACEHOLDER_KEY: ClassVar[str] = ""
    FAILED_KEY: ClassVar[str] = ""

    # Screen CSS (not DEFAULT_CSS) so it outranks app.tcss's border for a focused table; not
    # scoped, since a subclass's name, not this one's, would scope it.
    SCOPED_CSS = False
    CSS = """
    FilteredListScreen {
        & .list-filter-bar {
            height: 1;
            padding: 0 1;
        }
        & .list-filter-label {
            width: auto;
            padding-right: 1;
            color: $text-muted;
        }
        & #list-filter {
            width: 1fr;
        }
        & #list-table, & #list-table:focus {
            border: none;
        }
        & .list-status {
            height: 1;
            padding: 0 1;
            color: $text-muted;
            background: $panel;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("slash", "focus_filter", "list.filter"),
        key("s", "next_sort", "list.sort"),
        key("ctrl+r", "reload", "list.reload", show=False),
        key("down", "focus_table", "list.to_table", show=False),
        *[
            key(str(i + 1), f"sort({i})", f"list.sort_{i + 1}", show=False, text="list.sort_n")
            for i in range(SORT_KEYS)
        ],
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: Any = None
        self.last_export = ""
        """What the last export said (written, or why not)."""
        self._edits_seen = 0

    # --- layout ---------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def select_text(self) -> str:
        return t("ui.key.list.open")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="list-filter-bar"):
            yield Label(t("ui.list.filter_label"), classes="list-filter-label")
            yield Input(placeholder=t(self.FILTER_PLACEHOLDER_KEY), id="list-filter", compact=True)
        yield MarkedTable(
            self.columns(),
            id="list-table",
            empty_text=t("ui.common.computing"),
            select_text=self.select_text(),
        )
        yield from self.compose_below()
        yield Static("", id="list-status", classes="list-status", markup=False)
        yield Footer(compact=True)

    def compose_below(self) -> ComposeResult:
        """Widgets between the table and the status line (a totals table, a detail pane)."""
        yield from ()

    @property
    def table(self) -> MarkedTable:
        return self.query_one("#list-table", MarkedTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#list-filter", Input)

    # --- loading --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._edits_seen = len(self.shegong.edited_workers)
        self.table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        if len(self.shegong.edited_workers) != self._edits_seen:
            self._edits_seen = len(self.shegong.edited_workers)
            self.load()

    def compute(self) -> Any:
        """The screen's data, computed in a background thread (touch no widget here)."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="list-load")
    def load(self) -> None:
        try:
            data = self.compute()
        except Exception as exc:  # say so on screen; the app keeps running
            self.post_message(LoadFailed(t(self.FAILED_KEY, reason=f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(ListComputed(data))

    def on_list_computed(self, message: ListComputed) -> None:
        self.data = message.data
        self.show_data(message.data)
        self.table.apply_filter(self.filter_input.value)
        self.update_status()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.table.empty_text = message.text
        self.table.refresh()
        self.notify(message.text, severity="error", timeout=10)

    def action_reload(self) -> None:
        self.table.empty_text = t("ui.common.computing")
        self.load()

    # --- filter and sort ------------------------------------------------------------------------

    @on(Input.Changed, "#list-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.apply_filter(event.value)
        self.update_status()

    @on(Input.Submitted, "#list-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def set_filter(self, text: str) -> None:
        self.filter_input.value = text
        self.table.apply_filter(text)
        self.update_status()
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_sort(self, column: int) -> None:
        if column >= len(self.table.columns):
            return
        state = self.table.sort_state
        descending = state is not None and state[0] == column and not state[1]
        self.table.sort_by(column, descending)
        self.update_status()

    def action_next_sort(self) -> None:
        state = self.table.sort_state
        column = 0 if state is None else (state[0] + 1) % len(self.table.columns)
        self.table.sort_by(column)
        self.update_status()

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self.table.focus()
            return
        super().action_back()

    # --- export ---------------------------------------------------------------------------------

    def ask_export(self, title: str, default: str, count: int, write: Callable[[Path], object]) -> None:
        """Ask for a path, then run `write(path)` in a background thread and say how it went."""

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(path, count, write)

        self.app.push_screen(ExportPathScreen(title, default, count), chosen)

    @work(thread=True, group="list-export")
    def _export(self, path: Path, count: int, write: Callable[[Path], object]) -> None:
        try:
            write(path)
        except ShegongError as exc:
            self.post_message(ExportDone(t("ui.export.failed", path=str(path), reason=exc.render()), True))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.post_message(ExportDone(t("ui.export.failed", path=str(path), reason=reason), True))
        else:
            self.post_message(ExportDone(t("ui.export.done", count=count, path=str(path)), False))

    def on_export_done(self, message: ExportDone) -> None:
        self.last_export = message.text
        self.notify(message.text, severity="error" if message.error else "information", timeout=8)

    # --- status ---------------------------------------------------------------------------------

    def status_parts(self) -> list[str]:
        """What the status line says after the counts (the kind shown, the months ahead…)."""
        return []

    def update_status(self) -> None:
        table = self.table
        parts = [t("ui.list.count", total=table.total_count, shown=table.row_count), *self.status_parts()]
        state = table.sort_state
        if state is not None:
            label = table.columns[state[0]].label
            parts.append(t("ui.list.sorted_desc" if state[1] else "ui.list.sorted", column=label))
        self.query_one("#list-status", Static).update(" · ".join(parts))

    def list_commands(self) -> list[PaletteCommand]:
        """Filter, clear, reload and sort by each column, for the palette."""
        commands: list[PaletteCommand] = [
            (t("ui.cmd.list_filter"), t("ui.tip.list.filter"), self.action_focus_filter),
            (t("ui.cmd.list_clear"), t("ui.cmd.list_clear_help"), lambda: self.set_filter("")),
            (t("ui.cmd.list_reload"), t("ui.tip.list.reload"), self.action_reload),
        ]
        for i, column in enumerate(self.table.columns[:SORT_KEYS]):
            commands.append(
                (t("ui.cmd.list_sort", column=column.label), t("ui.tip.list.sort_n"), _sorter(self, i))
            )
        return commands

    def palette_commands(self) -> list[PaletteCommand]:
        return self.list_commands()


def _sorter(screen: FilteredListScreen, column: int) -> Any:
    return lambda: screen.action_sort(column)
