"""`shegong init` and `shegong demo`: creating a registry, empty or filled with demo data.

Neither ever overwrites a registry: `init` refuses, and `demo --force` first renames the old one
(the new name is printed) so nothing is lost; if building the demo fails, the old one is put back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from typing import TYPE_CHECKING

from core.i18n import msg, t
from core.scoped import require
from tui.cli import backend, values
from tui.cli.errors import Field
from tui.cli.options import CliError, Session, registry_exists
from tui.cli.output import format_table, join, print_json, print_text

if TYPE_CHECKING:
    from tui.cli.parser import ShegongParser

FIELDS = {
    "workers": Field("cli.field.demo_workers", "--workers"),
    "seed": Field("cli.field.demo_seed", "--seed"),
    "today": Field("cli.field.demo_today", "--today"),
}


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    init = subparsers.add_parser(
        "init", parents=[common], help=t("cli.init.help"), description=t("cli.init.description")
    )
    init.set_defaults(handler=run_init)

    demo = subparsers.add_parser(
        "demo", parents=[common], help=t("cli.demo.help"), description=t("cli.demo.description")
    )
    demo.add_argument(
        "--workers", type=values.demo_workers, metavar="N", default="300", help=t("cli.demo.opt.workers")
    )
    demo.add_argument(
        "--seed", type=values.seed, metavar="S", default="20261125", help=t("cli.demo.opt.seed")
    )
    demo.add_argument("--today", type=values.date, metavar="DATE", help=t("cli.demo.opt.today"))
    demo.add_argument("--force", action="store_true", help=t("cli.demo.opt.force"))
    demo.set_defaults(handler=run_demo)


def run_init(args: argparse.Namespace, session: Session) -> int:
    if session.read_only:
        raise CliError(msg("cli.error.read_only", path=session.db))
    backend.init_registry(session.db).close()  # refuses a registry or someone's files already there
    if session.json:
        print_json({"path": str(session.db), "created": True})
    else:
        print_text(t("cli.init.done", path=session.db))
    return 0


def run_demo(args: argparse.Namespace, session: Session) -> int:
    from core.demo import build_demo

    session.fields = FIELDS
    if session.read_only:
        raise CliError(msg("cli.error.read_only", path=session.db))
    workers, seed = args.workers, args.seed
    today = args.today or dt.date.today()
    target = session.db
    replaced = None
    if registry_exists(target):
        if not args.force:
            raise CliError(msg("cli.demo.exists", path=target))
        require(session.registry(), "manage")  # replacing a shared registry is an admin's call
        session.close()
        replaced = target.with_name(f"{target.name}.replaced-{dt.datetime.now():%Y%m%d-%H%M%S}")
        target.rename(replaced)
    existed = target.exists()
    try:
        registry = backend.init_registry(target)
        try:
            summary = build_demo(registry, workers=workers, seed=seed, today=today)
        finally:
            registry.close()
    except BaseException:
        # leave no half-built demo behind, and put back the registry it was to replace
        if not existed:  # (a replaced registry was renamed away, so its path did not exist)
            shutil.rmtree(target, ignore_errors=True)
        if replaced is not None:
            replaced.rename(target)
        raise

    if session.json:
        print_json(
            {
                "path": str(target),
                "replaced": str(replaced) if replaced else None,
                "seed": summary.seed,
                "today": summary.today,
                "communities": summary.communities,
                "workers": summary.workers,
                "jurisdictions": {
                    k: {"communities": c, "workers": w} for k, (c, w) in summary.by_jurisdiction.items()
                },
                "skipped": list(summary.skipped),
                "params_written": list(summary.params_written),
                "params_unset": list(summary.params_unset),
            }
        )
        return 0
    lines = [
        t("cli.demo.done", path=target, communities=summary.communities, workers=summary.workers, seed=seed)
    ]
    if replaced:
        lines.append(t("cli.demo.replaced", path=replaced))
    lines.append("")
    rows = [(key, c, w) for key, (c, w) in summary.by_jurisdiction.items()]
    lines.append(
        format_table([t("cli.col.jurisdiction"), t("cli.col.communities"), t("cli.col.workers")], rows)
    )
    if summary.params_written:
        lines += [
            "",
            t("cli.demo.params", count=len(summary.params_written), path=summary.params_path or "-"),
        ]
    if summary.params_unset:
        lines.append(t("cli.demo.params_unset", names=join(summary.params_unset)))
    if summary.skipped:
        lines.append(t("cli.demo.skipped", keys=join(summary.skipped)))
    print_text("\n".join(lines))
    return 0
