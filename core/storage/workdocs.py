"""Documents that workflows keep (payroll runs, assessment rounds): `documents/<kind>/<key>.json`.

Each is one JSON file holding `{"kind", "key", "data"}`, replaced atomically under the registry
lock. File names are the percent-encoded key, so any key (Chinese street names, `@`, `/`, `:`)
maps to a safe, reversible name; a key too long for a file name is stored under its hash.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from core.i18n import translate
from core.storage.files import CorruptFile, atomic_write, dumps, is_temp_name, make_dir, read_json
from core.storage.layout import Layout

_HASHED = "h-"
_MAX_NAME = 180


def _encode(text: str) -> str:
    name = quote(text, safe="")
    return "%2E" + name[1:] if name.startswith(".") else name


def kind_dir(layout: Layout, kind: str) -> Path:
    return layout.documents / _encode(kind)


def path_for(layout: Layout, kind: str, key: str) -> Path:
    name = _encode(key)
    if len(name) > _MAX_NAME or name.startswith(_HASHED):
        name = _HASHED + hashlib.sha256(key.encode()).hexdigest()
    return kind_dir(layout, kind) / f"{name}.json"


def save(layout: Layout, kind: str, key: str, data: Any) -> bool:
    """Write the document; returns True if it replaced an existing one."""
    path = path_for(layout, kind, key)
    existed = path.exists()
    make_dir(path.parent, parents=True)
    atomic_write(path, dumps({"kind": kind, "key": key, "data": data}))
    return existed


def load(layout: Layout, kind: str, key: str) -> Any | None:
    path = path_for(layout, kind, key)
    if not path.exists():
        return None
    raw = read_json(path)
    if not isinstance(raw, dict) or raw.get("kind") != kind or raw.get("key") != key or "data" not in raw:
        detail = f"expected a document {kind!r}/{key!r}"
        raise CorruptFile(path, translate("storage.corrupt.structure", detail=detail))
    return raw["data"]


def keys(layout: Layout, kind: str) -> list[str]:
    folder = kind_dir(layout, kind)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    out: list[str] = []
    for name in names:
        if not name.endswith(".json") or is_temp_name(name) or name.startswith("."):
            continue
        stem = name[: -len(".json")]
        if stem.startswith(_HASHED):
            raw = read_json(folder / name)
            if isinstance(raw, dict) and isinstance(raw.get("key"), str):
                out.append(raw["key"])
        else:
            out.append(unquote(stem))
    return sorted(out)
