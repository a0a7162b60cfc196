"""Editing a worker's phone and note: the one edit of this screen set, checked and saved by core.

The form keeps what the operator typed until it is saved or deliberately discarded: quitting or
leaving with changes asks first. A save is refused in read-only mode, refused with the reason
when the model rejects a value, and refused without losing anything when another operator saved
the same worker first (the registry's revision check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

import attrs
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from core.errors import ShegongError, StaleRevision, ValidationError
from core.i18n import t
from core.model import Worker
from tui.bindings import key, translate_bindings
from tui.labels import field_label
from tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from tui.app import ShegongApp


class EditContactScreen(ModalScreen[Worker | None]):
    """Phone and note of one worker; `ctrl+s` saves, `esc` cancels (asking if anything changed)."""

    DEFAULT_CSS = """
    EditContactScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 72;
            height: auto;
            max-height: 100%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & Label {
            margin-top: 1;
        }
        & #edit-note {
            height: 6;
        }
        & #edit-error {
            color: $error;
            height: auto;
        }
        & #edit-hint {
            color: $text-muted;
            margin-top: 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+s", "save", "edit.save"),
        key("escape", "cancel", "edit.cancel"),
    ]

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        translate_bindings(self)
        self.worker = worker

    @property
    def shegong(self) -> ShegongApp:
        return cast("ShegongApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("ui.edit.title", name=self.worker.name)
            yield Label(t("ui.field.phone"))
            yield Input(self.worker.phone, id="edit-phone", compact=True)
            yield Label(t("ui.field.note"))
            yield TextArea(self.worker.note, id="edit-note", compact=True)
            yield Static("", id="edit-error", markup=False)
            yield Static(t("ui.edit.hint"), id="edit-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#edit-phone", Input).focus()

    @property
    def phone(self) -> str:
        return self.query_one("#edit-phone", Input).value.strip()

    @property
    def note(self) -> str:
        return self.query_one("#edit-note", TextArea).text.rstrip()

    @property
    def has_unsaved_changes(self) -> bool:
        return self.phone != self.worker.phone or self.note != self.worker.note

    def _error(self, text: str) -> None:
        self.query_one("#edit-error", Static).update(text)

    def action_save(self) -> None:
        if self.shegong.refuse_if_read_only():
            return
        if not self.has_unsaved_changes:
            self.dismiss(None)
            return
        try:
            changed = attrs.evolve(self.worker, phone=self.phone, note=self.note)
        except ValidationError as exc:
            self._error(t("ui.edit.invalid", field=field_label(exc.field), problem=exc.problem.render()))
            return
        try:
            saved = self.shegong.registry.update_worker(changed)
        except StaleRevision as exc:
            self._error(t("ui.edit.stale", who=exc.changed_by, when=exc.changed_at))
            return
        except ShegongError as exc:
            self._error(exc.render())
            return
        self.notify(t("ui.edit.saved", name=saved.name))
        self.dismiss(saved)

    def action_cancel(self) -> None:
        if not self.has_unsaved_changes:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("ui.edit.discard"), yes=t("ui.edit.discard_yes")), answered)
