"""Full copies of a registry in `backups/<UTC time>/`, made so that a half-made copy never shows.

Files are copied into `backups/.tmp-<time>-<pid>-<hex>/` and fsync'd, then the directory is renamed
into place in one step. A backup directory is itself a registry that `open_registry` can open.
`backup.json` in it says when, why and by whom it was made, and a fingerprint of the files it
copied, so opening can tell whether anything changed since the newest backup.

Two sets rotate apart, so that no one can purge the other's copies: automatic checkpoints (on
open when due, see `due`; before every migration, import and round close: `checkpoint`), which any
operator's import makes, and an admin's backups (`shegong backup`, and the copy a restore makes of
the state it replaces). After each backup only the newest `keep` of its own set are kept
(`backups_keep` in registry.json, else `DEFAULT_KEEP`), never the one just made. "Newest" is the
order of creation, a sequence number recorded in `backup.json`, never the clock: backups named by
a clock set wrong (in the future) would otherwise outlive every new one.

A restore is an audited event that rewrites no history: the audit trail is never restored (the
current one stays and gets a `restore` entry), the current `operators.toml` stays unless asked
for, a backup of another registry (another `registry_id`) is refused, and a restore cut short is
finished (or rolled back) by the next lock holder; until then no write is accepted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs
import orjson

from core.errors import RegistryWriteFailed, ShegongError
from core.i18n import msg, translate
from core.storage import faults
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
    read_json,
    remove_durably,
)
from core.storage.layout import Layout, now_iso, utc_stamp
from core.storage.lock import RegistryLock

INFO = "backup.json"
_TMP_PREFIX = ".tmp-"
DEFAULT_KEEP = 10
AUTOMATIC = "automatic"  # checkpoints core makes by itself; an operator's import makes them too
ADMIN = "admin"  # `shegong backup` and the copy before a restore: only an admin makes them
RESTORE_FORMAT = "shegong-restore"
# A backup on open is due when the registry changed since the newest backup and that one is
# older than this: a day's work is never more than an hour from a copy, and reopening the app all
# day long does not fill the disk.
OPEN_INTERVAL = dt.timedelta(hours=1)


@runtime_checkable
class Checkpoints(Protocol):
    """A repository that can copy itself (the on-disk registry; the in-memory one cannot)."""

    def checkpoint(self, reason: str) -> Path: ...


class RestoreUnfinished(ShegongError):
    """A restore was cut short and cannot be finished or rolled back yet: no write is accepted."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(msg("backup.error.restore_unfinished", path=path, reason=reason))


def checkpoint(repository: object, reason: str) -> Path | None:
    """Back up `repository` before a risky operation (import, round close), if it keeps backups.

    An automatic checkpoint: it rotates among the automatic ones, so an operator who may import
    can make it without being able to push an admin's backup out. A failed backup raises
    `RegistryWriteFailed`, so the risky operation is not started without one.
    """
    if isinstance(repository, Checkpoints):
        return repository.checkpoint(reason)
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
    seq: int = 0  # creation order; 0 for a backup made before backups were numbered
    pool: str = ADMIN  # AUTOMATIC or ADMIN; an unnumbered old one counts as an admin's
    registry_id: str = ""


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


def read_meta(layout: Layout) -> dict[str, Any]:
    """registry.json as a dict, or {} if it is missing or unreadable (a damaged registry)."""
    with contextlib.suppress(CorruptFile, OSError):
        loaded = parse_json(layout.meta, layout.meta.read_bytes())
        if isinstance(loaded, dict):
            return loaded
    return {}


def same_registry(current: dict[str, Any], copy: dict[str, Any]) -> bool:
    """Whether `copy` (a backup's registry.json) is of the registry `current` describes.

    By `registry_id` when both have one; a copy (or a registry) from before ids were given is
    told apart by when and by whom the registry was created, which `init` records to the
    microsecond.
    """
    mine, theirs = current.get("registry_id"), copy.get("registry_id")
    if isinstance(mine, str) and mine and isinstance(theirs, str) and theirs:
        return mine == theirs
    born = (current.get("created_at"), current.get("created_by"))
    return bool(born[0]) and born == (copy.get("created_at"), copy.get("created_by"))


def make_backup(
    layout: Layout,
    reason: str,
    user: str,
    schema: int | None,
    *,
    generation: int | None = None,
    pool: str = AUTOMATIC,
) -> Path:
    """Copy the registry; call while holding the registry lock. Raises `RegistryWriteFailed`.

    The copy gets the next sequence number (one more than any backup there), so it is the
    newest whatever the clock says.
    """
    seq = max((b.seq for b in list_backups(layout)), default=0) + 1
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
            "seq": seq,
            "pool": pool,
            "registry_id": str(read_meta(layout).get("registry_id") or ""),
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
    """Finished backups, newest (last made) first."""
    if not layout.backups.is_dir():
        return []
    out: list[BackupInfo] = []
    for p in layout.backups.iterdir():
        if p.name.startswith(".") or not p.is_dir():
            continue
        at, reason, user, schema, mark, seq, pool, rid = "", "", "", None, "", 0, ADMIN, ""
        try:
            info = orjson.loads((p / INFO).read_bytes())
            if isinstance(info, dict):
                at = str(info.get("at", ""))
                reason = str(info.get("reason", ""))
                user = str(info.get("user", ""))
                raw_schema = info.get("schema")
                schema = raw_schema if isinstance(raw_schema, int) else None
                mark = str(info.get("fingerprint") or "")
                raw_seq = info.get("seq")
                seq = raw_seq if isinstance(raw_seq, int) and not isinstance(raw_seq, bool) else 0
                pool = AUTOMATIC if info.get("pool") == AUTOMATIC and seq > 0 else ADMIN
                rid = str(info.get("registry_id") or "")
        except (OSError, orjson.JSONDecodeError):
            pass
        out.append(BackupInfo(p, p.name, at, reason, user, schema, mark, seq, pool, rid))
    out.sort(key=lambda b: (b.seq, b.name), reverse=True)
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


def prune_backups(
    layout: Layout, keep: int, *, pool: str = AUTOMATIC, spare: Iterable[str] = ()
) -> list[Path]:
    """Delete all but the newest `keep` backups of `pool` (call while holding the lock); returns
    what went. The backups named in `spare` (the one just made, the one being restored) stay
    whatever their place: a backup reported as made is never the one deleted.

    Each goes in two steps: renamed to a temp name (one atomic step: it stops being a backup),
    then deleted. Deleting a finished backup file by file would leave, if the process were
    killed part way, a backup without some of its files (its communities.json, say) that
    `list_backups` still offers; a temp folder left instead is tidied up like a half-made copy.
    """
    removed: list[Path] = []
    doomed: list[Path] = []
    kept = set(spare)
    ours = [b for b in list_backups(layout) if b.pool == pool]
    for old in [b for b in ours[max(keep, 1) :] if b.name not in kept]:
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
    # A newest backup dated in the future was made by a clock set wrong: how old it is is unknown.
    return made > moment or moment - made >= OPEN_INTERVAL


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


def restore_backup(layout: Layout, name: str, user: str, *, with_operators: bool = False) -> Restored:
    """Put the files of backup `name` back in place of the registry's, as one audited event.

    Refused with `RegistryBusy` at once if another process holds the lock (it may be writing),
    with `BackupUnusable` if the backup is missing, would bring back damaged files or is a copy of
    another registry. First the current state is backed up (so a restore can itself be undone).
    The audit trail is never restored: the current one stays and gets a `restore` entry. The
    current `operators.toml` stays unless `with_operators`. The id counter never goes back, so ids
    given out since the backup are not given again.

    `restore.json`, written before the first file is replaced, holds all the restore needs; if
    the restore is cut short, the next lock holder finishes it (`finish_restore`), and a restore
    started over one cut short finishes that one first.
    """
    chosen = find_backup(layout, name)
    if chosen is None:
        raise BackupUnusable(name, translate("backup.restore.no_such"))
    bad = check_backup_files(chosen.path)
    if bad:
        first = bad[0]
        raise BackupUnusable(str(chosen.path), f"{first.file}: {first.text()}")
    with RegistryLock(layout.lock).hold(timeout=0.0):
        with contextlib.suppress(RestoreUnfinished):  # a full restore replaces a mixed state anyway
            finish_restore(layout, user)
        current = read_meta(layout)
        copy = read_meta(Layout(chosen.path))
        if current and not same_registry(current, copy):
            raise BackupUnusable(str(chosen.path), translate("backup.restore.other_registry"))
        schema = current.get("schema") if isinstance(current.get("schema"), int) else None
        safety = make_backup(
            layout,
            translate("backup.reason.before_restore", name=chosen.name),
            user,
            schema,
            pool=ADMIN,
        )
        with contextlib.suppress(OSError):
            prune_backups(layout, keep_of(current), pool=ADMIN, spare=(chosen.name, safety.name))
        plan: dict[str, Any] = {
            "format": RESTORE_FORMAT,
            "txn": secrets.token_hex(8),
            "backup": chosen.name,
            "safety": safety.name,
            "user": user,
            "at": now_iso(),
            "with_operators": with_operators,
            "next_worker_id": _whole(current.get("next_worker_id")),
            "generation": max(_whole(copy.get("generation")), _whole(current.get("generation"))) + 1,
            "registry_id": str(current.get("registry_id") or copy.get("registry_id") or ""),
        }
        marker = layout.root / RESTORE_MARKER
        atomic_write(marker, dumps(plan))
        written, removed = _apply(layout, plan, chosen.path, with_operators=with_operators)
        _audit_restore(layout, plan, chosen.name, _restored_note(plan, chosen.name))
        remove_durably(marker)
    return Restored(chosen, safety, written, removed)


def finish_restore(layout: Layout, user: str) -> bool:
    """Finish a restore cut short (its `restore.json` is there); call while holding the lock.

    Done again from the start (each file is written whole, so doing it twice is harmless) from
    the backup it named; if that is gone or damaged, the state it replaced is put back from the
    copy made just before. Returns whether there was one; raises `RestoreUnfinished` if neither
    copy can be used: the registry is then a mix and must not be written to.
    """
    marker = layout.root / RESTORE_MARKER
    if not marker.exists():
        return False
    try:
        plan = read_json(marker)
        if not isinstance(plan, dict) or plan.get("format") != RESTORE_FORMAT:
            raise CorruptFile(marker, translate("backup.restore.not_marker"))
        backup, safety = _plain(plan.get("backup")), _plain(plan.get("safety"))
    except CorruptFile as exc:
        raise RestoreUnfinished(str(marker), exc.reason) from None
    except ValueError as exc:
        raise RestoreUnfinished(str(marker), translate("backup.restore.not_marker")) from exc
    if _usable(layout.backups / backup):
        _apply(layout, plan, layout.backups / backup, with_operators=plan.get("with_operators") is True)
        note = translate("backup.note.finished", note=_restored_note(plan, backup), user=user)
        _audit_restore(layout, plan, backup, note)
    elif _usable(layout.backups / safety):
        _apply(layout, plan, layout.backups / safety, with_operators=True)
        note = translate("backup.note.rolled_back", name=backup, safety=safety, user=user)
        _audit_restore(layout, plan, safety, note)
    else:
        raise RestoreUnfinished(
            str(marker), translate("backup.restore.cannot_finish", name=backup, safety=safety)
        )
    remove_durably(marker)
    return True


def _plain(value: object) -> str:
    """A backup's directory name from the marker: one plain name inside backups/, nothing else."""
    name = str(value or "")
    if not name or name != Path(name).name or name.startswith("."):
        raise ValueError(name)
    return name


def _usable(path: Path) -> bool:
    return path.is_dir() and (path / "registry.json").is_file() and not check_backup_files(path)


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _apply(
    layout: Layout, plan: dict[str, Any], source: Path, *, with_operators: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Replace the registry's data files by `source`'s, registry.json last; the audit trail (and,
    unless `with_operators`, operators.toml) untouched. Returns (written, removed).

    A journal in `source` (a copy made while a change was unfinished) comes back with it, so the
    next open finishes that change on the restored files; the registry's own goes.
    """
    source_layout = Layout(source)
    kept_apart = set() if with_operators else {source_layout.operators}
    wanted = {
        source_layout.relative(p): p
        for p in data_files(source_layout)
        if p not in kept_apart and p.parent != source_layout.audit
    }
    meta_rel = layout.relative(layout.meta)
    written: list[str] = []
    for rel, src in sorted(wanted.items(), key=lambda item: item[0] == meta_rel):
        target = layout.root / rel
        data = src.read_bytes()
        if rel == meta_rel:
            meta = parse_json(src, data)
            meta["next_worker_id"] = max(
                _whole(meta.get("next_worker_id")), _whole(plan.get("next_worker_id"))
            )
            meta["generation"] = _whole(plan.get("generation"))
            if plan.get("registry_id"):
                meta["registry_id"] = str(plan["registry_id"])
            data = dumps(meta, pretty=True)
        make_dir(target.parent, parents=True)
        faults.point("restore_file", target)
        atomic_write(target, data)
        written.append(rel)
    removed: list[str] = []
    for path in data_files(layout):
        rel = layout.relative(path)
        if rel in wanted or path.parent == layout.audit or (path == layout.operators and not with_operators):
            continue
        remove_durably(path)
        removed.append(rel)
    remove_durably(layout.index)  # a cache of the replaced shards
    return tuple(written), tuple(removed)


def _restored_note(plan: dict[str, Any], name: str) -> str:
    note = translate("backup.note.restored", name=name, safety=plan.get("safety", ""))
    if plan.get("with_operators") is True:
        note += translate("backup.note.with_operators")
    return note


def _audit_restore(layout: Layout, plan: dict[str, Any], key: str, note: str) -> None:
    """The restore's entry in the trail, once: a restore finished again finds it there."""
    txn = str(plan.get("txn") or "")
    log = AuditLog(layout.audit)
    made = entry(
        at=str(plan.get("at") or now_iso()),  # the same month file when finished later
        user=str(plan.get("user") or ""),
        action="restore",
        kind="registry",
        key=key,
        revision=_whole(plan.get("generation")),
        note=note,
        txn=txn,
    )
    if txn and ("restore", "registry", key) in log.present(txn, [made]):
        return
    log.append([made])
