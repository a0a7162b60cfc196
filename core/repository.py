"""The registry interface every backend implements and every caller uses.

Callers (CLI, TUI, workflows, tests) see only this: no TinyDB `Query`, no file layout. A server
database backend can be added later by implementing `Repository`; plugins never see storage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from core.model import Community, Status, Worker


@attrs.frozen
class Change:
    """One entry of the append-only audit trail."""

    at: str  # ISO timestamp with timezone
    user: str  # the OS login (the SSH user)
    action: str  # "add", "update", "delete", "refused", "migrate", "import", …
    kind: str  # "worker", "community", "registry"
    key: str
    revision: int
    before: Any = None  # the stored document before, None for an add
    after: Any = None  # the stored document after, None for a delete
    note: str = ""


@attrs.frozen
class WorkerQuery:
    """Filters for `Repository.workers`; every field left `None` matches everything."""

    community: str | None = None
    street: str | None = None
    district: str | None = None
    jurisdiction: str | None = None
    status: Status | None = None
    on: dt.date | None = None  # the day `status` is judged on; today if None


@runtime_checkable
class CommunityLookup(Protocol):
    def get_community(self, community_id: str) -> Community: ...

    def communities(
        self,
        *,
        street: str | None = None,
        district: str | None = None,
        jurisdiction: str | None = None,
    ) -> list[Community]: ...


@runtime_checkable
class Repository(CommunityLookup, Protocol):
    """A registry of communities and workers, safe for several processes at once.

    Writes are durable when they return. Each record has a `revision`; an update or delete based
    on a stale revision raises `StaleRevision` (the refused version is kept, never lost).
    """

    path: str
    user: str

    # communities
    def add_community(self, community: Community) -> Community: ...
    def update_community(self, community: Community) -> Community: ...
    def delete_community(self, community_id: str, revision: int) -> None: ...

    # workers
    def add_worker(self, worker: Worker) -> Worker: ...
    def add_workers(self, workers: Sequence[Worker]) -> list[Worker]: ...
    def get_worker(self, worker_id: int) -> Worker: ...
    def update_worker(self, worker: Worker) -> Worker: ...
    def update_workers(self, workers: Sequence[Worker]) -> list[Worker]: ...
    def delete_worker(self, worker_id: int, revision: int) -> None: ...
    def workers(self, query: WorkerQuery | None = None) -> list[Worker]: ...
    def find_worker_by_id_number(self, id_number: str) -> Worker | None: ...
    def count_workers(self) -> int: ...

    # history
    def changes(
        self,
        *,
        kind: str | None = None,
        key: str | None = None,
        since: str | None = None,
    ) -> list[Change]: ...

    def record_event(self, action: str, kind: str, key: str, note: str = "", after: Any = None) -> None: ...

    # documents that workflows keep (payroll runs, assessment rounds): JSON-ready data by kind and key
    def save_document(self, kind: str, key: str, data: Any) -> None: ...
    def load_document(self, kind: str, key: str) -> Any | None: ...
    def list_documents(self, kind: str) -> list[str]: ...

    def close(self) -> None: ...


def keys_of(workers: Iterable[Worker]) -> list[int]:
    return [w.id for w in workers]
