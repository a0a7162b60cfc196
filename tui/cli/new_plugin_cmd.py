"""`shegong new-plugin KEY [--dir PATH]`: write a ready jurisdiction plugin package to start from.

Needs no registry. The installed jurisdictions are read only to refuse a key that is taken and to
check the parent a dotted key extends.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from core.i18n import t
from core.sdk.scaffold import create_plugin, default_directory, package_name
from tui.cli.options import Session
from tui.cli.output import print_json, print_text

if TYPE_CHECKING:
    from tui.cli.parser import ShegongParser


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    parser = subparsers.add_parser(
        "new-plugin",
        parents=[common],
        help=t("cli.new_plugin.help"),
        description=t("cli.new_plugin.description"),
    )
    parser.add_argument("key", metavar="KEY", help=t("cli.new_plugin.opt.key"))
    parser.add_argument("--dir", metavar="PATH", dest="target", help=t("cli.new_plugin.opt.dir"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from core.jurisdictions import Jurisdictions

    installed = Jurisdictions()
    installed.load_entry_points()
    target = Path(args.target) if args.target else default_directory(args.key)
    written = create_plugin(args.key, target, installed.keys)
    if session.json:
        print_json({"key": args.key, "directory": str(target), "files": [str(p) for p in written]})
        return 0
    lines = [t("cli.new_plugin.done", key=args.key, path=str(target), count=len(written))]
    lines += [f"  {p.relative_to(target)}" for p in written]
    lines += ["", t("cli.new_plugin.next", path=str(target), key=args.key, package=package_name(args.key))]
    print_text("\n".join(lines))
    return 0
