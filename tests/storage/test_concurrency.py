"""Several processes on one registry: no lost insert, no lost increment, no duplicate id, no hang."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import attrs
import orjson
import pytest

from core.errors import RegistryBusy, StaleRevision
from core.registry import Registry, open_registry
from core.storage import faults
from core.storage.files import is_temp_name
from core.storage.lock import RegistryLock

from .conftest import make_worker
from .figures import record

CTX = multiprocessing.get_context("fork")


@pytest.fixture
def seeded(registry: Registry, root: Path) -> Path:
    registry.add_worker(make_worker("c1", n=1, note="0"))
    registry.close()
    return root


def _operator(root: str, tag: int, adds: int, increments: int, out: str) -> None:
    reg = open_registry(root, user=f"op{tag}", lock_timeout=60)
    added: list[int] = []
    done = retries = 0
    i = 0
    while len(added) < adds or done < increments:
        if len(added) < adds:
            community = ("c1", "c2", "c3")[i % 3]
            added.append(reg.add_worker(make_worker(community, n=10_000 + tag * 1000 + i)).id)
            i += 1
        if done < increments:
            current = reg.get_worker(1)
            try:
                reg.update_worker(attrs.evolve(current, note=str(int(current.note) + 1)))
                done += 1
            except StaleRevision:
                retries += 1
    reg.close()
    Path(out).write_bytes(orjson.dumps({"added": added, "retries": retries}))
    os._exit(0)


def test_four_writers_lose_nothing(seeded: Path, tmp_path: Path) -> None:
    procs, outs = [], []
    adds, increments = 20, 20
    for tag in range(4):
        out = tmp_path / f"out{tag}.json"
        outs.append(out)
        p = CTX.Process(target=_operator, args=(str(seeded), tag, adds, increments, str(out)))
        p.start()
        procs.append(p)
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    results = [orjson.loads(o.read_bytes()) for o in outs]
    added = [wid for r in results for wid in r["added"]]
    retries = sum(r["retries"] for r in results)
    assert len(added) == len(set(added)) == 4 * adds
    with open_registry(seeded) as reg:
        assert reg.count_workers() == 1 + 4 * adds
        assert sorted(w.id for w in reg.workers()) == sorted([1, *added])
        numbers = [w.id_number for w in reg.workers()]
        assert len(numbers) == len(set(numbers))
        counter = reg.get_worker(1)
        assert counter.note == str(4 * increments)
        assert counter.revision == 1 + 4 * increments
        history = reg.changes(kind="worker", key="1")
        assert sum(c.action == "update" for c in history) == 4 * increments
        assert sum(c.action == "refused" for c in history) == retries
        assert len(reg.list_conflicts()) == retries
    record("concurrent_edits", 4 * adds + 4 * increments)


def test_threads_sharing_one_registry(registry: Registry) -> None:
    w = registry.add_worker(make_worker("c1", note="0"))

    def bump() -> None:
        done = 0
        while done < 10:
            current = registry.get_worker(w.id)
            try:
                registry.update_worker(attrs.evolve(current, note=str(int(current.note) + 1)))
                done += 1
            except StaleRevision:
                pass

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert registry.get_worker(w.id).note == "40"
    record("concurrent_edits", 40)


def _hold_the_lock_mid_write(root: str, marker: str) -> None:
    def stall(step: str, path: str) -> None:
        if step == "after_replace_before_dirsync" and "workers/" in path:
            Path(marker).write_text("holding")
            time.sleep(60)

    faults.hooks[:] = [stall]
    with open_registry(root, user="stuck") as reg:
        reg.update_worker(attrs.evolve(reg.get_worker(1), note="never"))
    os._exit(0)


def _wait_for(path: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def test_a_killed_lock_holder_does_not_block_the_others(seeded: Path, tmp_path: Path) -> None:
    marker = tmp_path / "holding"
    child = CTX.Process(target=_hold_the_lock_mid_write, args=(str(seeded), str(marker)))
    child.start()
    _wait_for(marker)
    with open_registry(seeded, user="reader", lock_timeout=0.2) as reader:
        assert reader.get_worker(1).note == "never"  # reads need no lock; the file is in place
        with pytest.raises(RegistryBusy):
            reader.update_worker(attrs.evolve(reader.get_worker(1), note="1"))
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    with open_registry(seeded, user="next", lock_timeout=5) as reg:
        assert not any(is_temp_name(p.name) for p in seeded.rglob("*"))
        w = reg.get_worker(1)
        assert w.note == "never"  # killed after its file was in place: the edit stands
        assert reg.update_worker(attrs.evolve(w, note="1")).revision == 3
    record("lock_holders_killed")
    record("busy_refusals")


def _hold(root: str, marker: str) -> None:
    with RegistryLock(Path(root) / ".lock").hold():
        Path(marker).write_text("holding")
        time.sleep(60)
    os._exit(0)


def test_busy_lock_raises_after_the_timeout_never_hangs(seeded: Path, tmp_path: Path) -> None:
    marker = tmp_path / "holding"
    child = CTX.Process(target=_hold, args=(str(seeded), str(marker)))
    child.start()
    try:
        _wait_for(marker)
        with open_registry(seeded, user="waiting", lock_timeout=0.3) as reg:
            w = reg.get_worker(1)
            started = time.monotonic()
            with pytest.raises(RegistryBusy) as caught:
                reg.update_worker(attrs.evolve(w, note="1"))
            assert 0.25 <= time.monotonic() - started < 3
            assert caught.value.seconds == 0.3
            assert ".lock" in str(caught.value)
            with pytest.raises(RegistryBusy):
                reg.backup("test")
        with open_registry(seeded, lock_timeout=0.2) as other:  # opening does not wait for the lock
            assert other.count_workers() == 1
    finally:
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    with open_registry(seeded, lock_timeout=5) as reg:
        assert reg.update_worker(attrs.evolve(reg.get_worker(1), note="1")).revision == 2
    record("busy_refusals", 2)
    record("lock_holders_killed")


def test_an_edit_prepared_before_the_lock_is_redone_if_the_shard_changed(
    registry: Registry, root: Path
) -> None:
    a, b = registry.add_workers([make_worker("c1", note="a"), make_worker("c2", note="b")])
    assert registry.shard_of(a.id) == registry.shard_of(b.id)
    other = open_registry(root, user="bob")
    fired = False

    def meanwhile(step: str, path: str) -> None:
        nonlocal fired
        if step == "after_fsync_before_replace" and "workers/" in path and not fired:
            fired = True  # alice's shard is written but not in place: bob saves the same shard first
            other.update_worker(attrs.evolve(other.get_worker(b.id), note="bob"))

    faults.hooks.append(meanwhile)
    mine = registry.update_worker(attrs.evolve(a, note="alice"))
    faults.hooks.clear()
    other.close()
    assert fired
    assert mine.revision == 2
    with open_registry(root) as check:
        assert check.get_worker(a.id).note == "alice"
        assert check.get_worker(b.id).note == "bob"
    assert not any(is_temp_name(p.name) for p in root.rglob("*"))
