"""Every user-visible message key exists in both the Chinese and the English catalog."""

from __future__ import annotations

import ast
from pathlib import Path

from core.i18n import LANGUAGES, load_catalog_file

ROOT = Path(__file__).resolve().parents[2]
CALLS = {"msg", "t", "translate", "Message"}


def _catalogs() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for lang in LANGUAGES:
        for path in sorted(ROOT.glob(f"**/locale/{lang}/*.toml")):
            if ".venv" in path.parts:
                continue
            out[lang].update(load_catalog_file(path))
    return out


def _used_keys() -> dict[str, str]:
    """Literal first arguments of msg()/t()/translate()/Message() calls, with where they are."""
    used: dict[str, str] = {}
    for package in ("core", "plugins", "tui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else ""
                )
                first = node.args[0]
                is_literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                if name in CALLS and is_literal and first.value:
                    used.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return used


def test_every_used_key_is_in_every_catalog() -> None:
    catalogs = _catalogs()
    missing = [
        f"{where}: {key!r} missing in {lang}"
        for key, where in sorted(_used_keys().items())
        for lang in LANGUAGES
        if key not in catalogs[lang]
    ]
    assert missing == []


def test_catalogs_have_the_same_keys() -> None:
    catalogs = _catalogs()
    zh, en = set(catalogs["zh"]), set(catalogs["en"])
    assert sorted(zh - en) == [], "keys only in Chinese"
    assert sorted(en - zh) == [], "keys only in English"


def test_placeholders_agree_between_languages() -> None:
    import string

    catalogs = _catalogs()
    formatter = string.Formatter()
    bad = []
    for key, zh in catalogs["zh"].items():
        en = catalogs["en"].get(key)
        if en is None:
            continue
        zf = {f for _, f, _, _ in formatter.parse(zh) if f}
        ef = {f for _, f, _, _ in formatter.parse(en) if f}
        if zf != ef:
            bad.append(f"{key}: zh {sorted(zf)} vs en {sorted(ef)}")
    assert bad == []
