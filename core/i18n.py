"""The translation layer: every string a user sees is a message key rendered here.

Results and errors carry `Message` values (a key and its arguments), never rendered text, so the
same finding can be shown in Chinese on one operator's screen and in English in a tester's JSON.
Catalogs are TOML files of `key = "template"`; plugins add their own through a hook.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_LOCALE_DIR = Path(__file__).parent / "locale"

_catalogs: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
_loaded_core = False
_current = DEFAULT_LANGUAGE


@attrs.frozen
class Message:
    """A user-facing text that is not rendered until a language is known."""

    key: str
    args: Mapping[str, Any] = attrs.field(factory=dict)

    def render(self, lang: str | None = None) -> str:
        return translate(self.key, lang, **self.args)

    def __str__(self) -> str:
        return self.render()


def msg(key: str, /, **args: Any) -> Message:
    return Message(key, args)


@attrs.frozen
class Listing(Message):
    """Names joined the way the language joins a list (`、` or `, `), the first `shown` of them and
    `…` for the rest: a list inside a message is rendered in the message's language too."""

    items: tuple[str, ...] = ()
    shown: int = 3

    def render(self, lang: str | None = None) -> str:
        joined = translate("list.separator", lang).join(self.items[: self.shown])
        return joined + (translate("list.more", lang) if len(self.items) > self.shown else "")


def _ensure_core() -> None:
    global _loaded_core
    if _loaded_core:
        return
    _loaded_core = True
    for lang in LANGUAGES:
        add_catalog_dir(lang, _LOCALE_DIR / lang)


def add_catalog_dir(lang: str, folder: Path) -> None:
    """Merge every `*.toml` in `folder`: one file per area, so no two modules edit one file."""
    for path in sorted(folder.glob("*.toml")):
        add_catalog(lang, load_catalog_file(path))


def load_catalog_file(path: Path) -> dict[str, str]:
    """Read a TOML catalog; nested tables become dotted keys (`[pay] base = …` → `pay.base`)."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    return dict(_flatten(data))


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.extend(_flatten(v, key + "."))
        else:
            out.append((key, str(v)))
    return out


def add_catalog(lang: str, entries: Mapping[str, str]) -> None:
    if lang not in _catalogs:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    _catalogs[lang].update(entries)


def catalog(lang: str) -> Mapping[str, str]:
    _ensure_core()
    return _catalogs[lang]


def language_from_environment(env: Mapping[str, str] | None = None) -> str:
    """Chinese unless SHEGONG_LANG or the POSIX locale asks for English."""
    env = os.environ if env is None else env
    explicit = env.get("SHEGONG_LANG", "").strip().lower()
    if explicit:
        return explicit if explicit in LANGUAGES else DEFAULT_LANGUAGE
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    _current = lang


def current_language() -> str:
    return _current


def translate(key: str, lang: str | None = None, /, **args: Any) -> str:
    """Render `key` in `lang`; a key missing from the catalog shows itself rather than crash."""
    _ensure_core()
    lang = lang or _current
    template = _catalogs.get(lang, {}).get(key)
    if template is None:
        template = _catalogs[DEFAULT_LANGUAGE].get(key, key)
    rendered_args = {k: _render_arg(v, lang) for k, v in args.items()}
    try:
        return template.format(**rendered_args)
    except (KeyError, IndexError, ValueError):
        return template


def _render_arg(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Message) for v in value):
        return "\n".join(v.render(lang) for v in value)
    return value


t = translate
