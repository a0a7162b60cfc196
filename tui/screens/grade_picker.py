"""Choosing one worker's grade from the grades their jurisdiction declares, or clearing it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.bindings import key, translate_bindings

CLEAR = ""
"""What the picker returns for "no panel grade: the proposal stands"."""


class GradePickerScreen(ModalScreen[str | None]):
    """`enter` takes the highlighted grade, a digit takes that grade at once, `esc` cancels."""

    DEFAULT_CSS = """
    GradePickerScreen {
        align: center middle;
        & > Vertical {
            width: 48;
            max-width: 100%;
            height: auto;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & #picker-about {
            height: auto;
            margin-bottom: 1;
        }
        & OptionList {
            height: auto;
            max-height: 12;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "picker.cancel"),
        *[key(str(i), f"take({i})", f"picker.take_{i}", show=False, text="picker.take_n") for i in range(10)],
    ]

    def __init__(self, title: str, about: str, grades: list[tuple[str, str]], clear_label: str) -> None:
        """`grades` are (code, label), best first; they are numbered from 1, clearing is 0."""
        super().__init__()
        translate_bindings(self)
        self._title = title
        self._about = about
        self.grades = grades
        self._clear_label = clear_label

    def compose(self) -> ComposeResult:
        options = [
            Option(f"{i}  {label}", id=f"grade-{code}") for i, (code, label) in enumerate(self.grades, 1)
        ]
        options.append(Option(f"0  {self._clear_label}", id="grade-clear"))
        with Vertical() as box:
            box.border_title = self._title
            yield Static(self._about, id="picker-about", markup=False)
            yield OptionList(*options, id="picker-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        self.dismiss(CLEAR if option_id == "grade-clear" else option_id.removeprefix("grade-"))

    def action_take(self, number: int) -> None:
        if number == 0:
            self.dismiss(CLEAR)
        elif number <= len(self.grades):
            self.dismiss(self.grades[number - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
