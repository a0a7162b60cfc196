"""Adding a community, or editing one: names, jurisdiction, kind, households, population, area.

A community's id is its key in the registry (workers point to it), so it is typed once, when the
community is added, and shown read-only afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.errors import DuplicateRecord, ShegongError, ValidationError
from core.i18n import msg, t
from core.model import Community
from tui.forms.community_form import (
    CommunityFormContext,
    check_community,
    community_specs,
    community_texts,
)
from tui.forms.compare import Row, form_rows, other_rows
from tui.forms.fields import FieldError, FieldSpec
from tui.forms.undo import Record
from tui.screens.form import FormScreen

FORM_MODEL_FIELDS = set(community_texts(None))


class CommunityFormScreen(FormScreen):
    """`ctrl+s` saves, `esc` leaves (asking first if anything changed)."""

    TITLE_KEY = "ui.form.community_title"
    HELP_KEY = "ui.form.community_help"

    def __init__(self, community: Community | None, context: CommunityFormContext) -> None:
        self.context = context
        super().__init__(community)
        if community is not None:
            self.read_only_fields = frozenset({"id"})
        self.sub_title = (
            t("ui.form.edit_community", name=community.name)
            if community is not None
            else t("ui.form.add_community")
        )

    @property
    def community(self) -> Community | None:
        return self.base if isinstance(self.base, Community) else None

    @property
    def heading(self) -> str:
        c = self.community
        if c is None:
            return t("ui.form.add_community")
        return t("ui.form.edit_community_heading", name=c.name, id=c.id, revision=c.revision)

    def texts_of(self, record: Record | None) -> dict[str, str]:
        return community_texts(record if isinstance(record, Community) else None)

    def specs(self, texts: Mapping[str, str]) -> dict[str, FieldSpec]:
        return community_specs(self.context, self.community)

    def check(self, texts: Mapping[str, str]) -> tuple[Record | None, Mapping[str, FieldError]]:
        result = check_community(texts, self.community, self.context)
        return result.community, result.errors

    def placeholder(self, name: str) -> str:
        if name == "id":
            return t("ui.form.community_id_hint")
        if name == "office_area":
            return t("ui.form.expect.decimal")
        return super().placeholder(name)

    def write(self, record: Record) -> Record:
        assert isinstance(record, Community)
        registry = self.shegong.registry
        return registry.add_community(record) if self.community is None else registry.update_community(record)

    def field_problem(self, exc: ShegongError) -> FieldError | None:
        specs = self.specs(self.texts())
        if isinstance(exc, DuplicateRecord):
            return specs["id"].error(msg("ui.form.problem.id_taken", value=exc.value))
        if isinstance(exc, ValidationError) and exc.field in specs:
            return specs[exc.field].error(exc.problem)
        return None

    def fetch(self) -> Record:
        assert self.community is not None
        return self.shegong.registry.get_community(self.community.id)

    def conflict_rows(self, theirs: Record) -> list[Row]:
        assert isinstance(theirs, Community) and self.community is not None
        yours = self.texts()
        rows = form_rows(self.specs(yours), community_texts(theirs), yours)
        return rows + other_rows("community", theirs, self.community, FORM_MODEL_FIELDS)
