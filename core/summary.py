"""What a list of workers shows, without building whole `Worker` values.

A roster of 50,000 workers needs each one's name, IDs, community, phone, service start and, for
a given day, posts and status. Building every `Worker` (tens of nested values each) only to read
those took seconds; a `WorkerSummary` is made from the stored document's few fields directly,
and answers `posts_on` / `status_on` exactly as `Worker` does. Opening a worker still loads it in
full (and reports a damaged record then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

from core.model import Status, Worker
from core.repository import Repository

PostSpan = tuple[str, dt.date, dt.date | None]
StatusSpan = tuple[Status, dt.date]


class WorkerSummary:
    """A worker's listing fields; the same answers as `Worker` for the fields it has."""

    __slots__ = ("community_id", "id", "id_number", "name", "phone", "posts", "service_start", "statuses")

    def __init__(
        self,
        id: int,
        name: str,
        id_number: str,
        community_id: str,
        phone: str,
        service_start: dt.date,
        posts: tuple[PostSpan, ...],
        statuses: tuple[StatusSpan, ...],
    ) -> None:
        self.id = id
        self.name = name
        self.id_number = id_number
        self.community_id = community_id
        self.phone = phone
        self.service_start = service_start
        self.posts = posts
        self.statuses = statuses

    def status_on(self, day: dt.date) -> Status:
        """As `Worker.status_on`: the last change on or before `day`; active if none."""
        current = Status.ACTIVE
        for status, since in sorted(self.statuses, key=lambda s: s[1]):
            if since <= day:
                current = status
        return current

    def posts_on(self, day: dt.date) -> tuple[str, ...]:
        return tuple(post for post, start, end in self.posts if start <= day and (end is None or day <= end))

    def __repr__(self) -> str:
        return f"WorkerSummary({self.id}, {self.name!r}, {self.community_id!r})"


def summary_of(worker: Worker) -> WorkerSummary:
    return WorkerSummary(
        worker.id,
        worker.name,
        worker.id_number,
        worker.community_id,
        worker.phone,
        worker.service_start,
        tuple((p.post, p.start, p.end) for p in worker.posts),
        tuple((s.status, s.since) for s in worker.statuses),
    )


class SummaryReader:
    """Builds summaries from stored worker documents; dates and statuses are shared, not rebuilt."""

    def __init__(self) -> None:
        self._dates: dict[str, dt.date] = {}
        self._statuses: dict[str, Status] = {s.value: s for s in Status}

    def _date(self, text: str) -> dt.date:
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = dt.date.fromisoformat(text)
        return found

    def summary(self, worker_id: int, doc: Mapping[str, Any]) -> WorkerSummary:
        """Raises KeyError/TypeError/ValueError on a malformed document (the caller loads it in
        full to say what is wrong)."""
        date = self._date
        statuses = self._statuses
        return WorkerSummary(
            worker_id,
            doc["name"],
            doc["id_number"],
            doc["community_id"],
            doc["phone"],
            date(doc["service_start"]),
            tuple((p["post"], date(p["start"]), date(e) if (e := p["end"]) else None) for p in doc["posts"]),
            tuple((statuses[s["status"]], date(s["since"])) for s in doc["statuses"]),
        )

    def summaries(
        self, docs: Iterable[tuple[int, Mapping[str, Any]]], full: Callable[[int], Worker]
    ) -> list[WorkerSummary]:
        """One per document; a document that does not read as expected is loaded in full by
        `full(worker_id)`, which reports it if it is damaged."""
        out = []
        for worker_id, doc in docs:
            try:
                out.append(self.summary(worker_id, doc))
            except (KeyError, TypeError, ValueError, AttributeError):
                out.append(summary_of(full(worker_id)))
        return out


@runtime_checkable
class SummarySource(Protocol):
    """A registry that can list summaries (both of core's do; another backend may not)."""

    def worker_summaries(self, limit: int | None = None) -> list[WorkerSummary]: ...


def worker_summaries(registry: Repository, limit: int | None = None) -> list[WorkerSummary]:
    """Summaries from a registry that has them, else from its whole workers."""
    if isinstance(registry, SummarySource):
        return registry.worker_summaries(limit)
    workers = registry.workers()
    return [summary_of(w) for w in (workers if limit is None else workers[:limit])]


@runtime_checkable
class IdNumberLookup(Protocol):
    """A registry that finds many workers by resident ID in one call (both of core's do)."""

    def find_workers_by_id_numbers(self, id_numbers: Iterable[str]) -> dict[str, Worker]: ...


def workers_by_id_number(registry: Repository, id_numbers: Iterable[str]) -> dict[str, Worker]:
    """The registry's workers holding these resident IDs, by ID; only they are loaded."""
    if isinstance(registry, IdNumberLookup):
        return registry.find_workers_by_id_numbers(id_numbers)
    wanted = set(id_numbers)
    return {w.id_number: w for w in registry.workers() if w.id_number in wanted}
