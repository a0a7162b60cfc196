"""Who runs shegong is the real uid, not what the environment says (issue 12, item 1).

A group member who may read the registry sets `USER`, `LOGNAME`, `SUDO_USER` and `SUDO_UID` to
root's and runs the command line as a real unprivileged process: they stay themselves (a viewer
of one street), see nothing outside it and export no full numbers. `SUDO_USER` still names the
operator when sudo switched to the registry's owner (the README's `sudo -u <owner>` deployment),
and `LOGNAME`/`USER` never decide who anyone is. The audit trail records the uid and the login.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import orjson
import pytest

from core.registry import init_registry, open_registry
from core.storage.layout import current_user, identify

from .attackers import GROUP, NOBODY, base_env, hand_over, needs_root, reachable, shegong_as
from .conftest import make_community, make_worker
from .figures import record

__all__ = ["reachable"]

FORGED = {"USER": "root", "LOGNAME": "root", "SUDO_USER": "root", "SUDO_UID": "0"}
NOBODY_NAME = pwd.getpwuid(NOBODY).pw_name


def _registry(root: Path, operators: str) -> tuple[int, int]:
    """Two streets, a worker in each; returns (worker in 中关村街道, worker in 学院路街道)."""
    reg = init_registry(root, user="owner", lock_timeout=5)
    reg.add_community(make_community("c1"))
    reg.add_community(make_community("c3", street="学院路街道"))
    inside, outside = reg.add_workers([make_worker("c1"), make_worker("c3")])
    reg.close()
    (root / "operators.toml").write_text(operators, encoding="utf-8")
    os.chmod(root / "operators.toml", 0o640)
    return inside.id, outside.id


@pytest.fixture
def group_readable(reachable: Path) -> tuple[Path, int, int]:
    """Owned by root, readable by its group; the group member is a viewer of one street."""
    root = reachable / "registry"
    inside, outside = _registry(
        root,
        '[operators.root]\nrole = "admin"\nscope = "all"\n\n'
        f'[operators.{NOBODY_NAME}]\nrole = "viewer"\nscope = "street:海淀区/中关村街道"\n',
    )
    hand_over(root, 0, GROUP)
    return root, inside, outside


@needs_root
def test_a_group_member_with_a_forged_environment_stays_a_viewer(
    group_readable: tuple[Path, int, int], reachable: Path
) -> None:
    root, inside, outside = group_readable
    env = base_env(**FORGED)
    me = shegong_as(NOBODY, [NOBODY, GROUP], env, "--db", root, "operators", "me", "--json")
    assert me.returncode == 0, me.stderr
    assert orjson.loads(me.stdout) == {
        "login": NOBODY_NAME,
        "role": "viewer",
        "scope": ["street:海淀区/中关村街道"],
        "origin": "file",
    }
    with open_registry(root) as reg:
        hidden = reg.get_worker(outside).id_number
        own = reg.get_worker(inside).id_number
    shown = shegong_as(NOBODY, [NOBODY, GROUP], env, "--db", root, "worker", "show", outside, "--json")
    assert shown.returncode == 1 and hidden not in shown.stdout + shown.stderr
    assert NOBODY_NAME in shown.stderr
    mine = shegong_as(NOBODY, [NOBODY, GROUP], env, "--db", root, "worker", "show", inside, "--json")
    assert mine.returncode == 0 and own not in mine.stdout  # a viewer sees its own street masked
    out = reachable / "out"
    out.mkdir()
    os.chown(out, NOBODY, NOBODY)
    export = shegong_as(
        NOBODY, [NOBODY, GROUP], env, "--db", root, "export", "roster", out / "full.xlsx", "--full-ids"
    )
    assert export.returncode == 1 and "--full-ids" in export.stderr
    assert not (out / "full.xlsx").exists()
    record("identity_forgeries_refused", 3)


@pytest.fixture
def owned_by_nobody(reachable: Path) -> Path:
    """The `sudo -u <owner>` deployment: the registry belongs to an unprivileged service account
    (here `nobody`); operators reach it only through sudo, which names them in `SUDO_USER`."""
    root = reachable / "registry"
    _registry(
        root,
        f'[operators.{NOBODY_NAME}]\nrole = "admin"\nscope = "all"\n\n'
        '[operators.carol]\nrole = "viewer"\nscope = "street:海淀区/中关村街道"\n',
    )
    hand_over(root, NOBODY, GROUP)
    return root


@needs_root
def test_sudo_to_the_owner_names_the_operator_and_user_or_logname_name_nobody(
    owned_by_nobody: Path,
) -> None:
    root = owned_by_nobody

    def me(**env: str) -> dict[str, object]:
        done = shegong_as(NOBODY, [NOBODY], base_env(**env), "--db", root, "operators", "me", "--json")
        assert done.returncode == 0, done.stderr
        found: dict[str, object] = orjson.loads(done.stdout)
        return found

    assert me(SUDO_USER="carol")["login"] == "carol"  # as `sudo -u nobody shegong …` sets it
    assert me(SUDO_USER="carol", USER=NOBODY_NAME, LOGNAME=NOBODY_NAME)["role"] == "viewer"
    # LOGNAME and USER name nobody: the owner's own process stays the owner
    assert me(USER="carol", LOGNAME="carol")["login"] == NOBODY_NAME
    # SUDO_USER and SUDO_UID that disagree are both disbelieved
    assert me(SUDO_USER="carol", SUDO_UID=str(NOBODY))["login"] == NOBODY_NAME
    record("identity_forgeries_refused", 2)


@needs_root
def test_the_audit_records_the_real_uid_and_the_login(owned_by_nobody: Path) -> None:
    root = owned_by_nobody
    with open_registry(root) as reg:
        worker = reg.get_worker(1)
    env = base_env(SUDO_USER="carol", USER="mallory", LOGNAME="mallory")
    # carol is a viewer: the refusal is recorded as hers, made from the owner's account
    done = shegong_as(
        NOBODY, [NOBODY], env, "--db", root, "worker", "edit", worker.id, "--phone", "13900000001"
    )
    assert done.returncode == 1
    env = base_env(USER="mallory", LOGNAME="mallory")  # the owner's own process, with a forged name
    done = shegong_as(
        NOBODY, [NOBODY], env, "--db", root, "worker", "edit", worker.id, "--phone", "13900000002"
    )
    assert done.returncode == 0, done.stderr
    lines = [
        orjson.loads(line) for p in sorted((root / "audit").iterdir()) for line in p.read_bytes().splitlines()
    ]
    denied = [e for e in lines if e["action"] == "denied"]
    assert [(e["user"], e["uid"]) for e in denied] == [("carol", NOBODY)]
    edits = [e for e in lines if e["action"] == "update" and e["kind"] == "worker"]
    assert [(e["user"], e["uid"]) for e in edits] == [(NOBODY_NAME, NOBODY)]
    assert all(e["user"] != "mallory" for e in lines)
    record("identity_forgeries_refused", 2)


def test_identity_comes_from_the_uid_and_sudo_only_for_root_or_the_owner() -> None:
    me = pwd.getpwuid(os.getuid()).pw_name
    assert current_user({"USER": "wang", "LOGNAME": "li"}) == me
    assert identify({"USER": "wang"}).uid == os.getuid()
    if os.getuid() == 0:  # root: sudo's variables name who ran sudo, whoever owns the registry
        assert current_user({"SUDO_USER": "zhang", "USER": "root"}, owner_uid=12345) == "zhang"
    else:  # anyone else: only when sudo switched to the registry's owner
        assert current_user({"SUDO_USER": "zhang"}, owner_uid=os.getuid() + 1) == me
        assert current_user({"SUDO_USER": "zhang"}, owner_uid=os.getuid()) == "zhang"
