"""Taking back the last edit of this session, through the registry's ordinary writes.

An update is undone by saving the previous version as a new revision, based on the revision the
edit saved: if another operator changed the record since, the registry refuses (`StaleRevision`)
and nothing is lost. An added record is undone by deleting it, with the same revision check (a
community that meanwhile has workers is refused by the registry). Both are in the audit trail.
"""

from __future__ import annotations

from typing import Any

import attrs

from core.convert import unstructure
from core.i18n import t
from core.model import Community, Worker
from core.repository import Repository
from tui.forms import community_form
from tui.labels import field_label, listing

Record = Worker | Community


@attrs.frozen
class Edit:
    """One saved edit: the record before (None when it was added) and as it was saved."""

    before: Record | None
    after: Record

    @property
    def kind(self) -> str:
        return "worker" if isinstance(self.after, Worker) else "community"

    @property
    def key(self) -> int | str:
        return self.after.id

    def changed_fields(self) -> list[str]:
        """The changed fields' labels, in the model's order."""
        if self.before is None:
            return []
        before, after = unstructure(self.before), unstructure(self.after)
        return [
            label_of(self.kind, name)
            for name in after
            if name != "revision" and before.get(name) != after.get(name)
        ]


def label_of(kind: str, name: str) -> str:
    if kind == "community":
        label_key = community_form.LABELS.get(name)
        return t(label_key) if label_key is not None else name
    return field_label(name)


def describe(edit: Edit) -> str:
    """The confirmation question, naming the record and what undoing will do to it."""
    what = t(f"ui.undo.kind.{edit.kind}", name=edit.after.name, key=edit.key)
    if edit.before is None:
        return t("ui.undo.confirm_add", what=what)
    return t("ui.undo.confirm_update", what=what, fields=listing(edit.changed_fields()))


def undo(registry: Repository, edit: Edit) -> Record | None:
    """Apply the undo; the restored record, or None when an added one was removed.

    Raises what the registry raises (`StaleRevision`, `NotFound`, `ValidationError` for a
    community with workers), having changed nothing.
    """
    after: Any = edit.after
    if edit.before is None:
        if isinstance(after, Worker):
            registry.delete_worker(after.id, after.revision)
        else:
            registry.delete_community(after.id, after.revision)
        return None
    restored = attrs.evolve(edit.before, revision=after.revision)
    if isinstance(restored, Worker):
        return registry.update_worker(restored)
    return registry.update_community(restored)
