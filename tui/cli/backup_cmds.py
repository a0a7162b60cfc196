"""`shegong backup`, `shegong restore` and `shegong check`: copies of the registry and a full check.

`check` and `restore` never open the registry through `Registry` (it may be the damaged thing
being looked at or repaired); they work on the files. `backup` opens it, so a damaged registry is
refused with the name of the newest good backup instead of being copied.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.access import grant_from_files
from core.errors import ShegongError
from core.i18n import msg, t
from core.record_checks import PostNames, posts_by_jurisdiction
from core.storage.backups import list_backups, restore_backup
from core.storage.check import check_registry
from core.storage.layout import Layout, current_user, display_time, owner_uid_of
from tui.cli.options import CliError, Session, registry_exists
from tui.cli.output import format_table, print_json, print_text

if TYPE_CHECKING:
    from pathlib import Path

    from tui.cli.parser import ShegongParser


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    backup = subparsers.add_parser(
        "backup", parents=[common], help=t("cli.backup.help"), description=t("cli.backup.description")
    )
    backup.add_argument("--list", action="store_true", help=t("cli.backup.opt.list"))
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore", parents=[common], help=t("cli.restore.help"), description=t("cli.restore.description")
    )
    restore.add_argument("backup", metavar="BACKUP", help=t("cli.restore.arg.backup"))
    restore.add_argument("--yes", action="store_true", help=t("cli.restore.opt.yes"))
    restore.add_argument("--with-operators", action="store_true", help=t("cli.restore.opt.with_operators"))
    restore.set_defaults(handler=run_restore)

    check = subparsers.add_parser(
        "check", parents=[common], help=t("cli.check.help"), description=t("cli.check.description")
    )
    check.set_defaults(handler=run_check)


def _need_registry(session: Session) -> None:
    """The registry must exist, and only an admin over all of it may copy, restore or check it:
    each of these reads or replaces every street's records."""
    if not registry_exists(session.db):
        raise CliError(msg("cli.error.no_registry", path=session.db))
    login = session.login or current_user(owner_uid=owner_uid_of(session.db.absolute()))
    grant = grant_from_files(session.db.absolute(), login)
    if grant is None or not (grant.may_manage and grant.everything):
        raise CliError(msg("cli.backup.admin_only", login=login))


def _backups(root: Path) -> list[dict[str, Any]]:
    return [
        {
            "name": b.name,
            "path": str(b.path),
            "at": b.at,
            "reason": b.reason,
            "user": b.user,
            "schema": b.schema,
            "kind": b.pool,
            "seq": b.seq,
        }
        for b in list_backups(Layout(root.absolute()))
    ]


def run_backup(args: argparse.Namespace, session: Session) -> int:
    _need_registry(session)
    made: str | None = None
    if not args.list:
        if session.read_only:
            raise CliError(msg("cli.error.read_only", path=session.db))
        from core.registry import open_registry

        with open_registry(session.db, user=session.login) as registry:
            made = str(registry.backup(t("backup.reason.manual")))
    backups = _backups(session.db)
    if session.json:
        print_json({"made": made, "backups": backups})
        return 0
    if made is not None:
        print_text(t("cli.backup.made", path=made))
    if not backups:
        print_text(t("cli.backup.none"))
        return 0
    headers = [
        t("cli.backup.col.name"),
        t("cli.backup.col.at"),
        t("cli.backup.col.kind"),
        t("cli.backup.col.user"),
        t("cli.backup.col.reason"),
    ]
    rows = [
        [b["name"], display_time(b["at"]), t(f"cli.backup.kind.{b['kind']}"), b["user"], b["reason"]]
        for b in backups
    ]
    print_text(format_table(headers, rows))
    return 0


def run_restore(args: argparse.Namespace, session: Session) -> int:
    _need_registry(session)
    if session.read_only:
        raise CliError(msg("cli.error.read_only", path=session.db))
    if not args.yes:
        raise CliError(msg("cli.restore.confirm", backup=args.backup, path=session.db))
    done = restore_backup(
        Layout(session.db.absolute()),
        args.backup,
        session.login or current_user(owner_uid=owner_uid_of(session.db.absolute())),
        with_operators=args.with_operators,
    )
    if session.json:
        print_json(
            {
                "restored": done.backup.name,
                "safety_backup": str(done.safety),
                "written": list(done.written),
                "removed": list(done.removed),
            }
        )
    else:
        print_text(t("cli.restore.done", name=done.backup.name, count=len(done.written), safety=done.safety))
    return 0


def _jurisdiction_posts(session: Session) -> dict[str, PostNames] | None:
    """The loaded jurisdictions' posts, read without opening the registry (it may not open); the
    posts go unjudged if the plugins cannot be loaded."""
    from core import load_jurisdictions

    params = session.db / "params.toml"
    try:
        return posts_by_jurisdiction(load_jurisdictions(params if params.is_file() else None))
    except ShegongError:
        return None


def run_check(args: argparse.Namespace, session: Session) -> int:
    _need_registry(session)
    report = check_registry(session.db, jurisdiction_posts=_jurisdiction_posts(session))
    if session.json:
        print_json(
            {
                "path": str(report.root),
                "ok": report.ok,
                "files": report.files,
                "workers": report.workers,
                "communities": report.communities,
                "findings": [f.as_json() for f in report.findings],
            }
        )
        return 0 if report.ok else 1
    for f in report.findings:
        where = f.record and t("cli.check.record", record=f.record)
        field = f.field and t("cli.check.field", field=f.field)
        level = t(f"cli.check.{f.severity}")
        print_text(f"{level} {f.file}{where}{field}: {f.text()}")
    summary = "cli.check.ok" if report.ok else "cli.check.failed"
    print_text(
        t(
            summary,
            path=report.root,
            files=report.files,
            workers=report.workers,
            communities=report.communities,
            errors=len(report.errors),
            warnings=len(report.findings) - len(report.errors),
        )
    )
    return 0 if report.ok else 1
