"""Full copies of a registry in `backups/<UTC time>/`, made so that a half-made copy never shows.

Files are copied into `backups/.tmp-<time>-<pid>-<hex>/` and fsync'd, then the directory is renamed
into place in one step. A backup directory is itself a registry that `open_registry` can open.
`backup.json` in it says when, why and by whom it was made, and a fingerprint of the files it
copied, so opening can tell whether anything changed since the newest backup.

The set rotates: after each backup only the newest `keep` are kept (`backups_keep` in
registry.json, else `DEFAULT_KEEP`). Backups are made on open (when due, see `due`), before every
migration, import, round close and restore (`checkpoint`), and by `shegong backup`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs
import orjson

from core.errors import RegistryWriteFailed
from core.i18n import translate
from core.storage.audit import AuditLog, entry
from core.storage.check import RESTORE_MARKER, check_backup_files
from core.storage.errors import BackupUnusable
from core.storage.files import (
    CorruptFile,
    atomic_write,
    create_private,
    describe,
    dumps,
    fsync_dir,
    is_temp_name,
    make_dir,
    parse_json,
    remove_durably,
)
from core.storage.layout import Layout, now_iso, utc_stamp
from core.storage.lock import RegistryLock

INFO = "backup.json"
_TMP_PREFIX = ".tmp-"
DEFAULT_KEEP = 10
# A backup on open is due when the registry changed since the newest backup and that one is
# older than this: a day's work is never more than an hour from a copy, and reopening the app all
# day long does not fill the disk.
OPEN_INTERVAL = dt.timedelta(hours=1)


@runtime_checkable
class BacksUp(Protocol):
    """A repository that can copy itself (the on-disk registry; the in-memory one cannot)."""

    def backup(self, reason: str) -> Path: ...


def checkpoint(repository: object, reason: str) -> Path | None:
    """Back up `repository` before a risky operation (import, round close), if it keeps backups.

    A failed backup raises `RegistryWriteFailed`, so the risky operation is not started without one.
    """
    if isinstance(repository, BacksUp):
        return repository.backup(reason)
    return None


@attrs.frozen
class BackupInfo:
    path: Path
    name: str
    at: str
    reason: str
    user: str
    schema: int | None
    fingerprint: str = ""


def _copy_durably(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, os.fdopen(create_private(dst, os.O_WRONLY | os.O_TRUNC), "wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


def data_files(layout: Layout) -> list[Path]:
    """Every file a backup copies and a restore puts back (the index cache and conflicts aside)."""
    out: list[Path] = []
    for single in (layout.meta, layout.communities, layout.params, layout.operators, layout.journal):
        if single.is_file():
            out.append(single)
    folders = [(layout.workers, ".json"), (layout.audit, ".jsonl")]
    folders += [(d, ".json") for d in layout.document_dirs()]
    for folder, suffix in folders:
        if folder.is_dir():
            out.extend(
                sorted(p for p in folder.iterdir() if p.name.endswith(suffix) and not is_temp_name(p.name))
            )
    return out


def fingerprint(layout: Layout) -> str:
    """A digest of every data file's name, size and modification time: equal means unchanged.

    Files are never rewritten in place (see `files`), so a change always shows in size or mtime.
    The audit trail is left out: every backup appends to it, and a backup alone is no change.
    """
    digest = hashlib.sha256()
    for path in data_files(layout):
        if path.parent == layout.audit:
            continue
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        digest.update(f"{layout.relative(path)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def make_backup(
    layout: Layout, reason: str, user: str, schema: int | None, *, generation: int | None = None
) -> Path:
    """Copy the registry; call while holding the registry lock. Raises `RegistryWriteFailed`."""
    stamp = utc_stamp()
    tmp = layout.backups / f"{_TMP_PREFIX}{stamp}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        make_dir(layout.backups)
        make_dir(tmp)
        for src in data_files(layout):
            dst = tmp / layout.relative(src)
            if dst.parent != tmp:
                make_dir(dst.parent, parents=True)
            _copy_durably(src, dst)
        info = {
            "at": now_iso(),
            "reason": reason,
            "user": user,
            "schema": schema,
            "generation": generation,
            "fingerprint": fingerprint(layout),
        }
        with os.fdopen(create_private(tmp / INFO, os.O_WRONLY | os.O_TRUNC), "wb") as f:
            f.write(orjson.dumps(info, option=orjson.OPT_INDENT_2))
            f.flush()
            os.fsync(f.fileno())
        for sub in sorted({p.parent for p in tmp.rglob("*")}, key=lambda p: len(p.parts), reverse=True):
            if sub != tmp:
                fsync_dir(sub)
        fsync_dir(tmp)
        final = layout.backups / stamp
        suffix = 1
        while final.exists():
            suffix += 1
            final = layout.backups / f"{stamp}-{suffix}"
        os.rename(tmp, final)
        fsync_dir(layout.backups)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RegistryWriteFailed(str(tmp), describe(exc)) from exc
    return final


def remove_stale_backup_temps(layout: Layout) -> None:
    """Delete half-made copies left by a killed process; call while holding the lock."""
    if not layout.backups.is_dir():
        return
    for p in layout.backups.iterdir():
        if p.name.startswith(_TMP_PREFIX) and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def list_backups(layout: Layout) -> list[BackupInfo]:
    """Finished backups, newest first."""
    if not layout.backups.is_dir():
        return []
    out: list[BackupInfo] = []
    for p in layout.backups.iterdir():
        if p.name.startswith(".") or not p.is_dir():
            continue
        at, reason, user, schema, mark = "", "", "", None, ""
        try:
            info = orjson.loads((p / INFO).read_bytes())
            if isinstance(info, dict):
                at = str(info.get("at", ""))
                reason = str(info.get("reason", ""))
                user = str(info.get("user", ""))
                raw_schema = info.get("schema")
                schema = raw_schema if isinstance(raw_schema, int) else None
                mark = str(info.get("fingerprint") or "")
        except (OSError, orjson.JSONDecodeError):
            pass
        out.append(BackupInfo(p, p.name, at, reason, user, schema, mark))
    out.sort(key=lambda b: b.name, reverse=True)
    return out


def newest_good_backup(layout: Layout, path: Path, check: Callable[[Path], object]) -> Path | None:
    """The newest backup whose copy of `path` passes `check` (which raises `CorruptFile` if not)."""
    try:
        relative = layout.relative(path)
    except ValueError:
        return None
    for backup in list_backups(layout):
        copy = backup.path / relative
        if not copy.is_file():
            continue
        try:
            check(copy)
        except (CorruptFile, OSError):
            continue
        return backup.path
    return None


def keep_of(meta: dict[str, object]) -> int:
    """How many backups to keep: `backups_keep` in registry.json (at least 1), else `DEFAULT_KEEP`."""
    value = meta.get("backups_keep")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return DEFAULT_KEEP


def prune_backups(layout: Layout, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (call while holding the lock); returns what went.

    Each goes in two steps: renamed to a temp name (one atomic step: it stops being a backup),
    then deleted. Deleting a finished backup file by file would leave, if the process were
    killed part way, a backup without some of its files (its communities.json, say) that
    `list_backups` still offers; a temp folder left instead is tidied up like a half-made copy.
    """
    removed: list[Path] = []
    doomed: list[Path] = []
    for old in list_backups(layout)[max(keep, 1) :]:
        gone = layout.backups / f"{_TMP_PREFIX}pruned-{old.name}-{os.getpid()}-{secrets.token_hex(4)}"
        os.rename(old.path, gone)
        doomed.append(gone)
        removed.append(old.path)
    if removed:
        fsync_dir(layout.backups)
    for gone in doomed:
        shutil.rmtree(gone, ignore_errors=True)
    return removed


def due(layout: Layout, moment: dt.datetime | None = None) -> bool:
    """Whether opening should make a backup: none yet, or the registry changed since the newest
    one and that one is older than `OPEN_INTERVAL`."""
    backups = list_backups(layout)
    if not backups:
        return True
    newest = backups[0]
    if newest.fingerprint == fingerprint(layout):
        return False
    try:
        made = dt.datetime.fromisoformat(newest.at)
    except ValueError:
        return True
    moment = moment or dt.datetime.now(dt.UTC)
    if made.tzinfo is None:
        made = made.astimezone()
    return moment - made >= OPEN_INTERVAL


def find_backup(layout: Layout, name: str) -> BackupInfo | None:
    """A finished backup by its directory name (or its path)."""
    wanted = Path(name).name
    return next((b for b in list_backups(layout) if b.name == wanted), None)


@attrs.frozen
class Restored:
    backup: BackupInfo
    safety: Path  # the backup of the state that was replaced
    written: tuple[str, ...]
    removed: tuple[str, ...]


def restore_backup(layout: Layout, name: str, user: str) -> Restored:
    """Put the files of backup `name` back in place of the registry's.

    Refused with `RegistryBusy` at once if another process holds the lock (it may be writing),
    with `BackupUnusable` if the backup is missing or would bring back damaged files. First the
    current state is backed up (so a restore can itself be undone). The audit trail is kept, not
    rolled back, and gets a `restore` entry; the id counter never goes back, so ids given out since
    the backup are not given again. Each file is replaced atomically; `restore.json` marks the
    time in between, so a restore cut short is reported by `shegong check` and can be run again.
    """
    chosen = find_backup(layout, name)
    if chosen is None:
        raise BackupUnusable(name, translate("backup.restore.no_such"))
    bad = check_backup_files(chosen.path)
    if bad:
        first = bad[0]
        raise BackupUnusable(str(chosen.path), f"{first.file}: {first.text()}")
    with RegistryLock(layout.lock).hold(timeout=0.0):
        current: dict[str, Any] = {}
        with contextlib.suppress(CorruptFile, OSError):
            loaded = parse_json(layout.meta, layout.meta.read_bytes())
            current = loaded if isinstance(loaded, dict) else {}
        schema = current.get("schema") if isinstance(current.get("schema"), int) else None
        safety = make_backup(
            layout, translate("backup.reason.before_restore", name=chosen.name), user, schema
        )
        marker = layout.root / RESTORE_MARKER
        atomic_write(
            marker, dumps({"backup": chosen.name, "safety": safety.name, "user": user, "at": now_iso()})
        )
        backup_layout = Layout(chosen.path)
        wanted = {
            backup_layout.relative(p): p for p in data_files(backup_layout) if p != backup_layout.journal
        }
        written: list[str] = []
        for rel, src in sorted(wanted.items(), key=lambda item: item[0] == layout.relative(layout.meta)):
            target = layout.root / rel
            data = src.read_bytes()
            if rel == layout.relative(layout.meta):
                meta = parse_json(src, data)
                meta["next_worker_id"] = max(
                    int(meta["next_worker_id"]), int(current.get("next_worker_id", 0) or 0)
                )
                meta["generation"] = max(int(meta["generation"]), int(current.get("generation", 0) or 0)) + 1
                data = dumps(meta, pretty=True)
            make_dir(target.parent, parents=True)
            atomic_write(target, data)
            written.append(rel)
        removed: list[str] = []
        for path in data_files(layout):
            rel = layout.relative(path)
            if rel not in wanted and not rel.startswith(layout.relative(layout.audit) + "/"):
                remove_durably(path)
                removed.append(rel)
        remove_durably(layout.index)  # a cache of the replaced shards
        generation = meta_generation(layout)
        AuditLog(layout.audit).append(
            [
                entry(
                    at=now_iso(),
                    user=user,
                    action="restore",
                    kind="registry",
                    key=chosen.name,
                    revision=generation,
                    note=translate("backup.note.restored", name=chosen.name, safety=safety.name),
                )
            ]
        )
        remove_durably(marker)
    return Restored(chosen, safety, tuple(written), tuple(removed))


def meta_generation(layout: Layout) -> int:
    try:
        raw = orjson.loads(layout.meta.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return 0
    value = raw.get("generation") if isinstance(raw, dict) else None
    return value if isinstance(value, int) else 0
