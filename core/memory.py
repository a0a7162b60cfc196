"""An in-memory `Repository`: for tests, what-if runs and scripts that need no file.

It follows the same contract as the on-disk registry (ids, revisions, stale-edit refusal,
duplicate resident IDs, audit entries) so code tested against it behaves the same on disk.
"""

from __future__ import annotations

import copy
import datetime as dt
import getpass
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from core.convert import unstructure
from core.errors import DuplicateRecord, NotFound, StaleRevision, ValidationError
from core.i18n import msg
from core.model import Community, Worker
from core.registry_config import NO_CONFIG, FolderConfig, RegistryConfig
from core.repository import Change, WorkerQuery
from core.resident_id import normalise_resident_id
from core.summary import WorkerSummary, summary_of

LOCATION = ":memory:"
"""What `path` says of a registry in memory: it has no folder."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


class MemoryRegistry:
    def __init__(self, user: str | None = None) -> None:
        self.path = LOCATION
        self.user = user or getpass.getuser()
        self._communities: dict[str, Community] = {}
        self._workers: dict[int, Worker] = {}
        self._changes: list[Change] = []
        self._next_id = 1
        self._documents: dict[tuple[str, str], Any] = {}

    # --- communities --------------------------------------------------------------------------

    def get_community(self, community_id: str) -> Community:
        try:
            return self._communities[community_id]
        except KeyError:
            raise NotFound("community", community_id) from None

    def communities(
        self,
        *,
        street: str | None = None,
        district: str | None = None,
        jurisdiction: str | None = None,
    ) -> list[Community]:
        return [
            c
            for c in self._communities.values()
            if (street is None or c.street == street)
            and (district is None or c.district == district)
            and (jurisdiction is None or c.jurisdiction == jurisdiction)
        ]

    def add_community(self, community: Community) -> Community:
        if community.id in self._communities:
            raise DuplicateRecord("community", "id", community.id, community.id)
        stored = attrs.evolve(community, revision=1)
        self._communities[stored.id] = stored
        self._log("add", "community", stored.id, 1, None, stored)
        return stored

    def update_community(self, community: Community) -> Community:
        current = self.get_community(community.id)
        self._check_rev("community", community.id, current.revision, community.revision, community)
        stored = attrs.evolve(community, revision=current.revision + 1)
        self._communities[stored.id] = stored
        self._log("update", "community", stored.id, stored.revision, current, stored)
        return stored

    def delete_community(self, community_id: str, revision: int) -> None:
        current = self.get_community(community_id)
        self._check_rev("community", community_id, current.revision, revision, current)
        if any(w.community_id == community_id for w in self._workers.values()):
            raise ValidationError("community_id", msg("invalid.community_has_workers", id=community_id))
        del self._communities[community_id]
        self._log("delete", "community", community_id, revision, current, None)

    # --- workers ------------------------------------------------------------------------------

    def add_worker(self, worker: Worker) -> Worker:
        return self.add_workers([worker])[0]

    def add_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        seen = {w.id_number: w.id for w in self._workers.values()}
        for w in workers:
            if w.community_id not in self._communities:
                raise ValidationError("community_id", msg("invalid.unknown_community", id=w.community_id))
            if w.id_number in seen:
                raise DuplicateRecord("worker", "id_number", w.id_number, seen[w.id_number])
            seen[w.id_number] = 0
        out = []
        for w in workers:
            stored = attrs.evolve(w, id=self._next_id, revision=1)
            self._next_id += 1
            self._workers[stored.id] = stored
            self._log("add", "worker", str(stored.id), 1, None, stored)
            out.append(stored)
        return out

    def get_worker(self, worker_id: int) -> Worker:
        try:
            return self._workers[worker_id]
        except KeyError:
            raise NotFound("worker", worker_id) from None

    def update_worker(self, worker: Worker) -> Worker:
        return self.update_workers([worker])[0]

    def update_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        for w in workers:
            current = self.get_worker(w.id)
            self._check_rev("worker", w.id, current.revision, w.revision, w)
            if w.community_id not in self._communities:
                raise ValidationError("community_id", msg("invalid.unknown_community", id=w.community_id))
            other = self.find_worker_by_id_number(w.id_number)
            if other is not None and other.id != w.id:
                raise DuplicateRecord("worker", "id_number", w.id_number, other.id)
        out = []
        for w in workers:
            current = self._workers[w.id]
            stored = attrs.evolve(w, revision=current.revision + 1)
            self._workers[w.id] = stored
            self._log("update", "worker", str(w.id), stored.revision, current, stored)
            out.append(stored)
        return out

    def delete_worker(self, worker_id: int, revision: int) -> None:
        current = self.get_worker(worker_id)
        self._check_rev("worker", worker_id, current.revision, revision, current)
        del self._workers[worker_id]
        self._log("delete", "worker", str(worker_id), revision, current, None)

    def workers(self, query: WorkerQuery | None = None) -> list[Worker]:
        q = query or WorkerQuery()
        day = q.on or dt.date.today()
        out = []
        for w in self._workers.values():
            c = self._communities.get(w.community_id)
            if q.community is not None and w.community_id != q.community:
                continue
            if c is not None and (
                (q.street is not None and c.street != q.street)
                or (q.district is not None and c.district != q.district)
                or (q.jurisdiction is not None and c.jurisdiction != q.jurisdiction)
            ):
                continue
            if q.status is not None and w.status_on(day) != q.status:
                continue
            out.append(w)
        return sorted(out, key=lambda w: w.id)

    def worker_summaries(self, limit: int | None = None) -> list[WorkerSummary]:
        """As `Registry.worker_summaries`: what a list shows of each worker, by id."""
        ordered = sorted(self._workers.values(), key=lambda w: w.id)
        return [summary_of(w) for w in (ordered if limit is None else ordered[:limit])]

    def find_worker_by_id_number(self, id_number: str) -> Worker | None:
        id_number = normalise_resident_id(id_number)
        for w in self._workers.values():
            if w.id_number == id_number:
                return w
        return None

    def find_workers_by_id_numbers(self, id_numbers: Iterable[str]) -> dict[str, Worker]:
        by_number = {w.id_number: w for w in self.workers()}
        return {n: by_number[n] for n in id_numbers if n in by_number}

    def count_workers(self) -> int:
        return len(self._workers)

    # --- history ------------------------------------------------------------------------------

    def changes(
        self, *, kind: str | None = None, key: str | None = None, since: str | None = None
    ) -> list[Change]:
        return [
            c
            for c in self._changes
            if (kind is None or c.kind == kind)
            and (key is None or c.key == key)
            and (since is None or c.at >= since)
        ]

    def record_event(self, action: str, kind: str, key: str, note: str = "", after: Any = None) -> None:
        self._changes.append(Change(_now(), self.user, action, kind, key, 0, None, after, note))

    def save_document(self, kind: str, key: str, data: Any) -> None:
        before = self._documents.get((kind, key))
        self._documents[(kind, key)] = copy.deepcopy(data)
        self._log("add" if before is None else "update", kind, key, 0, None, None)

    def load_document(self, kind: str, key: str) -> Any | None:
        data = self._documents.get((kind, key))
        return copy.deepcopy(data)

    def list_documents(self, kind: str) -> list[str]:
        return sorted(k for (d, k) in self._documents if d == kind)

    def config(self) -> RegistryConfig:
        """Nowhere to keep settings (no operators file: its user owns it; no parameter overrides),
        unless `path` was pointed at a folder to stand for one that has them (tests do)."""
        return NO_CONFIG if self.path == LOCATION else FolderConfig(Path(self.path))

    def close(self) -> None:
        pass

    def _check_rev(self, kind: str, key: object, stored: int, given: int, yours: Any) -> None:
        if stored != given:
            last = next((c for c in reversed(self._changes) if c.kind == kind and c.key == str(key)), None)
            raise StaleRevision(
                kind,
                key,
                changed_by=last.user if last else "?",
                changed_at=last.at if last else "?",
                theirs=None,
                yours=unstructure(yours),
                kept_at=LOCATION,
            )

    def _log(self, action: str, kind: str, key: str, rev: int, before: Any, after: Any) -> None:
        self._changes.append(
            Change(
                _now(),
                self.user,
                action,
                kind,
                key,
                rev,
                unstructure(before) if before is not None else None,
                unstructure(after) if after is not None else None,
            )
        )
