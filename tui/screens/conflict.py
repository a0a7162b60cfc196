"""Another operator saved the record you are editing: both versions, and your choice.

Every field is listed with their version and yours; the ones that differ come first, marked and
bold.
Nothing is lost without a choice: `t` keeps theirs (your changes are dropped), `m` saves yours on
top of theirs, `e` or `esc` goes back to the form with what you typed (saving then starts from
their version). The registry has also kept your refused version in its conflicts folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Static

from core.i18n import t
from tui.bindings import key, translate_bindings
from tui.forms.compare import Row

ConflictChoice = Literal["theirs", "mine", "edit"]
MARK = "≠"


class ConflictScreen(ModalScreen[ConflictChoice]):
    """Field, theirs, yours; the choice by key or button."""

    DEFAULT_CSS = """
    ConflictScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 110;
            height: 100%;
            max-height: 40;
            border: thick $warning;
            border-title-color: $warning;
            background: $surface;
            padding: 0 1;
        }
        & #conflict-who {
            height: auto;
        }
        & #conflict-table {
            height: 1fr;
            margin: 1 0 0 0;
        }
        & #conflict-note {
            height: auto;
            color: $text-muted;
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
        key("t", "choose('theirs')", "conflict.theirs"),
        key("m", "choose('mine')", "conflict.mine"),
        key("e,escape", "choose('edit')", "conflict.edit"),
    ]

    def __init__(self, title: str, *, who: str, when: str, rows: Sequence[Row]) -> None:
        super().__init__()
        translate_bindings(self)
        self._title = title
        self._who = who
        self._when = when
        # The fields that differ first, so they are in view at 80x24 without scrolling.
        self._rows = sorted(rows, key=lambda r: not r.differs)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            differing = sum(1 for r in self._rows if r.differs)
            yield Static(
                t("ui.conflict.who", who=self._who, when=self._when, count=differing),
                id="conflict-who",
                markup=False,
            )
            yield DataTable(id="conflict-table", cursor_type="row", zebra_stripes=False)
            yield Static(t("ui.conflict.note"), id="conflict-note", markup=False)
            with Horizontal():
                yield Button(t("ui.conflict.button.theirs"), id="conflict-theirs", compact=True)
                yield Button(
                    t("ui.conflict.button.mine"), id="conflict-mine", variant="warning", compact=True
                )
                yield Button(
                    t("ui.conflict.button.edit"), id="conflict-edit", variant="primary", compact=True
                )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column(t("ui.conflict.col.field"), key="field")
        table.add_column(t("ui.conflict.col.theirs"), key="theirs")
        table.add_column(t("ui.conflict.col.yours"), key="yours")
        for row in self._rows:
            style = "bold" if row.differs else "dim"
            table.add_row(
                Text(MARK if row.differs else "", style="bold"),
                Text(row.label, style=style),
                Text(row.theirs, style=style),
                Text(row.yours, style=style),
            )
        table.focus()

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def action_choose(self, choice: ConflictChoice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("conflict-")
        if choice in ("theirs", "mine", "edit"):
            self.dismiss(choice)  # type: ignore[arg-type]
