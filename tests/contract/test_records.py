"""Records: add, read, change, delete; revisions and stale changes; batches; queries; lookups."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from core.errors import DuplicateRecord, NotFound, StaleRevision, ValidationError
from core.model import Status, StatusChange, Worker
from core.repository import Repository, WorkerQuery
from core.storage.layout import display_time
from tests.contract.conftest import USER, add_places
from tests.storage.conftest import make_community, make_worker


def twin(worker: Worker, community_id: str) -> Worker:
    """Another person entered with `worker`'s resident ID (and so its birth date and sex)."""
    return make_worker(community_id, id_number=worker.id_number, birth_date=worker.birth_date, sex=worker.sex)


def test_community_add_get_update_delete(repo: Repository) -> None:
    added = repo.add_community(make_community("c1"))
    assert added.revision == 1
    assert repo.get_community("c1") == added

    renamed = repo.update_community(attrs.evolve(added, name="新名社区"))
    assert (renamed.name, renamed.revision) == ("新名社区", 2)
    assert repo.get_community("c1") == renamed

    repo.delete_community("c1", renamed.revision)
    with pytest.raises(NotFound):
        repo.get_community("c1")
    assert repo.communities() == []


def test_a_community_id_is_added_once(repo: Repository) -> None:
    repo.add_community(make_community("c1"))
    with pytest.raises(DuplicateRecord):
        repo.add_community(make_community("c1", name="另一个"))
    assert repo.get_community("c1").name == "c1社区"


def test_a_community_with_workers_is_not_deleted(repo: Repository) -> None:
    c1 = repo.add_community(make_community("c1"))
    repo.add_worker(make_worker("c1"))
    with pytest.raises(ValidationError):
        repo.delete_community("c1", c1.revision)
    assert repo.get_community("c1") == c1


def test_worker_add_get_update_delete(repo: Repository) -> None:
    add_places(repo)
    added = repo.add_worker(make_worker("c1", phone="13800138000"))
    assert added.id > 0 and added.revision == 1
    assert repo.get_worker(added.id) == added

    moved = repo.update_worker(attrs.evolve(added, community_id="c2", phone="13900139000"))
    assert (moved.community_id, moved.phone, moved.revision) == ("c2", "13900139000", 2)
    assert repo.get_worker(added.id) == moved

    repo.delete_worker(added.id, moved.revision)
    with pytest.raises(NotFound):
        repo.get_worker(added.id)
    assert repo.count_workers() == 0


def test_new_workers_get_distinct_ids(repo: Repository) -> None:
    add_places(repo)
    ids = [repo.add_worker(make_worker("c1")).id for _ in range(3)]
    ids += [w.id for w in repo.add_workers([make_worker("c2"), make_worker("c3")])]
    assert len(set(ids)) == 5
    assert sorted(w.id for w in repo.workers()) == sorted(ids)


def test_a_worker_needs_a_known_community(repo: Repository) -> None:
    add_places(repo)
    with pytest.raises(ValidationError):
        repo.add_worker(make_worker("nowhere"))
    assert repo.count_workers() == 0


def test_a_resident_id_is_registered_once(repo: Repository) -> None:
    add_places(repo)
    first = repo.add_worker(make_worker("c1"))
    with pytest.raises(DuplicateRecord):
        repo.add_worker(twin(first, "c2"))
    other = repo.add_worker(make_worker("c2"))
    with pytest.raises(DuplicateRecord):
        repo.update_worker(
            attrs.evolve(other, id_number=first.id_number, birth_date=first.birth_date, sex=first.sex)
        )
    assert repo.get_worker(other.id) == other


def test_a_stale_update_is_refused_naming_who_and_when(repo: Repository) -> None:
    add_places(repo)
    loaded = repo.add_worker(make_worker("c1"))
    theirs = repo.update_worker(attrs.evolve(loaded, phone="13900139000"))
    with pytest.raises(StaleRevision) as refused:
        repo.update_worker(attrs.evolve(loaded, phone="13700137000"))
    last = repo.changes(kind="worker", key=str(loaded.id))[-1]  # the change that made it stale
    assert refused.value.changed_by == last.user == USER
    # the same moment as the audit trail's entry (a backend may word it for display)
    assert display_time(refused.value.changed_at) == display_time(last.at)
    assert USER in str(refused.value) and refused.value.changed_at in str(refused.value)
    assert repo.get_worker(loaded.id) == theirs  # the stored record is untouched


def test_stale_deletes_are_refused(repo: Repository) -> None:
    c1, *_ = add_places(repo)
    worker = repo.add_worker(make_worker("c1"))
    repo.update_worker(attrs.evolve(worker, phone="13900139000"))
    with pytest.raises(StaleRevision):
        repo.delete_worker(worker.id, worker.revision)
    repo.update_community(attrs.evolve(c1, name="改过"))
    with pytest.raises(StaleRevision):
        repo.delete_community("c1", c1.revision)
    with pytest.raises(StaleRevision):
        repo.update_community(attrs.evolve(c1, name="再改"))
    assert repo.get_worker(worker.id).phone == "13900139000"
    assert repo.get_community("c1").name == "改过"


def test_a_batch_add_is_all_or_nothing(repo: Repository) -> None:
    add_places(repo)
    first = repo.add_worker(make_worker("c1"))
    batch = [make_worker("c2"), twin(first, "c3")]
    with pytest.raises(DuplicateRecord):
        repo.add_workers(batch)
    assert [w.id for w in repo.workers()] == [first.id]


def test_a_batch_update_is_all_or_nothing(repo: Repository) -> None:
    add_places(repo)
    a, b = repo.add_workers([make_worker("c1"), make_worker("c2")])
    repo.update_worker(attrs.evolve(b, phone="13900139000"))  # b as loaded is now stale
    with pytest.raises(StaleRevision):
        repo.update_workers([attrs.evolve(a, phone="13700137000"), attrs.evolve(b, phone="13700137000")])
    assert repo.get_worker(a.id) == a

    changed = repo.update_workers(
        [attrs.evolve(a, phone="13600136000"), attrs.evolve(repo.get_worker(b.id), phone="13600136000")]
    )
    assert [w.revision for w in changed] == [2, 3]
    assert {w.phone for w in repo.workers()} == {"13600136000"}


def test_queries_by_place_and_status(repo: Repository) -> None:
    add_places(repo)
    day = dt.date(2026, 11, 25)
    w1, w2, w3 = repo.add_workers([make_worker("c1"), make_worker("c2"), make_worker("c3")])
    left = StatusChange(Status.LEFT, dt.date(2026, 6, 30))
    repo.update_worker(attrs.evolve(w2, statuses=(left,)))

    def ids(**query: object) -> list[int]:
        return [w.id for w in repo.workers(WorkerQuery(**query))]  # type: ignore[arg-type]

    assert ids() == [w1.id, w2.id, w3.id]
    assert ids(district="海淀区") == [w1.id, w2.id]
    assert ids(street="学院路街道") == [w2.id]
    assert ids(community="c3") == [w3.id]
    assert ids(district="海淀区", status=Status.ACTIVE, on=day) == [w1.id]
    assert ids(status=Status.LEFT, on=day) == [w2.id]
    assert ids(status=Status.LEFT, on=dt.date(2026, 6, 29)) == []  # still active the day before
    assert ids(district="西城区") == []

    assert [c.id for c in repo.communities(district="海淀区")] == ["c1", "c2"]
    assert [c.id for c in repo.communities(street="三里屯街道")] == ["c3"]
    assert [c.id for c in repo.communities(jurisdiction="beijing.haidian")] == ["c1", "c2", "c3"]
    assert repo.communities(jurisdiction="shenyang") == []


def test_lookup_by_resident_id(repo: Repository) -> None:
    add_places(repo)
    w1, w2 = repo.add_workers([make_worker("c1"), make_worker("c2")])
    assert repo.find_worker_by_id_number(w1.id_number) == w1
    assert repo.find_worker_by_id_number(w2.id_number) == w2
    assert repo.find_worker_by_id_number("110108197001010000") is None
    assert repo.count_workers() == 2
    repo.delete_worker(w2.id, w2.revision)
    assert repo.find_worker_by_id_number(w2.id_number) is None
    assert repo.count_workers() == 1


def test_unknown_records_are_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.get_worker(404)
    with pytest.raises(NotFound):
        repo.get_community("c404")
