"""`shegong leave` and `shegong severance`: what national law under the local text gives a worker.

`leave` prints the year's paid annual leave (the local text's answer where it has one, national
law's otherwise) and, when asked, marriage or maternity leave; `severance` prints the economic
compensation owed if the worker's contract ends on a day, on a monthly pay the operator gives.
Every figure keeps its citation and reasons, as `explain` prints them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.i18n import t
from tui.cli import values
from tui.cli.errors import Field
from tui.cli.options import Session
from tui.cli.output import print_json, print_text
from tui.cli.rules_cmds import cite

if TYPE_CHECKING:
    from core.results import LeaveEntitlement, Reason, Severance
    from tui.cli.parser import ShegongParser

FIELDS = {
    "worker": Field("cli.field.worker_id", "--worker"),
    "year": Field("cli.field.year", "--year"),
    "married": Field("labour.field.married", "--married"),
    "birth": Field("labour.field.birth", "--birth"),
    "babies": Field("labour.field.babies", "--babies"),
    "end": Field("labour.field.end", "--end"),
    "monthly_pay": Field("labour.field.monthly_pay", "--monthly-pay"),
}


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    leave = subparsers.add_parser(
        "leave", parents=[common], help=t("labour.leave.help"), description=t("labour.leave.description")
    )
    leave.add_argument(
        "--worker", required=True, metavar="ID", type=values.record_id, help=t("cli.opt.worker")
    )
    leave.add_argument("--year", metavar="YYYY", type=values.year, help=t("labour.opt.year"))
    leave.add_argument("--married", metavar="YYYY-MM-DD", type=values.date, help=t("labour.opt.married"))
    leave.add_argument("--birth", metavar="YYYY-MM-DD", type=values.date, help=t("labour.opt.birth"))
    leave.add_argument("--difficult", action="store_true", help=t("labour.opt.difficult"))
    leave.add_argument("--babies", metavar="N", type=values.babies, default=1, help=t("labour.opt.babies"))
    leave.set_defaults(handler=run_leave)

    severance = subparsers.add_parser(
        "severance",
        parents=[common],
        help=t("labour.severance.help"),
        description=t("labour.severance.description"),
    )
    severance.add_argument(
        "--worker", required=True, metavar="ID", type=values.record_id, help=t("cli.opt.worker")
    )
    severance.add_argument(
        "--end", required=True, metavar="YYYY-MM-DD", type=values.date, help=t("labour.opt.end")
    )
    severance.add_argument(
        "--monthly-pay", required=True, metavar="AMOUNT", type=values.amount, help=t("labour.opt.monthly_pay")
    )
    severance.set_defaults(handler=run_severance)


def _reasons(reasons: tuple[Reason, ...], lang: str) -> list[str]:
    return [f"    · {r.text.render(lang)}" + (f"  {cite(r.citation)}" if r.citation else "") for r in reasons]


def _leave_lines(title: str, leave: LeaveEntitlement, lang: str) -> list[str]:
    return [
        t("labour.leave.line", lang, title=title, days=leave.days) + f"  {cite(leave.citation)}",
        *_reasons(leave.reasons, lang),
    ]


def run_leave(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    worker = session.registry().get_worker(args.worker)
    rules = session.rules()
    year = args.year if args.year is not None else dt.date.today().year
    results: dict[str, Any] = {"annual": rules.annual_leave(worker, year)}
    if args.married:
        results["marriage"] = rules.marriage_leave(worker, args.married)
    if args.birth:
        results["maternity"] = rules.maternity_leave(
            worker, args.birth, difficult=args.difficult, babies=args.babies
        )
    if session.json:
        print_json({"worker": worker.id, "year": year, **results}, session.lang)
        return 0
    lines = [t("labour.leave.title", session.lang, name=worker.name, id=worker.id, year=year)]
    for kind, leave in results.items():
        lines += _leave_lines(t(f"labour.leave.{kind}", session.lang), leave, session.lang)
    print_text("\n".join(lines))
    return 0


def run_severance(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    worker = session.registry().get_worker(args.worker)
    end: dt.date = args.end
    pay: Decimal = args.monthly_pay
    owed: Severance = session.rules().severance(worker, end, pay)
    if session.json:
        print_json({"worker": worker.id, "end": end, "severance": owed}, session.lang)
        return 0
    lines = [
        t("labour.severance.title", session.lang, name=worker.name, id=worker.id, end=end),
        t("labour.severance.amount", session.lang, amount=owed.amount, months=owed.months)
        + f"  {cite(owed.citation)}",
        *_reasons(owed.reasons, session.lang),
    ]
    print_text("\n".join(lines))
    return 0
