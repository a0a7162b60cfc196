"""Round-trips through the on-disk registry: records, revisions, queries, the audit trail, reopening."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs
import orjson
import pytest

from core.convert import unstructure
from core.errors import DuplicateRecord, NotFound, RegistryMissing, StaleRevision, ValidationError
from core.model import SCHEMA_VERSION, Status, StatusChange
from core.registry import Registry, init_registry, open_registry
from core.repository import Repository, WorkerQuery
from core.storage.errors import RegistryExists, RegistryNotEmpty
from core.storage.layout import shard_key

from .conftest import make_community, make_worker


def test_registry_implements_the_repository_protocol(registry: Registry) -> None:
    assert isinstance(registry, Repository)
    assert registry.user == "alice"
    assert registry.params_path == Path(registry.path) / "params.toml"


def test_layout_on_disk(registry: Registry) -> None:
    registry.add_worker(make_worker("c1"))
    root = Path(registry.path)
    meta = orjson.loads((root / "registry.json").read_bytes())
    assert meta["format"] == "shegong-registry"
    assert meta["schema"] == SCHEMA_VERSION
    assert meta["next_worker_id"] == 2
    assert {"created_at", "generation"} <= set(meta)
    assert {p.name for p in root.iterdir()} >= {"registry.json", "communities.json", "workers", "audit"}
    shard = root / "workers" / f"{shard_key('海淀区', '中关村街道')}.json"
    data = orjson.loads(shard.read_bytes())
    assert set(data) == {"_file", "workers"}
    doc = data["workers"]["1"]
    assert doc["_meta"]["rev"] == 1
    assert doc["_meta"]["schema"] == SCHEMA_VERSION
    assert doc["_meta"]["changed_by"] == "alice"
    assert data["_file"]["1"]["street"] == "中关村街道"


def test_add_get_update_delete_worker(registry: Registry) -> None:
    w = make_worker("c1")
    stored = registry.add_worker(w)
    assert stored.id == 1 and stored.revision == 1
    assert stored == attrs.evolve(w, id=1, revision=1)
    assert registry.get_worker(1) == stored

    edited = registry.update_worker(attrs.evolve(stored, note="调入", phone="010-62345678"))
    assert edited.revision == 2
    assert registry.get_worker(1) == edited

    registry.delete_worker(1, 2)
    with pytest.raises(NotFound):
        registry.get_worker(1)
    assert registry.count_workers() == 0


def test_ids_come_from_the_counter_and_are_never_reused(registry: Registry) -> None:
    a, b = registry.add_workers([make_worker("c1"), make_worker("c3")])
    assert (a.id, b.id) == (1, 2)
    registry.delete_worker(b.id, b.revision)
    c = registry.add_worker(make_worker("c1"))
    assert c.id == 3


def test_values_survive_reopening_exactly(registry: Registry, root: Path) -> None:
    workers = registry.add_workers([make_worker("c1"), make_worker("c2"), make_worker("c3")])
    communities = registry.communities()
    registry.close()
    with open_registry(root, user="bob") as again:
        assert again.workers() == workers
        assert again.communities() == communities
        assert again.get_community("c1").target_ranks == {2023: 2}


def test_duplicate_resident_id_is_refused(registry: Registry) -> None:
    first = registry.add_worker(make_worker("c1", n=500))
    with pytest.raises(DuplicateRecord) as caught:
        registry.add_worker(make_worker("c2", n=500))
    assert caught.value.existing == first.id
    with pytest.raises(DuplicateRecord):
        registry.add_workers([make_worker("c1", n=501), make_worker("c2", n=501)])
    assert registry.count_workers() == 1
    other = registry.add_worker(make_worker("c1", n=502))
    with pytest.raises(DuplicateRecord):
        registry.update_worker(attrs.evolve(other, id_number=first.id_number, birth_date=first.birth_date))


def test_worker_of_unknown_community_is_refused(registry: Registry) -> None:
    with pytest.raises(ValidationError) as caught:
        registry.add_worker(make_worker("nowhere"))
    assert caught.value.field == "community_id"
    assert "nowhere" in str(caught.value)
    assert registry.count_workers() == 0


def test_community_round_trip_and_revisions(registry: Registry) -> None:
    c1 = registry.get_community("c1")
    assert c1.revision == 1
    edited = registry.update_community(attrs.evolve(c1, population=4200))
    assert edited.revision == 2 and registry.get_community("c1").population == 4200
    with pytest.raises(StaleRevision):
        registry.update_community(attrs.evolve(c1, population=1))
    with pytest.raises(DuplicateRecord):
        registry.add_community(make_community("c1"))
    registry.delete_community("c2", 1)
    with pytest.raises(NotFound):
        registry.get_community("c2")
    assert [c.id for c in registry.communities()] == ["c1", "c3"]


def test_community_with_workers_cannot_be_deleted(registry: Registry) -> None:
    registry.add_worker(make_worker("c1"))
    with pytest.raises(ValidationError) as caught:
        registry.delete_community("c1", 1)
    assert "c1" in str(caught.value)
    assert registry.get_community("c1").revision == 1


def test_moving_a_community_to_another_street_moves_its_workers(registry: Registry) -> None:
    mine = registry.add_workers([make_worker("c1"), make_worker("c1")])
    stay = registry.add_worker(make_worker("c2"))
    c1 = registry.get_community("c1")
    registry.update_community(attrs.evolve(c1, street="学院路街道"))
    new_shard = Path(registry.path) / "workers" / f"{shard_key('海淀区', '学院路街道')}.json"
    assert all(registry.shard_of(w.id) == new_shard for w in mine)
    assert registry.shard_of(stay.id) != new_shard
    assert [w.id for w in registry.workers(WorkerQuery(street="学院路街道"))] == [w.id for w in mine]
    assert registry.get_worker(mine[0].id) == mine[0]  # a move is not an edit: same revision


def test_worker_moving_street_changes_shard(registry: Registry) -> None:
    w = registry.add_worker(make_worker("c1"))
    before = registry.shard_of(w.id)
    moved = registry.update_worker(attrs.evolve(w, community_id="c3"))
    assert registry.shard_of(w.id) != before
    assert moved.revision == 2
    assert registry.get_worker(w.id) == moved
    data = orjson.loads(before.read_bytes())
    assert str(w.id) not in data["workers"]
    assert not (Path(registry.path) / "journal.json").exists()


def test_queries(registry: Registry) -> None:
    registry.add_community(
        make_community("d1", street="东华门街道", district="东城区", jurisdiction="beijing")
    )
    left = StatusChange(Status.LEFT, dt.date(2024, 1, 1))
    a = registry.add_worker(make_worker("c1"))
    b = registry.add_worker(make_worker("c2", statuses=(left,)))
    c = registry.add_worker(make_worker("c3"))
    d = registry.add_worker(make_worker("d1"))
    ids = lambda q: [w.id for w in registry.workers(q)]  # noqa: E731
    assert ids(None) == [a.id, b.id, c.id, d.id]
    assert ids(WorkerQuery(community="c2")) == [b.id]
    assert ids(WorkerQuery(street="中关村街道")) == [a.id, b.id]
    assert ids(WorkerQuery(district="海淀区")) == [a.id, b.id, c.id]
    assert ids(WorkerQuery(jurisdiction="beijing")) == [d.id]
    assert ids(WorkerQuery(status=Status.LEFT, on=dt.date(2024, 6, 1))) == [b.id]
    assert ids(WorkerQuery(status=Status.ACTIVE, on=dt.date(2023, 6, 1))) == [a.id, b.id, c.id, d.id]
    assert ids(WorkerQuery(street="中关村街道", community="c3")) == []
    assert ids(WorkerQuery(community="nowhere")) == []
    assert [x.id for x in registry.communities(street="中关村街道")] == ["c1", "c2"]
    assert [x.id for x in registry.communities(district="东城区")] == ["d1"]
    assert [x.id for x in registry.communities(jurisdiction="beijing.haidian")] == ["c1", "c2", "c3"]


def test_find_by_resident_id(registry: Registry) -> None:
    w = registry.add_worker(make_worker("c1"))
    assert registry.find_worker_by_id_number(w.id_number) == w
    assert registry.find_worker_by_id_number(" " + w.id_number.lower() + " ") == w
    assert registry.find_worker_by_id_number("110108197001010000") is None


def test_audit_trail_records_who_before_and_after(registry: Registry) -> None:
    w = registry.add_worker(make_worker("c1"))
    edited = registry.update_worker(attrs.evolve(w, note="新备注"))
    registry.delete_worker(w.id, edited.revision)
    registry.record_event("export", "registry", "roster", note="导出花名册")
    history = registry.changes(kind="worker", key=str(w.id))
    assert [(c.action, c.revision, c.user) for c in history] == [
        ("add", 1, "alice"),
        ("update", 2, "alice"),
        ("delete", 2, "alice"),
    ]
    assert history[0].before is None and history[0].after == unstructure(w)
    assert history[1].before == unstructure(w) and history[1].after == unstructure(edited)
    assert history[2].before == unstructure(edited) and history[2].after is None
    assert dt.datetime.fromisoformat(history[0].at).tzinfo is not None
    event = registry.changes(kind="registry", key="roster")
    assert [(e.action, e.note) for e in event] == [("export", "导出花名册")]
    assert registry.changes(since="2999-01-01T00:00:00+00:00") == []
    assert len(registry.changes(since=history[1].at, kind="worker")) == 2
    community_log = registry.changes(kind="community")
    assert {c.key for c in community_log} == {"c1", "c2", "c3"}


def test_other_processes_commits_are_seen_by_readers(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    with open_registry(root, user="bob") as bob:
        assert bob.get_worker(w.id) == w
        edited = registry.update_worker(attrs.evolve(w, note="alice 改的"))
        assert bob.get_worker(w.id) == edited
        new = registry.add_worker(make_worker("c3"))
        assert bob.count_workers() == 2
        assert bob.find_worker_by_id_number(new.id_number) == new
        moved = registry.update_worker(attrs.evolve(new, community_id="c1"))
        assert bob.get_worker(new.id) == moved  # found in its new street
        assert bob.shard_of(new.id) == registry.shard_of(new.id)
        assert [x.id for x in bob.workers(WorkerQuery(street="中关村街道"))] == [w.id, new.id]
        assert bob.workers(WorkerQuery(street="学院路街道")) == []
        bobs = bob.update_worker(attrs.evolve(edited, note="bob 改的"))
        assert registry.get_worker(w.id) == bobs
        assert registry.changes(key=str(w.id))[-1].user == "bob"


def test_open_uses_the_index_cache_and_still_sees_later_changes(registry: Registry, root: Path) -> None:
    ws = registry.add_workers([make_worker("c1") for _ in range(5)] + [make_worker("c3") for _ in range(5)])
    registry.close()
    assert (root / "index.json").exists()
    with open_registry(root) as again:
        assert again.count_workers() == 10
        assert again.find_worker_by_id_number(ws[7].id_number) == ws[7]
        edited = again.update_worker(attrs.evolve(ws[0], note="x"))
    # the index is now stale for one shard: that shard is re-read, the other comes from the cache
    with open_registry(root) as third:
        assert third.get_worker(ws[0].id) == edited
        assert third.workers() == [edited, *ws[1:]]


def test_a_stale_or_wrong_index_cache_is_not_trusted(registry: Registry, root: Path) -> None:
    ws = registry.add_workers([make_worker("c1") for _ in range(3)])
    registry.close()
    index = orjson.loads((root / "index.json").read_bytes())
    for shard in index["shards"].values():
        shard["workers"] = [[999, "110108197001010000", "c1"]]
        shard["commit"] = "0" * 32
    (root / "index.json").write_bytes(orjson.dumps(index))
    with open_registry(root) as again:
        assert again.count_workers() == 3
        assert again.workers() == ws
    (root / "index.json").write_bytes(b"{not json")
    with open_registry(root) as again:
        assert again.workers() == ws


def test_missing_registry_and_create(tmp_path: Path) -> None:
    with pytest.raises(RegistryMissing):
        open_registry(tmp_path / "none")
    with open_registry(tmp_path / "new", create=True) as reg:
        assert reg.count_workers() == 0
    with pytest.raises(RegistryExists):
        init_registry(tmp_path / "new")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "thesis.docx").write_bytes(b"x")
    with pytest.raises(RegistryNotEmpty):
        init_registry(tmp_path / "busy")
    assert sorted(os.listdir(tmp_path / "busy")) == ["thesis.docx"]
    with open_registry(tmp_path / "new", create=True) as reg:
        assert reg.changes(kind="registry")[0].action == "create"


def test_empty_batches_and_closed_registry(registry: Registry) -> None:
    assert registry.add_workers([]) == []
    assert registry.update_workers([]) == []
    registry.close()
    registry.close()
    with pytest.raises(RegistryMissing):
        registry.count_workers()


def test_bulk_add_across_streets_is_one_journalled_change(registry: Registry) -> None:
    batch = [make_worker("c1") for _ in range(20)] + [make_worker("c3") for _ in range(20)]
    generation = registry.generation
    stored = registry.add_workers(batch)
    assert [w.id for w in stored] == list(range(1, 41))
    assert registry.generation == generation + 1
    assert len(registry.workers(WorkerQuery(community="c3"))) == 20
    updated = registry.update_workers([attrs.evolve(w, note="批量") for w in stored])
    assert all(w.revision == 2 for w in updated)
    assert registry.workers() == updated


def test_the_same_worker_twice_in_one_batch(registry: Registry) -> None:
    w = registry.add_worker(make_worker("c1"))
    with pytest.raises(StaleRevision):
        registry.update_workers([attrs.evolve(w, note="一"), attrs.evolve(w, note="二")])
    assert registry.get_worker(w.id) == w


def test_workflow_documents_are_per_registry(registry: Registry, root: Path) -> None:
    registry.save_document("payroll", "2024-07@all", {"total": "12345.60"})
    with open_registry(root, user="bob") as bob:
        assert bob.load_document("payroll", "2024-07@all") == {"total": "12345.60"}
        assert bob.list_documents("payroll") == ["2024-07@all"]


def test_events_and_documents_accept_model_values_and_decimals(registry: Registry) -> None:
    from decimal import Decimal

    c1 = registry.get_community("c1")
    registry.record_event(
        "import", "community", "c1", note="导入", after={"community": c1, "sum": Decimal("1.10")}
    )
    (event,) = [c for c in registry.changes(kind="community", key="c1") if c.action == "import"]
    as_json = orjson.loads(orjson.dumps(unstructure(c1), option=orjson.OPT_NON_STR_KEYS))
    assert event.after == {"community": as_json, "sum": "1.10"}
    registry.save_document("payroll", "x", {"total": Decimal("0.10")})
    assert registry.load_document("payroll", "x") == {"total": "0.10"}
