"""Turning a refusal into what the operator reads on stderr: which field, and what is expected.

Core names a field by its model path (`birth_date`, `posts[1].start`); at the command line the
operator typed `--birth-date`, so the message names both the field's label and the option.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from core.errors import DuplicateRecord, RegistryMissing, ShegongError, ValidationError, ValidationErrors
from core.i18n import t


@attrs.frozen
class Field:
    """How a model field is named to the operator: a catalog key for its label, and its option."""

    label: str
    option: str = ""


Fields = Mapping[str, Field]

_TOP = re.compile(r"^\$?\.?([A-Za-z_]+)")


def describe_field(path: str, fields: Fields) -> str:
    m = _TOP.match(path)
    top = m[1] if m else path
    found = fields.get(top)
    if found is None:
        return path
    label = t(found.label)
    inner = path.lstrip("$.")
    detail = [p for p in (found.option, inner if inner != top else "") if p]
    return f"{label}（{'，'.join(detail)}）" if detail else label


def render_validation(error: ValidationError, fields: Fields) -> str:
    where = f"{error.where}: " if error.where else ""
    return t("cli.error.field", field=where + describe_field(error.field, fields), problem=error.problem)


def render_error(error: ShegongError, fields: Fields) -> str:
    if isinstance(error, ValidationError):
        return render_validation(error, fields)
    if isinstance(error, ValidationErrors):
        lines = [t("cli.error.fields", count=len(error.errors))]
        lines.extend("  " + render_validation(e, fields) for e in error.errors)
        return "\n".join(lines)
    if isinstance(error, DuplicateRecord):
        return t("cli.error.field", field=describe_field(error.field, fields), problem=str(error))
    if isinstance(error, RegistryMissing):
        return t("cli.error.no_registry", path=error.path)
    return str(error)
