"""A failing disk (ENOSPC, EIO, EROFS, EACCES on write or fsync) leaves the registry as it was."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import attrs
import pytest

from core.convert import unstructure
from core.errors import RegistryWriteFailed
from core.registry import Registry, open_registry
from core.storage import faults
from core.storage.files import is_temp_name

from .conftest import make_worker
from .figures import counted


def _files(root: Path) -> dict[str, bytes]:
    """Every data file's bytes (audit and backups aside)."""
    out = {}
    for p in sorted(root.rglob("*.json")):
        rel = p.relative_to(root).as_posix()
        if not rel.startswith(("backups/", "conflicts/")) and rel != "index.json":
            out[rel] = p.read_bytes()
    return out


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if is_temp_name(p.name)]


@pytest.fixture
def filled(registry: Registry) -> Registry:
    registry.add_workers([make_worker("c1"), make_worker("c1"), make_worker("c3")])
    return registry


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EROFS, errno.EACCES])
@pytest.mark.parametrize("step", ["before_write", "after_write_before_fsync"])
def test_failed_write_or_fsync_leaves_the_old_state(
    filled: Registry, root: Path, code: int, step: str
) -> None:
    w = filled.get_worker(1)
    before = _files(root)
    faults.hooks.append(counted(faults.fail_at(step, name="workers/", error=code)))
    with pytest.raises(RegistryWriteFailed) as caught:
        filled.update_worker(attrs.evolve(w, note="写不进去"))
    assert "workers" in caught.value.path
    assert errno.errorcode[code] in caught.value.reason
    assert caught.value.path in str(caught.value)
    assert _files(root) == before
    assert _temps(root) == []
    assert filled.get_worker(1) == w
    assert [c.action for c in filled.changes(key="1")] == ["add"]
    # the fault cleared: the same edit, at the same revision, now goes through
    assert filled.update_worker(attrs.evolve(w, note="写进去了")).revision == 2
    with open_registry(root) as other:
        assert other.get_worker(1).note == "写进去了"


def test_message_says_the_disk_is_full_and_nothing_was_saved(filled: Registry) -> None:
    faults.hooks.append(counted(faults.fail_at("before_write", name="workers/", error=errno.ENOSPC)))
    with pytest.raises(RegistryWriteFailed) as caught:
        filled.update_worker(attrs.evolve(filled.get_worker(1), note="x"))
    text = str(caught.value)
    assert "磁盘空间已满" in text and "没有保存" in text


def test_failed_counter_bump_adds_nothing(filled: Registry, root: Path) -> None:
    before = _files(root)
    faults.hooks.append(
        counted(faults.fail_at("after_write_before_fsync", name="registry.json", error=errno.EIO))
    )
    with pytest.raises(RegistryWriteFailed):
        filled.add_worker(make_worker("c1"))
    assert _files(root) == before
    assert filled.count_workers() == 3
    assert filled.add_worker(make_worker("c1")).id == 4


def test_failure_in_the_middle_of_a_multi_file_change_is_rolled_back(filled: Registry, root: Path) -> None:
    w = filled.get_worker(1)
    before = _files(root)
    faults.hooks.append(counted(faults.fail_at("before_write", name="workers/", error=errno.ENOSPC, skip=1)))
    with pytest.raises(RegistryWriteFailed):
        filled.update_worker(attrs.evolve(w, community_id="c3"))
    after = _files(root)
    assert not (root / "journal.json").exists()
    assert after.keys() == before.keys()
    for name in after:  # rolled back: same records; shard headers carry a new commit token
        if name.startswith("workers/"):
            assert after[name].split(b',"workers":')[1] == before[name].split(b',"workers":')[1]
    assert filled.get_worker(1) == w
    with open_registry(root) as other:
        assert other.workers() == filled.workers()
        assert other.get_worker(1) == w
    assert filled.update_worker(attrs.evolve(w, community_id="c3")).community_id == "c3"


def test_failed_rollback_leaves_the_journal_to_finish_the_change(filled: Registry, root: Path) -> None:
    w = filled.get_worker(1)
    faults.hooks.append(
        counted(faults.fail_at("before_write", name="workers/", error=errno.EIO, skip=1, times=-1))
    )
    with pytest.raises(RegistryWriteFailed) as caught:
        filled.update_worker(attrs.evolve(w, community_id="c3", note="迁出"))
    assert "journal.json" in caught.value.reason
    assert (root / "journal.json").exists()
    faults.hooks.clear()
    with open_registry(root, user="next") as other:
        assert not (root / "journal.json").exists()
        moved = other.get_worker(1)
        assert (moved.community_id, moved.note, moved.revision) == ("c3", "迁出", 2)
        assert [c.action for c in other.changes(key="1")] == ["add", "update"]
    assert filled.get_worker(1) == moved


def test_failed_journal_write_changes_nothing(filled: Registry, root: Path) -> None:
    before = _files(root)
    faults.hooks.append(
        counted(faults.fail_at("after_write_before_fsync", name="journal.json", error=errno.ENOSPC))
    )
    with pytest.raises(RegistryWriteFailed):
        filled.add_workers([make_worker("c1"), make_worker("c3")])
    after = _files(root)
    # the two reserved ids are skipped (never reused); no worker file changed
    assert after.pop("registry.json") != before.pop("registry.json")
    assert after == before
    assert _temps(root) == []
    assert filled.count_workers() == 3
    assert filled.add_worker(make_worker("c1")).id == 6


def test_read_only_file_system_everywhere(filled: Registry, root: Path) -> None:
    faults.hooks.append(counted(faults.fail_at("before_write", error=errno.EROFS, times=-1)))
    before = _files(root)
    for attempt in (
        lambda: filled.add_worker(make_worker("c1")),
        lambda: filled.update_worker(attrs.evolve(filled.get_worker(2), note="x")),
        lambda: filled.delete_worker(3, 1),
        lambda: filled.update_community(attrs.evolve(filled.get_community("c1"), population=1)),
        lambda: filled.save_document("payroll", "2024-07@all", {"lines": []}),
    ):
        with pytest.raises(RegistryWriteFailed):
            attempt()
    assert _files(root) == before
    assert filled.workers() == [filled.get_worker(i) for i in (1, 2, 3)]
    faults.hooks.clear()
    assert filled.delete_worker(3, 1) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_real_read_only_directory(filled: Registry, root: Path) -> None:
    shards = root / "workers"
    os.chmod(shards, 0o555)
    try:
        with pytest.raises(RegistryWriteFailed) as caught:
            filled.update_worker(attrs.evolve(filled.get_worker(1), note="x"))
        assert "EACCES" in caught.value.reason
    finally:
        os.chmod(shards, 0o755)
    assert filled.update_worker(attrs.evolve(filled.get_worker(1), note="x")).revision == 2


def test_failed_audit_append_refuses_the_change(filled: Registry) -> None:
    """No change stands without its audit entry: the edit is taken back and refused."""
    w = filled.get_worker(1)
    faults.hooks.append(counted(faults.fail_at("before_audit", error=errno.ENOSPC)))
    with pytest.raises(RegistryWriteFailed) as refused:
        filled.update_worker(attrs.evolve(w, note="审计写不进去"))
    assert "ENOSPC" in refused.value.reason
    assert filled.get_worker(1) == w
    assert [c.action for c in filled.changes(key="1")] == ["add"]
    edited = filled.update_worker(attrs.evolve(w, note="下一次写入"))
    history = filled.changes(key="1")
    assert [c.action for c in history] == ["add", "update"]
    assert history[-1].after == unstructure(edited)
