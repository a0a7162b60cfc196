"""Rule results as plain JSON-ready data, with every message rendered in one language.

The CLI's `--json`, exports and the conformance kit all need the same shape: amounts as decimal
strings (never floats), dates as ISO text, citations as document + article + the joined text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from core.i18n import Message
from core.results import Citation


def to_data(value: Any, lang: str | None = None) -> Any:
    """Recursively turn results, messages and model values into JSON-ready data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Citation):
        return value.as_data(lang)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if attrs.has(type(value)):
        return {f.name: to_data(getattr(value, f.name), lang) for f in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        return {str(k): to_data(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_data(v, lang) for v in value]
    return str(value)
