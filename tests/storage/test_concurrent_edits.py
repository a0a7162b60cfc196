"""Several processes editing the same record and their own records at once, and processes killed
in the middle of a backup or a restore."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import attrs
import orjson
import pytest

from core.errors import StaleRevision
from core.registry import Registry, open_registry
from core.storage import faults
from core.storage.backups import list_backups, restore_backup
from core.storage.check import check_registry
from core.storage.layout import Layout

from .conftest import make_worker
from .figures import record

CTX = multiprocessing.get_context("fork")
PROCESSES, ROUNDS = 4, 8


def _bump(reg: Registry, wid: int) -> int:
    """Add one to the worker's note, retrying on a stale revision; returns the retries."""
    retries = 0
    while True:
        current = reg.get_worker(wid)
        try:
            reg.update_worker(attrs.evolve(current, note=str(int(current.note) + 1)))
            return retries
        except StaleRevision:
            retries += 1


def _editor(root: str, tag: int, out: str) -> None:
    reg = open_registry(root, user=f"op{tag}", lock_timeout=60)
    retries = 0
    for _ in range(ROUNDS):
        retries += _bump(reg, 1)  # everyone: the same record
        retries += _bump(reg, 2 + tag)  # each their own record, some in the same file as others'
    reg.close()
    Path(out).write_bytes(orjson.dumps({"retries": retries}))
    os._exit(0)


def test_same_and_different_records_exact_totals(registry: Registry, root: Path, tmp_path: Path) -> None:
    communities = ["c1", "c1", "c3", "c2"]  # own records: two share a file with the shared one
    registry.add_workers([make_worker("c1", note="0")] + [make_worker(c, note="0") for c in communities])
    registry.close()
    procs = [
        CTX.Process(target=_editor, args=(str(root), tag, str(tmp_path / f"out{tag}.json")))
        for tag in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    retries = sum(orjson.loads((tmp_path / f"out{t}.json").read_bytes())["retries"] for t in range(PROCESSES))
    with open_registry(root) as reg:
        shared = reg.get_worker(1)
        assert shared.note == str(PROCESSES * ROUNDS) and shared.revision == 1 + PROCESSES * ROUNDS
        for tag in range(PROCESSES):
            own = reg.get_worker(2 + tag)
            assert (own.note, own.revision) == (str(ROUNDS), 1 + ROUNDS)
        assert reg.count_workers() == 1 + PROCESSES
        history = reg.changes(kind="worker")
        assert sum(c.action == "update" for c in history) == 2 * PROCESSES * ROUNDS
        assert sum(c.action == "refused" for c in history) == retries
    assert check_registry(root).ok
    record("concurrent_edits", 2 * PROCESSES * ROUNDS)


def _backer(root: str) -> None:
    reg = open_registry(root, user="backer")
    while True:
        reg.backup("loop")


@pytest.mark.slow
def test_a_backup_killed_at_random_leaves_no_half_copy(registry: Registry, root: Path) -> None:
    registry.add_workers([make_worker("c1") for _ in range(20)])
    registry.close()
    rng = random.Random(7)
    for _ in range(6):
        child = CTX.Process(target=_backer, args=(str(root),))
        child.start()
        time.sleep(rng.uniform(0.02, 0.15))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        with open_registry(root) as reg:  # opening tidies up a killed backup's temp folder
            assert reg.count_workers() == 20
        assert not [p for p in (root / "backups").iterdir() if p.name.startswith(".")]
        for b in list_backups(Layout(root)):
            assert check_registry(b.path).ok, b.name
        record("random_kills")


def _restorer(root: str, name: str, nth: int) -> None:
    faults.hooks[:] = [faults.crash_at("after_fsync_before_replace", nth=nth, code=17)]
    restore_backup(Layout(Path(root)), name, "admin")
    os._exit(0)


@pytest.mark.parametrize("nth", [2, 3, 4])
def test_a_restore_killed_midway_is_reported_and_completes_when_run_again(
    registry: Registry, root: Path, nth: int
) -> None:
    first = registry.add_worker(make_worker("c1", note="备份时"))
    registry.add_worker(make_worker("c3"))
    made = registry.backup("x")
    registry.update_worker(attrs.evolve(first, note="之后"))
    registry.add_worker(make_worker("c2"))
    registry.close()
    child = CTX.Process(target=_restorer, args=(str(root), made.name, nth))
    child.start()
    child.join(30)
    assert child.exitcode == 17
    report = check_registry(root)
    assert "restore_interrupted" in [f.code for f in report.findings] and not report.ok
    restore_backup(Layout(root), made.name, "admin")
    assert check_registry(root).ok
    with open_registry(root) as reg:
        assert reg.get_worker(first.id).note == "备份时"
        assert reg.count_workers() == 2
    record("crash_points")
