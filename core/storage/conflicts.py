"""Versions refused because someone else saved first, kept in `conflicts/` so no edit is lost.

One JSON file per refusal, named `<kind>-<key>-<UTC time>-<user>.json`, holding the operator's
version ("yours"), the stored one that won ("theirs"), the revision the operator had loaded and
who saved the winning version when.

The folder is pruned with the backups (`prune_conflicts`): the newest `conflicts_keep` files
(registry.json, else `DEFAULT_KEEP`) stay. Nothing is lost with an older one: the audit trail's
`refused` entry holds both versions too.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import attrs

from core.convert import structure
from core.i18n import translate
from core.model import Community, Worker
from core.storage.files import CorruptFile, atomic_write, dumps, make_dir, read_json
from core.storage.layout import Layout, safe_name, utc_stamp

DEFAULT_KEEP = 200


@attrs.frozen
class ConflictRecord:
    path: Path
    kind: str
    key: str
    user: str
    at: str
    yours: Any
    theirs: Any
    your_revision: int
    their_revision: int
    changed_by: str
    changed_at: str

    def yours_as_model(self) -> Worker | Community | None:
        """The refused version as a model value (checked), ready to be re-applied; None for a delete."""
        if not isinstance(self.yours, dict):
            return None
        cls: type[Worker] | type[Community] = Worker if self.kind == "worker" else Community
        return structure(self.yours, cls, where=str(self.path))


def save_conflict(
    layout: Layout,
    *,
    kind: str,
    key: str,
    user: str,
    at: str,
    yours: Any,
    theirs: Any,
    your_revision: int,
    their_revision: int,
    changed_by: str,
    changed_at: str,
) -> Path:
    make_dir(layout.conflicts)
    path = layout.conflicts / f"{kind}-{safe_name(key)}-{utc_stamp()}-{safe_name(user)}.json"
    data = {
        "kind": kind,
        "key": key,
        "user": user,
        "at": at,
        "your_revision": your_revision,
        "their_revision": their_revision,
        "changed_by": changed_by,
        "changed_at": changed_at,
        "yours": yours,
        "theirs": theirs,
    }
    atomic_write(path, dumps(data, pretty=True))
    return path


def list_conflicts(layout: Layout) -> list[Path]:
    if not layout.conflicts.is_dir():
        return []
    return sorted(p for p in layout.conflicts.iterdir() if p.suffix == ".json" and not p.name.startswith("."))


def load_conflict(path: Path) -> ConflictRecord:
    raw = read_json(path)
    try:
        return ConflictRecord(
            path=path,
            kind=str(raw["kind"]),
            key=str(raw["key"]),
            user=str(raw["user"]),
            at=str(raw["at"]),
            yours=raw["yours"],
            theirs=raw.get("theirs"),
            your_revision=int(raw["your_revision"]),
            their_revision=int(raw["their_revision"]),
            changed_by=str(raw["changed_by"]),
            changed_at=str(raw["changed_at"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"{type(exc).__name__}: {exc}"
        raise CorruptFile(path, translate("storage.corrupt.structure", detail=detail)) from None


def conflicts_keep_of(meta: dict[str, object]) -> int:
    """How many refused versions to keep: `conflicts_keep` in registry.json (at least 1)."""
    value = meta.get("conflicts_keep")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return DEFAULT_KEEP


def prune_conflicts(layout: Layout, keep: int) -> list[Path]:
    """Delete all but the newest `keep` refused versions (call while holding the lock); never
    raises OSError: a folder that cannot be tidied is no reason to fail a backup.

    Newest by when the file was written (its modification time, then its name): a file is
    written once, when the save is refused, and never changed.
    """
    found: list[tuple[int, str, Path]] = []
    try:
        names = list_conflicts(layout)
    except OSError:
        return []
    for path in names:
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime_ns, path.name, path))
    found.sort(reverse=True)
    removed: list[Path] = []
    for _, _, path in found[max(keep, 1) :]:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
