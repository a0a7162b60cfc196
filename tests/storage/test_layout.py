"""Shard names, temp-file hygiene, the login recorded, workflow documents and backups."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import attrs
import orjson
import pytest

from core.errors import RegistryCorrupt
from core.registry import Registry, open_registry
from core.storage.files import atomic_write, is_temp_name, temp_path
from core.storage.layout import current_user, display_time, shard_key

from .conftest import make_worker


def test_shard_key_is_stable_safe_and_distinct() -> None:
    key = shard_key("海淀区", "中关村街道")
    assert key == shard_key("海淀区", "中关村街道")
    assert key == shard_key(" 海淀区", "中关村街道 ")  # padding does not make a new street
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{10}", key)
    assert shard_key("海淀区", "学院路街道") != key
    assert shard_key("朝阳区", "中关村街道") != key  # same street name, other district
    latin = shard_key("Haidian", "Zhongguancun Street")
    assert latin.startswith("haidian-zhongguancun-street-")
    assert len(shard_key("区" * 200, "街" * 200)) < 60


def test_current_user_is_the_uid_and_never_logname_or_user() -> None:
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    assert current_user({"LOGNAME": "li", "USER": "other"}) == me
    assert current_user({"USER": "wang"}) == me
    assert current_user({}) == me


def test_display_time() -> None:
    assert display_time("not a time") == "not a time"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", display_time("2025-03-07T10:15:02.123+08:00"))


def test_atomic_write_and_temp_names(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    atomic_write(target, b"{}")
    atomic_write(target, b'{"a":1}')
    assert target.read_bytes() == b'{"a":1}'
    assert os.listdir(tmp_path) == ["f.json"]
    assert is_temp_name(temp_path(target).name)
    assert not is_temp_name("f.json") and not is_temp_name(".lock")


def test_stale_temp_files_are_removed_on_open(registry: Registry, root: Path) -> None:
    registry.add_worker(make_worker("c1"))
    registry.close()
    gone = subprocess.run(["true"], check=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    del gone
    junk = [
        root / f".registry.json.tmp-{dead.pid}-0badf00d",
        root / "workers" / f".street-x.json.tmp-{dead.pid}-deadbeef",
        root / "conflicts" / f".worker-1.json.tmp-{os.getppid()}-00000000",  # alive, but a day old
    ]
    for p in junk:
        p.write_bytes(b"half")
    os.utime(junk[2], (time.time() - 86400, time.time() - 86400))
    live = root / "workers" / f".street-y.json.tmp-{os.getppid()}-12345678"  # a live writer's
    live.write_bytes(b"in progress")
    (root / "backups" / ".tmp-20250101T000000Z-1-abcdef12").mkdir()
    keep = root / "workers" / "notes.txt"
    keep.write_text("not ours")
    with open_registry(root) as reg:
        assert reg.count_workers() == 1
    assert not any(p.exists() for p in junk)
    assert not (root / "backups" / ".tmp-20250101T000000Z-1-abcdef12").exists()
    assert keep.exists()
    assert live.exists()


def test_workflow_documents(registry: Registry, root: Path) -> None:
    key = "2024-07@street:海淀区/中关村街道"
    long_key = "2024-07@" + "社区" * 100
    assert registry.load_document("payroll", key) is None
    assert registry.list_documents("payroll") == []
    registry.save_document("payroll", key, {"lines": [{"id": 1, "pay": "3200.50"}], "closed": False})
    registry.save_document("payroll", key, {"lines": [{"id": 1, "pay": "3300.00"}], "closed": True})
    registry.save_document("payroll", long_key, {"lines": []})
    registry.save_document("assessment", ".hidden?", [1, 2])
    assert registry.load_document("payroll", key) == {"lines": [{"id": 1, "pay": "3300.00"}], "closed": True}
    assert registry.list_documents("payroll") == sorted([key, long_key])
    assert registry.list_documents("assessment") == [".hidden?"]
    assert registry.load_document("assessment", ".hidden?") == [1, 2]
    assert [c.action for c in registry.changes(kind="payroll", key=key)] == ["add", "update"]
    files = list((root / "documents").rglob("*.json"))
    assert all(not p.name.startswith(".") and p.name.isascii() for p in files)
    with open_registry(root) as other:
        assert other.load_document("payroll", long_key) == {"lines": []}
    backup = registry.backup("连同工资表一起备份")
    assert len(list((backup / "documents").rglob("*.json"))) == 3
    broken = next(p for p in files if "assessment" in p.parts[-2])
    broken.write_bytes(b"[1, 2")
    with pytest.raises(RegistryCorrupt) as caught:
        registry.load_document("assessment", ".hidden?")
    assert caught.value.backup == str(backup)


def test_backups_are_complete_and_openable(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    (root / "params.toml").write_text('[[override]]\nname = "x"\n', encoding="utf-8")
    first = registry.backup("上线前")
    registry.update_worker(attrs.evolve(w, note="之后的修改"))
    second = registry.backup("下班前")
    listed = registry.list_backups()
    assert [b.path for b in listed] == [second, first]
    assert listed[1].reason == "上线前" and listed[1].user == "alice"
    assert (first / "params.toml").exists()
    assert any((first / "audit").iterdir())
    assert orjson.loads((first / "backup.json").read_bytes())["reason"] == "上线前"
    with open_registry(first) as old:
        assert old.get_worker(w.id) == w
    assert [c.action for c in registry.changes(kind="registry") if c.action == "backup"] == [
        "backup",
        "backup",
    ]
