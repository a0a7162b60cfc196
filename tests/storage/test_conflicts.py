"""A save based on an old revision is refused, names who saved in between, and keeps the refused version."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from core.convert import unstructure
from core.errors import StaleRevision
from core.i18n import translate
from core.registry import Registry, open_registry

from .conftest import make_worker


def test_stale_worker_update_is_refused_and_kept(registry: Registry, root: Path) -> None:
    loaded = registry.add_worker(make_worker("c1", note="原始"))
    with open_registry(root, user="bob") as bob:
        bobs = bob.update_worker(attrs.evolve(bob.get_worker(loaded.id), note="bob 的修改"))
    mine = attrs.evolve(loaded, note="alice 的修改")
    with pytest.raises(StaleRevision) as caught:
        registry.update_worker(mine)
    err = caught.value
    assert err.changed_by == "bob"
    assert err.changed_at[:4].isdigit()
    assert err.theirs == unstructure(bobs)
    assert err.yours == unstructure(mine)
    text = translate(err.message.key, "zh", **err.message.args)
    assert "bob" in text and err.kept_at in text
    assert "bob" in err.render("en") and err.kept_at in err.render("en")

    # the stored record is bob's; alice's version is in conflicts/, loadable and re-appliable
    assert registry.get_worker(loaded.id) == bobs
    kept = Path(err.kept_at)
    assert kept.parent == root / "conflicts"
    assert "worker" in kept.name and "alice" in kept.name
    assert registry.list_conflicts() == [kept]
    record = registry.load_conflict(kept)
    assert (record.kind, record.key, record.user) == ("worker", str(loaded.id), "alice")
    assert (record.your_revision, record.their_revision, record.changed_by) == (1, 2, "bob")
    assert record.yours_as_model() == mine
    assert record.theirs == unstructure(bobs)
    redo = registry.update_worker(attrs.evolve(bobs, note=record.yours["note"]))
    assert redo.revision == 3 and redo.note == "alice 的修改"

    refused = [c for c in registry.changes(key=str(loaded.id)) if c.action == "refused"]
    assert len(refused) == 1
    assert refused[0].user == "alice" and refused[0].after == unstructure(mine)
    assert str(kept) in refused[0].note


def test_stale_delete_and_community_update_are_refused(registry: Registry, root: Path) -> None:
    w = registry.add_worker(make_worker("c1"))
    c1 = registry.get_community("c1")
    with open_registry(root, user="bob") as bob:
        bob.update_worker(attrs.evolve(w, note="x"))
        bob.update_community(attrs.evolve(c1, population=100))
    with pytest.raises(StaleRevision) as caught:
        registry.delete_worker(w.id, w.revision)
    assert caught.value.changed_by == "bob"
    assert registry.get_worker(w.id).note == "x"
    with pytest.raises(StaleRevision) as caught:
        registry.update_community(attrs.evolve(c1, population=5))
    assert caught.value.kind == "community"
    assert registry.get_community("c1").population == 100
    record = registry.load_conflict(caught.value.kept_at)
    assert record.yours_as_model() == attrs.evolve(c1, population=5)
    assert len(registry.list_conflicts()) == 2


def test_stale_record_in_a_batch_refuses_the_batch_and_keeps_every_stale_version(registry: Registry) -> None:
    a, b, c = registry.add_workers([make_worker("c1"), make_worker("c1"), make_worker("c3")])
    registry.update_worker(attrs.evolve(a, note="先改"))
    registry.update_worker(attrs.evolve(c, note="先改"))
    batch = [attrs.evolve(a, note="批量"), attrs.evolve(b, note="批量"), attrs.evolve(c, note="批量")]
    with pytest.raises(StaleRevision):
        registry.update_workers(batch)
    assert registry.get_worker(b.id).note == ""  # nothing of the batch was applied
    assert len(registry.list_conflicts()) == 2
