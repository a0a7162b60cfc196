"""Full copies of a registry in `backups/<UTC time>/`, made so that a half-made copy never shows.

Files are copied into `backups/.tmp-<time>-<pid>-<hex>/` and fsync'd, then the directory is renamed
into place in one step. A backup directory is itself a registry that `open_registry` can open.
`backup.json` in it says when, why and by whom it was made.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import attrs
import orjson

from core.errors import RegistryWriteFailed
from core.storage.files import CorruptFile, describe, fsync_dir, is_temp_name
from core.storage.layout import Layout, now_iso, utc_stamp

INFO = "backup.json"
_TMP_PREFIX = ".tmp-"


@attrs.frozen
class BackupInfo:
    path: Path
    name: str
    at: str
    reason: str
    user: str
    schema: int | None


def _copy_durably(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, dst.open("wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


def _files_to_copy(layout: Layout) -> list[Path]:
    out: list[Path] = []
    for single in (layout.meta, layout.communities, layout.params):
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


def make_backup(layout: Layout, reason: str, user: str, schema: int | None) -> Path:
    """Copy the registry; call while holding the registry lock. Raises `RegistryWriteFailed`."""
    layout.backups.mkdir(exist_ok=True)
    stamp = utc_stamp()
    tmp = layout.backups / f"{_TMP_PREFIX}{stamp}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        tmp.mkdir()
        for src in _files_to_copy(layout):
            dst = tmp / layout.relative(src)
            if dst.parent != tmp and not dst.parent.exists():
                dst.parent.mkdir(parents=True)
            _copy_durably(src, dst)
        info = {"at": now_iso(), "reason": reason, "user": user, "schema": schema}
        with (tmp / INFO).open("wb") as f:
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
        at, reason, user, schema = "", "", "", None
        try:
            info = orjson.loads((p / INFO).read_bytes())
            if isinstance(info, dict):
                at = str(info.get("at", ""))
                reason = str(info.get("reason", ""))
                user = str(info.get("user", ""))
                raw_schema = info.get("schema")
                schema = raw_schema if isinstance(raw_schema, int) else None
        except (OSError, orjson.JSONDecodeError):
            pass
        out.append(BackupInfo(p, p.name, at, reason, user, schema))
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
