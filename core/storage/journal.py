"""The journal that makes a change to several files all-or-nothing.

Before touching any file, the writer records the complete intended new state of every document it
will change (or `null` for a removal) and what each was before, the generation it will publish
and its audit entries, in `journal.json` (written atomically and fsync'd). Then it applies each
file, bumps the generation in registry.json, appends the audit entries and removes the journal.
Every change goes this way, one file or several: a change and its audit entries are kept or
lost together. Whoever next takes the lock and finds a journal replays it: setting a document to
a given value and removing one are idempotent, audit entries already present (matched by the
transaction id) are not repeated, and if the entries cannot be written the change is taken back
(`undo`), since no change may stand without its entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from core.i18n import translate
from core.storage.files import CorruptFile, atomic_write, dumps, read_json, remove_durably

FORMAT = "shegong-journal"
Doc = dict[str, Any]


@attrs.frozen
class FileChange:
    path: str  # relative to the registry root, e.g. "workers/street-1a2b3c4d5e.json"
    kind: str  # the TinyDB table: "workers" or "communities"
    header: Doc  # header fields a new file needs (a shard's district and street)
    docs: dict[int, Doc | None]  # document id → new document, or None to remove it
    undo: dict[int, Doc | None] = attrs.field(factory=dict)  # the same ids before: to take it back


@attrs.frozen
class Journal:
    txn: str
    created_at: str
    user: str
    generation: int
    files: tuple[FileChange, ...]
    audit: tuple[Doc, ...]


def write_journal(path: Path, journal: Journal) -> None:
    data = {
        "format": FORMAT,
        "txn": journal.txn,
        "created_at": journal.created_at,
        "user": journal.user,
        "generation": journal.generation,
        "files": [
            {
                "path": f.path,
                "kind": f.kind,
                "header": f.header,
                "docs": {str(k): v for k, v in f.docs.items()},
                "undo": {str(k): v for k, v in f.undo.items()},
            }
            for f in journal.files
        ],
        "audit": list(journal.audit),
    }
    atomic_write(path, dumps(data))


def read_journal(path: Path) -> Journal | None:
    if not path.exists():
        return None
    raw = read_json(path)

    def wrong(detail: str) -> CorruptFile:
        return CorruptFile(path, translate("storage.corrupt.structure", detail=detail))

    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise wrong("not a shegong journal")
    try:
        files = tuple(
            FileChange(
                path=str(f["path"]),
                kind=str(f["kind"]),
                header=dict(f.get("header") or {}),
                docs={int(k): (dict(v) if v is not None else None) for k, v in f["docs"].items()},
                undo={int(k): (dict(v) if v is not None else None) for k, v in f.get("undo", {}).items()},
            )
            for f in raw["files"]
        )
        for f in files:
            if f.path.startswith("/") or ".." in Path(f.path).parts:
                raise wrong(f"file outside the registry: {f.path!r}")
        return Journal(
            txn=str(raw["txn"]),
            created_at=str(raw["created_at"]),
            user=str(raw["user"]),
            generation=int(raw["generation"]),
            files=files,
            audit=tuple(dict(a) for a in raw.get("audit", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise wrong(f"{type(exc).__name__}: {exc}") from None


def remove_journal(path: Path) -> None:
    remove_durably(path)
