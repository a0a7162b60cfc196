"""The audit trail, workflow documents, and a viewer's (read-only) changes refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from core.access import Grant, Role
from core.assessment import close_round, decide, load_round, open_round, save_round
from core.cases import make_community as case_community
from core.cases import make_worker as case_worker
from core.errors import AccessDenied, ValidationError
from core.jurisdictions import Jurisdictions
from core.payroll import close_run, compute_payroll, load_run, save_run
from core.repository import Repository
from core.results import Month
from core.rules import Rules
from core.scope import Scope
from core.scoped import ScopedRepository
from tests.contract.conftest import USER, add_places
from tests.storage.conftest import make_worker
from tests.workflows.conftest import Toy


def test_every_change_is_in_the_audit_trail(repo: Repository) -> None:
    start = len(repo.changes())  # a backend may record its own creation first
    add_places(repo)
    w = repo.add_worker(make_worker("c1"))
    w2 = repo.update_worker(attrs.evolve(w, community_id="c2"))
    repo.delete_worker(w.id, w2.revision)
    repo.record_event("export", "registry", "all", note="全部导出")

    trail = [(c.action, c.kind, c.key) for c in repo.changes()[start:]]
    key = str(w.id)
    assert trail == [
        ("add", "community", "c1"),
        ("add", "community", "c2"),
        ("add", "community", "c3"),
        ("add", "worker", key),
        ("update", "worker", key),
        ("delete", "worker", key),
        ("export", "registry", "all"),
    ]
    add, update, delete = repo.changes(kind="worker", key=key)
    assert (add.before, add.after["community_id"]) == (None, "c1")
    assert (update.before["community_id"], update.after["community_id"]) == ("c1", "c2")
    assert (update.before["revision"], update.after["revision"]) == (1, 2)
    assert (delete.before["community_id"], delete.after) == ("c2", None)
    assert {c.user for c in repo.changes()[start:]} == {USER}
    assert repo.changes()[-1].note == "全部导出"
    for c in repo.changes():
        assert dt.datetime.fromisoformat(c.at).tzinfo is not None


def test_the_audit_trail_only_grows(repo: Repository) -> None:
    add_places(repo)
    before = repo.changes()
    w = repo.add_worker(make_worker("c2"))
    repo.update_worker(attrs.evolve(w, phone="13900139000"))
    after = repo.changes()
    assert after[: len(before)] == before
    assert len(after) == len(before) + 2
    since = after[-1].at
    assert after[-1] in repo.changes(since=since)
    assert all(c.at >= since for c in repo.changes(since=since))


def test_documents_are_kept_by_kind_and_key(repo: Repository) -> None:
    data = {"month": "2026-11", "lines": [{"worker": 1, "amount": "1000.00"}], "名": "东街道"}
    repo.save_document("memo", "2026-11@street:测试区/东街道", data)
    repo.save_document("memo", "2026-10@all", {"n": 1})
    repo.save_document("other", "x", {"n": 2})
    assert repo.load_document("memo", "2026-11@street:测试区/东街道") == data
    assert repo.list_documents("memo") == ["2026-10@all", "2026-11@street:测试区/东街道"]
    assert repo.load_document("memo", "missing") is None

    loaded = repo.load_document("memo", "2026-10@all")
    loaded["n"] = 99  # a caller's copy: changing it changes nothing stored
    assert repo.load_document("memo", "2026-10@all") == {"n": 1}
    repo.save_document("memo", "2026-10@all", {"n": 3})
    assert repo.load_document("memo", "2026-10@all") == {"n": 3}


def toy_world(repo: Repository) -> Rules:
    """Three workers in the made-up `toy` jurisdiction (1000 a month each, tests/workflows)."""
    js = Jurisdictions()
    js.register(Toy())
    repo.add_community(case_community("toy", {"id": "t1", "street": "东街道"}))
    repo.add_workers(
        [case_worker({"posts": [{"post": "staff", "start": "2020-01-01"}]}, i, "t1") for i in range(3)]
    )
    return Rules(repo, js, today=dt.date(2026, 11, 25))


def test_a_closed_payroll_run_cannot_be_changed(repo: Repository) -> None:
    rules = toy_world(repo)
    run = save_run(repo, compute_payroll(repo, rules, Month(2026, 11), Scope()))
    closed = close_run(repo, run)
    assert closed.closed and closed.closed_by == USER
    # three staff at 1000 a month each (the toy's pay table): 3000
    assert load_run(repo, "2026-11", closed.scope) == closed
    assert closed.total == 3000

    again = compute_payroll(repo, rules, Month(2026, 11), Scope())
    with pytest.raises(ValidationError):
        save_run(repo, again)
    with pytest.raises(ValidationError):
        close_run(repo, again)
    assert load_run(repo, "2026-11", closed.scope) == closed


def test_a_closed_round_cannot_be_changed(repo: Repository) -> None:
    rules = toy_world(repo)
    r = save_round(repo, open_round(repo, rules, 2026, Scope()))
    for e in r.entries:
        r = decide(r, e.worker_id, "qualified")
    closed = close_round(repo, rules, save_round(repo, r))
    assert closed.closed and closed.closed_by == USER
    # closing writes the grade into all three workers' records at once
    assert [w.grade_for(2026) for w in repo.workers()] == ["qualified"] * 3

    with pytest.raises(ValidationError):
        save_round(repo, attrs.evolve(closed, closed=False))
    with pytest.raises(ValidationError):
        decide(closed, closed.entries[0].worker_id, "excellent")
    with pytest.raises(ValidationError):
        close_round(repo, rules, closed)
    assert load_round(repo, 2026, closed.period, closed.scope) == closed


CHANGES: dict[str, Callable[[Repository, Repository], Any]] = {
    "add_community": lambda r, inner: r.add_community(attrs.evolve(inner.get_community("c1"), id="c9")),
    "update_community": lambda r, inner: r.update_community(
        attrs.evolve(inner.get_community("c3"), name="改名")
    ),
    "delete_community": lambda r, inner: r.delete_community("c3", inner.get_community("c3").revision),
    "add_worker": lambda r, inner: r.add_worker(make_worker("c1")),
    "add_workers": lambda r, inner: r.add_workers([make_worker("c1")]),
    "update_worker": lambda r, inner: r.update_worker(attrs.evolve(inner.workers()[0], phone="13900139000")),
    "update_workers": lambda r, inner: r.update_workers(
        [attrs.evolve(inner.workers()[0], phone="13900139000")]
    ),
    "delete_worker": lambda r, inner: r.delete_worker(inner.workers()[0].id, inner.workers()[0].revision),
    "save_document": lambda r, inner: r.save_document("memo", "2026-11@all", {"n": 2}),
    "record_event": lambda r, inner: r.record_event("note", "registry", "all"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_viewer_changes_nothing(inner: Repository, change: str) -> None:
    """Read-only: every change a viewer tries is refused, audited, and leaves the records as they were."""
    add_places(inner)
    inner.add_worker(make_worker("c2"))
    inner.save_document("memo", "2026-11@all", {"n": 1})
    viewer = ScopedRepository(inner, Grant("viewer-b", Role.VIEWER, (Scope(),)))
    before = (inner.communities(), inner.workers(), inner.load_document("memo", "2026-11@all"))
    trail = inner.changes()

    with pytest.raises(AccessDenied):
        CHANGES[change](viewer, inner)

    assert (inner.communities(), inner.workers(), inner.load_document("memo", "2026-11@all")) == before
    after = inner.changes()
    assert after[: len(trail)] == trail
    assert [c.action for c in after[len(trail) :]] == ["denied"]
    assert viewer.workers() == inner.workers()  # still sees everything
