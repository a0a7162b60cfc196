"""`shegong check`: read every file of a registry and say exactly what is wrong (file, record, field).

It reads the files directly, not through `Registry`, so it works on a registry that no longer
opens. What it looks at:

* every file parses (registry.json, communities.json, each street's shard, each workflow document,
  the audit trail line by line, the index cache, a leftover journal);
* the schema version is one this program reads;
* references: each worker's community exists and the worker is in that community's street file;
  no worker id or resident ID is stored twice; the id counter is ahead of every stored id;
* the revision chain: no stored record is older than the highest revision the audit trail saw it
  reach, none the trail saw deleted is back, none it saw added is missing (the trail is kept apart
  from the data files, so a shard or registry.json copied back from an old copy by hand shows
  here); a `restore` entry starts the chain afresh, because a restore rolls back on purpose;
* the index cache agrees with the shard it claims to describe;
* every stored revision has its audit entry (`audit_coverage`): no change stands without one.

Errors make the registry unsafe to use as it is (exit 1); warnings are things the next open repairs
by itself (a leftover journal, a torn audit line, a stale index). A leftover journal is a change a
killed process had started: the street files are checked as the next open will leave them (the
journal applied), so a worker half-way through a move is never reported as stored twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import orjson

from core.errors import ValidationError, ValidationErrors
from core.i18n import translate
from core.model import SCHEMA_VERSION
from core.record_checks import PostNames, record_problems
from core.resident_id import normalise_resident_id, stored_id_key
from core.storage.documents import community_from_doc, rev_of, worker_from_doc
from core.storage.files import CorruptFile, is_temp_name, parse_json
from core.storage.index import load_index
from core.storage.journal import Doc, FileChange, read_journal
from core.storage.layout import FORMAT, Layout, shard_key
from core.storage.lock import LockDenied, RegistryLock
from core.storage.tinystore import COMMUNITIES, WORKERS, TinyFile, parse_file

ERROR, WARNING = "error", "warning"
RESTORE_MARKER = "restore.json"  # present only while `restore` copies files back (see backups)
_TRACKED = {"worker", "community"}


@attrs.frozen
class Finding:
    """One thing wrong: `code` names the message `check.<code>`; `args` fill it in."""

    severity: str
    code: str
    file: str
    record: str = ""
    field: str = ""
    args: dict[str, Any] = attrs.field(factory=dict)

    def text(self, lang: str | None = None) -> str:
        return translate(f"check.{self.code}", lang, **self.args)

    def as_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "record": self.record,
            "field": self.field,
            "message": self.text(),
        }


@attrs.frozen
class CheckReport:
    root: Path
    findings: tuple[Finding, ...]
    files: int
    workers: int
    communities: int

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


@attrs.define
class _Mark:
    """What the audit trail says of one record: its highest revision, and whether it was deleted."""

    high: int
    deleted: int | None
    file: str


def _field_of(exc: ValidationError | ValidationErrors) -> str:
    """`birth_date`, or `posts[1].start`: the field path without the converter's `$.` root."""
    errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
    return ", ".join(e.field.removeprefix("$.") for e in errors)


class _Checker:
    def __init__(self, root: Path) -> None:
        self.layout = Layout(root)
        self.findings: list[Finding] = []
        self.files = 0
        self.worker_revs: dict[int, int] = {}
        self.community_revs: dict[str, int] = {}
        self.shard_files: dict[str, TinyFile] = {}
        self.pending: dict[str, FileChange] = {}  # an unfinished journal's files, by relative path
        self.pending_audit: tuple[Doc, ...] = ()  # the entries the next open writes with them
        self.audited: set[tuple[str, str, int]] = set()  # (kind, key, revision) of each add/update

    def rel(self, path: Path) -> str:
        return self.layout.relative(path)

    def add(
        self, severity: str, code: str, path: Path, record: object = "", field: str = "", **args: Any
    ) -> None:
        self.findings.append(
            Finding(severity, code, self.rel(path), str(record), field, {"file": self.rel(path), **args})
        )

    def corrupt(self, exc: CorruptFile) -> None:
        self.add(ERROR, "unreadable", exc.path, reason=exc.reason)

    # --- files ----------------------------------------------------------------------------------

    def meta(self) -> dict[str, Any] | None:
        path = self.layout.meta
        self.files += 1
        try:
            raw = parse_json(path, path.read_bytes())
        except FileNotFoundError:
            self.add(ERROR, "missing", path)
            return None
        except CorruptFile as exc:
            self.corrupt(exc)
            return None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            self.add(ERROR, "not_registry", path, expected=FORMAT)
            return None
        meta: dict[str, Any] = raw
        for name in ("schema", "next_worker_id", "generation"):
            value = meta.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.add(ERROR, "bad_field", path, "", name, value=repr(value))
                return None
        if meta["schema"] > SCHEMA_VERSION:
            self.add(ERROR, "too_new", path, "", "schema", found=meta["schema"], supported=SCHEMA_VERSION)
        elif meta["schema"] < SCHEMA_VERSION:
            self.add(
                WARNING, "needs_migration", path, "", "schema", found=meta["schema"], target=SCHEMA_VERSION
            )
        return meta

    def tiny(self, path: Path, kind: str) -> TinyFile | None:
        self.files += 1
        change = self.pending.get(self.rel(path))
        try:
            file = parse_file(path, kind, path.read_bytes(), None)
        except FileNotFoundError:
            if change is None:
                self.add(ERROR, "missing", path)
                return None
            file = TinyFile(path, kind, dict(change.header), {}, None)  # the journal creates it
        except CorruptFile as exc:
            self.corrupt(exc)
            return None
        if file.schema > SCHEMA_VERSION:
            self.add(ERROR, "too_new", path, "", "schema", found=file.schema, supported=SCHEMA_VERSION)
        if change is not None:
            docs = {**file.docs, **{i: d for i, d in change.docs.items() if d is not None}}
            for i, d in change.docs.items():
                if d is None:
                    docs.pop(i, None)
            # The cache describes the file on disk, not what the journal makes of it.
            file = TinyFile(path, kind, {**file.header, "commit": ""}, docs, None)
        return file

    def communities(self) -> dict[str, dict[str, Any]]:
        file = self.tiny(self.layout.communities, COMMUNITIES)
        found: dict[str, dict[str, Any]] = {}
        if file is None:
            return found
        for doc in file.docs.values():
            cid = str(doc.get("id", ""))
            if cid in found:
                self.add(ERROR, "duplicate_community", file.path, cid, "id")
                continue
            try:
                community_from_doc(doc)
            except (ValidationError, ValidationErrors) as exc:
                self.add(ERROR, "invalid_record", file.path, cid, _field_of(exc), detail=exc.render())
            found[cid] = doc
            self.community_revs[cid] = rev_of(doc)
        return found

    def shards(self, communities: dict[str, dict[str, Any]], meta: dict[str, Any] | None) -> None:
        where: dict[int, str] = {}
        owners: dict[str, tuple[int, str]] = {}
        paths = set(self._names(self.layout.workers, ".json"))
        paths |= {self.layout.root / rel for rel, c in self.pending.items() if c.kind == WORKERS}
        for path in sorted(paths):
            file = self.tiny(path, WORKERS)
            if file is None:
                continue
            self.shard_files[path.stem] = file
            district, street = str(file.header.get("district", "")), str(file.header.get("street", ""))
            if shard_key(district, street) != path.stem:
                self.add(ERROR, "wrong_file_name", path, district=district, street=street)
            for wid, doc in sorted(file.docs.items()):
                if wid in where:
                    self.add(ERROR, "duplicate_worker", path, wid, "id", other=where[wid])
                    continue
                where[wid] = self.rel(path)
                self.worker_revs[wid] = rev_of(doc)
                try:
                    worker_from_doc(doc, wid)
                except (ValidationError, ValidationErrors) as exc:
                    self.add(ERROR, "invalid_record", path, wid, _field_of(exc), detail=exc.render())
                idn = str(doc.get("id_number", ""))
                if idn in owners:
                    other, other_file = owners[idn]
                    self.add(
                        ERROR,
                        "duplicate_id_number",
                        path,
                        wid,
                        "id_number",
                        other=other,
                        other_file=other_file,
                    )
                else:
                    owners[idn] = (wid, self.rel(path))
                cid = str(doc.get("community_id", ""))
                community = communities.get(cid)
                if community is None:
                    self.add(ERROR, "unknown_community", path, wid, "community_id", community=cid)
                elif (
                    shard_key(str(community.get("district", "")), str(community.get("street", "")))
                    != path.stem
                ):
                    self.add(ERROR, "wrong_shard", path, wid, "community_id", community=cid)
        if meta is not None and where and meta["next_worker_id"] <= max(where):
            self.add(
                ERROR,
                "counter_behind",
                self.layout.meta,
                "",
                "next_worker_id",
                counter=meta["next_worker_id"],
                highest=max(where),
            )

    def documents(self) -> None:
        for folder in self.layout.document_dirs():
            for path in self._names(folder, ".json"):
                self.files += 1
                try:
                    parse_json(path, path.read_bytes())
                except CorruptFile as exc:
                    self.corrupt(exc)

    def journal(self) -> None:
        if (self.layout.root / RESTORE_MARKER).exists():
            self.add(ERROR, "restore_interrupted", self.layout.root / RESTORE_MARKER)
        if not self.layout.journal.exists():
            return
        self.files += 1
        try:
            journal = read_journal(self.layout.journal)
        except CorruptFile as exc:
            self.corrupt(exc)
            return
        if journal is not None:
            self.pending = {c.path: c for c in journal.files if c.kind in (WORKERS, COMMUNITIES)}
            self.pending_audit = journal.audit
        self.add(WARNING, "journal_pending", self.layout.journal)

    def index(self) -> None:
        path = self.layout.index
        if not path.exists():
            return
        self.files += 1
        try:
            orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            self.add(WARNING, "index_unreadable", path)
            return
        for key, hint in load_index(path).items():
            file = self.shard_files.get(key)
            if file is None or hint.commit != file.commit:
                continue  # stale: describes an older version, never used
            actual = {
                wid: (stored_id_key(str(d.get("id_number", ""))), str(d.get("community_id", "")))
                for wid, d in file.docs.items()
            }
            if hint.entries != actual:
                wrong = sorted(set(hint.entries.items()) ^ set(actual.items()))
                self.add(ERROR, "index_mismatch", path, wrong[0][0] if wrong else "", "", shard=f"{key}.json")

    # --- the revision chain --------------------------------------------------------------------

    def audit(self) -> None:
        """Collect each record's high-water revision from the audit trail, then compare.

        Entries are appended after the lock is released, so two writers' entries may land out
        of order: only the highest revision counts, never the order of the lines.
        """
        marks: dict[tuple[str, str], _Mark] = {}
        for path in self._names(self.layout.audit, ".jsonl"):
            self.files += 1
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.add(ERROR, "unreadable", path, reason=str(exc))
                continue
            for number, line in enumerate(data.split(b"\n"), 1):
                if not line.strip():
                    continue
                try:
                    item = orjson.loads(line)
                except orjson.JSONDecodeError:
                    item = None
                if not isinstance(item, dict):
                    self.add(WARNING, "audit_torn", path, "", "", line=number)
                    continue
                action, kind, key = item.get("action"), item.get("kind"), str(item.get("key", ""))
                revision = item.get("revision")
                if action == "restore" and kind == "registry":
                    marks.clear()  # a restore rolls back on purpose: the chain starts afresh
                    continue
                if kind not in _TRACKED or action not in ("add", "update", "delete"):
                    continue
                if not isinstance(revision, int) or isinstance(revision, bool):
                    continue
                if action != "delete":
                    self.audited.add((kind, key, revision))
                mark = marks.get((kind, key))
                if mark is None or (action == "add" and mark.deleted is not None):
                    mark = marks[(kind, key)] = _Mark(0, None, self.rel(path))  # (re)created
                mark.high = max(mark.high, revision)
                mark.file = self.rel(path)
                if action == "delete":
                    mark.deleted = max(mark.deleted or 0, revision)
        if (self.layout.root / RESTORE_MARKER).exists():
            return  # a restore under way rolls records back on purpose (reported apart)
        self._compare(marks)

    def _compare(self, marks: dict[tuple[str, str], _Mark]) -> None:
        for (kind, key), mark in sorted(marks.items()):
            stored: int | None
            if kind == "worker":
                try:
                    wid = int(key)
                except ValueError:
                    continue
                stored, path = self.worker_revs.get(wid), self._worker_file(wid)
            else:
                stored, path = self.community_revs.get(key), self.layout.communities
            if mark.deleted is not None:
                if stored is not None and stored <= mark.deleted:
                    self.add(ERROR, "resurrected", path, key, "revision", audit=mark.file, revision=stored)
            elif stored is None:
                # A warning: a delete whose process was killed before its audit append looks the same.
                self.add(WARNING, "lost_record", path, key, "", audit=mark.file, revision=mark.high)
            elif stored < mark.high:
                self.add(
                    ERROR,
                    "rolled_back",
                    path,
                    key,
                    "revision",
                    audit=mark.file,
                    stored=stored,
                    audited=mark.high,
                )

    def audit_coverage(self) -> None:
        """Every stored revision of a worker or community has its `add` or `update` entry in the
        trail: a change never stands without one (`Registry._execute`), so a revision without
        one was written outside shegong, or its entry was removed. Reads what `audit` gathered
        from the trail (run first), not the trail again."""
        audited = set(self.audited)
        for item in self.pending_audit:  # written by the next open, with the journal's data
            if isinstance(item.get("revision"), int):
                audited.add((str(item.get("kind")), str(item.get("key")), item["revision"]))
        stored = [("worker", str(wid), rev) for wid, rev in sorted(self.worker_revs.items())]
        stored += [("community", cid, rev) for cid, rev in sorted(self.community_revs.items())]
        for kind, key, rev in stored:
            if (kind, key, rev) not in audited:
                path = self._worker_file(int(key)) if kind == "worker" else self.layout.communities
                self.add(ERROR, "unaudited", path, key, "revision", revision=rev)

    def _worker_file(self, wid: int) -> Path:
        for key, file in self.shard_files.items():
            if wid in file.docs:
                return self.layout.shard(key)
        return self.layout.workers

    @staticmethod
    def _names(folder: Path, suffix: str) -> list[Path]:
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            return []
        return [
            folder / n for n in names if n.endswith(suffix) and not n.startswith(".") and not is_temp_name(n)
        ]


def id_number_forms(checker: _Checker) -> None:
    """Resident IDs stored not as the registry now keeps them (full-width digits, blanks, a small
    x): a warning, as the next save of the record folds it; two stored numbers that are the same
    once folded are the same person twice, an error (the plain duplicate check compares the
    stored text and cannot see them)."""
    owners: dict[str, tuple[int, str, str]] = {}
    for key, file in sorted(checker.shard_files.items()):
        path = checker.layout.shard(key)
        for wid, doc in sorted(file.docs.items()):
            stored = str(doc.get("id_number", ""))
            folded = normalise_resident_id(stored)
            if folded != stored:
                checker.add(WARNING, "id_number_not_normal", path, wid, "id_number", normal=folded)
            first = owners.setdefault(folded, (wid, checker.rel(path), stored))
            if first[0] != wid and first[2] != stored:  # the same text twice is `duplicate_id_number`
                checker.add(
                    ERROR, "same_id_once_folded", path, wid, "id_number", other=first[0], other_file=first[1]
                )


def record_consistency(
    checker: _Checker,
    communities: Mapping[str, Mapping[str, Any]],
    jurisdiction_posts: Mapping[str, PostNames] | None,
    today: dt.date,
) -> None:
    """Stored workers that break the cross-field checks of `core.record_checks` (a service start
    in the future or after the first post or contract; a post the jurisdiction does not have),
    saved before those checks or written by hand: each an error naming the field."""
    for key, file in sorted(checker.shard_files.items()):
        path = checker.layout.shard(key)
        for wid, doc in sorted(file.docs.items()):
            try:
                worker = worker_from_doc(doc, wid)
            except (ValidationError, ValidationErrors):
                continue  # `invalid_record` says so already
            community = communities.get(worker.community_id) or {}
            jurisdiction = str(community.get("jurisdiction", ""))
            posts = None if jurisdiction_posts is None else jurisdiction_posts.get(jurisdiction)
            for problem in record_problems(worker, today=today, posts=posts):
                checker.add(ERROR, "record_inconsistent", path, wid, problem.field, detail=problem.problem)


@contextlib.contextmanager
def _maybe_locked(layout: Layout, timeout: float) -> Iterator[None]:
    """Hold the lock so no change is half-applied while we read; a reader without write access
    to the lock file (a group member, a read-only medium) checks without it."""
    with contextlib.ExitStack() as stack:
        if layout.lock.exists():
            with contextlib.suppress(LockDenied, OSError):
                stack.enter_context(RegistryLock(layout.lock, timeout).hold())
        yield


def check_registry(
    root: str | os.PathLike[str],
    *,
    lock_timeout: float = 10.0,
    jurisdiction_posts: Mapping[str, PostNames] | None = None,
    today: dt.date | None = None,
) -> CheckReport:
    """Check every file of the registry in `root`; raises `RegistryBusy` if the lock stays held.

    `jurisdiction_posts` (jurisdiction → its posts, from the loaded plugins) lets the records'
    posts be judged too; without it only what the files themselves say is checked."""
    checker = _Checker(Path(root).absolute())
    layout = checker.layout
    if not layout.meta.exists() and not layout.root.is_dir():
        checker.add(ERROR, "missing", layout.meta)
        return CheckReport(layout.root, tuple(checker.findings), 0, 0, 0)
    with _maybe_locked(layout, lock_timeout):
        meta = checker.meta()
        checker.journal()
        communities = checker.communities()
        checker.shards(communities, meta)
        id_number_forms(checker)
        record_consistency(checker, communities, jurisdiction_posts, today or dt.date.today())
        checker.documents()
        checker.index()
        checker.audit()
        checker.audit_coverage()
    return CheckReport(
        layout.root,
        tuple(checker.findings),
        checker.files,
        len(checker.worker_revs),
        len(checker.community_revs),
    )


def check_backup_files(root: Path) -> list[Finding]:
    """The errors a backup directory would bring back if restored (the audit is not restored)."""
    checker = _Checker(root)
    meta = checker.meta()
    checker.journal()  # a copy made while a change was unfinished: checked as it will be finished
    communities = checker.communities()
    checker.shards(communities, meta)
    checker.documents()
    return [f for f in checker.findings if f.severity == ERROR]
