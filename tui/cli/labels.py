"""Codes as operators know them: the command line uses the full-screen app's labels (`tui.labels`,
catalog keys `ui.enum.*`), so a value reads the same in both interfaces.

What the command line adds: loading the app's catalogs without importing the app (which brings
Textual), and an enum's name in a given language, so `--education 本科` is understood whatever
language the output is in.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import tui.labels
from core.i18n import LANGUAGES, add_catalog_dir, t
from core.model import Status
from tui.labels import ENUM_PREFIXES, Lexicon, has_key, mask_phone
from tui.labels import enum_label as _ui_label

__all__ = ["Lexicon", "enum_label", "enum_names", "label_or", "load_catalogs", "mask_phone"]

UI_LOCALE = Path(tui.labels.__file__).parent / "locale"
_loaded = False


def load_catalogs() -> None:
    """The app's catalogs (`tui.app.load_catalogs` does the same, but importing it loads Textual)."""
    global _loaded
    if not _loaded:
        for lang in LANGUAGES:
            add_catalog_dir(lang, UI_LOCALE / lang)
        _loaded = True


def enum_label(member: StrEnum) -> str:
    """`bachelor` → 本科 in the current language; statuses from core's catalog."""
    if isinstance(member, Status):
        return t(f"status.{member.value}")
    return _ui_label(member)


def enum_names(member: StrEnum) -> set[str]:
    """Every name `member` goes by: its code and its label in each language (lower-cased)."""
    key = f"status.{member.value}" if isinstance(member, Status) else None
    prefix = ENUM_PREFIXES.get(type(member))
    if prefix is not None:
        key = f"ui.enum.{prefix}.{member.value}"
    names = {member.value}
    if key is not None:
        names |= {t(key, lang) for lang in LANGUAGES}
    return {n.lower() for n in names}


def label_or(key: str, fallback: str) -> str:
    """The catalog's text for `key`, or `fallback` (a code) where the catalog has none."""
    return t(key) if has_key(key) else fallback
