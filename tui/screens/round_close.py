"""Closing a round: what closing does and what follows from each grade, before and after.

Closing writes every grade into the workers' records and cannot be undone, so the operator sees
first how many grades go where and each consequence with its article (`y` closes, `n` or `esc`
does not); after closing, the consequences core returned are shown the same way.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from core.i18n import t
from tui.bindings import key, translate_bindings


class RoundListScreen(ModalScreen[bool]):
    """A title, a summary, a scrollable list and a hint: what both screens below show."""

    DEFAULT_CSS = """
    RoundListScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 100;
            height: auto;
            max-height: 100%;
            border: thick $warning;
            border-title-color: $text;
            background: $surface;
            padding: 0 1;
        }
        & #list-summary {
            height: auto;
            margin-bottom: 1;
        }
        & #list-scroll {
            height: auto;
            max-height: 1fr;
            background: $panel;
            scrollbar-size-vertical: 1;
        }
        & #list-scroll:focus {
            background-tint: $foreground 5%;
        }
        & #list-hint {
            height: auto;
            margin-top: 1;
            color: $text-muted;
        }
    }
    """

    def __init__(self, title: str, summary: str, lines: list[str], hint: str) -> None:
        super().__init__()
        translate_bindings(self)
        self._title = title
        self._summary = summary
        self.lines = lines
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Static(self._summary, id="list-summary", markup=False)
            with VerticalScroll(id="list-scroll", can_focus=True):
                yield Static("\n".join(self.lines) or t("ui.round.close.none"), id="list-lines", markup=False)
            yield Static(self._hint, id="list-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#list-scroll").focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class CloseRoundScreen(RoundListScreen):
    """`y` closes the round, `n` or `esc` goes back to it unchanged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("y", "answer(True)", "round_close.yes"),
        key("n,escape", "answer(False)", "round_close.no"),
    ]

    def __init__(self, title: str, summary: str, lines: list[str]) -> None:
        super().__init__(title, summary, lines, t("ui.round.close.ask_hint"))


class ConsequencesScreen(RoundListScreen):
    """What core returned on closing; `esc` or `enter` goes back to the closed round."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape,enter,q", "answer(True)", "round_close.done"),
    ]

    def __init__(self, title: str, summary: str, lines: list[str]) -> None:
        super().__init__(title, summary, lines, t("ui.round.close.done_hint"))
