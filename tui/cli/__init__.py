"""The `shegong` command line: one module per command group, the Textual app when none is given.

To add a command group, write a module with `register(subparsers, common)` that adds its
subparser and sets `handler` on it (see `plugins_cmd` for the smallest one), and list it in
`COMMANDS`. Importing this package must not load Textual: the app is imported only to run it.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence

from core.errors import ShegongError
from core.i18n import LANGUAGES, msg, set_language, t
from tui.cli import (
    backup_cmds,
    communities_cmd,
    labour_cmd,
    new_plugin_cmd,
    operators_cmd,
    payroll_cmd,
    plugins_cmd,
    registry_cmds,
    review_cmds,
    round_cmd,
    rules_cmds,
    tabular_cmds,
    workers_cmd,
)
from tui.cli.errors import Field, Fields, render_error
from tui.cli.labels import load_catalogs
from tui.cli.options import CliError, Session, registry_exists, resolve_db, resolve_language
from tui.cli.parser import Command, argparse_in, build_parser

__all__ = ["COMMANDS", "main"]

COMMANDS: tuple[Command, ...] = (registry_cmds, plugins_cmd, workers_cmd, communities_cmd)
COMMANDS += (rules_cmds, labour_cmd, payroll_cmd, round_cmd, review_cmds, tabular_cmds)
COMMANDS += (operators_cmd, backup_cmds, new_plugin_cmd)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 refused or bad input, 2 bad usage)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _tolerate_narrow_terminals()
    lang = resolve_language(_early_language(arguments))
    set_language(lang)
    load_catalogs()
    with argparse_in(lang):
        try:
            args = build_parser(COMMANDS).parse_args(arguments)
            session = Session(db=resolve_db(args.db), lang=lang, read_only=args.read_only, json=args.json)
            return _run(args, session)
        except SystemExit as exc:  # --help (0) or a usage error (2), already printed
            return exc.code if isinstance(exc.code, int) else 2
        except ShegongError as exc:  # an option's value out of its range (`tui.cli.values`): bad input
            print(render_error(exc, _fields_by_option()), file=sys.stderr)
            return 1


def _run(args: argparse.Namespace, session: Session) -> int:
    try:
        handler = getattr(args, "handler", None)
        return handler(args, session) if handler is not None else open_app(session)
    except ShegongError as exc:
        print(render_error(exc, session.fields), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `shegong worker list | head`: the reader has gone, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        print(t("cli.error.os", path=exc.filename or session.db, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        session.close()


def open_app(session: Session) -> int:
    """No subcommand: the full-screen app on an existing registry (never creates one silently)."""
    if not registry_exists(session.db):
        raise CliError(msg("cli.error.no_registry", path=session.db))
    try:
        from tui.app import run_app
    except Exception as exc:  # the app is another package's; say what broke instead of a traceback
        raise CliError(msg("cli.error.no_app", reason=f"{type(exc).__name__}: {exc}")) from exc
    run_app(session.db, lang=session.lang, read_only=session.read_only)
    return 0


def _fields_by_option() -> Fields:
    """Each command's field labels keyed by option (`--birth-date`), which is how `ShegongParser`
    names a value refused while parsing, so the message reads 出生日期（--birth-date）."""
    out: dict[str, Field] = {}
    for command in COMMANDS:
        for field in getattr(command, "FIELDS", {}).values():
            if isinstance(field, Field) and field.option:
                out.setdefault(field.option, field)
    return out


def _early_language(arguments: Sequence[str]) -> str | None:
    """`--lang` read before parsing, so that help and usage errors are already in that language."""
    for i, arg in enumerate(arguments):
        value = None
        if arg == "--lang" and i + 1 < len(arguments):
            value = arguments[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return None


def _tolerate_narrow_terminals() -> None:
    """A terminal that cannot show Chinese gets `?` rather than a UnicodeEncodeError traceback."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and "utf" not in (stream.encoding or "").lower():
            stream.reconfigure(errors="replace")
