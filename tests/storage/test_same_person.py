"""The same person twice: a resident ID typed with full-width digits is the same number in ASCII.

Chinese input methods type `１１０１０８…`; stored as typed, the same ID in ASCII registered a
second record and `check` saw nothing. IDs (and phone digits) are folded with NFKC when a
worker is built, the index compares folded numbers, and `check` reports stored numbers that are
not folded or that collide once folded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DuplicateRecord
from core.memory import MemoryRegistry
from core.registry import Registry, open_registry
from core.storage.check import check_registry

from .conftest import make_community, make_worker

WIDE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def full_width(text: str) -> str:
    """As a Chinese input method in full-width mode types it (U+FF10… for the digits)."""
    return text.translate(WIDE)


def test_a_full_width_number_is_stored_in_ascii() -> None:
    ascii_worker = make_worker("c1", n=5)
    wide = full_width(ascii_worker.id_number)
    assert wide != ascii_worker.id_number
    worker = make_worker("c1", n=5, id_number=wide, phone=full_width("13800138000"))
    assert worker.id_number == ascii_worker.id_number
    assert worker.phone == "13800138000"


def test_the_registry_refuses_the_same_number_in_the_other_width(registry: Registry) -> None:
    first = registry.add_worker(make_worker("c1", n=7))
    with pytest.raises(DuplicateRecord):
        registry.add_worker(make_worker("c3", n=7, id_number=full_width(first.id_number)))
    assert registry.find_worker_by_id_number(full_width(first.id_number)) == first


def test_the_memory_registry_too() -> None:
    reg = MemoryRegistry(user="operator")
    reg.add_community(make_community("c1"))
    first = reg.add_worker(make_worker("c1", n=8))
    assert reg.find_worker_by_id_number(full_width(first.id_number)) == first
    with pytest.raises(DuplicateRecord):
        reg.add_worker(make_worker("c1", n=8, id_number=full_width(first.id_number)))


def _store_by_hand(path: Path, old: str, new: str) -> None:
    """As a registry written before IDs were folded would hold it (the JSON has the text as is)."""
    data = path.read_text(encoding="utf-8")
    assert data.count(old) == 1
    path.write_text(data.replace(old, new), encoding="utf-8")


def test_check_names_a_stored_number_not_folded(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1", n=11))
    _store_by_hand(registry.shard_of(w.id), w.id_number, full_width(w.id_number))
    report = check_registry(root)
    found = [f for f in report.findings if f.code == "id_number_not_normal"]
    assert [(f.severity, f.record, f.field) for f in found] == [("warning", str(w.id), "id_number")]
    assert w.id_number in found[0].text()
    assert report.ok  # a warning: the next save folds it
    # the index folds the stored number: the same person is refused
    with open_registry(root) as fresh, pytest.raises(DuplicateRecord):
        fresh.add_worker(make_worker("c3", n=11, name="又一个"))


def test_check_names_two_records_of_the_same_person(registry: Registry, root: Path) -> None:
    a = registry.add_worker(make_worker("c1", n=21))
    b = registry.add_worker(make_worker("c3", n=22))  # another street, another file
    _store_by_hand(registry.shard_of(b.id), b.id_number, full_width(a.id_number))
    report = check_registry(root)
    same = [f for f in report.findings if f.code == "same_id_once_folded"]
    assert len(same) == 1 and same[0].severity == "error"
    assert {same[0].record, str(same[0].args["other"])} == {str(a.id), str(b.id)}
    assert not report.ok
