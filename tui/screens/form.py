"""What the worker and community forms share: one row per field, its message beneath it, checking
as the operator leaves a field and again on `ctrl+s`, a confirmation before unsaved changes are
dropped, and the conflict view when another operator saved the record first.

A subclass says which fields there are (`specs`), how the texts become a record (`check`), how a
record is written (`write`) and read back (`fetch`); the checks themselves live in `tui.forms`,
apart from any screen, so they are tested (and fuzzed) on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label, Select, Static

from core.errors import NotFound, ShegongError, StaleRevision
from core.i18n import t
from tui.bindings import key
from tui.forms.compare import Row
from tui.forms.fields import FieldError, FieldSpec
from tui.forms.undo import Edit, Record
from tui.screens.base import ShegongScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictChoice, ConflictScreen

DATE_EXPECT = "ui.form.expect.date"


def select_text(value: object) -> str:
    return "" if value == Select.NULL else str(value)


class FormScreen(ShegongScreen[Record | None]):
    """Fields in a scrolling column; dismisses with the saved record, or None when cancelled."""

    DEFAULT_CSS = """
    FormScreen {
        & #form-heading {
            height: 1;
            padding: 0 1;
            text-style: bold;
        }
        & #form-body {
            height: 1fr;
            padding: 0 1;
        }
        & #form-end {
            height: 6;
        }
        & .form-row {
            height: auto;
            max-width: 100;
        }
        & .form-label {
            width: 16;
            padding-right: 1;
            color: $text-muted;
        }
        & .form-row.-required .form-label {
            color: $text;
        }
        & .form-row Input, & .form-row Select {
            width: 1fr;
        }
        & .field-error {
            display: none;
            margin-left: 16;
            max-width: 84;
            color: $text-error;
        }
        & .field-error.-shown {
            display: block;
        }
        & #form-status {
            height: auto;
            max-height: 3;
            padding: 0 1;
            color: $text-muted;
            background: $panel;
        }
        & #form-status.-problem {
            color: $text-warning;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+s", "save", "form.save", priority=True),
        key("escape", "back", "form.cancel"),
    ]

    def __init__(self, base: Record | None) -> None:
        super().__init__(classes="form-screen")
        self.base = base
        self.initial: dict[str, str] = self.texts_of(base)
        self.touched: set[str] = set()
        self._errors: dict[str, FieldError] = {}
        self._refused: dict[str, tuple[str, FieldError]] = {}
        """Fields the registry refused on save, with the text refused: shown until it changes."""
        self.read_only_fields: frozenset[str] = frozenset()
        """Fields shown but not editable (a record's key); set before the screen is composed."""

    # --- what a form defines -------------------------------------------------------------------

    @property
    def heading(self) -> str:
        raise NotImplementedError

    def texts_of(self, record: Record | None) -> dict[str, str]:
        raise NotImplementedError

    def specs(self, texts: Mapping[str, str]) -> dict[str, FieldSpec]:
        raise NotImplementedError

    def check(self, texts: Mapping[str, str]) -> tuple[Record | None, Mapping[str, FieldError]]:
        raise NotImplementedError

    def write(self, record: Record) -> Record:
        """Add or update `record` in the registry; raises what the registry raises."""
        raise NotImplementedError

    def fetch(self) -> Record:
        """The stored version of the record being edited (after a conflict)."""
        raise NotImplementedError

    def conflict_rows(self, theirs: Record) -> list[Row]:
        raise NotImplementedError

    def field_problem(self, exc: ShegongError) -> FieldError | None:
        """The field a refused save is about, with the message to show there, if one is."""
        return None

    def field_left(self, name: str) -> None:
        """A field lost the focus (after its text was checked): a form may fill in others."""

    def field_changed(self, name: str) -> None:
        """A choice changed: a form may change the choices of another field."""

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading, id="form-heading", markup=False)
        with VerticalScroll(id="form-body", can_focus=False):
            for name, spec in self.specs(self.initial).items():
                classes = "form-row -required" if spec.required else "form-row"
                with Horizontal(classes=classes, id=f"row-{name}"):
                    yield Label(spec.label, classes="form-label", markup=False)
                    yield self._widget(name, spec)
                yield Static("", id=f"error-{name}", classes="field-error", markup=False)
            # Room below the last fields, so they too can sit mid-screen with a choice list open.
            yield Static("", id="form-end")
        yield Static(t("ui.form.hint"), id="form-status", markup=False)
        yield Footer()

    def _widget(self, name: str, spec: FieldSpec) -> Widget:
        text = self.initial.get(name, "")
        disabled = name in self.read_only_fields
        if spec.choices:
            options = [(label, code) for code, label in spec.choices]
            value: Any = text if text in {code for code, _ in spec.choices} else Select.NULL
            return Select(
                options,
                value=value,
                prompt=self.placeholder(name) or t("ui.form.choose"),
                id=f"field-{name}",
                compact=True,
                disabled=disabled,
            )
        placeholder = self.placeholder(name) or (t(DATE_EXPECT) if spec.expect_key == DATE_EXPECT else "")
        return Input(text, placeholder=placeholder, id=f"field-{name}", compact=True, disabled=disabled)

    def placeholder(self, name: str) -> str:
        """Grey text in an empty field: how to fill it (a date's forms by default)."""
        return ""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Keep the field in the middle of the form, so a choice's list opens with room below it
        (and never under the footer) at 80x24."""
        if event.widget.id and event.widget.id.startswith("field-"):
            self.query_one("#form-body", VerticalScroll).scroll_to_center(event.widget, animate=False)

    def on_mount(self) -> None:
        for widget in self.query("#form-body Input, #form-body Select"):
            if not widget.disabled:
                widget.focus()
                break

    # --- the texts -----------------------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        out = dict(self.initial)
        for name in self.initial:
            found = self.query(f"#field-{name}")
            if not found:
                continue
            widget = found.first()
            if isinstance(widget, Select):
                out[name] = select_text(widget.value)
            elif isinstance(widget, Input):
                out[name] = widget.value
        return out

    def set_text(self, name: str, text: str) -> None:
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = text if text else Select.NULL
        elif isinstance(widget, Input):
            widget.value = text

    @property
    def has_unsaved_changes(self) -> bool:
        if not self.is_mounted:
            return False
        now = self.texts()
        return any(now[name].strip() != self.initial[name].strip() for name in self.initial)

    # --- checking ------------------------------------------------------------------------------

    def validate(self, *, everything: bool = False) -> Record | None:
        """Check the whole form; show the messages of the fields left once (or of every field)."""
        texts = self.texts()
        record, checked = self.check(texts)
        errors = dict(checked)
        for name, (text, error) in list(self._refused.items()):
            if texts.get(name) != text:
                del self._refused[name]
            else:
                errors.setdefault(name, error)
        self._errors = errors
        if everything:
            self.touched |= set(self.initial)
        for name in self.initial:
            self._show(name, errors.get(name) if name in self.touched else None)
        shown = [n for n in errors if n in self.touched]
        status = self.query_one("#form-status", Static)
        status.set_class(bool(shown), "-problem")
        status.update(t("ui.form.problems", count=len(shown)) if shown else t("ui.form.hint"))
        return None if errors else record

    def _show(self, name: str, error: FieldError | None) -> None:
        widget = self.query_one(f"#error-{name}", Static)
        widget.update(error.text if error is not None else "")
        widget.set_class(error is not None, "-shown")

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if name not in self.initial or not self.is_attached:
            return
        self.touched.add(name)
        self._tidy(name, event.input)
        self.field_left(name)
        self.validate()

    def _tidy(self, name: str, widget: Input) -> None:
        """A date typed as 20261125 reads back as 2026-11-25 once it is understood."""
        spec = self.specs(self.texts()).get(name)
        if spec is None or spec.expect_key != DATE_EXPECT or not widget.value.strip():
            return
        try:
            day = spec.parse(widget.value)
        except Exception:
            return  # the message under the field says what is wrong
        widget.value = day.isoformat()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("field-")
        if name not in self.initial or not self.is_attached:
            return
        if select_text(event.value) != self.initial[name]:
            self.touched.add(name)
        self.field_changed(name)
        self.validate()

    def refresh_choices(self, name: str, texts: Mapping[str, str]) -> None:
        """Offer `name`'s choices anew (they depend on another field), keeping its value if offered."""
        spec = self.specs(texts)[name]
        select = self.query_one(f"#field-{name}", Select)
        current = select_text(select.value)
        with select.prevent(Select.Changed):
            select.set_options([(label, code) for code, label in spec.choices])
            if current in {code for code, _ in spec.choices}:
                select.value = current

    # --- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.shegong.refuse_if_read_only():
            return
        record = self.validate(everything=True)
        if record is None:
            first = next((n for n in self.initial if n in self._errors), None)
            if first is not None:
                self.query_one(f"#field-{first}").focus()
            return
        if self.base is not None and not self.has_unsaved_changes:
            self.dismiss(None)
            return
        self._write(record)

    def _write(self, record: Record) -> None:
        try:
            saved = self.write(record)
        except StaleRevision as exc:
            self._conflict(exc)
            return
        except ShegongError as exc:
            error = self.field_problem(exc)
            if error is not None:
                self.touched.add(error.field)
                self._refused[error.field] = (self.texts().get(error.field, ""), error)
                self._errors[error.field] = error
                self._show(error.field, error)
                self.query_one(f"#field-{error.field}").focus()
            self.show_problem(exc)
            return
        self.shegong.form_edits.append(Edit(self.base, saved))
        self.initial = self.texts()  # nothing unsaved any more
        self.notify(t("ui.form.saved", name=saved.name))
        self.dismiss(saved)

    def show_problem(self, exc: ShegongError) -> None:
        status = self.query_one("#form-status", Static)
        status.set_class(True, "-problem")
        status.update(exc.render())

    # --- another operator saved first ----------------------------------------------------------

    def _conflict(self, exc: StaleRevision) -> None:
        try:
            theirs = self.fetch()
        except NotFound:
            self.show_problem(exc)
            return
        question = ConflictScreen(
            t("ui.conflict.title", name=theirs.name),
            who=exc.changed_by,
            when=exc.changed_at,
            rows=self.conflict_rows(theirs),
        )

        def chosen(choice: ConflictChoice | None) -> None:
            self.resolve(choice or "edit", theirs)

        self.app.push_screen(question, chosen)

    def resolve(self, choice: ConflictChoice, theirs: Record) -> None:
        """Keep theirs (dismiss), overwrite with mine (every field as I typed it, on their revision),
        or go on editing on their version with their changes to fields I left alone taken in."""
        if choice == "theirs":
            self.initial = self.texts()
            self.notify(t("ui.conflict.kept_theirs", name=theirs.name))
            self.dismiss(theirs)
            return
        mine, loaded = self.texts(), self.initial
        self.base = theirs
        self.initial = self.texts_of(theirs)
        self.touched |= {name for name in mine if mine[name] != self.initial.get(name)}
        if choice == "mine":
            record = self.validate(everything=True)
            if record is not None:
                self._write(record)
            return
        # Back to editing on their version: what I changed stays mine, what only they changed
        # comes in, so the next save keeps both unless I change it again.
        for name, text in self.initial.items():
            if mine.get(name) == loaded.get(name) and text != loaded.get(name):
                self.set_text(name, text)
        self.validate()
        status = self.query_one("#form-status", Static)
        status.set_class(True, "-problem")
        status.update(t("ui.conflict.editing_on_theirs"))

    # --- leaving -------------------------------------------------------------------------------

    def action_back(self) -> None:
        if not self.has_unsaved_changes:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.initial = self.texts()
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("ui.form.discard"), yes=t("ui.form.discard_yes")), answered)
