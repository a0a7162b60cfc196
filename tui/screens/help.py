"""`?`: every key that works on the current screen, with what it does and why you would use it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from core.i18n import t
from tui.bindings import key, translate_bindings


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(key, description, tooltip) for each of our active bindings on `screen`: the screen's own
    first, then the app's, then those of the focused widget, then moving between widgets. Keys
    that share a description (sort by column 1 to 8) make one row."""
    rows: list[tuple[int, list[str], str, str]] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        # Ours carry an id; Textual's own (copy, maximise…) have no translated description.
        if binding.id is None or binding.system or not binding.description:
            continue
        display = screen.app.get_key_display(binding)
        tooltip = active.tooltip or binding.tooltip
        same = next((r for r in rows if r[2] == binding.description and r[3] == tooltip), None)
        if same is not None:
            if display not in same[1]:
                same[1].append(display)
            continue
        order = 0 if active.node is screen else 1 if active.node is screen.app else 2
        rows.append((order, [display], binding.description, tooltip))
    rows.sort(key=lambda row: row[0])
    out = [(_keys(keys), what, why) for _, keys, what, why in rows]
    out.append(("tab / shift+tab", t("ui.help.focus"), t("ui.help.focus_why")))
    return out


def _keys(keys: list[str]) -> str:
    return f"{keys[0]}–{keys[-1]}" if len(keys) > 3 else " ".join(keys)


class HelpScreen(ModalScreen[None]):
    """The keys of one screen, wrapped to the width; `esc`, `q` or `?` closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 100;
            height: 100%;
            max-height: 40;
            border: round $primary;
            border-title-color: $primary;
            background: $surface;
            padding: 0 1;
        }
        & #help-scroll {
            height: 1fr;
            overflow-x: hidden;
            scrollbar-gutter: stable;
            scrollbar-size-vertical: 1;
        }
        & #help-intro {
            margin-bottom: 1;
        }
        & #help-hint {
            height: 1;
            color: $text-muted;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape,q,question_mark", "close", "help.close"),
    ]

    def __init__(self, title: str, intro: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        translate_bindings(self)
        self._title = title
        self._intro = intro
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column(t("ui.help.col.key"), no_wrap=True, style="bold")
        table.add_column(t("ui.help.col.what"), no_wrap=True)
        table.add_column(t("ui.help.col.why"), ratio=1)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in row))
        with Vertical() as box:
            box.border_title = t("ui.help.title", screen=self._title)
            with VerticalScroll(id="help-scroll", can_focus=True):
                if self._intro:
                    yield Static(self._intro, id="help-intro", markup=False)
                yield Static(table, id="help-keys")
            yield Static(t("ui.help.hint"), id="help-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
