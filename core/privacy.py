"""How personal numbers are hidden: the one place that decides what a masked ID or phone looks like.

Resident ID and phone numbers identify a person and are enough to impersonate one, so every list,
export and log shows them masked by default. A masked value keeps just enough to tell two people
apart on a screen (region and last four of an ID, the first three and last four of a phone) and
not enough to use. Who may see the full values is decided in `core.access`, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SENSITIVE_FIELDS = frozenset({"id_number", "phone"})
"""Fields of a stored worker document that hold a personal number."""


def mask_resident_id(number: str) -> str:
    """`110105********123X`: region and last four kept, birth date hidden."""
    if len(number) != 18:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[14:]


def mask_phone(phone: str) -> str:
    """`138****8000`: enough to recognise a number on the phone, not enough to dial it."""
    text = phone.strip()
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_field(field: str, value: str) -> str:
    """`value` masked the way `field` (`id_number` or `phone`) is masked; other fields unchanged."""
    if field == "id_number":
        return mask_resident_id(value)
    if field == "phone":
        return mask_phone(value)
    return value


def mask_document(data: Any) -> Any:
    """A copy of a stored document (a worker, an audit entry's before/after) with every personal
    number masked, however deeply it is nested; anything else is returned as it is."""
    if isinstance(data, Mapping):
        return {
            k: mask_field(k, v) if k in SENSITIVE_FIELDS and isinstance(v, str) else mask_document(v)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_document(item) for item in data]
    return data
