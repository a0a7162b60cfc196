"""A yes/no question: quitting or leaving with unsaved changes, discarding an edit."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from core.i18n import t
from tui.bindings import key, translate_bindings


class ConfirmScreen(ModalScreen[bool]):
    """`y` answers yes, `n` or `esc` no; the safe answer (no) has the focus."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        & > Vertical {
            width: auto;
            min-width: 40;
            max-width: 76;
            height: auto;
            border: thick $warning;
            background: $surface;
            padding: 1 2;
        }
        & #confirm-question {
            width: auto;
            max-width: 70;
            margin-bottom: 1;
        }
        & Horizontal {
            height: auto;
            width: auto;
        }
        & Button {
            margin-right: 2;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("y", "answer(True)", "confirm.yes"),
        key("n,escape", "answer(False)", "confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self._question = question
        self._yes = yes or t("ui.confirm.yes")
        self._no = no or t("ui.confirm.no")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, id="confirm-question", markup=False)
            with Horizontal():
                yield Button(self._yes, id="confirm-yes", variant="warning", compact=True)
                yield Button(self._no, id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
