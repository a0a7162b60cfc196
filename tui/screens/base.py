"""What every full screen shares: translated bindings, `esc` to go back, its name in the header,
and the commands it adds to the palette."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.binding import BindingType
from textual.screen import Screen

from core.i18n import t
from tui.bindings import key, translate_bindings

if TYPE_CHECKING:
    from tui.app import ShegongApp

ResultT = TypeVar("ResultT")

PaletteCommand = tuple[str, str, Callable[[], object]]
"""(title, help, callback) of one command palette entry."""


class ShegongScreen(Screen[ResultT]):
    """A full screen of the app; `TITLE_KEY` names it, `HELP_KEY` explains it in the help."""

    TITLE_KEY: ClassVar[str] = ""
    HELP_KEY: ClassVar[str] = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "back", "screen.back"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        if self.TITLE_KEY:
            self.sub_title = t(self.TITLE_KEY)

    @property
    def shegong(self) -> ShegongApp:
        return cast("ShegongApp", self.app)

    @property
    def screen_title(self) -> str:
        return t(self.TITLE_KEY) if self.TITLE_KEY else ""

    @property
    def help_text(self) -> str:
        return t(self.HELP_KEY) if self.HELP_KEY else ""

    def action_back(self) -> None:
        self.shegong.go_back()

    def palette_commands(self) -> list[PaletteCommand]:
        """Commands this screen adds to the palette while it is shown."""
        return []

    def apply_edits(self, worker_ids: list[int]) -> None:
        """Workers edited elsewhere in this session; a screen showing them refreshes them."""
