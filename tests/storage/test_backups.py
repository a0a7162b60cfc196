"""Backups: a rotating set, made on open (when due), before an import, a round close and a
restore; `restore` puts a backup back (after backing up the current state) and refuses while
someone else holds the lock."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time
from pathlib import Path

import attrs
import orjson
import pytest

from core.assessment import close_round, decide, open_round, save_round
from core.errors import RegistryBusy, RegistryCorrupt
from core.jurisdictions import Jurisdictions
from core.registry import Registry, open_registry
from core.rules import Rules
from core.scope import Scope
from core.storage import backups
from core.storage.backups import checkpoint, due, list_backups, restore_backup
from core.storage.check import check_registry
from core.storage.errors import BackupUnusable
from core.storage.layout import Layout
from core.storage.lock import RegistryLock
from core.tabular.workers_import import import_workers

from .conftest import make_community, make_worker
from .figures import record

CTX = multiprocessing.get_context("fork")


def _set_keep(root: Path, keep: int) -> None:
    meta = orjson.loads((root / "registry.json").read_bytes())
    meta["backups_keep"] = keep
    (root / "registry.json").write_bytes(orjson.dumps(meta))


def test_the_set_rotates_keeping_the_newest(registry: Registry, root: Path) -> None:
    registry.close()
    _set_keep(root, 3)
    with open_registry(root) as reg:
        made = [reg.backup(f"第{i}次") for i in range(5)]
        kept = reg.list_backups()
    assert [b.path for b in kept] == made[:1:-1]  # the newest three, newest first
    assert [b.reason for b in kept] == ["第4次", "第3次", "第2次"]
    assert sorted(p.name for p in (root / "backups").iterdir()) == sorted(p.name for p in made[2:])


def test_default_keep(registry: Registry) -> None:
    for i in range(backups.DEFAULT_KEEP + 2):
        registry.backup(str(i))
    assert len(registry.list_backups()) == backups.DEFAULT_KEEP


def test_backup_on_open_only_when_due(registry: Registry, root: Path) -> None:
    registry.close()
    with open_registry(root, backup_on_open=True) as reg:
        (first,) = reg.list_backups()
        assert first.reason == "打开登记库时的自动备份"
    with open_registry(root, backup_on_open=True) as reg:  # nothing changed: no new backup
        assert len(reg.list_backups()) == 1
        reg.add_worker(make_worker("c1"))
    with open_registry(root, backup_on_open=True) as reg:  # changed, but the last is too recent
        assert len(reg.list_backups()) == 1
    with pytest.MonkeyPatch.context() as mp:  # however long ago, an unchanged registry is not copied
        mp.setattr(backups, "OPEN_INTERVAL", dt.timedelta(0))
        with open_registry(root, backup_on_open=True) as reg:
            assert len(reg.list_backups()) == 2
        with open_registry(root, backup_on_open=True) as reg:
            assert len(reg.list_backups()) == 2
            reg.record_event("note", "registry", "x")  # only the audit trail grows: no change
        with open_registry(root, backup_on_open=True) as reg:
            assert len(reg.list_backups()) == 2
    assert reg.list_backups()[0].fingerprint != first.fingerprint
    layout = Layout(root)
    later = dt.datetime.now(dt.UTC) + backups.OPEN_INTERVAL
    assert not due(layout, later)  # unchanged since the newest backup
    with open_registry(root) as reg:  # library callers do not ask for one
        reg.add_worker(make_worker("c1"))
        assert len(reg.list_backups()) == 2
    assert due(layout, later) and not due(layout)


def test_backup_on_open_skips_while_someone_holds_the_lock(registry: Registry, root: Path) -> None:
    registry.close()
    with RegistryLock(root / ".lock").hold(), open_registry(root, backup_on_open=True) as reg:
        assert reg.list_backups() == []
        assert reg.count_workers() == 0


def test_checkpoint_ignores_a_repository_without_backups() -> None:
    from core.memory import MemoryRegistry

    assert checkpoint(MemoryRegistry(user="x"), "test") is None


def test_an_import_backs_up_first_and_a_refused_one_does_not(
    registry: Registry, root: Path, tmp_path: Path
) -> None:
    from tests.tabular.conftest import TODAY, community, good_row, write_xlsx

    for cid in ("t1", "t2"):
        registry.add_community(attrs.evolve(community(cid), id=cid))
    rows = [good_row(i, community_id="t1") for i in range(3)]
    refused = import_workers(
        registry, write_xlsx(tmp_path / "坏.xlsx", [*rows, good_row(9, name="")]), today=TODAY
    )
    assert refused.refused and registry.list_backups() == []
    done = import_workers(registry, write_xlsx(tmp_path / "名单.xlsx", rows), today=TODAY)
    assert done.added == 3
    (made,) = registry.list_backups()
    assert "名单.xlsx" in made.reason
    with open_registry(made.path) as copy:  # the copy is the state before the import
        assert copy.count_workers() == 0


def test_closing_a_round_backs_up_first(root: Path) -> None:
    from core.cases import make_community as case_community
    from tests.workflows.conftest import Toy, add

    js = Jurisdictions()
    js.register(Toy())
    reg = open_registry(root, create=True, user="operator")
    reg.add_community(case_community("toy", {"id": "c1", "street": "东街道"}))
    a, _ = add(reg, "c1", 2)  # type: ignore[arg-type]
    rules = Rules(reg, js, today=dt.date(2026, 11, 25))
    r = decide(open_round(reg, rules, 2026, Scope()), a.id, "qualified")
    save_round(reg, r)
    close_round(reg, rules, r)
    (made,) = reg.list_backups()
    assert r.key in made.reason
    with open_registry(made.path) as before:
        assert before.get_worker(a.id).grade_for(2026) is None
    assert reg.get_worker(a.id).grade_for(2026) == "qualified"
    reg.close()


def test_restore_puts_the_backup_back_and_keeps_the_state_it_replaced(registry: Registry, root: Path) -> None:
    first = registry.add_worker(make_worker("c1", note="原来"))
    saved = registry.backup("before")
    registry.update_worker(attrs.evolve(first, note="改错了"))
    later = registry.add_worker(make_worker("c3"))
    registry.delete_community("c2", 1)
    new_shard = registry.shard_of(later.id)  # 学院路街道 had no file at the time of the backup
    done = restore_backup(Layout(root), saved.name, "admin")
    assert done.backup.path == saved
    assert done.removed == ("workers/" + new_shard.name,)
    assert registry.get_worker(first.id).note == "原来"  # a process with it open sees the restore
    with open_registry(root) as reg:
        assert [w.id for w in reg.workers()] == [first.id]
        assert {c.id for c in reg.communities()} == {"c1", "c2", "c3"}
        assert reg.add_worker(make_worker("c1")).id > later.id  # ids given out are never reused
        assert [c.action for c in reg.changes(kind="registry", key=saved.name)][-1] == "restore"
    with open_registry(done.safety) as undone:  # the replaced state, kept
        assert undone.get_worker(first.id).note == "改错了"
        assert undone.get_worker(later.id).community_id == "c3"
    report = check_registry(root)
    assert report.ok, [f.as_json() for f in report.findings]
    assert not (root / "restore.json").exists()


def test_restore_repairs_a_damaged_registry(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    registry.backup("good")
    shard = registry.shard_of(w.id)
    registry.close()
    shard.write_bytes(shard.read_bytes()[:-9])
    with pytest.raises(RegistryCorrupt) as caught:
        open_registry(root).workers()
    assert caught.value.backup is not None
    restore_backup(Layout(root), Path(caught.value.backup).name, "admin")
    with open_registry(root) as reg:
        assert reg.get_worker(w.id) == w
    record("acknowledged_writes_checked")


def test_restore_refuses_an_unknown_or_damaged_backup(registry: Registry, root: Path) -> None:
    registry.add_worker(make_worker("c1"))
    made = registry.backup("x")
    with pytest.raises(BackupUnusable):
        restore_backup(Layout(root), "20000101T000000.000000Z", "admin")
    (made / "communities.json").write_bytes(b'{"_file": ')
    before = (root / "communities.json").read_bytes()
    with pytest.raises(BackupUnusable) as caught:
        restore_backup(Layout(root), made.name, "admin")
    assert "communities.json" in str(caught.value)
    assert (root / "communities.json").read_bytes() == before
    assert len(list_backups(Layout(root))) == 1  # no safety copy either: nothing was started


def _hold(root: str, marker: str) -> None:
    with RegistryLock(Path(root) / ".lock").hold():
        Path(marker).write_text("holding")
        time.sleep(60)
    os._exit(0)


def test_restore_refuses_at_once_while_another_process_holds_the_lock(
    registry: Registry, root: Path, tmp_path: Path
) -> None:
    made = registry.backup("x")
    registry.add_worker(make_worker("c1"))
    marker = tmp_path / "holding"
    child = CTX.Process(target=_hold, args=(str(root), str(marker)))
    child.start()
    try:
        while not marker.exists():
            time.sleep(0.01)
        with pytest.raises(RegistryBusy):
            restore_backup(Layout(root), made.name, "admin")
    finally:
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    assert registry.count_workers() == 1
    assert len(registry.list_backups()) == 1
    record("busy_refusals")


def test_a_community_added_after_the_backup_goes_with_the_restore(registry: Registry, root: Path) -> None:
    made = registry.backup("x")
    registry.add_community(make_community("c9", street="新街道"))
    restore_backup(Layout(root), made.name, "admin")
    with open_registry(root) as reg:
        assert "c9" not in {c.id for c in reg.communities()}


def test_the_operators_file_goes_with_the_backup(registry: Registry, root: Path) -> None:
    """Who may see what is copied with the registry; a restore asked to (`with_operators`) puts the
    file back as it was (without it the current file stays: test_restore_history)."""
    operators = root / "operators.toml"
    operators.write_text('[operators.alice]\nrole = "admin"\nscope = "all"\n', encoding="utf-8")
    saved = registry.backup("before")
    assert (saved / "operators.toml").read_text(encoding="utf-8") == operators.read_text(encoding="utf-8")
    operators.write_text('[operators.mallory]\nrole = "admin"\nscope = "all"\n', encoding="utf-8")
    restore_backup(Layout(root), saved.name, "alice", with_operators=True)
    assert "alice" in operators.read_text(encoding="utf-8")
