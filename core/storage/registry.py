"""The on-disk registry: a directory of TinyDB files shared by several processes.

Concurrency model
-----------------
* Every read-modify-write runs under one inter-process lock (`lock.RegistryLock`). On taking it,
  the writer finishes any leftover journal, then re-reads every file another writer replaced (a
  new inode in the directory listing; a pinned descriptor makes "changed?" exact, see
  `files.Pinned`), so it always edits the latest committed state; TinyDB is rebuilt per
  transaction over that state (`tinystore.Txn`). A file changed in place by hand keeps its inode:
  the writer checks with `stat` the files it is about to replace and redoes the write if one
  changed, and looks at every file when it needs all streets exact (`_check_targets`, `_settle`).
* Readers take no lock while nothing changed. When they see changes they pin the new versions
  and then check that no multi-file change was in flight meanwhile (no journal, same generation
  in registry.json); if one was, they look again under the lock. They therefore never see half of
  a multi-file change.
* Shards are parsed lazily: a changed shard is pinned at once but parsed only when something needs
  it (queries over all resident IDs parse every changed shard). Opening reads registry.json,
  communities.json and `index.json` (a cache of which worker is in which shard, checked against
  each shard's commit token), so a 50,000-worker registry opens without parsing every worker.
* A plain edit within one street writes its new shard to a temp file before taking the lock; under
  the lock it only checks that nothing it was based on changed, journals, renames and appends the
  audit entry (otherwise it is redone under the lock). The lock is held for milliseconds.
* Only the owner may take the lock (`.lock` is 0600): the owner's group reads without it. Such a
  reader cannot finish a killed writer's journal, so it waits for a change to several files to
  be finished and is told the registry is busy if nobody finishes it (`_wait_for_writer`).

Durability: every change goes through `journal.json` (see `journal`): the journal, then its files
(each one atomic replace), then its audit entries, then the journal is removed. The audit fails
closed: if the entries cannot be appended the change is taken back and refused, and a replay whose
entries cannot be appended takes the change back too, so a change and its entries are kept or lost
together, whenever the process is killed. Readers ignore a one-file change's journal: its one file
is replaced atomically, so they see all of the change or none of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import os
import secrets
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import attrs
import orjson

from core.bulk import collector_paused
from core.convert import structure_stored, unstructure
from core.errors import (
    DuplicateRecord,
    NotFound,
    RegistryBusy,
    RegistryCorrupt,
    RegistryMissing,
    RegistryWriteFailed,
    ShegongError,
    StaleRevision,
    ValidationError,
    ValidationErrors,
)
from core.i18n import msg, translate
from core.model import SCHEMA_VERSION, Community, Status, Worker, trusted_load
from core.registry_config import FolderConfig
from core.repository import Change, WorkerQuery
from core.resident_id import normalise_resident_id, stored_id_key
from core.storage import faults, workdocs
from core.storage.audit import AuditLog, Entry, audit_not_written, entry
from core.storage.backups import (
    ADMIN,
    AUTOMATIC,
    BackupInfo,
    RestoreUnfinished,
    due,
    finish_restore,
    keep_of,
    list_backups,
    make_backup,
    newest_good_backup,
    prune_backups,
    remove_stale_backup_temps,
)
from core.storage.check import RESTORE_MARKER
from core.storage.conflicts import (
    ConflictRecord,
    conflicts_keep_of,
    list_conflicts,
    load_conflict,
    prune_conflicts,
    save_conflict,
)
from core.storage.documents import (
    body_of,
    community_doc,
    community_from_doc,
    meta_of,
    normalise,
    public_community,
    public_worker,
    rev_of,
    schema_of,
    worker_doc,
    worker_from_doc,
)
from core.storage.errors import MigrationFailed, RegistryExists, RegistryNotEmpty, RegistryTooNew
from core.storage.files import (
    CorruptFile,
    Pinned,
    atomic_write,
    dumps,
    is_temp_name,
    make_dir,
    open_pinned,
    parse_json,
    read_json,
    remove_durably,
    remove_stale_temps,
)
from core.storage.index import ShardIndex, load_index, save_index
from core.storage.journal import FileChange, Journal, read_journal, remove_journal, write_journal
from core.storage.layout import (
    FORMAT,
    LAYOUT_NAMES,
    Layout,
    display_time,
    identify,
    now_iso,
    owner_uid_of,
    shard_key,
)
from core.storage.lock import DEFAULT_TIMEOUT, LockDenied, RegistryLock
from core.storage.migrations import MigrationMissing, has_registry_id, migrate, new_registry_id
from core.storage.tinystore import (
    COMMUNITIES,
    META_KEY,
    WORKERS,
    PreparedFile,
    TinyFile,
    empty_file,
    head_of,
    load_pinned,
    new_header,
    parse_file,
    prepare_file,
    write_file,
)
from core.summary import SummaryReader, WorkerSummary

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

Doc = dict[str, Any]
_T = TypeVar("_T", Worker, Community)
_FULL_SCAN_EVERY = 5.0  # seconds between full looks at every street file by a lock-free reader
Entries = dict[int, tuple[str, str]]  # worker id → (id_number, community_id)


class _Shard:
    """What this process knows about one street's file.

    `pinned` is the newest version seen. While `stale`, it is not parsed yet and `entries` still
    describe an older version; `previous` is then the last parsed version, kept so that unchanged
    workers need not be structured again.
    """

    __slots__ = ("commit", "entries", "file", "key", "path", "pinned", "previous", "stale", "workers")

    def __init__(
        self,
        key: str,
        path: Path,
        pinned: Pinned,
        commit: str,
        entries: Entries,
        file: TinyFile | None,
    ) -> None:
        self.key = key
        self.path = path
        self.pinned = pinned
        self.commit = commit
        self.entries = entries
        self.file = file
        self.workers: dict[int, Worker] = {}
        self.stale = False
        self.previous: TinyFile | None = None


@attrs.define
class _Plan:
    """The edits one operation makes to one file."""

    path: Path
    kind: str
    base: TinyFile
    header: Doc = attrs.Factory(dict)
    puts: dict[int, Doc] = attrs.Factory(dict)
    removes: set[int] = attrs.Factory(set)


class _Unusual(Exception):
    """An edit that cannot be prepared outside the lock (see `Registry._speculate`)."""


class _ChangedOutside(Exception):
    """A file a write is about to replace was changed in place (by hand) since it was read: the
    write is redone from the file as it is now (see `Registry._check_targets`)."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _redone_after_outside_change(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a write again when `_ChangedOutside` stopped it before it wrote anything. The next
    attempt looks at every file under the lock, as every write once did, so it sees the change."""

    @functools.wraps(method)
    def again(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        while True:
            try:
                return method(*args, **kwargs)
            except _ChangedOutside:
                continue

    return again


@attrs.define
class _Updates:
    plans: dict[str, _Plan] = attrs.Factory(dict)
    stored: dict[int, Worker] = attrs.Factory(dict)
    logs: list[Entry] = attrs.Factory(list)
    stale: list[tuple[Worker, Doc]] = attrs.Factory(list)


@attrs.define
class _Speculation:
    """A one-shard edit written to its temp file before the lock was taken."""

    plan: _Plan
    prepared: PreparedFile
    communities: TinyFile | None
    stored: dict[int, Worker]
    logs: list[Entry]

    def still_valid(self, registry: Registry) -> bool:
        """Under the lock: the shard and the communities are the very versions it was based on
        (the shard by `stat`: the lock was taken without listing the street files)."""
        st = registry._shards.get(self.plan.path.stem)
        return (
            st is not None
            and st.file is self.plan.base
            and registry._communities is self.communities
            and st.pinned.current()
        )

    def commit(self, registry: Registry) -> dict[int, Worker]:
        registry._execute([self.plan], self.logs, workers=self.stored, prepared=self.prepared)
        return self.stored

    def discard(self) -> None:
        self.prepared.discard()


def _file_change(path: str, plan: _Plan) -> FileChange:
    """A plan as the journal records it: the new documents and the same ids as they were."""
    docs: dict[int, Doc | None] = {**{i: None for i in plan.removes if i not in plan.puts}, **plan.puts}
    return FileChange(
        path=path,
        kind=plan.kind,
        header=plan.header,
        docs=docs,
        undo={i: plan.base.docs.get(i) for i in docs},
    )


def _entries_of(file: TinyFile) -> Entries:
    """Each worker's resident ID as the index keys it: folded to ASCII (NFKC), so a full-width
    number stored before IDs were folded still matches the same number typed in ASCII."""
    return {
        wid: (stored_id_key(str(doc.get("id_number", ""))), str(doc.get("community_id", "")))
        for wid, doc in file.docs.items()
    }


def _allow_descriptors(shards: int) -> None:
    """Each known shard keeps one descriptor open; raise the soft limit if a city has many streets."""
    if resource is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * shards + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


def _parse_meta(path: Path, data: bytes) -> Doc:
    raw = parse_json(path, data)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise CorruptFile(path, translate("storage.corrupt.not_registry", expected=FORMAT))
    for name in ("schema", "next_worker_id", "generation"):
        value = raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CorruptFile(
                path, translate("storage.corrupt.structure", detail=f"{name} = {value!r}, expected a number")
            )
    meta: Doc = raw
    return meta


class Registry:
    """A registry directory; implements `core.repository.Repository`. Open with `core.registry`."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        user: str | None = None,
        lock_timeout: float = DEFAULT_TIMEOUT,
        backup_on_open: bool = False,
    ) -> None:
        self.root = Path(root).absolute()
        self.path = str(self.root)
        who = identify(owner_uid=owner_uid_of(self.root))
        self.user = user or who.login
        self.uid = who.uid  # the real uid, recorded in the audit trail next to the login
        self._layout = Layout(self.root)
        if not self._layout.meta.is_file():
            raise RegistryMissing(self.path)
        self._lock = RegistryLock(self._layout.lock, lock_timeout)
        self._audit_log = AuditLog(self._layout.audit)
        self._meta: Doc = {}
        self._meta_pin: Pinned | None = None
        self._communities: TinyFile | None = None
        self._community_ids: dict[str, int] = {}
        self._community_objs: dict[str, Community] = {}
        self._shards: dict[str, _Shard] = {}
        self._id_shard: dict[int, str] = {}
        self._by_id_number: dict[str, int] = {}
        self._index_hint: dict[str, ShardIndex] = {}
        self._index_dirty = False
        self._index_parses = 0
        self._index_saved_at = time.monotonic()
        self._shards_scanned_at = 0.0
        self._scan_all_when_locked = False  # after a failure or a file changed by hand
        self._scanned_all_while_locked = False
        self._needs_migration = False
        self._migrating = False
        self._touched: set[Path] = set()
        self._retired: list[Pinned] = []
        self._closed = False
        self._mutex = threading.RLock()
        try:
            self._open()
        except BaseException:
            self._release_pins()
            raise
        if backup_on_open:
            self._backup_if_due()

    # --- opening and closing -------------------------------------------------------------------

    def _open(self) -> None:
        with self._guard():
            self._sync_meta()  # a registry from a newer program is refused before any write
            # Tidy up after killed processes only if nobody holds the lock (then no write is in
            # flight); if someone does, opening does not wait: the next lock holder tidies up.
            # A reader who may not write (the owner's group: files are 0640) cannot take the
            # lock and leaves the tidying to the owner.
            with contextlib.suppress(RegistryBusy, LockDenied), self._lock.hold(timeout=0.0):
                for folder in (self.root, *self._layout.directories(), *self._layout.document_dirs()):
                    remove_stale_temps(folder)
                remove_stale_backup_temps(self._layout)
                self._finish_restore(strict=False)  # else no write is accepted until it is
                if self._layout.journal.exists():
                    self._replay()
                self._give_registry_id()
            self._index_hint = load_index(self._layout.index)
            self._refresh()
            self._index_hint = {}
            if self._needs_migration:
                with self._locked():
                    pass
            if self._index_dirty:
                self._save_index()

    def close(self) -> None:
        """Save the shard index cache if it changed and release every descriptor."""
        if self._closed:
            return
        with contextlib.suppress(Exception):
            if self._index_dirty:
                self._save_index()
        self._release_pins()
        self._closed = True

    def __enter__(self) -> Registry:
        return self

    def __del__(self) -> None:
        # A registry dropped without close() must not leak its descriptors.
        with contextlib.suppress(Exception):
            if not self._closed:
                self._release_pins()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Registry({self.path!r}, user={self.user!r})"

    def _release_pins(self) -> None:
        if self._meta_pin is not None:
            self._meta_pin.close()
        if self._communities is not None:
            self._communities.close()
        for st in self._shards.values():
            st.pinned.close()
        for pinned in self._retired:
            pinned.close()
        self._retired = []

    def _save_index(self) -> None:
        """Write what this process knows into the index cache, keeping other shards' entries
        (each entry names the commit it describes, so a stale one is simply not used). Needs no
        lock: the file is replaced atomically and a lost update only costs a later parse."""
        mine = {  # only what is still current: never overwrite someone's fresher entry with ours
            key: ShardIndex(st.commit, st.pinned.sig.size, st.pinned.sig.mtime_ns, st.entries)
            for key, st in self._shards.items()
            if st.commit and not st.stale and st.pinned.current()
        }
        with contextlib.suppress(Exception):
            shards = {k: v for k, v in load_index(self._layout.index).items() if k in self._shards}
            shards.update(mine)
            if save_index(self._layout.index, shards):
                self._index_dirty = False
                self._index_parses = 0
                self._index_saved_at = time.monotonic()

    def _maybe_save_index(self) -> None:
        """Keep the cache fresh for the next process to open: after many parses, or every minute
        (a session ended by a dropped SSH connection never reaches `close`)."""
        if self._index_dirty and (self._index_parses >= 8 or time.monotonic() - self._index_saved_at > 60):
            self._save_index()

    # --- public extras ----------------------------------------------------------------------------

    @property
    def params_path(self) -> Path:
        """The operators' parameter overrides (`params.toml`), read by `core.params`."""
        return self._layout.params

    def config(self) -> FolderConfig:
        """The operators' settings, as files in the registry's folder (`core.registry_config`)."""
        return FolderConfig(self.root)

    @property
    def schema_version(self) -> int:
        return int(self._meta.get("schema", SCHEMA_VERSION))

    @property
    def generation(self) -> int:
        return int(self._meta.get("generation", 0))

    def refresh(self) -> None:
        """Pick up other processes' commits now (every read does this by itself)."""
        with self._guard():
            self._refresh()

    def backup(self, reason: str) -> Path:
        """An admin's full copy of the registry in `backups/<UTC time>/`; returns its directory.

        It rotates among the admin's backups only (see `backups`); core's own copies before an
        import or a round close are `checkpoint`s. A scoped registry gives this to admins only.
        """
        with self._guard(), self._locked():
            return self._backup(reason, ADMIN)

    def checkpoint(self, reason: str) -> Path:
        """An automatic copy before a risky change (import, round close), which any operator who
        may make that change makes: it rotates among the automatic copies only."""
        with self._guard(), self._locked():
            return self._backup(reason, AUTOMATIC)

    def list_backups(self) -> list[BackupInfo]:
        """Finished backups, newest first."""
        return list_backups(self._layout)

    def list_conflicts(self) -> list[Path]:
        return list_conflicts(self._layout)

    def load_conflict(self, path: str | os.PathLike[str]) -> ConflictRecord:
        with self._guard():
            return load_conflict(Path(path))

    def shard_of(self, worker_id: int) -> Path:
        """The file a worker is stored in (for support and tests)."""
        with self._guard():
            self._refresh()
            return self._locate(worker_id).path

    # --- communities ---------------------------------------------------------------------------

    def get_community(self, community_id: str) -> Community:
        with self._guard():
            self._refresh_communities()
            return self._community(community_id)

    def communities(
        self,
        *,
        street: str | None = None,
        district: str | None = None,
        jurisdiction: str | None = None,
    ) -> list[Community]:
        with self._guard():
            self._refresh_communities()
            return [
                self._community(doc["id"])
                for doc in self._community_docs()
                if (street is None or doc.get("street") == street)
                and (district is None or doc.get("district") == district)
                and (jurisdiction is None or doc.get("jurisdiction") == jurisdiction)
            ]

    @_redone_after_outside_change
    def add_community(self, community: Community) -> Community:
        with self._guard(), self._writing():
            comm = self._comm_file()
            if community.id in self._community_ids:
                raise DuplicateRecord("community", "id", community.id, community.id)
            at = now_iso()
            doc = community_doc(community, rev=1, user=self.user, at=at)
            doc_id = max(comm.docs, default=0) + 1
            plan = _Plan(self._layout.communities, COMMUNITIES, comm, puts={doc_id: doc})
            stored = self._evolve(community, revision=1)
            log = self._entry(at, "add", "community", community.id, 1, None, public_community(doc))
            self._execute([plan], [log], communities={community.id: stored})
            return stored

    @_redone_after_outside_change
    def update_community(self, community: Community) -> Community:
        with self._guard(), self._writing():
            comm = self._comm_file()
            doc_id = self._community_ids.get(community.id)
            if doc_id is None:
                raise NotFound("community", community.id)
            current = comm.docs[doc_id]
            if community.revision != rev_of(current):
                self._refuse("community", community.id, current, public_community(current), community)
            at = now_iso()
            rev = rev_of(current) + 1
            doc = community_doc(community, rev=rev, user=self.user, at=at)
            stored = self._evolve(community, revision=rev)
            plans = [_Plan(self._layout.communities, COMMUNITIES, comm, puts={doc_id: doc})]
            note = ""
            old_key = shard_key(current["district"], current["street"])
            new_key = shard_key(community.district, community.street)
            moving: list[int] = []
            if old_key != new_key and old_key in self._shards:
                source = self._parsed(old_key)
                moving = [wid for wid, (_, cid) in source.entries.items() if cid == community.id]
            if moving:
                target = self._shard_plan(new_key, community.district, community.street)
                assert source.file is not None
                plans.append(_Plan(source.path, WORKERS, source.file, removes=set(moving)))
                target.puts.update({wid: source.file.docs[wid] for wid in moving})
                plans.append(target)
                note = translate("storage.note.moved_workers", count=len(moving), street=community.street)
            log = self._entry(
                at,
                "update",
                "community",
                community.id,
                rev,
                public_community(current),
                public_community(doc),
                note,
            )
            self._execute(plans, [log], communities={community.id: stored})
            return stored

    @_redone_after_outside_change
    def delete_community(self, community_id: str, revision: int) -> None:
        with self._guard(), self._writing():
            comm = self._comm_file()
            doc_id = self._community_ids.get(community_id)
            if doc_id is None:
                raise NotFound("community", community_id)
            current = comm.docs[doc_id]
            if revision != rev_of(current):
                self._refuse(
                    "community",
                    community_id,
                    current,
                    public_community(current),
                    {"delete": community_id, "revision": revision},
                )
            self._settle()
            if any(cid == community_id for st in self._shards.values() for _, cid in st.entries.values()):
                raise ValidationError("community_id", msg("invalid.community_has_workers", id=community_id))
            plan = _Plan(self._layout.communities, COMMUNITIES, comm, removes={doc_id})
            log = self._entry(
                now_iso(), "delete", "community", community_id, revision, public_community(current), None
            )
            self._execute([plan], [log])

    # --- workers -------------------------------------------------------------------------------

    def add_worker(self, worker: Worker) -> Worker:
        return self.add_workers([worker])[0]

    @_redone_after_outside_change
    def add_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        if not workers:
            return []
        with self._guard(), self._writing(prefetch=self._settle):
            self._settle()
            seen: dict[str, object] = {}
            targets: list[tuple[str, Community]] = []
            for position, w in enumerate(workers):
                community = self._community_or_invalid(w.community_id)
                existing = self._by_id_number.get(w.id_number)
                if existing is not None:
                    raise DuplicateRecord("worker", "id_number", w.id_number, existing)
                if w.id_number in seen:
                    raise DuplicateRecord("worker", "id_number", w.id_number, seen[w.id_number])
                seen[w.id_number] = msg("storage.batch_position", n=position + 1)
                targets.append((shard_key(community.district, community.street), community))
            first = max(int(self._meta["next_worker_id"]), max(self._id_shard, default=0) + 1)
            # Reserve the ids before writing any worker: a crash after this skips ids, never reuses one.
            self._touch(self._layout.meta)
            self._write_meta(next_worker_id=first + len(workers))
            faults.point("counter_bumped", self._layout.meta)
            at = now_iso()
            plans: dict[str, _Plan] = {}
            stored: dict[int, Worker] = {}
            logs: list[Entry] = []
            for offset, (w, (key, community)) in enumerate(zip(workers, targets, strict=True)):
                wid = first + offset
                new = self._evolve(w, id=wid, revision=1)
                doc = worker_doc(new, rev=1, user=self.user, at=at)
                plan = plans.get(key) or plans.setdefault(
                    key, self._shard_plan(key, community.district, community.street)
                )
                plan.puts[wid] = doc
                stored[wid] = new
                logs.append(self._entry(at, "add", "worker", str(wid), 1, None, public_worker(doc, wid)))
            self._execute(list(plans.values()), logs, workers=stored)
            return [stored[first + i] for i in range(len(workers))]

    def get_worker(self, worker_id: int) -> Worker:
        with self._guard():
            self._refresh()
            return self._worker(self._locate(worker_id), worker_id)

    def update_worker(self, worker: Worker) -> Worker:
        return self.update_workers([worker])[0]

    @_redone_after_outside_change
    def update_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        if not workers:
            return []
        with self._guard():
            self._refresh_streets([self._id_shard.get(w.id) for w in workers])
            for w in workers:  # parse the shards before taking the lock: parsing is the slow part
                key = self._id_shard.get(w.id)
                if key is not None and key in self._shards:
                    self._parsed(key)
            speculation = self._speculate(workers)
            try:
                with self._locked(list_streets=speculation is None):
                    if speculation is not None and speculation.still_valid(self):
                        stored = speculation.commit(self)
                        speculation = None
                        return [stored[w.id] for w in workers]
                    if speculation is not None:
                        self._sync_shards(full=False)  # what the lock skipped
                    return self._update_locked(workers)
            finally:
                if speculation is not None:
                    speculation.discard()

    def _speculate(self, workers: Sequence[Worker]) -> _Speculation | None:
        """For a plain edit within one street, write the new shard before taking the lock.

        The lock is then held only to check that nothing it was based on changed and to put the
        file in place, so concurrent writers wait less. Anything unusual (a stale revision, a move,
        a new resident ID, an error) returns None and the edit is done wholly under the lock.
        """
        try:
            plan = self._plan_updates(workers, now_iso(), speculative=True)
        except (_Unusual, ShegongError):
            return None
        if len(plan.plans) != 1:
            return None
        (shard_plan,) = plan.plans.values()
        prepared = prepare_file(self._prepare(shard_plan))
        return _Speculation(shard_plan, prepared, self._communities, plan.stored, plan.logs)

    def _update_locked(self, workers: Sequence[Worker]) -> list[Worker]:
        plan = self._plan_updates(workers, now_iso(), speculative=False)
        if plan.stale:
            for w, current in plan.stale[1:]:
                self._keep_conflict("worker", str(w.id), current, public_worker(current, w.id), w)
            first_w, first_current = plan.stale[0]
            self._refuse(
                "worker", first_w.id, first_current, public_worker(first_current, first_w.id), first_w
            )
        self._execute([p for p in plan.plans.values() if p.puts or p.removes], plan.logs, workers=plan.stored)
        return [plan.stored[w.id] for w in workers]

    def _plan_updates(self, workers: Sequence[Worker], at: str, *, speculative: bool) -> _Updates:
        out = _Updates()
        claimed: dict[str, int] = {}
        shard_key_of: dict[int, str] = {}
        for w in workers:
            source = self._locate(w.id)
            key = source.key
            assert source.file is not None
            current = source.file.docs[w.id]
            if w.id in out.stored:  # twice in one batch: the second is based on a replaced revision
                current = out.plans[shard_key_of[w.id]].puts[w.id]
            if w.revision != rev_of(current):
                if speculative:
                    raise _Unusual
                out.stale.append((w, current))
                continue
            community = self._community_or_invalid(w.community_id)
            if w.id_number != current.get("id_number"):
                if speculative:
                    raise _Unusual
                self._settle()  # a new resident ID must be unique across every street
            other = self._by_id_number.get(w.id_number)
            if other is not None and other != w.id:
                raise DuplicateRecord("worker", "id_number", w.id_number, other)
            if claimed.setdefault(w.id_number, w.id) != w.id:
                raise DuplicateRecord("worker", "id_number", w.id_number, claimed[w.id_number])
            rev = rev_of(current) + 1
            new = self._evolve(w, revision=rev)
            doc = worker_doc(new, rev=rev, user=self.user, at=at)
            target_key = shard_key(community.district, community.street)
            if speculative and target_key != key:
                raise _Unusual
            target = out.plans.get(target_key) or out.plans.setdefault(
                target_key, self._shard_plan(target_key, community.district, community.street)
            )
            target.puts[w.id] = doc
            shard_key_of[w.id] = target_key
            if target_key != key:
                src = out.plans.get(key) or out.plans.setdefault(
                    key, _Plan(source.path, WORKERS, source.file)
                )
                src.removes.add(w.id)
            out.stored[w.id] = new
            out.logs.append(
                self._entry(
                    at,
                    "update",
                    "worker",
                    str(w.id),
                    rev,
                    public_worker(current, w.id),
                    public_worker(doc, w.id),
                )
            )
        return out

    @_redone_after_outside_change
    def delete_worker(self, worker_id: int, revision: int) -> None:
        with self._guard(), self._writing():
            source = self._locate(worker_id)
            assert source.file is not None
            current = source.file.docs[worker_id]
            if revision != rev_of(current):
                self._refuse(
                    "worker",
                    worker_id,
                    current,
                    public_worker(current, worker_id),
                    {"delete": worker_id, "revision": revision},
                )
            plan = _Plan(source.path, WORKERS, source.file, removes={worker_id})
            log = self._entry(
                now_iso(),
                "delete",
                "worker",
                str(worker_id),
                revision,
                public_worker(current, worker_id),
                None,
            )
            self._execute([plan], [log])

    def workers(self, query: WorkerQuery | None = None) -> list[Worker]:
        q = query or WorkerQuery()
        day = q.on or dt.date.today()
        with self._guard():
            self._refresh()
            allowed: set[str] | None = None
            keys: list[str] = list(self._shards)
            if q.street is not None or q.district is not None or q.jurisdiction is not None:
                matching = [
                    doc
                    for doc in self._community_docs()
                    if (q.street is None or doc.get("street") == q.street)
                    and (q.district is None or doc.get("district") == q.district)
                    and (q.jurisdiction is None or doc.get("jurisdiction") == q.jurisdiction)
                ]
                allowed = {doc["id"] for doc in matching}
                wanted = {shard_key(doc["district"], doc["street"]) for doc in matching}
                keys = [k for k in keys if k in wanted]
            if q.community is not None:
                allowed = {q.community} if allowed is None else allowed & {q.community}
                doc_id = self._community_ids.get(q.community)
                if doc_id is not None:
                    doc = self._comm_file().docs[doc_id]
                    own = shard_key(doc["district"], doc["street"])
                    keys = [k for k in keys if k == own]
            out: list[Worker] = []
            with collector_paused():
                self._collect(keys, allowed, q.status, day, out)
            out.sort(key=lambda w: w.id)
            return out

    def _collect(
        self,
        keys: list[str],
        allowed: set[str] | None,
        status: Status | None,
        day: dt.date,
        out: list[Worker],
    ) -> None:
        for key in keys:
            st = self._shards[key]
            if (
                allowed is not None
                and not st.stale
                and not any(cid in allowed for _, cid in st.entries.values())
            ):
                continue
            was_parsed = st.file is not None
            st = self._parsed(key)
            assert st.file is not None
            for wid, doc in st.file.docs.items():
                if allowed is not None and doc["community_id"] not in allowed:
                    continue
                w = self._worker(st, wid)
                if status is not None and w.status_on(day) != status:
                    continue
                out.append(w)
            self._release(st, was_parsed)

    def _release(self, st: _Shard, was_parsed: bool) -> None:
        """Forget the documents of a shard parsed only to be read through: in a city, every
        street's parsed file held at once doubles a bulk read's memory (~450 MB at 50,000
        workers). The version stays pinned, so a later edit re-parses exactly it (one street,
        milliseconds); the workers already built stay cached until then."""
        if not was_parsed and not st.stale and st.commit and self._shards.get(st.key) is st:
            st.file = None

    def worker_summaries(self, limit: int | None = None) -> list[WorkerSummary]:
        """What a list shows of every worker (or of the `limit` lowest ids), by id, without
        building whole workers: a roster of 50,000 needs no `Worker` until one is opened."""
        with self._guard():
            self._refresh()
            keys: list[str] = list(self._shards)
            if limit is not None:
                lowest = heapq.nsmallest(limit, self._id_shard)
                keys = list(dict.fromkeys(self._id_shard[wid] for wid in lowest))
            reader = SummaryReader()
            out: list[WorkerSummary] = []
            with collector_paused():
                for key in keys:
                    was_parsed = self._shards[key].file is not None
                    st = self._parsed(key)
                    assert st.file is not None
                    out.extend(reader.summaries(st.file.docs.items(), functools.partial(self._worker, st)))
                    self._release(st, was_parsed)
            out.sort(key=lambda w: w.id)
            return out if limit is None else out[:limit]

    def find_worker_by_id_number(self, id_number: str) -> Worker | None:
        with self._guard():
            self._refresh()
            self._settle()
            wid = self._by_id_number.get(normalise_resident_id(id_number))
            if wid is None:
                return None
            return self._worker(self._parsed(self._id_shard[wid]), wid)

    def find_workers_by_id_numbers(self, id_numbers: Iterable[str]) -> dict[str, Worker]:
        """The workers holding any of these resident IDs, by ID: loads only those (an import
        of 10,000 rows into a city's registry need not build the other 40,000 workers)."""
        with self._guard():
            self._refresh()
            self._settle()
            out: dict[str, Worker] = {}
            with collector_paused():
                for number in id_numbers:
                    wid = self._by_id_number.get(normalise_resident_id(number))
                    if wid is not None:
                        out[number] = self._worker(self._parsed(self._id_shard[wid]), wid)
            return out

    def count_workers(self) -> int:
        with self._guard():
            self._refresh()
            self._settle()
            return len(self._id_shard)

    # --- history -------------------------------------------------------------------------------

    def changes(
        self,
        *,
        kind: str | None = None,
        key: str | None = None,
        since: str | None = None,
    ) -> list[Change]:
        with self._guard():
            return self._audit_log.read(kind=kind, key=key, since=since)

    def record_event(self, action: str, kind: str, key: str, note: str = "", after: Any = None) -> None:
        with self._guard():
            self._audit([self._entry(now_iso(), action, kind, key, 0, None, after, note)])

    # --- documents workflows keep ----------------------------------------------------------------

    def save_document(self, kind: str, key: str, data: Any) -> None:
        """Keep a JSON-ready document (a payroll run, an assessment round) under `kind`/`key`."""
        with self._guard(), self._locked():
            path = workdocs.path_for(self._layout, kind, key)
            self._touch(path)
            try:
                old: bytes | None = path.read_bytes()
            except FileNotFoundError:
                old = None
            replaced = workdocs.save(self._layout, kind, key, data)
            try:
                self._audit(
                    [self._entry(now_iso(), "update" if replaced else "add", kind, key, 0, None, None)]
                )
            except RegistryWriteFailed:
                if old is None:
                    remove_durably(path)
                else:
                    atomic_write(path, old)
                raise

    def load_document(self, kind: str, key: str) -> Any | None:
        with self._guard():
            return workdocs.load(self._layout, kind, key)

    def list_documents(self, kind: str) -> list[str]:
        with self._guard():
            return workdocs.keys(self._layout, kind)

    # --- reading state -------------------------------------------------------------------------

    def _comm_file(self) -> TinyFile:
        if self._communities is None:
            self._sync_communities()
        assert self._communities is not None
        return self._communities

    def _community_docs(self) -> list[Doc]:
        return list(self._comm_file().docs.values())

    def _community(self, community_id: str) -> Community:
        cached = self._community_objs.get(community_id)
        if cached is not None:
            return cached
        doc_id = self._community_ids.get(community_id)
        if doc_id is None:
            raise NotFound("community", community_id)
        comm = self._comm_file()
        try:
            with trusted_load():
                community = structure_stored(
                    public_community(comm.docs[doc_id]), Community, where=f"community {community_id}"
                )
        except (ValidationError, ValidationErrors) as exc:
            raise CorruptFile(
                comm.path, translate("storage.corrupt.document", key=community_id, detail=exc.render())
            ) from None
        self._community_objs[community_id] = community
        return community

    def _community_or_invalid(self, community_id: str) -> Community:
        if community_id not in self._community_ids:
            raise ValidationError("community_id", msg("invalid.unknown_community", id=community_id))
        return self._community(community_id)

    def _worker(self, st: _Shard, worker_id: int) -> Worker:
        cached = st.workers.get(worker_id)
        if cached is not None:
            return cached
        assert st.file is not None
        try:
            with trusted_load():
                worker = structure_stored(
                    public_worker(st.file.docs[worker_id], worker_id), Worker, where=f"worker {worker_id}"
                )
        except (ValidationError, ValidationErrors) as exc:
            raise CorruptFile(
                st.path, translate("storage.corrupt.document", key=worker_id, detail=exc.render())
            ) from None
        st.workers[worker_id] = worker
        return worker

    def _parsed(self, key: str) -> _Shard:
        """The shard with its documents parsed, from the version pinned when it was last seen."""
        st = self._shards[key]
        if st.file is not None:
            return st
        file = load_pinned(st.path, WORKERS, st.pinned, st.previous)
        self._check_schemas(file)
        entries = _entries_of(file)
        previous, kept = st.previous, {}
        if previous is not None:
            for wid, worker in st.workers.items():
                new_doc, old_doc = file.docs.get(wid), previous.docs.get(wid)
                if new_doc is not None and (new_doc is old_doc or new_doc == old_doc):
                    kept[wid] = worker
        elif not st.stale:
            kept = st.workers  # released after a bulk read (`_release`): the very version they came from
        st.workers = kept
        if entries != st.entries or st.stale:
            self._reindex(key, st.entries, entries)
            st.entries = entries
            self._index_dirty = True
            self._index_parses += 1
        st.file, st.commit, st.stale, st.previous = file, file.commit, False, None
        if self._needs_migration and not self._migrating:
            self._migrate_now()
            return self._parsed(key)
        return st

    def _settle(self) -> None:
        """Parse every shard changed since it was last parsed, so the global indexes are exact.
        Under the lock, first look at every file once: a street changed by hand may hold the
        resident ID about to be given to someone else."""
        if self._lock.held and not self._scanned_all_while_locked:
            self._sync_shards(full=True)
        for key in [k for k, st in self._shards.items() if st.stale]:
            if key in self._shards:
                self._parsed(key)

    def _locate(self, worker_id: int) -> _Shard:
        """The parsed shard holding `worker_id`, looking further only if the index was out of date."""
        key = self._id_shard.get(worker_id)
        if key is not None:
            st = self._parsed(key)
            if st.file is not None and worker_id in st.file.docs:
                return st
        self._settle()
        key = self._id_shard.get(worker_id)
        if key is None:
            raise NotFound("worker", worker_id)
        return self._parsed(key)

    # --- keeping up with other processes --------------------------------------------------------

    def _refresh(self) -> None:
        """See other processes' commits, never half of a multi-file change (module docstring)."""
        if self._closed:
            raise RegistryMissing(self.path)
        if self._lock.held:
            return
        for _ in range(3):
            self._sync_meta()
            generation = self.generation
            if self._change_in_flight():
                break
            changed = self._sync_communities()
            full = time.monotonic() - self._shards_scanned_at >= _FULL_SCAN_EVERY
            changed = self._sync_shards(full=full) or changed
            if not changed:
                return
            if self._change_in_flight():
                break
            self._sync_meta()
            if self.generation == generation:
                return
        self._wait_for_writer()

    def _change_in_flight(self) -> bool:
        """A change to several files is being applied (its journal is there), so a reader must
        not look now or it could see half of it. A one-file change's journal does not count: that
        file is replaced atomically, so readers see all of the change or none of it."""
        try:
            data = self._layout.journal.read_bytes()
        except FileNotFoundError:
            return False
        except OSError:
            return True
        try:
            raw = orjson.loads(data)
        except orjson.JSONDecodeError:
            return True
        files = raw.get("files") if isinstance(raw, dict) else None
        return not (isinstance(files, list) and len(files) == 1)

    def _wait_for_writer(self) -> None:
        """Catch up under the lock (finishing a journal a killed writer left). A reader who may
        not take the lock (the owner's group: `.lock` is the owner's alone) waits for the writer
        to finish instead, then looks again; a journal that stays (its writer was killed) is
        `RegistryBusy` until someone who may write opens the registry and finishes it."""
        try:
            with self._locked():
                return
        except LockDenied:
            pass
        deadline = time.monotonic() + self._lock.timeout
        while self._change_in_flight():
            if time.monotonic() >= deadline:
                raise RegistryBusy(str(self._layout.journal), self._lock.timeout)
            time.sleep(0.01)
        self._shards_scanned_at = 0.0
        self._refresh()  # as any reader: never half of a change that began meanwhile

    def _refresh_communities(self) -> None:
        """What a read of communities alone needs: the newest communities file, unless a
        multi-file change is in flight (then as `_refresh`). Rules ask for a worker's community
        once per worker, and looking at every street's file each time cost more than the rule:
        ~700 `stat` calls per lookup in a city of 50,000 workers."""
        if self._closed:
            raise RegistryMissing(self.path)
        if self._lock.held:
            return
        self._sync_meta()
        if self._change_in_flight():
            self._refresh()
            return
        self._sync_communities()

    def _refresh_streets(self, keys: Iterable[str | None]) -> None:
        """What preparing an edit of these streets' workers needs: their newest files and the
        newest communities, with a `stat` each; anything else another process changed is caught
        under the lock (`_locked`), where an edit prepared on an older version is redone. Saves
        an edit a look at every street file before the lock (~1,100 entries in a city)."""
        if self._closed:
            raise RegistryMissing(self.path)
        if self._lock.held:
            return
        self._sync_meta()
        if self._change_in_flight():
            self._refresh()
            return
        self._sync_communities()
        for key in keys:
            st = self._shards.get(key) if key is not None else None
            if st is None or not st.pinned.current():
                self._refresh()
                return

    @contextlib.contextmanager
    def _locked(self, *, list_streets: bool = True) -> Iterator[None]:
        """Hold the lock, caught up with every commit. Without `list_streets` the street files
        are not listed: for an edit prepared before the lock, which checks its own street's file
        (`_Speculation.still_valid`) and else lists them before doing the edit anew."""
        with self._lock.hold() as outermost:
            if outermost:
                self._scanned_all_while_locked = False
                self._sync_meta()
                self._finish_restore(strict=True)
                journal = self._layout.journal.exists()
                if journal:
                    self._replay()
                self._sync_communities()
                if list_streets or journal or self._scan_all_when_locked:
                    self._sync_shards(full=self._scan_all_when_locked)
                if self._needs_migration and not self._migrating:
                    self._migrate()
                self._give_registry_id()
            yield

    @contextlib.contextmanager
    def _writing(self, prefetch: Callable[[], object] | None = None) -> Iterator[None]:
        """Catch up without the lock (parsing is slow), then lock and catch up with the rest."""
        self._refresh()
        if prefetch is not None:
            prefetch()
        with self._locked():
            yield

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Translate a broken file into `RegistryCorrupt`; after a failed write, forget what it touched."""
        with self._mutex:
            try:
                yield
            except CorruptFile as exc:
                self._forget(self._touched)
                self._shards_scanned_at = 0.0  # after damage, the next read looks at every file
                self._scan_all_when_locked = True
                raise self._corrupt(exc) from None
            except BaseException:
                self._forget(self._touched)
                self._shards_scanned_at = 0.0
                self._scan_all_when_locked = True
                raise
            finally:
                self._touched = set()
                retired, self._retired = self._retired, []
                for pinned in retired:
                    pinned.close()
                if not self._lock.held:
                    self._maybe_save_index()

    def _corrupt(self, exc: CorruptFile) -> RegistryCorrupt:
        backup = newest_good_backup(self._layout, exc.path, self._checker(exc.path))
        return RegistryCorrupt(str(exc.path), exc.reason, str(backup) if backup else None)

    def _checker(self, path: Path) -> Callable[[Path], object]:
        name = path.name
        if path.parent == self.root and name == self._layout.meta.name:
            return lambda p: _parse_meta(p, p.read_bytes())
        if path.parent == self.root and name == self._layout.communities.name:
            return lambda p: parse_file(p, COMMUNITIES, p.read_bytes(), None)
        if path.parent == self._layout.workers:
            return lambda p: parse_file(p, WORKERS, p.read_bytes(), None)
        return read_json

    def _sync_meta(self) -> bool:
        if self._meta_pin is not None and self._meta_pin.current():
            return False
        pin = open_pinned(self._layout.meta)
        if pin is None:
            raise RegistryMissing(self.path)
        try:
            meta = _parse_meta(self._layout.meta, pin.read_all())
        except BaseException:
            pin.close()
            raise
        old, self._meta_pin, self._meta = self._meta_pin, pin, meta
        self._retire(old)
        if meta["schema"] > SCHEMA_VERSION:
            raise RegistryTooNew(str(self._layout.meta), meta["schema"], SCHEMA_VERSION)
        if meta["schema"] < SCHEMA_VERSION:
            self._needs_migration = True
        return True

    def _sync_communities(self) -> bool:
        current = self._communities
        if current is not None and current.pinned is not None and current.pinned.current():
            return False
        path = self._layout.communities
        pin = open_pinned(path)
        if pin is None:
            raise CorruptFile(path, translate("storage.corrupt.missing"))
        try:
            file = load_pinned(path, COMMUNITIES, pin, current)
            self._check_schemas(file)
        except BaseException:
            pin.close()
            raise
        self._install_communities(file)
        return True

    def _sync_shards(self, *, full: bool) -> bool:
        """Pin every street file replaced since the last look (with `full`, changed in any way).

        A commit replaces its file by a rename, so a new version has a new inode, which the
        directory listing gives without a `stat` per file (a `stat` of each of 1,100 files was
        ~20 ms of every read and edit in a city). A file changed in place (by hand) keeps its
        inode: a reader without the lock still looks at every file with `stat` every few
        seconds; a writer checks the files it is about to replace (`_check_targets`), and looks
        at every file when it needs all of them to be exact (`_settle`, a migration).
        """
        try:
            found = {
                e.name[:-5]: e.inode()
                for e in os.scandir(self._layout.workers)
                if e.name.endswith(".json") and not e.name.startswith(".")
            }
        except FileNotFoundError:
            found = {}
        keys = set(found)
        _allow_descriptors(len(keys))
        changed = False
        for key in keys:
            st = self._shards.get(key)
            if st is not None and not full and st.pinned.sig.ino == found[key]:
                continue  # not replaced (where listings give other inode numbers, `stat` decides)
            if st is not None and st.pinned.current():
                continue
            self._load_shard(key)
            changed = True
        if full:
            self._shards_scanned_at = time.monotonic()
            self._scan_all_when_locked = False
            self._scanned_all_while_locked = self._lock.held
        for key in [k for k in self._shards if k not in keys]:
            self._forget_shard(key)
            changed = True
        return changed

    def _load_shard(self, key: str) -> None:
        """Note a new version of a shard: pin it now (so a later parse reads exactly this version),
        take its entries from the index cache if that is provably current, else parse it lazily."""
        path = self._layout.shard(key)
        pin = open_pinned(path)
        if pin is None:
            self._forget_shard(key)
            return
        try:
            head = head_of(pin)
            if head is not None and head[1] > SCHEMA_VERSION:
                raise RegistryTooNew(str(path), head[1], SCHEMA_VERSION)
            if head is not None and head[1] < SCHEMA_VERSION:
                self._needs_migration = True
            hint = self._index_hint.get(key)
            if (
                hint is not None
                and head == (hint.commit, SCHEMA_VERSION)
                and (pin.sig.size, pin.sig.mtime_ns) == (hint.size, hint.mtime_ns)
            ):
                self._install_shard(_Shard(key, path, pin, hint.commit, dict(hint.entries), None))
                return
        except BaseException:
            pin.close()
            raise
        old = self._shards.get(key)
        st = _Shard(key, path, pin, head[0] if head else "", old.entries if old else {}, None)
        st.stale = True
        if old is not None:
            st.previous = old.file if old.file is not None else old.previous
            st.workers = old.workers
            self._retire(old.pinned)
        self._shards[key] = st

    def _check_schemas(self, file: TinyFile) -> None:
        versions = {file.schema} | {schema_of(d) for d in file.docs.values()}
        newest = max(versions)
        if newest > SCHEMA_VERSION:
            raise RegistryTooNew(str(file.path), newest, SCHEMA_VERSION)
        if min(versions) < SCHEMA_VERSION:
            self._needs_migration = True

    # --- installing new versions ----------------------------------------------------------------

    def _install_communities(self, file: TinyFile, fresh: dict[str, Community] | None = None) -> None:
        old = self._communities
        ids = {str(doc.get("id", "")): doc_id for doc_id, doc in file.docs.items()}
        objs: dict[str, Community] = {}
        if old is not None:
            for cid, obj in self._community_objs.items():
                new_id, old_id = ids.get(cid), self._community_ids.get(cid)
                if new_id is None or old_id is None:
                    continue
                new_doc, old_doc = file.docs[new_id], old.docs.get(old_id)
                if new_doc is old_doc or new_doc == old_doc:
                    objs[cid] = obj
        if fresh:
            objs.update(fresh)
        self._communities, self._community_ids, self._community_objs = file, ids, objs
        if old is not None and old.pinned is not file.pinned:
            self._retire(old.pinned)

    def _install_shard(self, st: _Shard, fresh: dict[int, Worker] | None = None) -> None:
        old = self._shards.get(st.key)
        old_entries: Entries = {}
        if old is not None:
            old_entries = old.entries
            if old.file is not None and st.file is not None:
                for wid, w in old.workers.items():
                    new_doc, old_doc = st.file.docs.get(wid), old.file.docs.get(wid)
                    if new_doc is not None and (new_doc is old_doc or new_doc == old_doc):
                        st.workers[wid] = w
            if old.pinned is not st.pinned:
                self._retire(old.pinned)
        if fresh:
            st.workers.update({wid: w for wid, w in fresh.items() if wid in st.entries})
        self._shards[st.key] = st
        self._reindex(st.key, old_entries, st.entries)

    def _reindex(self, key: str, old: Entries, new: Entries) -> None:
        if not old:  # a street seen for the first time (every street, when a registry opens)
            self._id_shard.update(dict.fromkeys(new, key))
            self._by_id_number.update({idn: wid for wid, (idn, _) in new.items()})
            return
        for wid, (idn, _) in old.items():
            if wid in new:
                continue
            if self._id_shard.get(wid) == key:
                del self._id_shard[wid]
                if self._by_id_number.get(idn) == wid:
                    del self._by_id_number[idn]
        for wid, (idn, _) in new.items():
            was = old.get(wid)
            if was is not None and was[0] != idn and self._by_id_number.get(was[0]) == wid:
                del self._by_id_number[was[0]]
            self._id_shard[wid] = key
            self._by_id_number[idn] = wid

    def _forget_shard(self, key: str) -> None:
        st = self._shards.pop(key, None)
        if st is not None:
            self._reindex(key, st.entries, {})
            self._retire(st.pinned)

    def _forget(self, paths: set[Path]) -> None:
        """Drop cached versions of files a failed operation may have changed; they are re-read."""
        for path in paths:
            if path == self._layout.meta and self._meta_pin is not None:
                self._retire(self._meta_pin)
                self._meta_pin = None
            elif path == self._layout.communities and self._communities is not None:
                self._retire(self._communities.pinned)
                self._communities = None
            elif path.parent == self._layout.workers and path.suffix == ".json":
                self._forget_shard(path.stem)

    def _touch(self, path: Path) -> None:
        self._touched.add(path)

    def _retire(self, pinned: Pinned | None) -> None:
        """Close an old version's descriptor once the operation is over: closing the last one
        frees a replaced file's blocks, which is slow and need not hold up the lock."""
        if pinned is not None:
            self._retired.append(pinned)

    # --- writing -------------------------------------------------------------------------------

    def _evolve(self, value: _T, **changes: Any) -> _T:
        with trusted_load():
            return attrs.evolve(value, **changes)

    def _entry(
        self,
        at: str,
        action: str,
        kind: str,
        key: str,
        revision: int,
        before: Any,
        after: Any,
        note: str = "",
    ) -> Entry:
        return entry(
            at=at,
            user=self.user,
            uid=self.uid,
            action=action,
            kind=kind,
            key=key,
            revision=revision,
            before=before,
            after=after,
            note=note,
        )

    def _shard_plan(self, key: str, district: str, street: str) -> _Plan:
        path = self._layout.shard(key)
        header = {"district": district, "street": street}
        if key in self._shards:
            st = self._parsed(key)
            assert st.file is not None
            return _Plan(path, WORKERS, st.file, header=header)
        return _Plan(path, WORKERS, empty_file(path, WORKERS, header), header=header)

    def _prepare(self, plan: _Plan) -> TinyFile:
        txn = plan.base.txn()
        txn.remove(i for i in plan.removes if i not in plan.puts)
        txn.put(plan.puts)
        return txn.result(plan.header)

    def _install(
        self, plan: _Plan, file: TinyFile, workers: dict[int, Worker], communities: dict[str, Community]
    ) -> None:
        if plan.kind == COMMUNITIES:
            self._install_communities(file, communities)
            return
        assert file.pinned is not None
        key = plan.path.stem
        self._install_shard(
            _Shard(key, plan.path, file.pinned, file.commit, _entries_of(file), file), workers
        )
        self._index_dirty = True

    def _execute(
        self,
        plans: list[_Plan],
        logs: list[Entry],
        *,
        workers: dict[int, Worker] | None = None,
        communities: dict[str, Community] | None = None,
        prepared: PreparedFile | None = None,
    ) -> None:
        """Commit the plans and their audit entries together, through the journal (see `journal`):
        journal, data, audit, then the journal removed. A change whose entries cannot be written
        is taken back and refused (`AuditNotWritten`): no change stands without its entry.
        `prepared` is the one file of an edit written before the lock (`_Speculation`)."""
        self._check_targets(plans)
        fresh_w, fresh_c = workers or {}, communities or {}
        versions = [(p, None if prepared is not None else self._prepare(p)) for p in plans]
        if not versions:
            return
        several = len(versions) > 1
        txn = secrets.token_hex(16)
        for log in logs:
            log["txn"] = txn
        generation = self.generation + 1 if several else self.generation
        journal = Journal(
            txn=txn,
            created_at=now_iso(),
            user=self.user,
            generation=generation,
            files=tuple(_file_change(self._layout.relative(p.path), p) for p in plans),
            audit=tuple(logs),
        )
        self._touch(self._layout.journal)
        write_journal(self._layout.journal, journal)
        faults.point("journal_written", self._layout.journal)
        written: list[_Plan] = []
        try:
            for i, (plan, version) in enumerate(versions):
                if i:
                    faults.point("between_shards", plan.path)
                self._touch(plan.path)
                if version is None:
                    assert prepared is not None
                    new = prepared.commit()
                else:
                    new = write_file(version)
                written.append(plan)
                self._install(plan, new, fresh_w, fresh_c)
            if several:
                self._touch(self._layout.meta)
                self._write_meta(generation=generation)
            faults.point("journal_applied", self._layout.journal)
        except RegistryWriteFailed as exc:
            self._roll_back(written, generation, exc)
            raise
        try:
            self._audit_log.append(logs)
        except RegistryWriteFailed as exc:
            refused = audit_not_written(exc)
            self._roll_back(written, generation, refused)
            raise refused from None
        with contextlib.suppress(RegistryWriteFailed):  # change and entries stand: a replay tidies up
            remove_journal(self._layout.journal)

    def _check_targets(self, plans: Iterable[_Plan]) -> None:
        """Under the lock, before anything is written: each street file about to be replaced is
        still the version its plan was read from, else the write is redone (`_ChangedOutside`).

        Other writers replace files by a rename, which the listing under the lock has already
        seen (a new inode); this catches a file changed in place, by hand, which a write would
        otherwise overwrite: one `stat` per file written, not one per street of the city. A
        change to a file this write does not replace cannot be lost by it, and readers look at
        every file every few seconds. communities.json and registry.json are looked at on every
        lock anyway.
        """
        for plan in plans:
            if plan.kind != WORKERS:
                continue
            pinned = plan.base.pinned
            unchanged = pinned.current() if pinned is not None else not os.path.lexists(plan.path)
            if not unchanged:
                self._scan_all_when_locked = True
                raise _ChangedOutside

    def _roll_back(self, written: list[_Plan], generation: int, exc: RegistryWriteFailed) -> None:
        """Undo the files a failed multi-file change already replaced; or leave it to the journal."""
        try:
            for plan in reversed(written):
                self._touch(plan.path)
                if not plan.base.commit:  # the file did not exist before
                    remove_durably(plan.path)
                    self._forget_shard(plan.path.stem)
                    continue
                old = TinyFile(
                    plan.path, plan.kind, new_header(plan.kind, plan.base.header), plan.base.docs, None
                )
                self._install(plan, write_file(old), {}, {})
            self._write_meta(generation=generation)
            remove_journal(self._layout.journal)
        except RegistryWriteFailed as again:
            raise RegistryWriteFailed(
                exc.path, translate("storage.write.pending", reason=exc.reason, journal=self._layout.journal)
            ) from again

    def _write_meta(self, **changes: Any) -> None:
        meta = dict(self._meta)
        meta.update(changes)
        pin = atomic_write(self._layout.meta, dumps(meta, pretty=True), pin=True)
        old, self._meta_pin, self._meta = self._meta_pin, pin, meta
        self._retire(old)

    def _audit(self, logs: list[Entry]) -> None:
        """Append audit entries now; raises `AuditNotWritten` if they cannot be written (a
        refusal or an event then says so, and a document is not kept, see `save_document`)."""
        if not logs:
            return
        try:
            self._audit_log.append(logs)
        except RegistryWriteFailed as exc:
            raise audit_not_written(exc) from None

    def _note(self, logs: list[Entry]) -> None:
        """Entries of what is no change to the records (a backup made, a conflict kept, a
        migration's summary): written if possible, else a warning, never a reason to fail."""
        try:
            self._audit(logs)
        except RegistryWriteFailed as exc:
            warnings.warn(f"audit not written: {exc}", RuntimeWarning, stacklevel=3)

    def _keep_conflict(self, kind: str, key: str, current: Doc, theirs: Doc, yours: Any) -> str:
        meta = meta_of(current)
        yours_doc = yours if isinstance(yours, dict) else unstructure(yours)
        your_rev = int(yours_doc.get("revision", 0)) if isinstance(yours_doc, dict) else 0
        at = now_iso()
        try:
            kept = str(
                save_conflict(
                    self._layout,
                    kind=kind,
                    key=key,
                    user=self.user,
                    at=at,
                    yours=yours_doc,
                    theirs=theirs,
                    your_revision=your_rev,
                    their_revision=rev_of(current),
                    changed_by=str(meta.get("changed_by", "?")),
                    changed_at=str(meta.get("changed_at", "?")),
                )
            )
        except RegistryWriteFailed as exc:
            kept = translate("storage.conflict.not_saved", reason=exc.reason)
        self._note(
            [
                self._entry(
                    at,
                    "refused",
                    kind,
                    key,
                    rev_of(current),
                    theirs,
                    yours_doc,
                    translate("storage.note.kept", path=kept),
                )
            ]
        )
        return kept

    def _refuse(self, kind: str, key: object, current: Doc, theirs: Doc, yours: Any) -> None:
        kept = self._keep_conflict(kind, str(key), current, theirs, yours)
        meta = meta_of(current)
        raise StaleRevision(
            kind,
            key,
            changed_by=str(meta.get("changed_by", "?")),
            changed_at=display_time(str(meta.get("changed_at", "?"))),
            theirs=theirs,
            yours=yours if isinstance(yours, dict) else unstructure(yours),
            kept_at=kept,
        )

    def _backup_if_due(self) -> None:
        """The backup made on open (see `backups.due`). It never delays or prevents opening: it is
        skipped while another process holds the lock, and a failure (a full disk, a read-only
        medium) is a warning, since reading must still work."""
        with self._guard(), contextlib.suppress(RegistryBusy, LockDenied), self._lock.hold(timeout=0.0):
            if self._layout.journal.exists() or self._restore_pending() or not due(self._layout):
                return
            try:
                self._backup(translate("backup.reason.on_open"), AUTOMATIC)
            except RegistryWriteFailed as exc:
                warnings.warn(f"backup on open not made: {exc}", RuntimeWarning, stacklevel=3)

    def _backup(self, reason: str, pool: str) -> Path:
        path = make_backup(
            self._layout, reason, self.user, self.schema_version, generation=self.generation, pool=pool
        )
        with contextlib.suppress(OSError):
            prune_backups(self._layout, keep_of(self._meta), pool=pool, spare=(path.name,))
        prune_conflicts(self._layout, conflicts_keep_of(self._meta))  # never raises OSError
        self._note(
            [self._entry(now_iso(), "backup", "registry", path.name, self.generation, None, None, reason)]
        )
        return path

    # --- recovery and migration -------------------------------------------------------------------

    def _restore_pending(self) -> bool:
        return (self.root / RESTORE_MARKER).exists()

    def _finish_restore(self, *, strict: bool) -> None:
        """Finish (or roll back) a restore cut short, lock held. If it cannot be, `strict` (a
        write) raises `RestoreUnfinished`: no write lands on a registry that is half one backup;
        opening to read goes on."""
        if not self._restore_pending():
            return
        try:
            finish_restore(self._layout, self.user)
        except RestoreUnfinished:
            if strict:
                raise
            return
        self._scan_all_when_locked = True  # every file may have been replaced
        self._sync_meta()

    def _is_a_backup(self) -> bool:
        """Whether this is a copy in another registry's `backups/` (opened to look at it): an old
        one must keep the id it has (none), or it would no longer match its registry."""
        parent = self.root.parent
        return parent.name == self._layout.backups.name and Layout(parent.parent).meta.is_file()

    def _give_registry_id(self) -> None:
        """An old registry gets its `registry_id` (see `migrations`), lock held; a registry on a
        medium it cannot write to simply stays without one."""
        if has_registry_id(self._meta) or self._restore_pending() or self._is_a_backup():
            return
        self._sync_meta()  # the lock may have been taken after the last look
        if has_registry_id(self._meta):
            return
        new = new_registry_id()
        try:
            self._touch(self._layout.meta)
            self._write_meta(registry_id=new)
        except RegistryWriteFailed:
            return
        self._note(
            [self._entry(now_iso(), "migrate", "registry", "registry_id", self.generation, None, new, "")]
        )

    def _replay(self) -> None:
        """Finish a change a killed process left in the journal (lock held): its data, then its
        audit entries; if those cannot be written, take the data back (no change without its
        entry), so the change and its entries are kept or lost together."""
        journal = read_journal(self._layout.journal)
        if journal is None:
            return
        self._apply_changes(journal.files, undo=False)
        self._sync_meta()
        if self.generation < journal.generation:
            self._touch(self._layout.meta)
            self._write_meta(generation=journal.generation)
        present = self._audit_log.present(journal.txn, journal.audit)
        missing = [e for e in journal.audit if (e["action"], e["kind"], e["key"]) not in present]
        note = translate("storage.note.replayed", txn=journal.txn, user=journal.user, at=journal.created_at)
        recovered = self._entry(
            now_iso(), "recover", "registry", journal.txn, journal.generation, None, None, note
        )
        try:
            self._audit_log.append([*missing, recovered])
        except RegistryWriteFailed as exc:
            if not missing:  # the change's own entries are there: it stands
                warnings.warn(f"journal applied, recovery not noted: {exc}", RuntimeWarning, stacklevel=2)
            else:
                self._apply_changes(journal.files, undo=True)
                self._touch(self._layout.meta)
                self._write_meta(generation=self.generation + 1)
                warnings.warn(
                    f"change taken back, its audit entry not writable: {exc}", RuntimeWarning, stacklevel=2
                )
        remove_journal(self._layout.journal)

    def _apply_changes(self, changes: Iterable[FileChange], *, undo: bool) -> None:
        """Set each file's documents to the journal's new versions (or, with `undo`, back to
        what they were); idempotent, so a replay may stop and start again anywhere."""
        for change in changes:
            if change.kind not in (WORKERS, COMMUNITIES):
                raise CorruptFile(
                    self._layout.journal,
                    translate("storage.corrupt.structure", detail=f"unknown kind {change.kind!r}"),
                )
            docs = change.undo if undo else change.docs
            path = self.root / change.path
            pin = open_pinned(path)
            try:
                base = (
                    load_pinned(path, change.kind, pin) if pin is not None else empty_file(path, change.kind)
                )
                plan = _Plan(
                    path,
                    change.kind,
                    base,
                    header=change.header,
                    puts={i: d for i, d in docs.items() if d is not None},
                    removes={i for i, d in docs.items() if d is None},
                )
                version = self._prepare(plan)
                if version.docs == base.docs and (pin is not None or not version.docs):
                    continue
                self._touch(path)
                written = write_file(version)
                if written.pinned is not None:
                    written.pinned.close()
            finally:
                if pin is not None:
                    pin.close()

    def _migrate_now(self) -> None:
        if self._lock.held:
            self._migrate()
        else:
            with self._locked():
                pass

    def _migrate(self) -> None:
        """Carry every older document to SCHEMA_VERSION, after a full backup (lock held)."""
        self._migrating = True
        try:
            self._sync_shards(full=True)  # every file is rewritten: none may hide a change by hand
            found = self.schema_version
            backup = self._backup(
                translate("storage.backup.migration", found=found, target=SCHEMA_VERSION), AUTOMATIC
            )
            pending: list[tuple[_Plan, TinyFile]] = []
            count = 0
            comm = self._comm_file()
            for key in list(self._shards):
                self._parsed(key)
            for kind, file in [("community", comm)] + [
                ("worker", st.file) for st in self._shards.values() if st.file is not None
            ]:
                plan = _Plan(file.path, file.kind, file, header=dict(file.header))
                for doc_id, doc in file.docs.items():
                    doc_schema = schema_of(doc)
                    if doc_schema >= SCHEMA_VERSION:
                        continue
                    try:
                        body = migrate(kind, body_of(doc), doc_schema)
                        new = normalise({**body, META_KEY: {**meta_of(doc), "schema": SCHEMA_VERSION}})
                        if kind == "worker":
                            worker_from_doc(new, doc_id)
                        else:
                            community_from_doc(new)
                    except (MigrationMissing, ValidationError, ValidationErrors, KeyError, TypeError) as exc:
                        detail = (
                            exc.render() if isinstance(exc, ValidationError | ValidationErrors) else str(exc)
                        )
                        raise MigrationFailed(str(file.path), f"{doc_id}: {detail}", str(backup)) from None
                    plan.puts[doc_id] = new
                    count += 1
                if plan.puts or file.schema < SCHEMA_VERSION:
                    pending.append((plan, self._prepare(plan)))
            for plan, version in pending:
                self._touch(plan.path)
                self._install(plan, write_file(version), {}, {})
            self._touch(self._layout.meta)
            self._write_meta(schema=SCHEMA_VERSION, generation=self.generation + 1)
            note = translate(
                "storage.note.migrated", found=found, target=SCHEMA_VERSION, count=count, backup=backup
            )
            self._note(
                [
                    self._entry(
                        now_iso(),
                        "migrate",
                        "registry",
                        "schema",
                        SCHEMA_VERSION,
                        found,
                        SCHEMA_VERSION,
                        note,
                    )
                ]
            )
            self._needs_migration = False
        finally:
            self._migrating = False


# --- creating ------------------------------------------------------------------------------------


def create_registry(
    root: Path, *, user: str | None = None, lock_timeout: float = DEFAULT_TIMEOUT
) -> Registry:
    """Make a new, empty registry in `root` (created if missing, else empty) and open it."""
    root = root.absolute()
    layout = Layout(root)
    if layout.meta.exists():
        raise RegistryExists(str(root))
    if root.exists() and not root.is_dir():
        raise RegistryNotEmpty(str(root), [root.name])
    make_dir(root, parents=True)
    strangers = sorted(n for n in os.listdir(root) if n not in LAYOUT_NAMES and not is_temp_name(n))
    if strangers:
        raise RegistryNotEmpty(str(root), strangers)
    identity = identify(owner_uid=owner_uid_of(root))
    who = user or identity.login
    with RegistryLock(layout.lock, lock_timeout).hold():
        if layout.meta.exists():
            raise RegistryExists(str(root))
        for folder in layout.directories():
            make_dir(folder)
        remove_stale_temps(root)
        if not layout.communities.exists():
            written = write_file(empty_file(layout.communities, COMMUNITIES))
            if written.pinned is not None:
                written.pinned.close()
        at = now_iso()
        meta = {
            "format": FORMAT,
            "schema": SCHEMA_VERSION,
            "created_at": at,
            "created_by": who,
            "next_worker_id": 1,
            "generation": 0,
            "registry_id": new_registry_id(),
        }
        atomic_write(layout.meta, dumps(meta, pretty=True))
        AuditLog(layout.audit).append(
            [
                entry(
                    at=at,
                    user=who,
                    uid=identity.uid,
                    action="create",
                    kind="registry",
                    key=root.name,
                    revision=0,
                    after=meta,
                )
            ]
        )
    return Registry(root, user=who, lock_timeout=lock_timeout)
