"""The access matrix: every role × every kind of scope × every `Repository` method, in and out of scope.

The method list is read from the `Repository` protocol itself, so a method added to the protocol
and not to this matrix fails `test_the_matrix_covers_the_whole_protocol` (and its own cases).
What each scope may see is written out by hand below, from the made-up registry's layout:

    测试区 / 东街道: c1, c2 (one worker each, ids 1, 2), e1 (no workers)
    测试区 / 西街道: c3 (worker 3), e3 (no workers)
    外区   / 北街道: c4 (worker 4), e4 (no workers)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from core.access import Grant, Operators, Role, grant_for, operators_toml, read_operators
from core.assessment import decide, open_round, save_round
from core.errors import AccessDenied, ValidationError
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Worker
from core.payroll import close_run, compute_payroll, save_run
from core.registry import open_registry
from core.repository import CommunityLookup, Repository
from core.results import Month
from core.rules import Rules
from core.scope import Scope
from core.scoped import ScopedRepository, may_reveal, require
from core.tabular.errors import TabularError
from tests.tabular.conftest import good_row, write_xlsx
from tests.workflows.conftest import Toy

LOGIN = "zhangwei"
DOC_KIND = "memo"  # a document kind of its own, so the workflows do not read these
SCOPES = {
    "all": Scope(),
    "district": Scope(district="测试区"),
    "street": Scope(district="测试区", street="东街道"),
    "community": Scope(community="c1"),
}
PLACES = {  # community id → (district, street)
    "c1": ("测试区", "东街道"),
    "c2": ("测试区", "东街道"),
    "e1": ("测试区", "东街道"),
    "c3": ("测试区", "西街道"),
    "e3": ("测试区", "西街道"),
    "c4": ("外区", "北街道"),
    "e4": ("外区", "北街道"),
}
VISIBLE = {  # by hand from the layout in the module docstring
    "all": {"c1", "c2", "e1", "c3", "e3", "c4", "e4"},
    "district": {"c1", "c2", "e1", "c3", "e3"},
    "street": {"c1", "c2", "e1"},
    "community": {"c1"},
}
WORKER_OF = {"c1": 1, "c2": 2, "c3": 3, "c4": 4}
DOCUMENT_SCOPES = (
    "all",
    "district:测试区",
    "district:外区",
    "street:测试区/东街道",
    "community:c1",
    "community:c2",
)
DOCUMENTS_VISIBLE = {  # a document is in scope when its whole scope lies inside the grant
    "all": set(DOCUMENT_SCOPES),
    "district": {"district:测试区", "street:测试区/东街道", "community:c1", "community:c2"},
    "street": {"street:测试区/东街道", "community:c1", "community:c2"},
    "community": {"community:c1"},
}


def community(cid: str) -> Community:
    district, street = PLACES.get(cid, PLACES[cid.removeprefix("new-")])
    return Community(
        id=cid, name=f"{cid}社区", street=street, district=district, city="测试市", jurisdiction="toy"
    )


def worker(index: int, community_id: str) -> Worker:
    from core.cases import make_worker

    return attrs.evolve(make_worker({"phone": "13800138000"}, index, community_id), id=0)


def world() -> MemoryRegistry:
    reg = MemoryRegistry(user=LOGIN)
    for cid in PLACES:
        reg.add_community(community(cid))
    for cid in sorted(WORKER_OF):
        reg.add_worker(worker(WORKER_OF[cid] - 1, cid))
    for text in DOCUMENT_SCOPES:
        reg.save_document(DOC_KIND, f"2026-11@{text}", {"scope": text})
    return reg


def seen_by(inner: MemoryRegistry, role: Role, scope: str) -> ScopedRepository:
    return ScopedRepository(inner, Grant(LOGIN, role, (SCOPES[scope],)))


def state(reg: MemoryRegistry) -> tuple[Any, ...]:
    docs = {k: reg.load_document(DOC_KIND, k) for k in reg.list_documents(DOC_KIND)}
    return (reg.communities(), reg.workers(), docs)


# --- the protocol, method by method ------------------------------------------------------------

Act = Callable[[ScopedRepository, MemoryRegistry, str], Any]

# Reading one record: refused outside the scope. The target is a community id or a document scope.
READ_ONE: dict[str, Act] = {
    "get_community": lambda r, inner, c: r.get_community(c),
    "get_worker": lambda r, inner, c: r.get_worker(WORKER_OF[c]),
    "load_document": lambda r, inner, d: r.load_document(DOC_KIND, f"2026-11@{d}"),
}
# Listing: the target is simply not there outside the scope. Each returns whether it is there.
LISTS: dict[str, Act] = {
    "communities": lambda r, inner, c: c in {x.id for x in r.communities()},
    "workers": lambda r, inner, c: WORKER_OF[c] in {w.id for w in r.workers()},
    "find_worker_by_id_number": lambda r, inner, c: (
        r.find_worker_by_id_number(inner.get_worker(WORKER_OF[c]).id_number) is not None
    ),
    "changes": lambda r, inner, c: str(WORKER_OF[c]) in {x.key for x in r.changes(kind="worker")},
    "list_documents": lambda r, inner, d: f"2026-11@{d}" in r.list_documents(DOC_KIND),
    "count_workers": lambda r, inner, c: r.count_workers(),
}
# Changing: refused for a viewer, and outside the scope for everyone.
CHANGES: dict[str, Act] = {
    "add_community": lambda r, inner, e: r.add_community(community(f"new-{e}")),
    "update_community": lambda r, inner, e: r.update_community(
        attrs.evolve(inner.get_community(e), name="改名社区")
    ),
    "delete_community": lambda r, inner, e: r.delete_community(e, inner.get_community(e).revision),
    "add_worker": lambda r, inner, c: r.add_worker(worker(10, c)),
    "add_workers": lambda r, inner, c: r.add_workers([worker(11, c)]),
    "update_worker": lambda r, inner, c: r.update_worker(
        attrs.evolve(inner.get_worker(WORKER_OF[c]), phone="13900000000")
    ),
    "update_workers": lambda r, inner, c: r.update_workers(
        [attrs.evolve(inner.get_worker(WORKER_OF[c]), phone="13900000000")]
    ),
    "delete_worker": lambda r, inner, c: r.delete_worker(
        WORKER_OF[c], inner.get_worker(WORKER_OF[c]).revision
    ),
    "record_event": lambda r, inner, c: r.record_event("note", "worker", str(WORKER_OF[c])),
    "save_document": lambda r, inner, d: r.save_document(DOC_KIND, f"2026-11@{d}", {"x": 1}),
}
NEUTRAL = {"close"}
ON_DOCUMENTS = {"load_document", "list_documents", "save_document"}
ON_EMPTY_COMMUNITIES = {"add_community", "update_community", "delete_community"}


def protocol_methods() -> set[str]:
    names: set[str] = set()
    for protocol in (Repository, CommunityLookup):
        names |= {n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")}
    return names


def targets(method: str) -> tuple[str, ...]:
    if method in ON_DOCUMENTS:
        return DOCUMENT_SCOPES
    if method in ON_EMPTY_COMMUNITIES:
        return ("e1", "e3", "e4")
    return ("c1", "c2", "c3", "c4")


def visible(method: str, scope: str, target: str) -> bool:
    return target in (DOCUMENTS_VISIBLE if method in ON_DOCUMENTS else VISIBLE)[scope]


CASES = [
    pytest.param(role, scope, method, target, id=f"{role.value}-{scope}-{method}-{target}")
    for role in Role
    for scope in SCOPES
    for method in sorted(protocol_methods())
    for target in targets(method)
]


def test_the_matrix_covers_the_whole_protocol() -> None:
    covered = set(READ_ONE) | set(LISTS) | set(CHANGES) | NEUTRAL
    assert protocol_methods() - covered == set(), "a Repository method has no row in the access matrix"
    assert covered - protocol_methods() == set()


def test_the_wrapper_is_a_repository() -> None:
    assert isinstance(seen_by(world(), Role.VIEWER, "street"), Repository)


@pytest.mark.parametrize(("role", "scope", "method", "target"), CASES)
def test_access_matrix(role: Role, scope: str, method: str, target: str) -> None:
    inner = world()
    reg = seen_by(inner, role, scope)
    before = state(inner)
    denials = len([c for c in inner.changes() if c.action == "denied"])
    inside = visible(method, scope, target)
    if method in NEUTRAL:
        reg.close()
        return
    if method == "count_workers":
        # one worker in each of c1..c4: the workers of the visible ones
        assert LISTS[method](reg, inner, target) == len(VISIBLE[scope] & set(WORKER_OF))
        return
    if method in LISTS:
        assert LISTS[method](reg, inner, target) is inside
        assert state(inner) == before
        return
    allowed = inside if method in READ_ONE else inside and role is not Role.VIEWER
    act = READ_ONE.get(method) or CHANGES[method]
    if allowed:
        act(reg, inner, target)
        return
    with pytest.raises(AccessDenied) as refused:
        act(reg, inner, target)
    assert refused.value.login == LOGIN
    assert LOGIN in str(refused.value)
    assert state(inner) == before  # nothing written
    denied = [c for c in inner.changes() if c.action == "denied"]
    assert len(denied) == denials + 1  # and the refusal is in the audit trail
    assert denied[-1].user == LOGIN and role.value in denied[-1].note


def test_a_worker_cannot_be_moved_out_of_scope() -> None:
    inner = world()
    reg = seen_by(inner, Role.OPERATOR, "street")
    with pytest.raises(AccessDenied):
        reg.update_worker(attrs.evolve(inner.get_worker(1), community_id="c3"))
    assert inner.get_worker(1).community_id == "c1"


def test_a_batch_with_one_record_out_of_scope_writes_nothing() -> None:
    inner = world()
    reg = seen_by(inner, Role.OPERATOR, "street")
    with pytest.raises(AccessDenied):
        reg.add_workers([worker(20, "c1"), worker(21, "c3")])
    assert inner.count_workers() == len(WORKER_OF)


def test_history_is_masked() -> None:
    inner = world()
    reg = seen_by(inner, Role.ADMIN, "all")
    after = reg.changes(kind="worker", key="1")[0].after
    assert after["phone"] == "138********"
    assert after["id_number"] == "110108" + "*" * 12


# --- workflows: payroll close, round decide, import, export ----------------------------------

OUTSIDE = {  # a scope next to each grant's, by hand from the layout
    "district": Scope(district="外区"),
    "street": Scope(district="测试区", street="西街道"),
    "community": Scope(community="c2"),
}
OUTSIDE_COMMUNITY = {"district": "c4", "street": "c3", "community": "c2"}
WORKFLOW_CASES = [
    pytest.param(role, scope, inside, id=f"{role.value}-{scope}-{'inside' if inside else 'outside'}")
    for role in Role
    for scope in SCOPES
    for inside in (True, False)
    if inside or scope != "all"
]


def rules_for(reg: ScopedRepository) -> Rules:
    js = Jurisdictions()
    js.register(Toy())
    return Rules(reg, js, today=dt.date(2026, 11, 25))


def expect(allowed: bool, action: Callable[[], Any]) -> Any:
    if allowed:
        return action()
    with pytest.raises(AccessDenied):
        action()
    return None


@pytest.mark.parametrize(("role", "scope", "inside"), WORKFLOW_CASES)
def test_payroll_close(role: Role, scope: str, inside: bool) -> None:
    inner = world()
    reg = seen_by(inner, role, scope)
    target = SCOPES[scope] if inside else OUTSIDE[scope]
    run = compute_payroll(reg, rules_for(reg), Month(2026, 11), target)
    closed = expect(inside and role is not Role.VIEWER, lambda: close_run(reg, save_run(reg, run)))
    if closed is not None:
        assert closed.closed and closed.closed_by == LOGIN
        # one worker per community in scope: as many lines as visible communities with a worker
        assert len(closed.workers) == len(VISIBLE[scope] & set(WORKER_OF))


@pytest.mark.parametrize(("role", "scope", "inside"), WORKFLOW_CASES)
def test_round_decide(role: Role, scope: str, inside: bool) -> None:
    inner = world()
    reg = seen_by(inner, role, scope)
    target = SCOPES[scope] if inside else OUTSIDE[scope]
    r = open_round(reg, rules_for(reg), 2026, target)
    allowed = inside and role is not Role.VIEWER
    saved = expect(allowed, lambda: save_round(reg, r))
    if saved is None:
        return
    decided = save_round(reg, decide(saved, saved.entries[0].worker_id, "qualified"))
    assert decided.entries[0].decided == "qualified"


@pytest.mark.parametrize(("role", "scope", "inside"), WORKFLOW_CASES)
def test_import(role: Role, scope: str, inside: bool, tmp_path: Path) -> None:
    from core.tabular import import_workers

    inner = world()
    reg = seen_by(inner, role, scope)
    home = "c1" if inside else OUTSIDE_COMMUNITY[scope]
    path = write_xlsx(tmp_path / "workers.xlsx", [good_row(1, community_id=home, posts=None)])
    before = state(inner)
    if inside and role is not Role.VIEWER:
        assert import_workers(reg, path, today=dt.date(2026, 11, 25)).added == 1
        return
    try:
        result = import_workers(reg, path, today=dt.date(2026, 11, 25))
    except TabularError as exc:  # the adds were refused: the import says so, naming the reason
        assert isinstance(exc.__cause__, AccessDenied)
    else:  # a community outside the scope is unknown to this operator: the row is refused
        assert result.refused and not inside
    assert state(inner) == before


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", list(SCOPES))
def test_export(role: Role, scope: str, tmp_path: Path) -> None:
    import openpyxl

    from core.tabular import export_roster

    inner = world()
    reg = seen_by(inner, role, scope)
    count = export_roster(reg, tmp_path / "roster.xlsx")
    assert count == len(VISIBLE[scope] & set(WORKER_OF))  # only the workers in scope
    cells = [
        str(c.value)
        for row in openpyxl.load_workbook(tmp_path / "roster.xlsx").active.iter_rows()
        for c in row
    ]
    assert "13800138000" not in cells and "138********" in cells  # masked by default
    full = tmp_path / "full.xlsx"
    expect(role is Role.ADMIN, lambda: export_roster(reg, full, full_ids=True))
    assert full.exists() is (role is Role.ADMIN)


@pytest.mark.parametrize("role", list(Role))
def test_reveal_is_for_operators_and_admins(role: Role) -> None:
    inner = world()
    reg = seen_by(inner, role, "all")
    assert may_reveal(reg) is (role is not Role.VIEWER)
    expect(role is not Role.VIEWER, lambda: require(reg, "reveal", "worker", 1))
    expect(role is not Role.VIEWER, lambda: require(reg, "change"))
    expect(role is Role.ADMIN, lambda: require(reg, "manage"))
    assert may_reveal(inner)  # a registry opened without a grant is trusted (scripts, tests)


# --- the operators file ---------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> MemoryRegistry:
    (tmp_path / "operators.toml").write_text(text, encoding="utf-8")
    reg = world()
    reg.path = str(tmp_path)
    return reg


def test_a_listed_login_gets_its_grant(tmp_path: Path) -> None:
    reg = write(
        tmp_path,
        '[operators.zhangwei]\nrole = "operator"\nscope = ["street:测试区/东街道", "community:c4"]\n',
    )
    grant = grant_for(reg, "zhangwei", env={})
    assert grant.role is Role.OPERATOR
    assert grant.scopes == (Scope(district="测试区", street="东街道"), Scope(community="c4"))


def test_an_unknown_login_gets_nothing_and_is_audited(tmp_path: Path) -> None:
    reg = write(tmp_path, '[operators.zhangwei]\nrole = "admin"\nscope = "all"\n')
    with pytest.raises(AccessDenied) as refused:
        grant_for(reg, "lisi", env={})
    assert "lisi" in str(refused.value) and "operators.toml" in str(refused.value)
    assert [c.action for c in reg.changes()][-1] == "denied"


def test_the_unknown_entry_gives_what_it_says(tmp_path: Path) -> None:
    reg = write(tmp_path, '[unknown]\nrole = "viewer"\nscope = "district:测试区"\n')
    grant = grant_for(reg, "lisi", env={})
    assert (grant.login, grant.role, grant.scopes) == ("lisi", Role.VIEWER, (Scope(district="测试区"),))
    assert grant.origin == "unknown"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[operators.a]\nrole = "boss"\nscope = "all"\n', "operators.a.role"),
        ('[operators.a]\nrole = "admin"\nscope = "street:no-slash"\n', "operators.a.scope[0]"),
        ('[operators.a]\nrole = "admin"\nscope = []\n', "operators.a.scope"),
        ('[operators.a]\nrole = "admin"\n', "operators.a.scope"),
        ('[operators.a]\nrole = "admin"\nscope = "all"\ncolour = "red"\n', "operators.a.colour"),
        ('[operators."a b"]\nrole = "admin"\nscope = "all"\n', "operators.a b"),
        ("[admins]\nx = 1\n", "admins"),
        ("[operators.a\n", "operators.toml"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(tmp_path: Path, text: str, field: str) -> None:
    (tmp_path / "operators.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as bad:
        read_operators(tmp_path / "operators.toml")
    assert bad.value.field == field
    assert bad.value.where == str(tmp_path / "operators.toml")


def test_the_file_reads_back_as_written(tmp_path: Path) -> None:
    operators = Operators(
        {
            "zhangwei": Grant("zhangwei", Role.ADMIN, (Scope(),)),
            "li.si": Grant(
                "li.si", Role.VIEWER, (Scope(district="测试区", street="东街道"), Scope(community="c4"))
            ),
        },
        Grant("", Role.VIEWER, (Scope(district="外区"),), "unknown"),
    )
    (tmp_path / "operators.toml").write_text(operators_toml(operators), encoding="utf-8")
    assert read_operators(tmp_path / "operators.toml") == operators


def test_without_a_file_the_owner_is_admin_and_nobody_else(tmp_path: Path) -> None:
    import getpass
    import os

    reg = world()
    reg.path = str(tmp_path)  # a folder this process owns, with no operators file
    me = getpass.getuser()
    assert grant_for(reg, me, env={}).role is Role.ADMIN
    # someone sudo'd into the owner's account is not the owner
    if hasattr(os, "geteuid"):
        with pytest.raises(AccessDenied):
            grant_for(reg, "someone-else", env={"SUDO_USER": "someone-else"})


def test_open_scoped_on_disk_records_the_login(tmp_path: Path) -> None:
    from core import init_registry, open_scoped

    with init_registry(tmp_path / "reg") as reg:
        for cid in ("c1", "c3"):
            reg.add_community(community(cid))
        reg.add_worker(worker(0, "c1"))
        reg.add_worker(worker(1, "c3"))
    (tmp_path / "reg" / "operators.toml").write_text(
        '[operators.bob]\nrole = "operator"\nscope = "street:测试区/东街道"\n', encoding="utf-8"
    )
    with open_scoped(tmp_path / "reg", login="bob") as seen:
        assert [w.community_id for w in seen.workers()] == ["c1"]
        with pytest.raises(AccessDenied):
            seen.get_worker(2)
        first = seen.workers()[0]
        seen.update_worker(attrs.evolve(first, phone="13900000000"))
        assert seen.changes(kind="worker", key=str(first.id))[-1].user == "bob"
        with pytest.raises(AccessDenied):  # the registry's own extras are an admin's
            seen.list_backups()
    with pytest.raises(AccessDenied):
        open_scoped(tmp_path / "reg", login="mallory")
    (tmp_path / "reg" / "operators.toml").write_text('[operators.ann]\nrole = "admin"\nscope = "all"\n')
    with open_scoped(tmp_path / "reg", login="ann") as seen, open_registry(tmp_path / "reg") as whole:
        assert seen.list_backups() == whole.list_backups()


def test_the_fast_paths_and_safety_copies_keep_to_the_scope(tmp_path: Path) -> None:
    """The roster's summaries and an import's ID lookup list only what is in scope, and the copy
    core makes before an import or a round close is allowed to an operator, not a viewer."""
    from core import init_registry, open_scoped
    from core.storage.backups import checkpoint
    from core.summary import worker_summaries, workers_by_id_number

    with init_registry(tmp_path / "reg") as reg:
        for cid in ("c1", "c3"):
            reg.add_community(community(cid))
        inside = reg.add_worker(worker(0, "c1"))
        outside = reg.add_worker(worker(1, "c3"))
    (tmp_path / "reg" / "operators.toml").write_text(
        '[operators.bob]\nrole = "operator"\nscope = "street:测试区/东街道"\n'
        '[operators.carol]\nrole = "viewer"\nscope = "street:测试区/东街道"\n',
        encoding="utf-8",
    )
    with open_scoped(tmp_path / "reg", login="bob") as seen:
        assert [s.id for s in worker_summaries(seen)] == [inside.id]
        found = workers_by_id_number(seen, [inside.id_number, outside.id_number])
        assert list(found) == [inside.id_number]
        made = checkpoint(seen, "before an import")
        assert made is not None and made.is_dir()
    with open_scoped(tmp_path / "reg", login="carol") as seen, pytest.raises(AccessDenied):
        checkpoint(seen, "a viewer changes nothing, so needs no copy")
