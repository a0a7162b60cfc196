"""The append-only audit trail: `audit/<YYYY-MM>.jsonl`, one JSON object per line, fsync'd.

It fails closed: a change whose entry cannot be appended is taken back and refused
(`audit_not_written`), and each entry records the login and the real uid that made it.

Each append is one `O_APPEND` write of whole lines, so processes need no lock to append. A crash
mid-append can leave a torn last line; the next append starts on a fresh line and readers skip any
line that is not a complete JSON object, so a torn line costs that one entry and nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from core.errors import RegistryWriteFailed
from core.i18n import translate
from core.repository import Change
from core.storage import faults
from core.storage.files import create_private, describe, fsync_dir, jsonable, make_dir

Entry = dict[str, Any]


def entry(
    *,
    at: str,
    user: str,
    uid: int | None = None,
    action: str,
    kind: str,
    key: str,
    revision: int,
    before: Any = None,
    after: Any = None,
    note: str = "",
    txn: str = "",
) -> Entry:
    out: Entry = {
        "at": at,
        "user": user,
        "uid": uid,
        "action": action,
        "kind": kind,
        "key": key,
        "revision": revision,
        "before": before,
        "after": after,
        "note": note,
    }
    if txn:
        out["txn"] = txn
    return out


class AuditNotWritten(RegistryWriteFailed):
    """A change refused because its audit entry could not be written; `cause` says why (the
    registry is as it was, since no change may stand without its entry)."""

    def __init__(self, path: str, cause: str) -> None:
        self.cause = cause
        super().__init__(path, translate("storage.audit.refused", reason=cause))


def audit_not_written(exc: RegistryWriteFailed) -> AuditNotWritten:
    return AuditNotWritten(exc.path, exc.cause if isinstance(exc, AuditNotWritten) else exc.reason)


def _parse_time(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment


class AuditLog:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, at: str) -> Path:
        return self.directory / f"{_parse_time(at):%Y-%m}.jsonl"

    def files(self) -> list[Path]:
        try:
            names = sorted(n for n in os.listdir(self.directory) if n.endswith(".jsonl"))
        except FileNotFoundError:
            return []
        return [self.directory / n for n in names]

    def append(self, entries: Iterable[Entry]) -> None:
        """Append durably; raises `RegistryWriteFailed` (the entries may then be partly written)."""
        groups: dict[Path, list[bytes]] = defaultdict(list)
        for item in entries:
            groups[self.path_for(item["at"])].append(
                orjson.dumps(item, option=orjson.OPT_NON_STR_KEYS, default=jsonable)
            )
        for path, lines in groups.items():
            self._append_lines(path, lines)

    def _append_lines(self, path: Path, lines: list[bytes]) -> None:
        fd = -1
        try:
            faults.point("before_audit", path)
            make_dir(self.directory)
            fd = create_private(path, os.O_RDWR | os.O_APPEND)
            size = os.fstat(fd).st_size
            prefix = b"\n" if size and os.pread(fd, 1, size - 1) != b"\n" else b""
            view = memoryview(prefix + b"\n".join(lines) + b"\n")
            while view:
                written = os.write(fd, view)
                view = view[written:]
            faults.point("before_audit_fsync", path)
            os.fsync(fd)
            if size == 0:
                fsync_dir(self.directory)
            faults.point("after_audit", path)
        except OSError as exc:
            raise RegistryWriteFailed(str(path), describe(exc)) from exc
        finally:
            if fd >= 0:
                os.close(fd)

    def _lines(self, path: Path, needle: bytes = b"") -> Iterator[Entry]:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        for line in data.split(b"\n"):
            if not line or (needle and needle not in line):
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # a torn line from a crash mid-append
            if isinstance(item, dict) and isinstance(item.get("at"), str):
                yield item

    def read(
        self, *, kind: str | None = None, key: str | None = None, since: str | None = None
    ) -> list[Change]:
        since_at = _parse_time(since) if since else None
        # `at` carries the writer's offset; a month file may hold entries up to a day either side.
        first_month = f"{since_at - dt.timedelta(days=1):%Y-%m}" if since_at else ""
        needle = b'"key":' + orjson.dumps(key) if key is not None else b""
        out: list[Change] = []
        for path in self.files():
            if path.stem < first_month:
                continue
            for item in self._lines(path, needle):
                if kind is not None and item.get("kind") != kind:
                    continue
                if key is not None and item.get("key") != key:
                    continue
                try:
                    if since_at is not None and _parse_time(item["at"]) < since_at:
                        continue
                    out.append(
                        Change(
                            at=item["at"],
                            user=str(item.get("user", "")),
                            action=str(item.get("action", "")),
                            kind=str(item.get("kind", "")),
                            key=str(item.get("key", "")),
                            revision=int(item.get("revision", 0)),
                            before=item.get("before"),
                            after=item.get("after"),
                            note=str(item.get("note", "")),
                        )
                    )
                except (TypeError, ValueError):
                    continue
        return out

    def present(self, txn: str, entries: Iterable[Entry]) -> set[tuple[str, str, str]]:
        """(action, kind, key) of the entries of transaction `txn` already in the files."""
        needle = b'"txn":' + orjson.dumps(txn)
        found: set[tuple[str, str, str]] = set()
        for path in {self.path_for(e["at"]) for e in entries}:
            for item in self._lines(path, needle):
                if item.get("txn") == txn:
                    found.add((str(item.get("action")), str(item.get("kind")), str(item.get("key"))))
        return found
