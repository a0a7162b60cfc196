"""Older documents are migrated after a backup; documents newer than this program are refused untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from core.model import SCHEMA_VERSION
from core.registry import Registry, open_registry
from core.storage import migrations
from core.storage.errors import MigrationFailed, RegistryTooNew
from core.storage.layout import shard_key

from .conftest import make_worker

OLD = SCHEMA_VERSION - 1


def _rewrite(path: Path, change: Any) -> None:
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


def _worker_v0(doc: dict[str, Any]) -> dict[str, Any]:
    doc["birth_date"] = doc.pop("birth")
    return doc


def _community_v0(doc: dict[str, Any]) -> dict[str, Any]:
    doc["street"] = doc.pop("town")
    return doc


@pytest.fixture
def old_registry(registry: Registry, root: Path) -> Path:
    """A registry whose meta, one worker and one community are at the previous schema version."""
    registry.add_workers([make_worker("c1", n=1), make_worker("c1", n=2), make_worker("c3", n=3)])
    registry.close()
    shard = root / "workers" / f"{shard_key('海淀区', '中关村街道')}.json"

    def worker_back(data: dict[str, Any]) -> None:
        data["_file"]["1"]["schema"] = OLD
        doc = data["workers"]["1"]
        doc["birth"] = doc.pop("birth_date")
        doc["_meta"]["schema"] = OLD

    def community_back(data: dict[str, Any]) -> None:
        doc = next(d for d in data["communities"].values() if d["id"] == "c1")
        doc["town"] = doc.pop("street")
        doc["_meta"]["schema"] = OLD

    def meta_back(data: dict[str, Any]) -> None:
        data["schema"] = OLD

    _rewrite(shard, worker_back)
    _rewrite(root / "communities.json", community_back)
    _rewrite(root / "registry.json", meta_back)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*.json")
        if "backups" not in p.parts
    }


def test_migration_runs_after_a_backup(old_registry: Path) -> None:
    root = old_registry
    shard = root / "workers" / f"{shard_key('海淀区', '中关村街道')}.json"
    old_shard = shard.read_bytes()
    with (
        migrations.registered("worker", OLD, _worker_v0),
        migrations.registered("community", OLD, _community_v0),
        open_registry(root, user="admin") as reg,
    ):
        w = reg.get_worker(1)
        assert w.birth_date == make_worker("c1", n=1).birth_date
        assert reg.get_community("c1").street == "中关村街道"
        assert reg.schema_version == SCHEMA_VERSION
        backups = reg.list_backups()
        assert len(backups) == 1
        assert str(OLD) in backups[0].reason and backups[0].user == "admin"
        assert (backups[0].path / "workers" / shard.name).read_bytes() == old_shard
        migrate = [c for c in reg.changes(kind="registry") if c.action == "migrate"]
        assert len(migrate) == 1
        assert migrate[0].before == OLD and migrate[0].after == SCHEMA_VERSION
        assert backups[0].name in migrate[0].note
    on_disk = orjson.loads(shard.read_bytes())
    assert on_disk["_file"]["1"]["schema"] == SCHEMA_VERSION
    assert on_disk["workers"]["1"]["_meta"]["schema"] == SCHEMA_VERSION
    assert on_disk["workers"]["1"]["_meta"]["rev"] == 1  # migrating is not an edit
    assert orjson.loads((root / "registry.json").read_bytes())["schema"] == SCHEMA_VERSION
    # a second open finds nothing to do: no second backup
    with open_registry(root) as reg:
        assert len(reg.list_backups()) == 1
        assert reg.count_workers() == 3


def test_missing_migration_changes_nothing(old_registry: Path) -> None:
    before = _snapshot(old_registry)
    with pytest.raises(MigrationFailed) as caught:
        open_registry(old_registry)
    assert "workers" in caught.value.path or "communities" in caught.value.path
    assert "backups" in caught.value.backup
    assert _snapshot(old_registry) == before


def test_a_registry_from_a_newer_program_is_refused_untouched(registry: Registry, root: Path) -> None:
    registry.add_worker(make_worker("c1"))
    registry.close()
    (root / "workers" / ".stale.json.tmp-1-deadbeef").write_bytes(b"x")
    _rewrite(root / "registry.json", lambda d: d.update(schema=SCHEMA_VERSION + 1))
    before = _snapshot(root)
    with pytest.raises(RegistryTooNew) as caught:
        open_registry(root)
    assert caught.value.found == SCHEMA_VERSION + 1
    assert str(SCHEMA_VERSION + 1) in str(caught.value)
    assert _snapshot(root) == before
    assert (root / "workers" / ".stale.json.tmp-1-deadbeef").exists()


def test_one_newer_document_is_refused_untouched(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    shard = registry.shard_of(w.id)
    registry.close()

    def newer(data: dict[str, Any]) -> None:
        data["workers"][str(w.id)]["_meta"]["schema"] = SCHEMA_VERSION + 1

    _rewrite(shard, newer)
    before = shard.read_bytes()
    with pytest.raises(RegistryTooNew) as caught, open_registry(root) as reg:
        reg.get_worker(w.id)
    assert caught.value.path == str(shard)
    assert shard.read_bytes() == before
