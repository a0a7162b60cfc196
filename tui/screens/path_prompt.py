"""Ask for a file to write (an export): relative to the folder the app was started in, checked
before anything is written, and an existing file replaced only when the operator says so."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from core.i18n import t
from tui.bindings import key, translate_bindings


def check_target(text: str, suffixes: Sequence[str], base: Path | None = None) -> tuple[Path | None, str]:
    """The path `text` names (relative to `base`, the current folder by default) and what is wrong
    with it ("" when it can be written)."""
    cleaned = text.strip()
    if not cleaned:
        return None, t("ui.path.empty")
    path = Path(cleaned).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    if suffixes and path.suffix.lower() not in suffixes:
        return None, t("ui.path.suffix", path=cleaned, suffixes=" ".join(suffixes))
    if path.is_dir():
        return None, t("ui.path.is_folder", path=str(path))
    if not path.parent.is_dir():
        return None, t("ui.path.no_folder", folder=str(path.parent))
    return path, ""


class PathPromptScreen(ModalScreen[Path | None]):
    """`enter` writes to the path typed (asking again if the file exists), `esc` cancels."""

    DEFAULT_CSS = """
    PathPromptScreen {
        align: center middle;
        & > Vertical {
            width: 90%;
            max-width: 76;
            height: auto;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        & Static {
            width: 1fr;
        }
        & #path-input {
            margin: 1 0 0 0;
        }
        & #path-error {
            color: $warning;
        }
        & #path-hint {
            color: $text-muted;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "path.cancel"),
    ]

    def __init__(self, question: str, default: str, *, suffixes: Sequence[str] = ()) -> None:
        super().__init__()
        translate_bindings(self)
        self._question = question
        self._default = default
        self._suffixes = tuple(suffixes)
        self._replace: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, id="path-question", markup=False)
            yield Input(self._default, id="path-input", compact=True)
            yield Static("", id="path-error", markup=False)
            yield Static(t("ui.path.hint", folder=str(Path.cwd())), id="path-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#path-error", Static).display = False
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self._replace = None
        self._error("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path, problem = check_target(event.value, self._suffixes)
        if path is None:
            self._error(problem)
            return
        if path.exists() and self._replace != path:
            self._replace = path
            self._error(t("ui.path.exists", path=str(path)))
            return
        self.dismiss(path)

    def _error(self, text: str) -> None:
        error = self.query_one("#path-error", Static)
        error.update(text)
        error.display = bool(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
