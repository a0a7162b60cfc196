"""Every text the TUI shows has a Chinese and an English entry; every key binding is described."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import string
from pathlib import Path

import attrs
from textual.binding import Binding

import tui
from core.i18n import load_catalog_file
from core.model import CertificateKind, Worker
from tui.bindings import DESCRIPTION_PREFIX, TOOLTIP_PREFIX
from tui.labels import ENUM_PREFIXES
from tui.screens.worker_detail import ACTIONS, TABS

ROOT = Path(__file__).resolve().parents[2]
TUI = ROOT / "tui"
KEY = re.compile(r"^ui(\.[a-z0-9_]+)+$")
PREFIXES = {"ui.enum.certificate"}  # constants that are key prefixes, completed in code


def _catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((TUI / "locale" / lang).glob("*.toml")):
        out.update(load_catalog_file(path))
    return out


def _sources() -> list[Path]:
    return [p for p in sorted(TUI.rglob("*.py")) if "cli" not in p.relative_to(TUI).parts]


def _literal_keys() -> dict[str, str]:
    """Every string constant in the TUI's code that is a whole `ui.*` key, with where it is."""
    found: dict[str, str] = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and KEY.match(node.value)
                and node.value not in PREFIXES
            ):
                found.setdefault(node.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _column_keys() -> set[str]:
    """`c("name", …)` in the worker screen's column table names `ui.worker.col.<name>`."""
    tree = ast.parse((TUI / "screens" / "worker_detail.py").read_text(encoding="utf-8"))
    return {
        f"ui.worker.col.{node.args[0].value!s}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "c"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def _bindings() -> list[tuple[str, Binding]]:
    out: list[tuple[str, Binding]] = []
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        if info.name.startswith("tui.cli"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), f"{cls.__name__}: use tui.bindings.key()"
                out.append((f"{cls.__module__}.{cls.__name__}", binding))
    return out


def _dynamic_keys() -> set[str]:
    """Keys the code builds from a prefix and a value; each value it can meet is listed here."""
    keys = {f"ui.worker.tab.{tab}" for tab in TABS}
    keys |= {f"ui.worker.action.{a}" for a in ACTIONS}
    keys |= {f"ui.dash.due.{kind}" for kind in ("retirement", "contract", "probation")}
    keys |= {f"ui.enum.{prefix}.{value.value}" for enum, prefix in ENUM_PREFIXES.items() for value in enum}
    keys |= {f"ui.enum.certificate.{kind.value}" for kind in CertificateKind}
    keys |= {f"ui.field.{field.name}" for field in attrs.fields(Worker)}
    keys |= _column_keys()
    for _, binding in _bindings():
        keys |= {binding.description, binding.tooltip}
    return keys


def test_every_key_the_tui_uses_is_in_both_catalogs() -> None:
    """Literal keys, keys built from known values, and binding texts: all in zh and in en."""
    zh, en = _catalog("zh"), _catalog("en")
    used = {**dict.fromkeys(_dynamic_keys(), "built in code"), **_literal_keys()}
    missing = [
        f"{where}: {key} missing in {lang}"
        for key, where in sorted(used.items())
        for lang, cat in (("zh", zh), ("en", en))
        if key not in cat
    ]
    assert missing == []


def test_the_two_catalogs_have_the_same_keys_and_placeholders() -> None:
    """Nothing only in one language, and the same {placeholders} on both sides."""
    zh, en = _catalog("zh"), _catalog("en")
    assert sorted(set(zh) ^ set(en)) == []
    formatter = string.Formatter()
    differ = [
        key
        for key in zh
        if {f for _, f, _, _ in formatter.parse(zh[key]) if f}
        != {f for _, f, _, _ in formatter.parse(en[key]) if f}
    ]
    assert differ == []


def test_catalog_keys_are_prefixed_ui() -> None:
    """The TUI's catalogs only hold `ui.*` keys, so they never shadow core's or a plugin's."""
    assert [k for k in _catalog("zh") if not k.startswith("ui.")] == []


def test_every_binding_has_an_id_a_description_and_a_tooltip() -> None:
    """Each Binding the TUI declares has an id and catalog keys for its description and tooltip."""
    bindings = _bindings()
    assert len(bindings) > 20
    bad = [
        f"{owner}: {b.key}"
        for owner, b in bindings
        if not b.id
        or not b.description.startswith(DESCRIPTION_PREFIX)
        or not b.tooltip.startswith(TOOLTIP_PREFIX)
    ]
    assert bad == []
