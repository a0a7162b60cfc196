"""Adding a worker, or editing one: identity, profile, the post and status now, the contract.

What the form changes in the worker's post, status and contract history is spelled out in
`tui.forms.worker_form`; lists the form does not show (trainings, assessments, certificates, …)
are kept as they are. Leaving the resident ID fills a blank sex and date of birth from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import DuplicateRecord, ShegongError, ValidationError
from core.i18n import msg, t
from core.model import Worker
from core.resident_id import region_warning
from tui.forms.compare import Row, form_rows, other_rows
from tui.forms.fields import FieldError, FieldSpec
from tui.forms.undo import Record
from tui.forms.worker_form import (
    WorkerFormContext,
    check_worker,
    id_facts,
    worker_specs,
    worker_texts,
)
from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen

# Model fields the form covers; the others are kept from the stored version.
FORM_MODEL_FIELDS = {
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "community_id",
    "posts",
    "statuses",
    "service_start",
    "work_start",
    "entry",
    "education",
    "party",
    "hukou",
    "contracts",
    "note",
}


class WorkerFormScreen(FormScreen):
    """`ctrl+s` saves, `esc` leaves (asking first if anything changed)."""

    TITLE_KEY = "ui.form.worker_title"
    HELP_KEY = "ui.form.worker_help"

    def __init__(self, worker: Worker | None, context: WorkerFormContext) -> None:
        self.context = context
        super().__init__(worker)
        self.sub_title = (
            t("ui.form.edit_worker", name=worker.name) if worker is not None else t("ui.form.add_worker")
        )

    @property
    def worker(self) -> Worker | None:
        return self.base if isinstance(self.base, Worker) else None

    @property
    def heading(self) -> str:
        w = self.worker
        if w is None:
            return t("ui.form.add_worker")
        return t("ui.form.edit_worker_heading", name=w.name, id=w.id, revision=w.revision)

    def texts_of(self, record: Record | None) -> dict[str, str]:
        return worker_texts(record if isinstance(record, Worker) else None, self.context.today)

    def specs(self, texts: Mapping[str, str]) -> dict[str, FieldSpec]:
        return worker_specs(self.context, texts, self.worker)

    def check(self, texts: Mapping[str, str]) -> tuple[Record | None, Mapping[str, FieldError]]:
        result = check_worker(texts, self.worker, self.context)
        return result.worker, result.errors

    def placeholder(self, name: str) -> str:
        if name in ("sex", "birth_date"):
            return t("ui.form.from_id")
        if name == "post_start":
            return t("ui.form.post_start_hint")
        return super().placeholder(name)

    def write(self, record: Record) -> Record:
        assert isinstance(record, Worker)
        registry = self.shegong.registry
        return registry.add_worker(record) if self.worker is None else registry.update_worker(record)

    def _write(self, record: Record) -> None:
        """A resident ID whose region code was never seen is saved once the operator confirms it;
        a number already stored is not asked about again."""
        assert isinstance(record, Worker)
        old = self.worker.id_number if self.worker is not None else None
        warning = None if record.id_number == old else region_warning(record.id_number)
        if warning is None:
            super()._write(record)
            return

        def answered(accept: bool | None) -> None:
            if accept:
                super(WorkerFormScreen, self)._write(record)

        question = t("ui.records.confirm_region", warning=warning.render())
        self.app.push_screen(ConfirmScreen(question, yes=t("ui.records.save_anyway")), answered)

    def field_problem(self, exc: ShegongError) -> FieldError | None:
        specs = self.specs(self.texts())
        if isinstance(exc, DuplicateRecord):
            return specs["id_number"].error(msg("ui.form.problem.id_registered", existing=exc.existing))
        if isinstance(exc, ValidationError) and exc.field in specs:
            return specs[exc.field].error(exc.problem)
        return None

    def fetch(self) -> Record:
        assert self.worker is not None
        return self.shegong.registry.get_worker(self.worker.id)

    def conflict_rows(self, theirs: Record) -> list[Row]:
        assert isinstance(theirs, Worker) and self.worker is not None
        yours = self.texts()
        rows = form_rows(self.specs(yours), worker_texts(theirs, self.context.today), yours)
        return rows + other_rows("worker", theirs, self.worker, FORM_MODEL_FIELDS)

    # --- helping the operator ---------------------------------------------------------------

    def field_left(self, name: str) -> None:
        if name != "id_number":
            return
        texts = self.texts()
        spec = self.specs(texts)["id_number"]
        try:
            number: Any = spec.parse(texts["id_number"])
        except Exception:
            return
        self.set_text("id_number", number)
        sex, birth = id_facts(number)
        if not texts["sex"]:
            self.set_text("sex", sex.value)
        if not texts["birth_date"]:
            self.set_text("birth_date", birth.isoformat())

    def field_changed(self, name: str) -> None:
        if name == "community_id":
            self.refresh_choices("post", self.texts())
