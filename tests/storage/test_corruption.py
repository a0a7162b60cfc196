"""A damaged file is never overwritten: `RegistryCorrupt` names it and the newest backup with a good copy."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from core.errors import RegistryCorrupt
from core.registry import Registry, open_registry
from core.storage.layout import shard_key

from .conftest import make_worker
from .figures import record

Damage = Callable[[bytes], bytes]


def _bad_utf8(data: bytes) -> bytes:
    """Same size, one byte inside a text value (a Chinese character if there is one) made 0xFF."""
    at = next((i for i, b in enumerate(data) if b >= 0xE0), data.index(b'"', data.index(b":")) + 1)
    return data[:at] + b"\xff" + data[at + 1 :]


DAMAGES: dict[str, Damage] = {
    "empty": lambda data: b"",
    "whitespace": lambda data: b"  \n",
    "trailing_garbage": lambda data: data + b"\x00garbage",
    "bad_utf8": _bad_utf8,
    "wrong_structure": lambda data: b'{"workers": 5, "communities": []}',
    "a_list": lambda data: b"[1, 2, 3]",
}
FILES = {
    "meta": lambda root: root / "registry.json",
    "communities": lambda root: root / "communities.json",
    "shard": lambda root: root / "workers" / f"{shard_key('海淀区', '中关村街道')}.json",
}


@pytest.fixture
def filled(registry: Registry, root: Path) -> Path:
    registry.add_workers([make_worker("c1") for _ in range(6)] + [make_worker("c3") for _ in range(3)])
    registry.close()
    return root


def _open_and_read(root: Path) -> None:
    with open_registry(root) as reg:
        reg.workers()
        reg.communities()


def _assert_refused(root: Path, path: Path, backup: Path | None) -> None:
    damaged = path.read_bytes()
    with pytest.raises(RegistryCorrupt) as caught:
        _open_and_read(root)
    err = caught.value
    assert Path(err.path) == path
    assert err.backup == (str(backup) if backup else None)
    assert err.reason
    text = str(err)
    assert str(path) in text
    if backup:
        assert str(backup) in text
    assert path.read_bytes() == damaged, "a damaged file must never be rewritten"
    record("corrupt_files_detected")


@pytest.mark.parametrize("which", sorted(FILES))
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_file_names_itself_and_the_newest_good_backup(filled: Path, which: str, damage: str) -> None:
    with open_registry(filled) as reg:
        older = reg.backup("每日备份")
        newest = reg.backup("再备份一次")
    path = FILES[which](filled)
    # the newest backup's copy is damaged too, so the older one is the newest good one
    (newest / path.relative_to(filled)).write_bytes(b"{")
    path.write_bytes(DAMAGES[damage](path.read_bytes()))
    _assert_refused(filled, path, older)


@pytest.mark.parametrize("which", sorted(FILES))
def test_truncation_at_random_bytes(filled: Path, which: str) -> None:
    path = FILES[which](filled)
    original = path.read_bytes()
    rng = random.Random(len(original))
    for cut in [*sorted(rng.sample(range(1, len(original) - 1), 6)), len(original) - 1]:
        path.write_bytes(original[:cut])
        _assert_refused(filled, path, None)
    path.write_bytes(original)
    _open_and_read(filled)


def test_message_without_a_backup_says_so(filled: Path) -> None:
    path = filled / "communities.json"
    path.write_bytes(b"")
    with pytest.raises(RegistryCorrupt) as caught:
        open_registry(filled)
    assert caught.value.backup is None
    assert caught.value.message.key == "error.corrupt_no_backup"
    assert "空" in str(caught.value)  # the reason is rendered in the language current when raised
    assert "no usable backup" in caught.value.render("en")


def test_damage_under_a_running_process_is_caught_before_any_write(filled: Path) -> None:
    with open_registry(filled, user="alice") as reg:
        w = reg.workers()[0]
        shard = reg.shard_of(w.id)
        damaged = shard.read_bytes()[:-7]
        shard.write_bytes(damaged)
        with pytest.raises(RegistryCorrupt) as caught:
            reg.update_worker(attrs.evolve(w, note="改"))
        assert Path(caught.value.path) == shard
        assert shard.read_bytes() == damaged
        with pytest.raises(RegistryCorrupt):
            reg.get_worker(w.id)


def test_a_record_that_no_longer_fits_the_model_is_reported_with_its_id(filled: Path) -> None:
    shard = FILES["shard"](filled)
    data = shard.read_bytes()
    broken = data.replace(b'"birth_date":"', b'"birth_date":"19xx', 1)
    shard.write_bytes(broken)
    with open_registry(filled) as reg, pytest.raises(RegistryCorrupt) as caught:
        reg.workers()
    assert Path(caught.value.path) == shard
    assert "birth_date" in caught.value.reason
    assert shard.read_bytes() == broken


def test_a_torn_last_audit_line_is_skipped(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    log = next((root / "audit").glob("*.jsonl"))
    with log.open("ab") as f:
        f.write(b'{"at": "2025-01-01T00:00:00+08:00", "user": "x", "act')
    assert [c.action for c in registry.changes(key=str(w.id))] == ["add"]
    registry.update_worker(attrs.evolve(w, note="之后"))
    assert [c.action for c in registry.changes(key=str(w.id))] == ["add", "update"]
    assert log.read_bytes().count(b"\n") == len(log.read_bytes().splitlines())
