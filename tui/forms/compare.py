"""Two versions of a record side by side, field by field, for the conflict view.

The form's own fields are compared as the form shows them (choice labels, ISO dates). Records the
form does not show (trainings, assessments, …) are compared too, by how many each version holds,
so a change another operator made outside the form is visible before anyone chooses.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from core.convert import unstructure
from core.i18n import t
from tui.forms.fields import FieldSpec
from tui.forms.undo import Record, label_of
from tui.labels import EMPTY


@attrs.frozen
class Row:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def form_rows(
    specs: Mapping[str, FieldSpec], theirs: Mapping[str, str], yours: Mapping[str, str]
) -> list[Row]:
    rows = []
    for name, spec in specs.items():
        a, b = theirs.get(name, ""), yours.get(name, "")
        rows.append(Row(spec.label, spec.display(a) or EMPTY, spec.display(b) or EMPTY))
    return rows


def other_rows(kind: str, theirs: Record, base: Record, shown: set[str]) -> list[Row]:
    """Fields outside the form (`shown` are the model fields the form covers) that differ between
    their version and the one this operator started from; what is yours there is what you loaded."""
    a, b = unstructure(theirs), unstructure(base)
    rows = []
    for name in a:
        if name in shown or name in ("revision", "id") or a.get(name) == b.get(name):
            continue
        rows.append(Row(label_of(kind, name), _summary(a.get(name)), _summary(b.get(name))))
    return rows


def _summary(value: object) -> str:
    if isinstance(value, list | dict):
        return t("ui.conflict.records", count=len(value))
    if value is None or value == "":
        return EMPTY
    return str(value)
