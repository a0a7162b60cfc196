"""Backups an attacker cannot take away (issue 12, items 3, 4 and 10).

* A street operator's imports make automatic checkpoints; they rotate apart from an admin's
  backups, so no number of imports deletes one. An operator cannot make an explicit backup.
* A clock set wrong (backups named in the future) never decides what is deleted: rotation goes by
  a sequence number recorded in each backup, and the backup just made is never the one deleted.
* The refused versions kept in `conflicts/` are pruned with the backups to a bounded number.

Each attack runs in a real child process on real files, as the fault-injection suite does.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import attrs
import orjson
import pytest

from core.errors import AccessDenied, StaleRevision
from core.registry import Registry, init_registry, open_registry
from core.scoped import open_scoped
from core.storage import backups
from core.storage.backups import AUTOMATIC, list_backups
from core.storage.layout import Layout

from .conftest import make_worker
from .figures import record

CTX = multiprocessing.get_context("fork")
OPERATORS = """\
[operators.alice]
role = "admin"
scope = "all"

[operators.zhou]
role = "operator"
scope = "street:测试区/东街道"
"""


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A registry with one street (东街道) that operator zhou works in, and alice its admin."""
    from tests.tabular.conftest import community

    root = tmp_path / "registry"
    with init_registry(root, user="alice") as reg:
        for cid in ("c1", "c2"):
            reg.add_community(community(cid))
    (root / "operators.toml").write_text(OPERATORS, encoding="utf-8")
    return root


def _run(target: object, *args: object) -> None:
    child = CTX.Process(target=target, args=args)
    child.start()
    child.join(120)
    assert child.exitcode == 0


def _ten_one_row_imports(root: str, folder: str) -> None:
    """Street operator zhou imports ten one-row workbooks, as a purge would."""
    from core.tabular.workers_import import import_workers
    from tests.tabular.conftest import TODAY, good_row, write_xlsx

    with open_scoped(root, login="zhou") as reg:
        for i in range(backups.DEFAULT_KEEP + 2):
            book = write_xlsx(Path(folder) / f"一行{i}.xlsx", [good_row(i)])
            assert import_workers(reg, book, today=TODAY).added == 1
    os._exit(0)


def test_an_operators_imports_never_delete_an_admins_backup(shared: Path, tmp_path: Path) -> None:
    with open_scoped(shared, login="alice") as admin:
        kept = admin.backup("管理员的备份")
    _run(_ten_one_row_imports, str(shared), str(tmp_path))
    found = list_backups(Layout(shared))
    assert kept in [b.path for b in found]
    assert (kept / "registry.json").is_file()
    # The imports' own checkpoints rotate among themselves: the newest DEFAULT_KEEP (10) of 12.
    automatic = [b for b in found if b.pool == AUTOMATIC]
    assert len(automatic) == backups.DEFAULT_KEEP
    assert all("一行" in b.reason for b in automatic)
    record("backup_attacks_withstood")


def test_an_operator_cannot_make_an_explicit_backup(shared: Path) -> None:
    with open_scoped(shared, login="zhou") as reg:
        with pytest.raises(AccessDenied):
            reg.backup("我也想备份")
        assert [c.action for c in reg._inner.changes(kind="registry")][-1] == "denied"
    assert list_backups(Layout(shared)) == []
    record("backup_attacks_withstood")


def _backups_from_the_future(root: str, count: int) -> None:
    """Backups and checkpoints made while the server's clock was set to 2999 (the names sort after
    every real one)."""
    moments = iter(range(2 * count))

    def stamp() -> str:
        return f"29990101T0000{next(moments):02d}.000000Z"

    backups.utc_stamp = stamp  # type: ignore[assignment]
    backups.now_iso = lambda: "2999-01-01T08:00:00+08:00"  # type: ignore[assignment]
    with open_registry(root, user="alice") as reg:
        for i in range(count):
            reg.backup(f"未来{i}")
        for i in range(count):
            reg.checkpoint(f"未来的自动备份{i}")
    os._exit(0)


def test_backups_dated_in_the_future_never_delete_a_new_one(registry: Registry, root: Path) -> None:
    registry.close()
    _run(_backups_from_the_future, str(root), backups.DEFAULT_KEEP)
    future = list_backups(Layout(root))
    assert len(future) == 2 * backups.DEFAULT_KEEP and all(b.name.startswith("2999") for b in future)
    with open_registry(root, user="alice") as reg:
        w = reg.add_worker(make_worker("c1"))
        made = reg.backup("现在")
        assert made.is_dir()  # it was "Backed up to" this path, so it must be there
        newest = reg.list_backups()[0]
        assert newest.path == made  # creation order, not the name, says which is newest
        # Rotation deleted the oldest of the future ones (made first), not the one just made.
        names = [b.name for b in reg.list_backups()]
        assert "29990101T000000.000000Z" not in names and len(names) == 2 * backups.DEFAULT_KEEP
        checkpoint = reg.checkpoint("导入前")  # the automatic set is full of "2999" ones too
        assert checkpoint.is_dir() and reg.list_backups()[0].path == checkpoint
        assert f"29990101T0000{backups.DEFAULT_KEEP:02d}.000000Z" not in [b.name for b in reg.list_backups()]
    with open_registry(made) as copy:
        assert copy.get_worker(w.id) == w
    record("backup_attacks_withstood")
    record("acknowledged_writes_checked")


def test_the_backup_command_never_reports_a_deleted_backup(
    registry: Registry, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    registry.close()
    _run(_backups_from_the_future, str(root), backups.DEFAULT_KEEP)
    assert main(["--db", str(root), "backup", "--json"]) == 0
    made = orjson.loads(capsys.readouterr().out)["made"]
    assert Path(made).is_dir()


def test_a_backup_on_open_is_due_when_the_newest_is_dated_in_the_future(
    registry: Registry, root: Path
) -> None:
    registry.add_worker(make_worker("c1"))
    registry.close()
    _run(_backups_from_the_future, str(root), 1)
    with open_registry(root, user="alice") as reg:  # a change since, and the newest is "in 2999"
        reg.add_worker(make_worker("c1"))
    with open_registry(root, user="alice", backup_on_open=True) as reg:
        assert not reg.list_backups()[0].name.startswith("2999")


def test_conflicts_are_pruned_with_the_backups(registry: Registry, root: Path) -> None:
    registry.close()
    meta = orjson.loads((root / "registry.json").read_bytes())
    (root / "registry.json").write_bytes(orjson.dumps({**meta, "conflicts_keep": 5}))
    with open_registry(root, user="alice") as reg:
        w = reg.add_worker(make_worker("c1"))
        reg.update_worker(attrs.evolve(w, note="先保存的"))
        for i in range(12):  # twelve saves over a stale copy: twelve refused versions kept
            with pytest.raises(StaleRevision):
                reg.update_worker(attrs.evolve(w, note=f"过期的{i}"))
        assert len(reg.list_conflicts()) == 12
        newest = sorted(reg.list_conflicts(), key=lambda p: p.stat().st_mtime_ns)[-5:]
        reg.checkpoint("导入前")
        left = reg.list_conflicts()
    assert sorted(left) == sorted(newest)  # the newest 5 (conflicts_keep) stay
    notes = {reg_note for reg_note in (orjson.loads(p.read_bytes())["yours"]["note"] for p in left)}
    assert notes == {f"过期的{i}" for i in range(7, 12)}
