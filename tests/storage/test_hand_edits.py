"""A street file changed in place (by hand, by a restore tool) while a process has the registry open.

A write no longer looks at every street file under the lock (a `stat` of each of ~1,100 files was
most of an edit's time in a city); it checks only the files it replaces, and looks at all of them
when it needs every street to be exact (a new resident ID must be unique across the city).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from core.errors import DuplicateRecord
from core.registry import Registry, open_registry

from .conftest import make_worker


def _edit_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite the file's bytes keeping its inode, as an editor saving over it would."""
    data = path.read_bytes()
    assert data.count(old) == 1
    before = path.stat().st_ino
    path.write_bytes(data.replace(old, new))
    assert path.stat().st_ino == before


def test_an_edit_keeps_a_change_made_by_hand_to_the_file_it_replaces(registry: Registry, root: Path) -> None:
    a, b = registry.add_workers([make_worker("c1", note="原备注"), make_worker("c2", note="b")])
    shard = registry.shard_of(a.id)
    assert shard == registry.shard_of(b.id)  # c1 and c2 are in one street (conftest)
    assert registry.get_worker(a.id).note == "原备注"  # parsed: this process holds the old version
    _edit_in_place(shard, "原备注".encode(), "手工改过的备注".encode())
    registry.update_worker(attrs.evolve(b, note="新"))
    with open_registry(root) as fresh:
        assert fresh.get_worker(a.id).note == "手工改过的备注"
        assert fresh.get_worker(b.id).note == "新"
    assert registry.get_worker(a.id).note == "手工改过的备注"


def test_a_resident_id_written_by_hand_into_another_street_is_still_unique(
    registry: Registry, root: Path
) -> None:
    other = registry.add_worker(make_worker("c3"))  # 学院路街道: not the street the new worker joins
    newcomer = make_worker("c1")
    assert registry.get_worker(other.id).id_number != newcomer.id_number
    _edit_in_place(registry.shard_of(other.id), other.id_number.encode(), newcomer.id_number.encode())
    with pytest.raises(DuplicateRecord):
        registry.add_worker(newcomer)
