"""`shegong operators`: who may read and change what (the registry's `operators.toml`).

`list`, `add`, `set` and `remove` are an admin's; `me` shows anyone their own role and scope.
Every change is validated (login, role, scopes that name existing communities, streets or
districts) before the file is replaced atomically, is written to the audit trail, and is
refused if it would leave no admin over the whole registry. An admin whose own scope is not
everything can only grant and change access inside it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from core.access import (
    Grant,
    Operators,
    operators_path,
    parse_login,
    parse_role,
    parse_scopes,
    read_operators,
    role_label,
    write_operators,
)
from core.errors import ValidationError
from core.i18n import msg, t
from core.scope import Scope
from core.scoped import ScopedRepository, grant_of, require
from tui.cli.errors import Field
from tui.cli.options import CliError, Session
from tui.cli.output import format_table, print_json, print_text

if TYPE_CHECKING:
    from core.repository import Repository
    from tui.cli.parser import ShegongParser

FIELDS = {
    "login": Field("cli.operators.field.login", "LOGIN"),
    "role": Field("cli.operators.field.role", "--role"),
    "scope": Field("cli.operators.field.scope", "--scope"),
}
ROLES = "viewer|operator|admin"


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    group = subparsers.add_parser(
        "operators", help=t("cli.operators.help"), description=t("cli.operators.description")
    )
    actions = group.add_subparsers(
        dest="action",
        required=True,
        title=t("cli.group.actions"),
        metavar="ACTION",
        parser_class=ShegongParser,
    )
    listing = actions.add_parser("list", parents=[common], help=t("cli.operators.list.help"))
    listing.set_defaults(handler=run_list)
    me = actions.add_parser("me", parents=[common], help=t("cli.operators.me.help"))
    me.set_defaults(handler=run_me)
    for name, required in (("add", True), ("set", False)):
        parser = actions.add_parser(name, parents=[common], help=t(f"cli.operators.{name}.help"))
        parser.add_argument("login", metavar="LOGIN", help=t("cli.operators.opt.login"))
        parser.add_argument("--role", metavar=ROLES, required=required, help=t("cli.operators.opt.role"))
        parser.add_argument(
            "--scope", action="append", metavar="SCOPE", required=required, help=t("cli.operators.opt.scope")
        )
        parser.set_defaults(handler=run_change, _parser=parser)
    remove = actions.add_parser("remove", parents=[common], help=t("cli.operators.remove.help"))
    remove.add_argument("login", metavar="LOGIN", help=t("cli.operators.opt.login"))
    remove.set_defaults(handler=run_change, _parser=remove, role=None, scope=None)


# --- reading --------------------------------------------------------------------------------


def _file(registry: Repository) -> Path:
    path = operators_path(registry)
    if path is None:
        raise CliError(msg("cli.operators.no_folder", path=registry.path))
    return path


def grant_data(grant: Grant) -> dict[str, Any]:
    return {"login": grant.login, "role": grant.role.value, "scope": [str(s) for s in grant.scopes]}


def run_list(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry()
    require(registry, "manage", "operators")
    path = _file(registry)
    operators = read_operators(path)
    grants = sorted((operators.grants if operators else {}).values(), key=lambda g: g.login)
    unknown = operators.unknown if operators else None
    if session.json:
        print_json(
            {
                "file": str(path),
                "exists": operators is not None,
                "operators": [grant_data(g) for g in grants],
                "unknown": None if unknown is None else grant_data(unknown) | {"login": None},
            }
        )
        return 0
    if operators is None:
        print_text(t("cli.operators.no_file", path=path))
        return 0
    rows = [(g.login, role_label(g.role), g.describe()) for g in grants]
    if unknown is not None:
        rows.append((t("cli.operators.unknown_row"), role_label(unknown.role), unknown.describe()))
    headers = [t("cli.operators.col.login"), t("cli.operators.col.role"), t("cli.operators.col.scope")]
    print_text(format_table(headers, rows) + "\n" + t("cli.operators.file", path=path))
    return 0


def run_me(args: argparse.Namespace, session: Session) -> int:
    """Anyone with access may ask what it is: a viewer wondering why an edit was refused."""
    registry = session.registry()
    grant = grant_of(registry)
    if grant is None:  # a registry opened without the operators file (not from the CLI)
        raise CliError(msg("cli.operators.no_grant"))
    if session.json:
        print_json(grant_data(grant) | {"origin": grant.origin})
    else:
        print_text(
            t("cli.operators.whoami", login=grant.login, role=role_label(grant.role), scope=grant.describe())
            + "\n"
            + t(f"cli.operators.origin.{grant.origin}")
        )
    return 0


# --- changing -------------------------------------------------------------------------------


def run_change(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    login = parse_login(args.login)
    require(registry, "manage", "operators", login)
    path = _file(registry)
    current = read_operators(path) or Operators()
    before = current.grants.get(login)
    if args.action == "add" and before is not None:
        raise CliError(msg("cli.operators.exists", login=login))
    if args.action != "add" and before is None:
        raise CliError(msg("cli.operators.not_listed", login=login, path=path))
    if args.action == "set" and args.role is None and args.scope is None:
        args._parser.error(t("cli.operators.nothing_to_change"))
    _within_own_scope(registry, before)
    grants = dict(current.grants)
    if args.action == "remove":
        del grants[login]
        after = None
    else:
        role = parse_role(args.role) if args.role is not None else before.role  # type: ignore[union-attr]
        scopes = parse_scopes(args.scope) if args.scope is not None else before.scopes  # type: ignore[union-attr]
        after = Grant(login, role, scopes)
        _within_own_scope(registry, after)
        if args.scope is not None:
            _check_named(registry, scopes)
        grants[login] = after
    changed = attrs.evolve(current, grants=grants)
    if not changed.admins():
        grant = grant_of(registry)
        raise CliError(msg("access.denied.last_admin", login=grant.login if grant else login))
    write_operators(path, changed)
    read_operators(path)  # what was written reads back, or the command says so now
    note = "" if after is None else f"{after.role.value} {after.describe()}"
    registry.record_event(args.action, "operators", login, note=note)
    if session.json:
        print_json(
            {
                "action": args.action,
                "file": str(path),
                "operator": None if after is None else grant_data(after),
            }
        )
    elif after is None:
        print_text(t("cli.operators.removed", login=login, path=path))
    else:
        print_text(
            t(
                "cli.operators.saved",
                login=login,
                role=role_label(after.role),
                scope=after.describe(),
                path=path,
            )
        )
    return 0


def _check_named(registry: Repository, scopes: tuple[Scope, ...]) -> None:
    """Scopes that name something in the registry: a typo in a street must not grant nothing.
    Asked of the communities the admin sees: a scope outside them was refused already."""
    communities = registry.communities()
    for scope in scopes:
        if scope != Scope() and not any(scope.contains(c) for c in communities):
            raise ValidationError("scope", msg("cli.operators.scope_empty", scope=str(scope)))


def _within_own_scope(registry: Repository, grant: Grant | None) -> None:
    """An admin of part of the registry grants and changes access only inside that part."""
    own = grant_of(registry)
    if own is None or grant is None or own.everything or not isinstance(registry, ScopedRepository):
        return
    seen = {c.id: c for c in registry.communities()}  # a community outside the scope: not covered
    for scope in grant.scopes:
        community = seen.get(scope.community) if scope.community is not None else None
        if not own.covers(scope, community):
            problem = msg("access.denied.wider", login=own.login, own=own.describe(), scope=str(scope))
            raise registry.refuse(problem, "manage", "operators", grant.login)
