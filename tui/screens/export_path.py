"""Asking where to write an export: a path ending in .xlsx or .csv, in a folder that exists.

The answer is checked before the dialog closes, so a typo (a wrong suffix, a missing folder) is
said in place and the typed path is kept for correcting; the file is written by the caller.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from core.i18n import t
from tui.bindings import key, translate_bindings

SUFFIXES = (".xlsx", ".csv")


def path_problem(text: str) -> str | None:
    """What is wrong with `text` as an export path, or None."""
    if not text.strip():
        return t("ui.export.empty")
    path = Path(text.strip()).expanduser()
    if path.suffix.lower() not in SUFFIXES:
        return t("ui.export.suffix", suffix=path.suffix or "-")
    if not path.parent.is_dir():
        return t("ui.export.no_folder", folder=str(path.parent))
    if path.is_dir():
        return t("ui.export.is_folder", path=str(path))
    return None


class ExportPathScreen(ModalScreen[Path | None]):
    """One path field; enter writes there, `esc` cancels."""

    DEFAULT_CSS = """
    ExportPathScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 76;
            height: auto;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & #export-error {
            color: $text-error;
            height: auto;
        }
        & #export-hint {
            color: $text-muted;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "export.cancel"),
    ]

    def __init__(self, title: str, default: str, count: int) -> None:
        super().__init__()
        translate_bindings(self)
        self._title = title
        self._default = default
        self._count = count

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Label(t("ui.export.label", count=self._count))
            yield Input(self._default, id="export-path", compact=True)
            yield Static("", id="export-error", markup=False)
            yield Static(t("ui.export.hint"), id="export-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = path_problem(event.value)
        if problem is not None:
            self.query_one("#export-error", Static).update(problem)
            return
        self.dismiss(Path(event.value.strip()).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
