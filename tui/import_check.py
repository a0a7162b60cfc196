"""Check a spreadsheet against the registry without writing anything, then import it for real.

`core.tabular`'s imports check every row and write in the same call. The screen wants the report
first and the write only after the operator confirms, so the check runs the same import over a
`CheckOnly` registry (every read goes to the real one, every write is dropped) and over a copy of
the file in a temporary folder (so the errors file it writes is thrown away with the folder). The
real import afterwards checks the file again: if it changed meanwhile, its own report says so.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from core.i18n import t
from core.jurisdictions import Jurisdictions
from core.model import Community, Worker
from core.record_checks import posts_by_jurisdiction
from core.repository import Change, Repository, WorkerQuery
from core.tabular import ImportResult, import_communities, import_workers

KINDS = ("workers", "communities")
SUFFIXES = (".xlsx", ".csv")
Progress = Callable[[int, int], None]


class CheckOnly:
    """A registry that reads from `inner` and writes nowhere: what an import would do, not done."""

    def __init__(self, inner: Repository) -> None:
        self.inner = inner
        self.path = inner.path
        self.user = inner.user

    # reads
    def get_community(self, community_id: str) -> Community:
        return self.inner.get_community(community_id)

    def communities(
        self, *, street: str | None = None, district: str | None = None, jurisdiction: str | None = None
    ) -> list[Community]:
        return self.inner.communities(street=street, district=district, jurisdiction=jurisdiction)

    def get_worker(self, worker_id: int) -> Worker:
        return self.inner.get_worker(worker_id)

    def workers(self, query: WorkerQuery | None = None) -> list[Worker]:
        return self.inner.workers(query)

    def find_worker_by_id_number(self, id_number: str) -> Worker | None:
        return self.inner.find_worker_by_id_number(id_number)

    def count_workers(self) -> int:
        return self.inner.count_workers()

    def changes(
        self, *, kind: str | None = None, key: str | None = None, since: str | None = None
    ) -> list[Change]:
        return self.inner.changes(kind=kind, key=key, since=since)

    def load_document(self, kind: str, key: str) -> Any | None:
        return self.inner.load_document(kind, key)

    def list_documents(self, kind: str) -> list[str]:
        return self.inner.list_documents(kind)

    # writes: dropped
    def add_community(self, community: Community) -> Community:
        return community

    def update_community(self, community: Community) -> Community:
        return community

    def delete_community(self, community_id: str, revision: int) -> None:
        return None

    def add_worker(self, worker: Worker) -> Worker:
        return worker

    def add_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        return list(workers)

    def update_worker(self, worker: Worker) -> Worker:
        return worker

    def update_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        return list(workers)

    def delete_worker(self, worker_id: int, revision: int) -> None:
        return None

    def record_event(self, action: str, kind: str, key: str, note: str = "", after: Any = None) -> None:
        return None

    def save_document(self, kind: str, key: str, data: Any) -> None:
        return None

    def close(self) -> None:
        return None


def locate_file(text: str, base: Path | None = None) -> tuple[Path | None, str]:
    """The file `text` names (relative to `base`, the current folder by default), or why it cannot
    be imported: missing, a folder, unreadable, or not a spreadsheet."""
    cleaned = text.strip()
    if not cleaned:
        return None, t("ui.import.no_path")
    path = Path(cleaned).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    if not path.exists():
        return None, t("ui.import.missing", path=str(path))
    if path.is_dir():
        return None, t("ui.import.folder", path=str(path))
    if path.suffix.lower() not in SUFFIXES:
        return None, t("ui.import.suffix", path=path.name, suffixes=" ".join(SUFFIXES))
    if not os.access(path, os.R_OK):
        return None, t("ui.import.unreadable", path=str(path))
    return path, ""


def run_import(
    registry: Repository,
    jurisdictions: Jurisdictions,
    kind: str,
    path: Path,
    *,
    skip_bad: bool,
    lang: str,
    today: dt.date,
    progress: Progress | None = None,
) -> ImportResult:
    """The import the CLI runs (`shegong import`), with the loaded jurisdictions' posts and keys.
    A region code never seen is accepted: the check lists it first and the operator confirms."""
    if kind == "workers":
        posts = [v for key in jurisdictions.keys for v in jurisdictions.vocabulary(key, "posts").values()]
        return import_workers(
            registry,
            path,
            skip_bad=skip_bad,
            progress=progress,
            lang=lang,
            today=today,
            posts=posts,
            accept_unknown_region=True,
            jurisdiction_posts=posts_by_jurisdiction(jurisdictions),
        )
    return import_communities(
        registry,
        path,
        jurisdictions=set(jurisdictions.keys),
        skip_bad=skip_bad,
        progress=progress,
        lang=lang,
    )


def check_import(
    registry: Repository,
    jurisdictions: Jurisdictions,
    kind: str,
    path: Path,
    *,
    lang: str,
    today: dt.date,
    progress: Progress | None = None,
) -> ImportResult:
    """What importing `path` would do, with every problem; writes nothing anywhere.

    Bad rows are skipped in the check, so the counts say what the good rows would add and update;
    the result's `path` is the operator's file and it names no errors file."""
    with tempfile.TemporaryDirectory(prefix="shegong-check-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        result = run_import(
            CheckOnly(registry),
            jurisdictions,
            kind,
            copy,
            skip_bad=True,
            lang=lang,
            today=today,
            progress=progress,
        )
    return attrs.evolve(result, path=path, report_path=None, report_error=None, written=False)
