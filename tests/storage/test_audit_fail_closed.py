"""No change without its audit entry (issue 12, item 6).

The audit trail fails closed: a change whose entry cannot be written is refused, saying so, with
the registry as it was; a process killed by SIGKILL between a change's data and its entry leaves
both or neither; `check` names a stored revision the trail has no entry for; and a refusal whose
entry could not be written does not claim to be in the trail.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path

import attrs
import orjson
import pytest

from core.convert import unstructure
from core.errors import RegistryWriteFailed
from core.registry import Registry, init_registry, open_registry
from core.storage import faults
from core.storage.check import check_registry

from .attackers import NOBODY, base_env, hand_over, needs_root, reachable, shegong_as
from .conftest import make_community, make_worker
from .figures import counted, record

__all__ = ["reachable"]
CTX = multiprocessing.get_context("fork")


def _state(root: Path) -> tuple[dict[int, object], dict[str, object]]:
    with open_registry(root, user="checker") as reg:
        return {w.id: unstructure(w) for w in reg.workers()}, {
            c.id: unstructure(c) for c in reg.communities()
        }


def _entries(root: Path) -> list[dict[str, object]]:
    return [
        orjson.loads(line)
        for path in sorted((root / "audit").glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]


def _close_audit(root: Path, closed: bool = True) -> None:
    """Make the audit folder and its files read-only (or writable again) for their owner."""
    for path in (root / "audit").iterdir():
        os.chmod(path, 0o440 if closed else 0o640)
    os.chmod(root / "audit", 0o555 if closed else 0o750)


def _filled(root: Path) -> Path:
    with init_registry(root, user="owner", lock_timeout=5) as reg:
        reg.add_community(make_community("c1"))
        reg.add_community(make_community("c3", street="学院路街道"))
        reg.add_workers([make_worker("c1", n=1), make_worker("c3", n=2)])
    return root


def _edit(reg: Registry) -> None:
    reg.update_worker(attrs.evolve(reg.get_worker(1), note="改过"))


def _move(reg: Registry) -> None:
    reg.update_worker(attrs.evolve(reg.get_worker(1), community_id="c3", note="调往学院路"))


def _import(reg: Registry) -> None:
    reg.add_workers([make_worker("c1", n=31), make_worker("c3", n=32)])


OPS: dict[str, Callable[[Registry], None]] = {"edit": _edit, "move": _move, "import": _import}


def _in_child(action: Callable[[], None], uid: int | None = None) -> int:
    """Run `action` in a forked child (as `uid` if given): 0 done, 10 refused with
    `RegistryWriteFailed` naming the audit trail, 12 anything else."""
    pid = os.fork()
    if pid == 0:
        code = 12
        try:
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            action()
            code = 0
        except RegistryWriteFailed as exc:
            code = 10 if "audit" in exc.path else 12
        except BaseException:
            code = 12
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@needs_root
@pytest.mark.parametrize("op", sorted(OPS))
def test_an_unwritable_audit_folder_refuses_the_change(reachable: Path, op: str) -> None:
    """As the registry's real, unprivileged owner, with `audit/` made read-only."""
    root = _filled(reachable / "registry")
    hand_over(root, NOBODY, NOBODY)
    _close_audit(root)
    before, entries = _state(root), _entries(root)

    def change() -> None:
        with open_registry(root, lock_timeout=5) as reg:
            OPS[op](reg)

    assert _in_child(change, NOBODY) == 10
    _close_audit(root, closed=False)
    assert _state(root) == before and _entries(root) == entries
    report = check_registry(root)
    assert report.ok, [f.as_json() for f in report.findings]
    record("audit_failures_refused")


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO, errno.EROFS])
@pytest.mark.parametrize("op", sorted(OPS))
def test_an_audit_write_that_fails_refuses_the_change(root: Path, op: str, error: int) -> None:
    _filled(root)
    before, entries = _state(root), _entries(root)
    faults.hooks[:] = [counted(faults.fail_at("before_audit", error=error))]
    with open_registry(root, user="owner") as reg, pytest.raises(RegistryWriteFailed) as refused:
        OPS[op](reg)
    faults.hooks.clear()
    assert "audit" in refused.value.path
    assert _state(root) == before and _entries(root) == entries
    with open_registry(root, user="owner") as reg:  # and the next change goes through
        _edit(reg)
    assert check_registry(root).ok
    record("audit_failures_refused")


def _sigkill_at(step: str, name: str = "") -> faults.Hook:
    def hook(at: str, path: str) -> None:
        if at == step and name in path:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def _killed(root: Path, op: str, step: str, name: str) -> None:
    faults.hooks[:] = [_sigkill_at(step, name)]
    with open_registry(root, user="child") as reg:
        OPS[op](reg)
    os._exit(0)


@pytest.mark.parametrize(
    ("op", "step", "name"),
    [
        ("edit", "after_replace_before_dirsync", "workers/"),
        ("edit", "after_dirsync", "workers/"),
        ("edit", "before_audit", ""),
        ("edit", "before_audit_fsync", ""),
        ("move", "journal_applied", ""),
        ("move", "before_audit", ""),
        ("import", "before_audit", ""),
    ],
)
def test_sigkill_between_the_data_and_its_entry_keeps_both_or_neither(
    root: Path, op: str, step: str, name: str
) -> None:
    _filled(root)
    child = CTX.Process(target=_killed, args=(str(root), op, step, name))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL, "the child did not reach the step"
    with open_registry(root, user="after") as reg:  # the next open finishes or undoes it
        workers = {w.id: w for w in reg.workers()}
        changes = reg.changes(kind="worker")
    stored = {(str(w.id), w.revision) for w in workers.values()}
    audited = {(c.key, c.revision) for c in changes if c.action in ("add", "update")}
    assert stored <= audited, "a stored revision has no audit entry"
    assert {(c.key, c.revision) for c in changes if c.action == "update"} <= stored
    report = check_registry(root)
    assert report.ok, [f.as_json() for f in report.findings]
    record("audit_kills_survived")


def test_check_names_a_revision_the_audit_trail_has_no_entry_for(root: Path) -> None:
    _filled(root)
    with open_registry(root, user="owner") as reg:
        _edit(reg)
    assert check_registry(root).ok
    for path in (root / "audit").glob("*.jsonl"):  # the entry of worker 1's revision 2 is lost
        kept = [
            line
            for line in path.read_bytes().splitlines(keepends=True)
            if not (b'"action":"update"' in line and b'"key":"1"' in line)
        ]
        path.write_bytes(b"".join(kept))
    report = check_registry(root)
    found = [f for f in report.errors if f.code == "unaudited"]
    assert [(f.record, f.args["revision"]) for f in found] == [("1", 2)]
    assert not report.ok
    record("rollbacks_detected")


@needs_root
def test_a_refusal_that_could_not_be_audited_does_not_say_it_was(reachable: Path) -> None:
    root = _filled(reachable / "registry")
    (root / "operators.toml").write_text(
        '[operators.nobody]\nrole = "admin"\nscope = "all"\n\n'
        '[operators.carol]\nrole = "viewer"\nscope = "all"\n',
        encoding="utf-8",
    )
    hand_over(root, NOBODY, NOBODY)
    env = base_env(SUDO_USER="carol")  # carol, through sudo to the owner's account

    def edit() -> tuple[int, str]:
        done = shegong_as(NOBODY, [NOBODY], env, "--db", root, "worker", "edit", 1, "--phone", "13900000009")
        return done.returncode, done.stderr

    code, said = edit()
    assert code == 1 and "This refusal is in the audit trail" in said
    _close_audit(root)
    code, said = edit()
    _close_audit(root, closed=False)
    assert code == 1 and "carol" in said
    assert (
        "This refusal is in the audit trail" not in said and "could not be written to the audit trail" in said
    )
    assert [e["user"] for e in _entries(root) if e["action"] == "denied"] == ["carol"]
    record("audit_failures_refused")
