"""Every file the registry writes is 0640 and every folder 0750, whatever the umask: owner reads
and writes, the owner's group reads, nobody else sees personal files. Writes that the real file
permissions forbid (checked as an unprivileged user, since root ignores them) are refused with
the registry unchanged."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import orjson
import pytest

from core.errors import RegistryWriteFailed, StaleRevision
from core.registry import Registry, init_registry, open_registry
from core.storage.files import DIR_MODE, FILE_MODE
from core.storage.lock import LOCK_MODE

from .conftest import make_community, make_worker
from .figures import record

NOBODY = 65534


@pytest.fixture(params=[0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix() or ".": stat.S_IMODE(p.lstat().st_mode)
        for p in [root, *root.rglob("*")]
    }


def _exercise(root: Path) -> None:
    """Write every kind of file: meta, shards, journal (a move), audit, documents, conflicts, backups."""
    reg = init_registry(root, user="alice")
    reg.add_community(make_community("c1"))
    reg.add_community(make_community("c3", street="学院路街道"))
    a, b = reg.add_workers([make_worker("c1"), make_worker("c3")])
    reg.update_worker(attrs.evolve(a, community_id="c3"))  # two shards: through the journal
    reg.save_document("payroll", "2026-11@all", {"lines": []})
    other = open_registry(root, user="bob")
    other.update_worker(attrs.evolve(other.get_worker(b.id), note="bob"))
    other.close()
    with pytest.raises(StaleRevision):
        reg.update_worker(attrs.evolve(b, note="stale"))  # refused: kept under conflicts/
    reg.backup("test")
    reg.close()


def test_files_are_0640_and_folders_0750_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    root = tmp_path / "registry"
    _exercise(root)
    modes = _modes(root)
    kinds = {p.split("/")[0] for p in modes}
    assert {
        "registry.json",
        "communities.json",
        "workers",
        "audit",
        "documents",
        "conflicts",
        "backups",
    } <= kinds
    assert any(p.startswith("backups/") and p.endswith(".json") for p in modes)
    wrong = {
        path: oct(mode)
        for path, mode in modes.items()
        if mode != (DIR_MODE if (root / path).is_dir() else LOCK_MODE if path == ".lock" else FILE_MODE)
    }
    assert wrong == {}, f"umask {umask:03o}"
    assert FILE_MODE & 0o007 == 0 and DIR_MODE & 0o007 == 0  # others: nothing


def _as_nobody(action: Callable[[], None]) -> int:
    """Run `action` in a child process as an unprivileged user; its exit code says how it ended:
    0 done, 10 `RegistryWriteFailed` naming EACCES, 11 `PermissionError`, 12 anything else."""
    pid = os.fork()
    if pid == 0:
        code = 12
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            action()
            code = 0
        except RegistryWriteFailed as exc:
            code = 10 if "EACCES" in exc.reason else 12
        except PermissionError:
            code = 11
        except BaseException:
            code = 12
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def reachable() -> Iterator[Path]:
    """A folder an unprivileged user can pass through (pytest's own tmp folders are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="shegong-perm-"))
    os.chmod(folder, 0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _filled(root: Path) -> Path:
    reg = init_registry(root, user="alice", lock_timeout=5)
    reg.add_community(make_community("c1"))
    reg.add_community(make_community("c3", street="学院路街道"))
    reg.add_workers([make_worker("c1"), make_worker("c3")])
    reg.close()
    return root


@pytest.fixture
def shared(reachable: Path) -> Path:
    """A registry an unprivileged user may read (as if in the owner's group) but not write."""
    root = _filled(reachable / "registry")
    for p in [root, *root.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return root


@needs_root
def test_a_group_reader_reads_but_its_write_is_refused_and_changes_nothing(shared: Path) -> None:
    before = _snapshot(shared)

    def read_then_edit() -> None:
        with open_registry(shared, user="nobody", lock_timeout=1) as reg:
            assert reg.count_workers() == 2
            assert reg.get_worker(1).revision == 1
            reg.update_worker(attrs.evolve(reg.get_worker(1), note="x"))

    assert _as_nobody(read_then_edit) == 10
    assert _snapshot(shared) == before
    with open_registry(shared) as reg:
        assert reg.update_worker(attrs.evolve(reg.get_worker(1), note="owner")).revision == 2
    record("permission_denials")


@needs_root
def test_no_permission_at_all_is_refused_and_changes_nothing(reachable: Path) -> None:
    root = _filled(reachable / "registry")
    before = _snapshot(root)

    def read() -> None:
        with open_registry(root, user="nobody", lock_timeout=1) as reg:
            reg.workers()

    assert _as_nobody(read) == 11  # 0750 folders: someone outside the group cannot even look
    assert _snapshot(root) == before
    record("permission_denials")


@needs_root
@pytest.mark.parametrize("folder", ["workers", "audit", "."])
def test_one_read_only_folder_at_a_time(shared: Path, folder: str) -> None:
    """Only one folder is closed to writing; the rest is writable: the write is refused cleanly."""
    for p in [shared, *shared.rglob("*")]:
        os.chown(p, NOBODY, NOBODY)
    os.chmod(shared / folder, 0o555)
    before = {k: v for k, v in _snapshot(shared).items() if not k.startswith("audit/")}

    def edit() -> None:
        with open_registry(shared, user="nobody", lock_timeout=1) as reg:
            reg.update_worker(attrs.evolve(reg.get_worker(1), community_id="c3", note="moved"))

    code = _as_nobody(edit)
    after = {k: v for k, v in _snapshot(shared).items() if not k.startswith("audit/")}
    if folder == "audit":
        assert code == 0  # the data change stands; its audit entry waits for a later write
    else:
        assert code == 10
        # a failed multi-file change is rolled back; only registry.json's generation moves on
        meta_before, meta_after = (orjson.loads(d.pop("registry.json")) for d in (before, after))
        assert meta_after["generation"] >= meta_before["generation"]
        assert {**meta_after, "generation": 0} == {**meta_before, "generation": 0}
        assert after == before
    os.chmod(shared / folder, 0o755)
    with open_registry(shared) as reg:
        assert reg.get_worker(1).revision in (1, 2)
        assert reg.count_workers() == 2
    record("permission_denials")


def test_enospc_on_backup_leaves_no_half_backup(registry: Registry, root: Path) -> None:
    from core.storage import faults

    from .figures import counted

    registry.add_worker(make_worker("c1"))

    def fail(step: str, path: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    real_fsync = os.fsync
    calls = 0

    def flaky(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            counted(fail)("fsync", "backup")
        real_fsync(fd)

    faults.hooks.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fsync", flaky)
        with pytest.raises(RegistryWriteFailed) as caught:
            registry.backup("disk fills up")
    assert "ENOSPC" in caught.value.reason
    assert list((root / "backups").iterdir()) == []
    assert registry.list_backups() == []
    assert registry.backup("later").is_dir()
