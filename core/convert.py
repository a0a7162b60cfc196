"""The one converter between model values and stored JSON documents.

Money and scores are stored as strings (JSON numbers would turn 0.1 into a float), dates as ISO
text, and unknown keys are refused so a typo in a hand-edited file is caught, not dropped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

import cattrs

from core.errors import ValidationError, ValidationErrors
from core.i18n import msg

T = TypeVar("T")


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"expected a decimal number as text, got {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    return dt.date.fromisoformat(value)


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_unstructure_hook(StrEnum, str)
    return converter


_converter = make_converter()


def unstructure(value: Any) -> Any:
    return _converter.unstructure(value)


def structure(data: Any, cls: type[T], *, where: str = "") -> T:
    """Build a model value from a document, or raise errors naming each bad field."""
    try:
        return _converter.structure(data, cls)
    except ValidationError:
        raise
    except cattrs.BaseValidationError as exc:
        inner = _first_domain_error(exc)
        if inner is not None:
            raise inner from None
        errors = [
            ValidationError(_field_of(line), msg("invalid.document", detail=line), where=where)
            for line in cattrs.transform_error(exc, path="$")
        ]
        raise ValidationErrors(errors) from None
    except (TypeError, ValueError) as exc:
        raise ValidationError("$", msg("invalid.document", detail=str(exc)), where=where) from None


def _first_domain_error(exc: BaseException) -> ValidationError | None:
    if isinstance(exc, ValidationError):
        return exc
    for sub in getattr(exc, "exceptions", ()):
        found = _first_domain_error(sub)
        if found is not None:
            return found
    return None


def _field_of(line: str) -> str:
    return line.rsplit(" @ ", 1)[-1] if " @ " in line else "$"
