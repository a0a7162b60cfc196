"""Reading the operator-filled tables of the Wenzhou parameter file, with errors that name them.

The text gives the pay structure but no figures, so an operator types these tables by hand; a
wrong shape must come back as a message naming the parameter and key, never as a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.errors import ValidationError
from core.i18n import msg
from core.params import Parameters


def table(params: Parameters, name: str, on: dt.date) -> Mapping[str, Any]:
    value = params.value(name, on)
    if not isinstance(value, Mapping):
        raise ValidationError(name, msg("wenzhou.error.table_shape", name=name))
    return value


def amount(value: Any, where: str) -> Decimal:
    """A money figure from a table cell: text or a number, never negative, never a flag."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(where, msg("wenzhou.error.not_amount", where=where, value=repr(value)))
    result = Decimal(value)
    if result < 0:
        raise ValidationError(where, msg("wenzhou.error.not_amount", where=where, value=repr(value)))
    return result


def whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or int(value) != value or value < 0:
        raise ValidationError(where, msg("wenzhou.error.not_whole", where=where, value=repr(value)))
    return int(value)
