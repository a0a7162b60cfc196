"""`shegong operators` and the access checks every command goes through, over the demo registry.

Who runs a command is the real uid's login, or the operator sudo names in `SUDO_USER` (believed
here because the tests run as root, as a process sudo started would; `SUDO_*` is cleared first so
the tests do not depend on how they were started). The expected workers of a street are read from the registry
itself with a plain comparison of street names, never through the access checks under test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from core.registry import open_registry
from core.storage.layout import current_user
from tests.cli.helpers import Run, snapshot

ME_ENV = "SUDO_USER"  # believed: the tests run as root, as sudo would


@pytest.fixture(autouse=True)
def _as_owner(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SUDO_USER", raising=False)
    monkeypatch.delenv("SUDO_UID", raising=False)
    yield


def as_json(text: str) -> Any:
    return orjson.loads(text)


def street_of(db: Path) -> tuple[str, str, set[int], set[int]]:
    """The demo's first street (by name): its 'district/street', one of its communities, its
    workers and the workers elsewhere."""
    with open_registry(db) as reg:
        communities = sorted(reg.communities(), key=lambda c: (c.district, c.street, c.id))
        first = communities[0]
        here = {c.id for c in communities if (c.district, c.street) == (first.district, first.street)}
        workers = reg.workers()
    inside = {w.id for w in workers if w.community_id in here}
    return f"{first.district}/{first.street}", first.id, inside, {w.id for w in workers} - inside


def grant(run: Run, db: Path, login: str, role: str, scope: str) -> None:
    result = run("--db", db, "operators", "add", login, "--role", role, "--scope", scope)
    assert result.code == 0, result.err


@pytest.fixture
def staffed(run: Run, demo_db: Path) -> Path:
    """The demo with an operators file: this login admin, bob operator and carol viewer of one street."""
    street, _, _, _ = street_of(demo_db)
    grant(run, demo_db, current_user(), "admin", "all")
    grant(run, demo_db, "bob", "operator", f"street:{street}")
    grant(run, demo_db, "carol", "viewer", f"street:{street}")
    return demo_db


def login(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(ME_ENV, name)


def denials(db: Path, who: str) -> int:
    with open_registry(db) as reg:
        return len([c for c in reg.changes() if c.action == "denied" and c.user == who])


# --- without an operators file ----------------------------------------------------------------


def test_without_a_file_the_owner_is_admin(run: Run, demo_db: Path) -> None:
    me = as_json(run("--db", demo_db, "operators", "me", "--json").out)
    assert me == {"login": current_user(), "role": "admin", "scope": ["all"], "origin": "owner"}
    listed = as_json(run("--db", demo_db, "operators", "list", "--json").out)
    assert listed["exists"] is False and listed["operators"] == []


def test_without_a_file_an_operator_sudoed_in_is_refused(
    run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUDO_USER", "mallory")
    result = run("--db", demo_db, "worker", "list")
    assert result.code == 1 and "mallory" in result.err and "operators.toml" in result.err
    assert denials(demo_db, "mallory") == 1


def test_the_first_operator_cannot_lock_the_admin_out(run: Run, demo_db: Path) -> None:
    street, _, _, _ = street_of(demo_db)
    result = run(
        "--db", demo_db, "operators", "add", "bob", "--role", "operator", "--scope", f"street:{street}"
    )
    assert result.code == 1 and current_user() in result.err
    assert not (demo_db / "operators.toml").exists()


# --- managing the file ----------------------------------------------------------------------


def test_list_shows_what_was_added(run: Run, staffed: Path) -> None:
    street, _, _, _ = street_of(staffed)
    listed = as_json(run("--db", staffed, "operators", "list", "--json").out)
    assert listed["exists"] is True and listed["unknown"] is None
    assert {o["login"]: (o["role"], o["scope"]) for o in listed["operators"]} == {
        current_user(): ("admin", ["all"]),
        "bob": ("operator", [f"street:{street}"]),
        "carol": ("viewer", [f"street:{street}"]),
    }
    text = run("--db", staffed, "operators", "list").out
    assert "bob" in text and "操作员" in text and "查看员" in text


def test_set_and_remove(run: Run, staffed: Path) -> None:
    _, community, _, _ = street_of(staffed)
    changed = run("--db", staffed, "operators", "set", "bob", "--scope", f"community:{community}", "--json")
    assert as_json(changed.out)["operator"] == {
        "login": "bob",
        "role": "operator",
        "scope": [f"community:{community}"],
    }
    assert run("--db", staffed, "operators", "remove", "carol").code == 0
    listed = as_json(run("--db", staffed, "operators", "list", "--json").out)
    assert sorted(o["login"] for o in listed["operators"]) == sorted(["bob", current_user()])
    with open_registry(staffed) as reg:
        trail = [(c.action, c.key) for c in reg.changes(kind="operators")]
    assert trail[-2:] == [("set", "bob"), ("remove", "carol")]


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["add", "dave", "--role", "boss", "--scope", "all"], "--role"),
        (["add", "dave", "--role", "viewer", "--scope", "street:no-slash"], "--scope"),
        (["add", "dave", "--role", "viewer", "--scope", "street:无此区/无此街道"], "--scope"),
        (["add", "da ve", "--role", "viewer", "--scope", "all"], "LOGIN"),
    ],
)
def test_bad_values_are_refused_naming_the_option(
    run: Run, staffed: Path, argv: list[str], option: str
) -> None:
    before = snapshot(staffed)
    result = run("--db", staffed, "operators", *argv)
    assert result.code == 1 and option in result.err
    assert snapshot(staffed) == before


def test_add_twice_set_unknown_and_removing_the_last_admin_are_refused(run: Run, staffed: Path) -> None:
    before = snapshot(staffed)
    assert run("--db", staffed, "operators", "add", "bob", "--role", "viewer", "--scope", "all").code == 1
    assert run("--db", staffed, "operators", "set", "nobody", "--role", "viewer").code == 1
    assert run("--db", staffed, "operators", "remove", current_user()).code == 1
    assert run("--db", staffed, "operators", "set", current_user(), "--role", "operator").code == 1
    assert snapshot(staffed) == before


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_an_admin_manages_the_file(
    run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    login(monkeypatch, who)
    before = snapshot(staffed, audit=False)
    for argv in (["list"], ["add", "eve", "--role", "admin", "--scope", "all"], ["remove", "bob"]):
        result = run("--db", staffed, "operators", *argv)
        assert result.code == 1 and who in result.err
    assert snapshot(staffed, audit=False) == before
    assert denials(staffed, who) == 3
    me = as_json(run("--db", staffed, "operators", "me", "--json").out)
    assert me["login"] == who and me["origin"] == "file"


# --- every command goes through the checks ----------------------------------------------------


def test_an_operator_sees_only_their_street(run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, inside, outside = street_of(staffed)
    assert inside and outside  # the demo has workers on both sides
    login(monkeypatch, "bob")
    listed = as_json(run("--db", staffed, "worker", "list", "--json").out)
    assert {w["id"] for w in listed} == inside
    other = min(outside)
    result = run("--db", staffed, "worker", "show", other)
    assert result.code == 1 and "bob" in result.err
    refused = run("--db", staffed, "worker", "edit", other, "--phone", "13900000000")
    assert refused.code == 1
    assert denials(staffed, "bob") == 2
    mine = min(inside)
    assert run("--db", staffed, "worker", "edit", mine, "--phone", "13900000000").code == 0
    shown = run("--db", staffed, "worker", "show", mine).out
    assert "13900000000" in shown  # an operator sees the full number on the record


def test_a_viewer_changes_nothing(
    run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, _, inside, _ = street_of(staffed)
    mine = min(inside)
    login(monkeypatch, "carol")
    before = snapshot(staffed, audit=False)
    assert run("--db", staffed, "worker", "edit", mine, "--phone", "13900000000").code == 1
    month = dt.date.today().strftime("%Y-%m")
    street, _, _, _ = street_of(staffed)
    assert run("--db", staffed, "payroll", "run", "--month", month, "--street", street, "--save").code == 1
    template = tmp_path / "t.xlsx"
    assert run("--db", staffed, "template", "workers", template).code == 0
    imported = run("--db", staffed, "import", "workers", template)
    assert imported.code == 1 and "carol" in imported.err
    assert snapshot(staffed, audit=False) == before
    assert denials(staffed, "carol") == 3
    shown = run("--db", staffed, "worker", "show", mine, "--json").out
    with open_registry(staffed) as reg:
        full = reg.get_worker(mine)
    assert full.id_number not in shown and full.id_number[:6] + "*" * 12 in shown


def test_full_ids_in_an_export_are_for_admins(
    run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    login(monkeypatch, "bob")
    refused = run("--db", staffed, "export", "roster", tmp_path / "full.xlsx", "--full-ids")
    assert refused.code == 1 and "--full-ids" in refused.err
    assert not (tmp_path / "full.xlsx").exists()
    assert run("--db", staffed, "export", "roster", tmp_path / "masked.xlsx").code == 0
    monkeypatch.delenv(ME_ENV)
    assert run("--db", staffed, "export", "roster", tmp_path / "full.xlsx", "--full-ids").code == 0


def test_an_unlisted_login_gets_nothing(run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    login(monkeypatch, "zed")
    result = run("--db", staffed, "worker", "list")
    assert result.code == 1 and "zed" in result.err
    assert denials(staffed, "zed") == 1


def test_the_unknown_entry_lets_unlisted_logins_look(
    run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    street, _, inside, _ = street_of(staffed)
    with (staffed / "operators.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[unknown]\nrole = "viewer"\nscope = "street:{street}"\n')
    login(monkeypatch, "zed")
    listed = as_json(run("--db", staffed, "worker", "list", "--json").out)
    assert {w["id"] for w in listed} == inside
    assert run("--db", staffed, "worker", "edit", min(inside), "--phone", "13900000000").code == 1


def test_only_an_admin_may_replace_the_registry_with_a_demo(
    run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(monkeypatch, "bob")
    before = snapshot(staffed, audit=False)
    result = run("--db", staffed, "demo", "--workers", "5", "--force")
    assert result.code == 1 and "bob" in result.err
    assert snapshot(staffed, audit=False) == before


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_backup_restore_and_check_are_for_an_admin_over_everything(
    run: Run, staffed: Path, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    """Each reads or replaces every street's records: a street operator, a viewer and an unknown
    login are refused before anything is copied or read."""
    admin = current_user()
    login(monkeypatch, who)
    for argv in (["backup"], ["backup", "--list"], ["check"], ["restore", "x", "--yes"]):
        result = run("--db", staffed, *argv)
        assert result.code == 1 and who in result.err and "管理员" in result.err, argv
    assert not (staffed / "backups").exists() or not any((staffed / "backups").iterdir())
    login(monkeypatch, admin)
    assert run("--db", staffed, "backup").code == 0
