"""A restore never rewrites history (issue 12, items 5 and 7).

* The audit trail is append-only across a restore: every entry made before it stays, and the
  restore adds its own entry.
* The current `operators.toml` stays unless the restore is asked to bring the backup's back
  (`with_operators`, `shegong restore --with-operators`).
* A backup of another registry is refused (each registry has an id in registry.json that its
  backups carry; a registry from before the id gets one on its next open).
* A restore killed part way leaves a marker; the next open finishes it (or rolls it back to the
  state it replaced), and until then no write is accepted.
* `check` right after a crash reports an unfinished multi-file change as what it is, not as damage.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import attrs
import orjson
import pytest

from core.access import read_operators
from core.registry import Registry, init_registry, open_registry
from core.storage import faults
from core.storage.backups import RestoreUnfinished, restore_backup
from core.storage.check import ERROR, WARNING, check_registry
from core.storage.errors import BackupUnusable
from core.storage.layout import Layout
from tests.cli.helpers import snapshot

from .conftest import make_community, make_worker
from .figures import record

CTX = multiprocessing.get_context("fork")


def _audit_lines(root: Path) -> list[bytes]:
    return [line for p in sorted((root / "audit").glob("*.jsonl")) for line in p.read_bytes().splitlines()]


def _restores(root: Path) -> list[dict[str, object]]:
    entries = [orjson.loads(line) for line in _audit_lines(root)]
    return [e for e in entries if e["action"] == "restore"]


def test_the_audit_trail_survives_a_restore(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    saved = registry.backup("之前")
    registry.update_worker(attrs.evolve(w, note="备份之后的修改"))
    registry.delete_worker(w.id, 2)
    before = _audit_lines(root)
    done = restore_backup(Layout(root), saved.name, "alice")
    after = _audit_lines(root)
    assert after[: len(before)] == before  # nothing made after the backup is gone
    assert [orjson.loads(line)["action"] for line in after[len(before) :]] == ["restore"]
    assert orjson.loads(after[-1])["key"] == done.backup.name
    with open_registry(root) as reg:
        assert reg.get_worker(w.id) == w
        actions = [c.action for c in reg.changes(kind="worker", key=str(w.id))]
        assert actions == ["add", "update", "delete"]  # the history is all still there
    assert check_registry(root).ok


OPS = '[operators.alice]\nrole = "admin"\nscope = "all"\n'
MALLORY = '\n[operators.mallory]\nrole = "admin"\nscope = "all"\n'


def test_a_restore_keeps_the_current_operators_unless_asked(registry: Registry, root: Path) -> None:
    operators = root / "operators.toml"
    operators.write_text(OPS + MALLORY, encoding="utf-8")
    saved = registry.backup("mallory 还在的时候")
    operators.write_text(OPS, encoding="utf-8")  # mallory removed
    restore_backup(Layout(root), saved.name, "alice")
    found = read_operators(operators)
    assert found is not None and found.grant_for("mallory") is None  # not silently back in
    restore_backup(Layout(root), saved.name, "alice", with_operators=True)
    found = read_operators(operators)
    assert found is not None and found.grant_for("mallory") is not None
    assert "operators.toml" in str(_restores(root)[-1]["note"])


def test_the_restore_command_takes_with_operators(registry: Registry, root: Path) -> None:
    from tui.cli import main

    operators = root / "operators.toml"
    operators.write_text('[operators.root]\nrole = "admin"\nscope = "all"\n' + MALLORY, encoding="utf-8")
    saved = registry.backup("x")
    operators.write_text('[operators.root]\nrole = "admin"\nscope = "all"\n', encoding="utf-8")
    assert main(["--db", str(root), "restore", saved.name, "--yes"]) == 0
    assert "mallory" not in operators.read_text(encoding="utf-8")
    assert main(["--db", str(root), "restore", saved.name, "--yes", "--with-operators"]) == 0
    assert "mallory" in operators.read_text(encoding="utf-8")


def test_a_backup_of_another_registry_is_refused(registry: Registry, root: Path, tmp_path: Path) -> None:
    registry.add_worker(make_worker("c1"))
    with init_registry(tmp_path / "other", user="eve") as other:
        other.add_community(make_community("c1"))
        foreign = other.backup("别的登记库")
    planted = root / "backups" / foreign.name
    shutil.copytree(foreign, planted)
    before = snapshot(root, audit=False)
    with pytest.raises(BackupUnusable) as refused:
        restore_backup(Layout(root), foreign.name, "alice")
    assert "registry" in str(refused.value) or "登记库" in str(refused.value)
    assert snapshot(root, audit=False) == before
    # A copy made before registries had an id is told apart by when and by whom it was created.
    meta = orjson.loads((planted / "registry.json").read_bytes())
    del meta["registry_id"]
    (planted / "registry.json").write_bytes(orjson.dumps(meta))
    before = snapshot(root, audit=False)
    with pytest.raises(BackupUnusable):
        restore_backup(Layout(root), foreign.name, "alice")
    assert snapshot(root, audit=False) == before
    record("backup_attacks_withstood", 2)


def test_an_old_registry_gets_an_id_and_its_old_backups_still_restore(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    saved = registry.backup("旧")
    registry.close()
    for meta_path in (root / "registry.json", saved / "registry.json"):  # as written before ids
        meta = orjson.loads(meta_path.read_bytes())
        del meta["registry_id"]
        meta_path.write_bytes(orjson.dumps(meta))
    with open_registry(root) as reg:
        reg.update_worker(attrs.evolve(w, note="后来"))
    given = orjson.loads((root / "registry.json").read_bytes())["registry_id"]
    assert isinstance(given, str) and len(given) == 32
    with open_registry(saved) as copy:  # looking into the old copy gives it no id of its own
        assert copy.get_worker(w.id) == w
    assert "registry_id" not in orjson.loads((saved / "registry.json").read_bytes())
    restore_backup(Layout(root), saved.name, "alice")
    assert orjson.loads((root / "registry.json").read_bytes())["registry_id"] == given
    with open_registry(root) as reg:
        assert reg.get_worker(w.id) == w


# --- a restore killed part way --------------------------------------------------------------


def _restore_killed(root: str, name: str, nth: int) -> None:
    faults.hooks[:] = [faults.crash_at("restore_file", nth=nth, code=17)]
    restore_backup(Layout(Path(root)), name, "alice")
    os._exit(0)


def _killed_midway(registry: Registry, root: Path) -> tuple[Path, dict[int, str]]:
    """A backup of workers in two streets, then edits in both; a restore killed after one file."""
    a = registry.add_worker(make_worker("c1", note="备份时"))
    b = registry.add_worker(make_worker("c3", note="备份时"))
    saved = registry.backup("之前")
    registry.update_worker(attrs.evolve(a, note="之后"))
    registry.update_worker(attrs.evolve(b, note="之后"))
    registry.close()
    child = CTX.Process(target=_restore_killed, args=(str(root), saved.name, 3))
    child.start()
    child.join(60)
    assert child.exitcode == 17
    assert (root / "restore.json").exists()
    record("crash_points")
    return saved, {a.id: "备份时", b.id: "备份时"}


def test_a_restore_killed_midway_is_finished_by_the_next_open(registry: Registry, root: Path) -> None:
    audit_before = _audit_lines(root)
    saved, notes = _killed_midway(registry, root)
    report = check_registry(root)
    assert [f.code for f in report.errors] == ["restore_interrupted"]
    with open_registry(root) as reg:
        assert {w.id: w.note for w in reg.workers()} == notes
        reg.add_worker(make_worker("c1"))  # writable again
    assert not (root / "restore.json").exists()
    assert _audit_lines(root)[: len(audit_before)] == audit_before
    assert [e["key"] for e in _restores(root)] == [saved.name]  # one restore entry, not two
    assert check_registry(root).ok
    record("restores_interrupted")
    record("acknowledged_writes_checked", len(notes))


def test_a_restore_killed_midway_rolls_back_when_its_backup_is_gone(registry: Registry, root: Path) -> None:
    saved, _ = _killed_midway(registry, root)
    shutil.rmtree(saved)
    with open_registry(root) as reg:
        assert {w.note for w in reg.workers()} == {"之后"}  # the state the restore replaced
        reg.add_worker(make_worker("c1"))
    assert not (root / "restore.json").exists()
    assert check_registry(root).ok
    record("restores_interrupted")


def test_writes_are_refused_while_a_restore_cannot_be_finished(registry: Registry, root: Path) -> None:
    saved, _ = _killed_midway(registry, root)
    marker = orjson.loads((root / "restore.json").read_bytes())
    shutil.rmtree(saved)
    shutil.rmtree(root / "backups" / marker["safety"])

    def data() -> dict[str, str]:  # opening to read may write the index cache
        return {k: v for k, v in snapshot(root, audit=False).items() if k != "index.json"}

    before = data()
    with open_registry(root) as reg:
        assert len(reg.workers()) == 2  # reading goes on
        with pytest.raises(RestoreUnfinished) as refused:
            reg.add_worker(make_worker("c1"))
    assert "restore" in str(refused.value) or "恢复" in str(refused.value)
    assert data() == before
    record("restores_interrupted")


# --- check right after a crash ------------------------------------------------------------------


def _crash_between_shards(root: str) -> None:
    faults.hooks[:] = [faults.crash_at("between_shards", code=17)]
    with open_registry(root) as reg:
        for w in list(reg.workers()):
            reg.update_worker(attrs.evolve(w, community_id="c3" if w.community_id == "c1" else "c1"))
    os._exit(0)


def test_check_after_a_crash_reports_an_unfinished_change_not_damage(registry: Registry, root: Path) -> None:
    registry.add_worker(make_worker("c1"))
    registry.close()
    child = CTX.Process(target=_crash_between_shards, args=(str(root),))
    child.start()
    child.join(60)
    assert child.exitcode == 17
    report = check_registry(root)
    assert report.ok, [f.as_json() for f in report.findings]
    assert [(f.severity, f.code) for f in report.findings] == [(WARNING, "journal_pending")]
    assert all(f.severity != ERROR for f in report.findings)
    with open_registry(root) as reg:
        assert [w.community_id for w in reg.workers()] == ["c3"]
    assert check_registry(root).findings == ()
    record("crash_points")


def _restore_slowly(root: str, name: str) -> None:
    restore_backup(Layout(Path(root)), name, "alice")
    os._exit(0)


def test_sigkill_during_a_restore_never_leaves_a_mixed_registry(registry: Registry, root: Path) -> None:
    """A real SIGKILL as soon as the restore has begun (its marker is there), three times over."""
    streets = [make_community(f"s{i}", street=f"第{i}街道") for i in range(6)]
    for c in streets:
        registry.add_community(c)
    workers = registry.add_workers([make_worker(c.id, note="备份时") for c in streets for _ in range(3)])
    saved = registry.backup("之前")
    registry.close()
    for round_ in range(3):
        with open_registry(root) as reg:
            for w in reg.workers():
                reg.update_worker(attrs.evolve(w, note=f"第{round_}次之后"))
        audit_before = _audit_lines(root)
        child = CTX.Process(target=_restore_slowly, args=(str(root), saved.name))
        child.start()
        assert child.pid is not None
        while child.is_alive() and not (root / "restore.json").exists():
            pass
        with contextlib.suppress(ProcessLookupError):  # on a busy machine it may have finished
            os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        killed = child.exitcode == -signal.SIGKILL
        with open_registry(root) as reg:  # finishes the restore if the kill cut it short
            assert {w.id: w.note for w in reg.workers()} == {w.id: "备份时" for w in workers}
        assert _audit_lines(root)[: len(audit_before)] == audit_before
        assert not (root / "restore.json").exists()
        assert check_registry(root).ok
        record("random_kills", int(killed))
        record("acknowledged_writes_checked", len(workers))
    assert len(_restores(root)) == 3


def test_a_restore_over_an_unfinished_change_can_itself_be_undone(registry: Registry, root: Path) -> None:
    """The copy a restore makes first holds a change a killed process left unfinished; restoring
    that copy brings the change back with its journal, and the next open finishes it."""
    w = registry.add_worker(make_worker("c1"))
    saved = registry.backup("之前")
    registry.close()
    child = CTX.Process(target=_crash_between_shards, args=(str(root),))
    child.start()
    child.join(60)
    assert child.exitcode == 17
    done = restore_backup(Layout(root), saved.name, "alice")
    assert (done.safety / "journal.json").is_file()
    assert not (root / "journal.json").exists()
    with open_registry(root) as reg:
        assert reg.get_worker(w.id).community_id == "c1"
    restore_backup(Layout(root), done.safety.name, "alice")
    with open_registry(root) as reg:
        assert reg.get_worker(w.id).community_id == "c3"  # the move, finished
    assert check_registry(root).ok
    record("crash_points")
