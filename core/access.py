"""Who may read and change what: the operators file, roles and scopes.

Several operators from different streets share one registry. `operators.toml` in the registry
directory maps each login (the OS or SSH user) to a role and the part of the registry they work on:

    [operators.zhangwei]
    role = "operator"                       # viewer, operator or admin
    scope = ["street:海淀区/中关村街道"]       # all, district:…, street:…/…, community:… (one or more)

    [unknown]                               # optional: what a login not listed gets
    role = "viewer"
    scope = "district:海淀区"

A viewer reads; an operator also changes records and sees full ID and phone numbers on a worker's
detail; an admin also exports full numbers and manages this file (`shegong operators`). A login
that is not listed gets nothing unless `[unknown]` says otherwise.

With no operators file the registry is a single-user install: the account that owns the registry
files is admin over all of it (it could change the files directly anyway) and anyone else is
refused. Who runs the program is its real uid (`core.storage.layout.identify`), never `LOGNAME`
or `USER`; `SUDO_USER` names the operator only in a process running as root or as the registry's
owner, where sudo switched to it. The checks are only as strong as the file permissions: they
hold when operators cannot read or write the registry files themselves, e.g. when they run
shegong through `sudo -u <owner>`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from core.errors import AccessDenied, ValidationError
from core.i18n import Message, msg
from core.model import Community
from core.registry_config import config_of
from core.scope import Scope
from core.storage.audit import AuditNotWritten
from core.storage.layout import OPERATORS, identify

if TYPE_CHECKING:
    from core.repository import Repository

OPERATORS_FILE = OPERATORS
_LOGIN = re.compile(r"[A-Za-z0-9_.@$\\-]{1,64}")
_ALL = Scope()


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"


@attrs.frozen
class Grant:
    """What one login may do: a role over one or more scopes (a record in any of them counts)."""

    login: str
    role: Role
    scopes: tuple[Scope, ...]
    origin: str = "file"  # "file" (listed), "unknown" (the [unknown] entry), "owner" (no file)

    @property
    def everything(self) -> bool:
        return _ALL in self.scopes

    @property
    def may_change(self) -> bool:
        return self.role in (Role.OPERATOR, Role.ADMIN)

    @property
    def may_reveal(self) -> bool:
        """Full ID and phone numbers on a worker's detail screen."""
        return self.role in (Role.OPERATOR, Role.ADMIN)

    @property
    def may_export_full(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def may_manage(self) -> bool:
        return self.role is Role.ADMIN

    def sees(self, community: Community) -> bool:
        return any(s.contains(community) for s in self.scopes)

    def covers(self, scope: Scope, community: Community | None = None) -> bool:
        """Whether `scope` lies wholly inside this grant; a community scope needs its `community`."""
        if self.everything:
            return True
        if scope.community is not None:
            return community is not None and community.id == scope.community and self.sees(community)
        if scope == _ALL:
            return False
        return any(
            g.community is None
            and (g.district is None or g.district == scope.district)
            and (g.street is None or g.street == scope.street)
            for g in self.scopes
        )

    def describe(self) -> str:
        return ", ".join(str(s) for s in self.scopes)


@attrs.frozen
class Operators:
    """The operators file: a grant per listed login and, optionally, one for everyone else."""

    grants: Mapping[str, Grant] = attrs.field(factory=dict)
    unknown: Grant | None = None

    def grant_for(self, login: str) -> Grant | None:
        if login in self.grants:
            return self.grants[login]
        if self.unknown is not None:
            return attrs.evolve(self.unknown, login=login)
        return None

    def admins(self) -> list[str]:
        """Logins that can manage the whole registry (there must always be one)."""
        return [g.login for g in self.grants.values() if g.role is Role.ADMIN and g.everything]


# --- the file ---------------------------------------------------------------------------------


def operators_path(registry: Repository) -> Path | None:
    """`operators.toml` next to the registry's other files; None for a registry without a folder."""
    return config_of(registry).operators_file()


def parse_login(text: str, field: str = "login") -> str:
    login = text.strip()
    if not _LOGIN.fullmatch(login):
        raise ValidationError(field, msg("access.file.bad_login", value=text))
    return login


def parse_role(text: object, field: str = "role") -> Role:
    try:
        return Role(str(text).strip())
    except ValueError:
        raise ValidationError(field, msg("access.file.bad_role", value=text)) from None


def parse_scopes(value: object, field: str = "scope") -> tuple[Scope, ...]:
    """A scope text or a list of them, at least one; `all` means the whole registry."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise ValidationError(field, msg("access.file.bad_scope_list", value=value))
    out: list[Scope] = []
    for i, text in enumerate(items):
        try:
            scope = Scope.parse(text)
        except ValidationError as exc:
            raise ValidationError(f"{field}[{i}]", exc.problem) from None
        if scope not in out:
            out.append(scope)
    return tuple(out)


def _grant(login: str, table: object, where: str, origin: str) -> Grant:
    if not isinstance(table, Mapping):
        raise ValidationError(where, msg("access.file.not_table"))
    extra = sorted(set(table) - {"role", "scope"})
    if extra:
        raise ValidationError(f"{where}.{extra[0]}", msg("access.file.unknown_key", key=extra[0]))
    for needed in ("role", "scope"):
        if needed not in table:
            raise ValidationError(f"{where}.{needed}", msg("access.file.missing", key=needed))
    role = parse_role(table["role"], f"{where}.role")
    return Grant(login, role, parse_scopes(table["scope"], f"{where}.scope"), origin)


def read_operators(path: Path) -> Operators | None:
    """The operators file at `path`, None if there is none; a bad file is refused naming the
    file and the field, never half read (a typo must not widen anyone's access)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problem = msg("access.file.unreadable", reason=str(exc))
        raise ValidationError(OPERATORS_FILE, problem, where=str(path)) from None
    try:
        return operators_from(data)
    except ValidationError as exc:
        raise ValidationError(exc.field, exc.problem, where=str(path)) from None


def operators_from(data: Mapping[str, Any]) -> Operators:
    extra = sorted(set(data) - {"operators", "unknown"})
    if extra:
        raise ValidationError(extra[0], msg("access.file.unknown_key", key=extra[0]))
    listed = data.get("operators", {})
    if not isinstance(listed, Mapping):
        raise ValidationError("operators", msg("access.file.not_table"))
    grants = {}
    for name, table in listed.items():
        login = parse_login(name, f"operators.{name}")
        grants[login] = _grant(login, table, f"operators.{name}", "file")
    unknown = _grant("", data["unknown"], "unknown", "unknown") if "unknown" in data else None
    return Operators(grants, unknown)


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string for the characters a login or scope may hold.
    import json

    return json.dumps(text, ensure_ascii=False)


def _toml_scopes(scopes: Iterable[Scope]) -> str:
    return "[" + ", ".join(_toml_string(str(s)) for s in scopes) + "]"


def operators_toml(operators: Operators) -> str:
    """The file's text; `read_operators` reads it back to the same `Operators`."""
    lines = [
        "# shegong operators: who may read and change what (see README, Access and privacy).",
        '# role: "viewer", "operator" or "admin"; scope: "all", "district:…", "street:…/…",',
        '# "community:…" (one or a list). A login not listed gets nothing unless [unknown] says so.',
        "",
    ]
    for login in sorted(operators.grants):
        grant = operators.grants[login]
        lines += [
            f"[operators.{_toml_string(login)}]",
            f"role = {_toml_string(grant.role.value)}",
            f"scope = {_toml_scopes(grant.scopes)}",
            "",
        ]
    if operators.unknown is not None:
        lines += [
            "[unknown]",
            f"role = {_toml_string(operators.unknown.role.value)}",
            f"scope = {_toml_scopes(operators.unknown.scopes)}",
            "",
        ]
    return "\n".join(lines)


def write_operators(path: Path, operators: Operators) -> None:
    """Replace the file atomically: a crash leaves the old file or the new one, never half of one."""
    from core.storage.files import atomic_write

    atomic_write(path, operators_toml(operators).encode("utf-8"))


# --- who is this ----------------------------------------------------------------------------


def owner_of(registry: Repository) -> tuple[str, int | None]:
    """The login and uid owning the registry's files; the running login for a registry in memory."""
    root = config_of(registry).folder
    if root is None or not root.exists():
        return registry.user, None
    uid = root.stat().st_uid
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name, uid
    except (ImportError, KeyError):
        return f"uid{uid}", uid


def _runs_as_owner(uid: int | None, env: Mapping[str, str]) -> bool:
    """The process itself is the owner (not an operator sudo'd into the owner's account): its
    real uid is the owner's and sudo names nobody (`core.storage.layout.identify`)."""
    if uid is None or not hasattr(os, "getuid"):
        return uid is None
    return os.getuid() == uid and not identify(env, owner_uid=uid).via_sudo


def grant_for(registry: Repository, login: str, env: Mapping[str, str] | None = None) -> Grant:
    """The grant `login` has on `registry`, or `AccessDenied` (written to the audit trail)."""
    env = os.environ if env is None else env
    path = operators_path(registry)
    operators = read_operators(path) if path is not None else None
    if operators is None:
        owner, uid = owner_of(registry)
        if login == owner or _runs_as_owner(uid, env):
            return Grant(login, Role.ADMIN, (_ALL,), "owner")
        problem = msg("access.denied.not_owner", login=login, owner=owner, path=registry.path)
    else:
        grant = operators.grant_for(login)
        if grant is not None:
            return grant
        problem = msg("access.denied.unknown_login", login=login, path=str(path))
    raise refusal(registry, problem, login=login, action="open", kind="registry", key=registry.path)


def grant_from_files(root: Path, login: str, env: Mapping[str, str] | None = None) -> Grant | None:
    """The grant `login` has on the registry in folder `root`, read from its files alone, or None.

    For `check` and `restore`, which must work on a registry too damaged to open (so there is no
    `Repository` to ask, and no audit trail to write the refusal to)."""
    env = os.environ if env is None else env
    path = root / OPERATORS_FILE
    operators = read_operators(path) if root.is_dir() else None
    if operators is not None:
        return operators.grant_for(login)
    uid = root.stat().st_uid if root.exists() else None
    try:
        import pwd

        owner = pwd.getpwuid(uid).pw_name if uid is not None else login
    except (ImportError, KeyError):
        owner = f"uid{uid}"
    if login == owner or _runs_as_owner(uid, env):
        return Grant(login, Role.ADMIN, (_ALL,), "owner")
    return None


def refusal(
    registry: Repository,
    message: Message,
    *,
    login: str,
    action: str,
    kind: str,
    key: object,
    grant: Grant | None = None,
) -> AccessDenied:
    """An `AccessDenied` for `message`, written to `registry`'s audit trail, whose note says
    what was tried and with which grant (`read; viewer; street:海淀区/中关村街道`).

    A refusal is still a refusal when the trail cannot be written (a read-only directory); its
    message then says the entry is missing instead of claiming it was recorded."""
    note = action if grant is None else f"{action}; {grant.role.value}; {grant.describe() or '-'}"
    try:
        registry.record_event("denied", kind, str(key), note=note)
        trail = msg("access.trail.audited")
    except Exception as exc:  # refuse all the same, and say the entry is missing
        reason = exc.cause if isinstance(exc, AuditNotWritten) else str(exc)
        trail = msg("access.trail.not_audited", reason=reason)
    told = msg("access.trail.refusal", problem=message, trail=trail)
    return AccessDenied(told, login=login, action=action, kind=kind, key=key)


def role_label(role: Role) -> Message:
    return msg(f"access.role.{role.value}")
