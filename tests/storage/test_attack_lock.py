"""A reader cannot stop the owner writing (issue 12, item 11).

A group member who may only read the registry opens `.lock` and holds `flock` on it: with the
lock file the owner's alone (0600), the open itself is refused, so the owner's writes go on. The
group member's reads still work, and never show half of a change to several files.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import signal
import stat
import time
from pathlib import Path

import attrs

from core.errors import RegistryBusy
from core.registry import init_registry, open_registry
from core.storage import faults

from .attackers import GROUP, NOBODY, hand_over, needs_root, reachable
from .conftest import make_community, make_worker
from .figures import record

__all__ = ["reachable"]
CTX = multiprocessing.get_context("fork")


def _filled(root: Path) -> Path:
    with init_registry(root, user="owner", lock_timeout=5) as reg:
        reg.add_community(make_community("c1"))
        reg.add_community(make_community("c3", street="学院路街道"))
        reg.add_workers([make_worker("c1", n=1), make_worker("c3", n=2)])
        reg.update_worker(attrs.evolve(reg.get_worker(1), note="first"))  # the lock file exists
    hand_over(root, 0, GROUP)
    return root


def _as_group_member() -> None:
    os.setgroups([GROUP])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _squat(root: str, ready: str) -> None:
    """The attack: open `.lock` for reading and hold `flock` on it for a minute."""
    _as_group_member()
    try:
        fd = os.open(os.path.join(root, ".lock"), os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        Path(ready).write_text("refused")
        os._exit(3)
    Path(ready).write_text("holding")
    time.sleep(60)
    os._exit(0)


def _wait_for(path: Path) -> str:
    deadline = time.monotonic() + 30
    while not path.exists() or not path.read_text():
        assert time.monotonic() < deadline, "the attacker never started"
        time.sleep(0.01)
    return path.read_text()


@needs_root
def test_a_group_reader_cannot_hold_the_lock_against_the_owner(reachable: Path) -> None:
    root = _filled(reachable / "registry")
    assert stat.S_IMODE((root / ".lock").stat().st_mode) == 0o600
    ready = reachable / "ready"
    ready.touch()
    os.chmod(ready, 0o666)
    attacker = CTX.Process(target=_squat, args=(str(root), str(ready)))
    attacker.start()
    try:
        said = _wait_for(ready)
        with open_registry(root, user="owner", lock_timeout=1) as reg:
            w = reg.get_worker(1)
            assert reg.update_worker(attrs.evolve(w, note="owner")).revision == w.revision + 1
        assert said == "refused"
    finally:
        if attacker.is_alive() and attacker.pid is not None:
            os.kill(attacker.pid, signal.SIGKILL)
        attacker.join(10)
    record("lock_squats_refused")


def _read_as_group_member(root: str, out: str) -> None:
    _as_group_member()
    try:
        with open_registry(root, lock_timeout=1) as reg:
            notes = sorted(f"{w.id}:{w.community_id}:{w.note}" for w in reg.workers())
        Path(out).write_text("\n".join(notes))
        os._exit(0)
    except RegistryBusy:
        os._exit(4)
    except BaseException:
        os._exit(5)


def _reads(root: Path, out: Path) -> tuple[int | None, str]:
    out.write_text("")
    os.chmod(out, 0o666)
    child = CTX.Process(target=_read_as_group_member, args=(str(root), str(out)))
    child.start()
    child.join(60)
    return child.exitcode, out.read_text()


def _killed_mid_move(root: str) -> None:
    def stop(step: str, path: str) -> None:
        if step == "between_shards":
            os.kill(os.getpid(), signal.SIGKILL)

    faults.hooks[:] = [stop]
    with open_registry(root, user="owner") as reg:
        reg.update_worker(attrs.evolve(reg.get_worker(1), community_id="c3", note="moved"))


def _move_killed(root: Path) -> None:
    child = CTX.Process(target=_killed_mid_move, args=(str(root),))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL
    assert (root / "journal.json").exists()


@needs_root
def test_a_group_reader_reads_and_never_sees_half_a_change(reachable: Path) -> None:
    root = _filled(reachable / "registry")
    out = reachable / "out"
    assert _reads(root, out) == (0, "1:c1:first\n2:c3:")
    # a move between streets killed half way: the reader may not finish it, and must not show it
    _move_killed(root)
    for p in [root, *root.rglob("*")]:
        os.chown(p, 0, GROUP)
    code, _ = _reads(root, out)
    assert code == 4  # busy until someone who may write opens it, never half of it
    with open_registry(root, user="owner") as reg:  # the owner's open finishes the move
        assert reg.get_worker(1).community_id == "c3"
    for p in [root, *root.rglob("*")]:
        os.chown(p, 0, GROUP)
    assert _reads(root, out) == (0, "1:c3:moved\n2:c3:")
    record("lock_squats_refused")
