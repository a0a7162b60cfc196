"""`shegong new-plugin KEY`: a ready plugin package a jurisdiction's own team starts from.

The package it writes loads (its `pyproject.toml` registers the `shegong.jurisdictions` entry
point), passes the conformance kit and computes one rule (staffing, from two cited parameters),
so an author changes a working plugin instead of assembling one from the guide. Nothing is ever
overwritten: an existing target directory is refused before a file is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from string import Template

from core.errors import ValidationError
from core.i18n import msg

TEMPLATES = Path(__file__).parent / "templates"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")

# template file → where it goes in the package ({package} and {key} filled in)
LAYOUT = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("gitignore.tmpl", ".gitignore"),
    ("init.py.tmpl", "{package}/__init__.py"),
    ("plugin.py.tmpl", "{package}/plugin.py"),
    ("rules.py.tmpl", "{package}/rules.py"),
    ("params.toml.tmpl", "{package}/params.toml"),
    ("locale_zh.toml.tmpl", "{package}/locale/zh/{key}.toml"),
    ("locale_en.toml.tmpl", "{package}/locale/en/{key}.toml"),
    ("cases.toml.tmpl", "{package}/cases/staffing.toml"),
    ("test_conformance.py.tmpl", "tests/test_conformance.py"),
)


def check_key(key: str, installed: Iterable[str] = ()) -> str:
    """A key is lower-case ASCII words joined by dots (`mycity`, `mycity.east_district`); a dotted
    key extends the jurisdiction before its last dot, which must be installed."""
    if not KEY_PATTERN.match(key):
        raise ValidationError("key", msg("sdk.error.key", key=key))
    known = set(installed)
    if key in known:
        raise ValidationError("key", msg("sdk.error.key_taken", key=key))
    parent = parent_of(key)
    if parent is not None and parent not in known:
        raise ValidationError("key", msg("sdk.error.no_parent", key=key, parent=parent))
    return key


def parent_of(key: str) -> str | None:
    return key.rsplit(".", 1)[0] if "." in key else None


def package_name(key: str) -> str:
    return "shegong_" + key.replace(".", "_")


def distribution_name(key: str) -> str:
    return "shegong-" + key.replace(".", "-").replace("_", "-")


def default_directory(key: str) -> Path:
    return Path(distribution_name(key))


def create_plugin(key: str, target: Path, installed: Iterable[str] = ()) -> list[Path]:
    """Write the package for `key` into `target` (which must not exist); returns the files written."""
    check_key(key, installed)
    if target.exists():
        raise ValidationError("--dir", msg("sdk.error.exists", path=str(target)))
    package = package_name(key)
    parent = parent_of(key)
    values = {
        "key": key,
        "package": package,
        "distribution": distribution_name(key),
        "parent": "None" if parent is None else f'"{parent}"',
        "title_zh": f"{key}（请填写辖区名称）",
        "title_en": f"Jurisdiction {key}",
        "document": f"{package}_policy.txt",
        "document_zh": "（请填写政策文件标题）",
        "document_en": "(the title of your policy document)",
    }
    written: list[Path] = []
    for template, where in LAYOUT:
        text = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
        path = target / where.format(package=package, key=key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    typed = target / package / "py.typed"
    typed.write_text("", encoding="utf-8")
    written.append(typed)
    return written
