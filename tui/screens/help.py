"""`?`: every key that works on the current screen, with what it does and why you would use it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from core.i18n import t
from tui.bindings import key, translate_bindings
from tui.widgets.virtual_table import Column, VirtualTable


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(key, description, tooltip) for each of our active bindings on `screen`: the screen's own
    first, then the app's, then those of the focused widget, then moving between widgets."""
    rows: list[tuple[int, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Ours carry an id; Textual's own (copy, maximise…) have no translated description.
        if binding.id is None or binding.system or not binding.description:
            continue
        display = screen.app.get_key_display(binding)
        if (display, binding.description) in seen:
            continue
        seen.add((display, binding.description))
        order = 0 if active.node is screen else 1 if active.node is screen.app else 2
        rows.append((order, display, binding.description, active.tooltip or binding.tooltip))
    rows.sort(key=lambda row: row[0])
    out = [(display, what, why) for _, display, what, why in rows]
    out.append(("tab / shift+tab", t("ui.help.focus"), t("ui.help.focus_why")))
    return out


class HelpScreen(ModalScreen[None]):
    """The keys of one screen; `esc`, `q` or `?` closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 100;
            height: 100%;
            max-height: 30;
            border: round $primary;
            border-title-color: $primary;
            background: $surface;
            padding: 0 1;
        }
        & #help-intro {
            height: auto;
            max-height: 6;
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
        self._rows = rows

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("ui.help.title", screen=self._title)
            if self._intro:
                yield Static(self._intro, id="help-intro", markup=False)
            table = VirtualTable(
                [
                    Column("key", t("ui.help.col.key"), max_width=14),
                    Column("what", t("ui.help.col.what"), max_width=24),
                    Column("why", t("ui.help.col.why"), max_width=200, flex=True, min_width=10),
                ],
                id="help-keys",
            )
            table.set_data(self._rows)
            yield table
            yield Static(t("ui.help.hint"), id="help-hint")

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
