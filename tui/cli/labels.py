"""The names an operator knows codes by: posts and grades in the jurisdiction's own words,
enum values (学历, 政治面貌, …) from the catalogs, and masked personal numbers for lists."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from core.i18n import t
from core.model import Sex, Status
from core.resident_id import mask_resident_id

if TYPE_CHECKING:
    from core.hookspecs import Vocabulary

__all__ = ["code_label", "enum_label", "label_or", "mask_phone", "mask_resident_id"]


def enum_label(member: StrEnum, lang: str | None = None) -> str:
    """`bachelor` → 本科; sex and status come from core's catalog, the rest from the CLI's."""
    if isinstance(member, Status):
        return t(f"status.{member.value}", lang)
    if isinstance(member, Sex):
        return t(f"sex.{member.value}", lang)
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(member).__name__).lower()
    return t(f"cli.enum.{kind}.{member.value}", lang)


def code_label(code: str, vocabulary: Mapping[str, Vocabulary], prefix: str, lang: str) -> str:
    """A post, grade or certificate code in the jurisdiction's words, else core's, else the code."""
    found = vocabulary.get(code)
    if found is not None:
        return found.zh if lang == "zh" else found.en or found.zh
    return label_or(f"{prefix}.{code}", code, lang)


def label_or(key: str, fallback: str, lang: str | None = None) -> str:
    """The catalog's text for `key`, or `fallback` (a code) where the catalog has none."""
    text = t(key, lang)
    return fallback if text == key else text


def mask_phone(phone: str) -> str:
    """`138****5678`: the first three and last four digits kept."""
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
