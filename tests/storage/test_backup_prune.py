"""A process killed while it deletes old backups (the rotation after each backup) must not leave a
backup that is missing some of its files: `list_backups` would offer it, and restoring it would
bring back a registry without its communities."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from core.registry import Registry, open_registry
from core.storage import backups
from core.storage.backups import list_backups, prune_backups
from core.storage.check import check_registry
from core.storage.layout import Layout
from core.storage.lock import RegistryLock

from .conftest import make_worker

CTX = multiprocessing.get_context("fork")
KILLED = 9


def _prune_killed_after_one_file(root: str) -> None:
    """Rotate down to one backup, killed once the first file of the old one is deleted."""

    def delete_one_file_then_die(path: str | os.PathLike[str], ignore_errors: bool = False) -> None:
        next(Path(path).rglob("communities.json")).unlink()
        os._exit(KILLED)

    backups.shutil.rmtree = delete_one_file_then_die  # type: ignore[assignment]  # this child only
    layout = Layout(Path(root))
    with RegistryLock(layout.lock).hold():
        prune_backups(layout, keep=1)
    os._exit(0)


def test_a_rotation_killed_midway_leaves_only_whole_backups(registry: Registry, root: Path) -> None:
    registry.add_workers([make_worker("c1") for _ in range(3)])
    older = registry.checkpoint("旧")  # automatic checkpoints: the set prune_backups rotates by default
    newer = registry.checkpoint("新")
    registry.close()
    assert [b.path for b in list_backups(Layout(root))] == [newer, older]
    child = CTX.Process(target=_prune_killed_after_one_file, args=(str(root),))
    child.start()
    child.join(30)
    assert child.exitcode == KILLED
    with open_registry(root) as reg:  # opening tidies up what the killed rotation left
        assert reg.count_workers() == 3
    left = list_backups(Layout(root))
    assert newer in [b.path for b in left] and older not in [b.path for b in left]
    for b in left:
        assert check_registry(b.path).ok, b.name
    assert not [p for p in (root / "backups").iterdir() if p.name.startswith(".")]
