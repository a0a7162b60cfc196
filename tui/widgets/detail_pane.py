"""The whole text of a table's highlighted row, under the table, wrapped to the width.

Tables cut long cells with an ellipsis; this pane shows what was cut (a pay line's reasons and
inputs, a finding's citation, a change's before and after). It scrolls when the text is taller
than its room, and only then takes the keyboard focus, so `tab` never stops on an empty pane.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailPane(VerticalScroll):
    """A wrapped, scrollable text pane that hides itself when it has nothing to say."""

    DEFAULT_CSS = """
    DetailPane {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        background: $panel;
        color: $text;
        scrollbar-size-vertical: 1;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > Static {
            width: 1fr;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static("", markup=False)

    def allow_focus(self) -> bool:
        return self.max_scroll_y > 0

    def show(self, text: str) -> None:
        """Show `text` (scrolled to its start), or hide the pane if it is empty."""
        self.text = text
        self.query_one(Static).update(text)
        self.display = bool(text)
        self.scroll_home(animate=False)
