"""`shegong review staffing`, `shegong forecast` and `shegong alerts`: the office's periodic reviews.

`review staffing` lists only the communities out of line (short, over, or not computable) with
the street totals, where `staffing` lists every one; `forecast` lists who reaches retirement, a
contract end or the end of probation in the coming months, each with its date and rule; `alerts`
is every compliance finding in scope, most severe first. They read and never write.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.i18n import t
from core.model import add_months
from core.privacy import shown_to
from core.report import to_data
from core.scope import describe_scope
from tui.cli import values
from tui.cli.options import Session
from tui.cli.output import format_table, print_json, print_text
from tui.cli.rules_cmds import (
    FIELDS,
    Notes,
    add_on_option,
    add_scope_options,
    cite,
    findings_data,
    out_of_line,
    parse_on,
    parse_severity,
    render_findings,
    render_staffing,
    scope_of,
    staffing_data,
)

if TYPE_CHECKING:
    from core.review import Due
    from tui.cli.parser import ShegongParser


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    review = subparsers.add_parser(
        "review", help=t("cli.review.help"), description=t("cli.review.description")
    )
    actions = review.add_subparsers(
        dest="action",
        required=True,
        title=t("cli.group.actions"),
        metavar="ACTION",
        parser_class=ShegongParser,
    )
    staffing = actions.add_parser("staffing", parents=[common], help=t("cli.review.staffing.help"))
    add_scope_options(staffing)
    add_on_option(staffing)
    staffing.set_defaults(handler=run_review_staffing)

    forecast = subparsers.add_parser(
        "forecast", parents=[common], help=t("cli.forecast.help"), description=t("cli.forecast.description")
    )
    forecast.add_argument(
        "--months", required=True, type=values.months, metavar="N", help=t("cli.forecast.opt.months")
    )
    add_scope_options(forecast)
    add_on_option(forecast)
    forecast.set_defaults(handler=run_forecast)

    alerts = subparsers.add_parser(
        "alerts", parents=[common], help=t("cli.alerts.help"), description=t("cli.alerts.description")
    )
    add_scope_options(alerts)
    add_on_option(alerts)
    alerts.add_argument("--severity", metavar="info|warning|error", help=t("cli.findings.opt.severity"))
    alerts.set_defaults(handler=run_alerts)


def run_review_staffing(args: argparse.Namespace, session: Session) -> int:
    from core.review import staffing_review

    session.fields = FIELDS
    on = parse_on(args)
    scope = scope_of(args, session)
    rows = staffing_review(session.registry(), session.rules(today=on), scope, on)
    lexicon = session.lexicon()
    if session.json:
        data = staffing_data(rows, lexicon, session.lang)
        flagged = {r.community.id for r in rows if out_of_line(r, lexicon)}
        data["communities"] = [c for c in data["communities"] if c["community_id"] in flagged]
        print_json(data)
        return 0
    title = t("cli.review.staffing_title", scope=describe_scope(scope), on=on)
    print_text(render_staffing(rows, lexicon, title=title, only_out_of_line=True))
    return 0


def run_forecast(args: argparse.Namespace, session: Session) -> int:
    from core.review import forecast

    session.fields = FIELDS
    months = args.months
    today = parse_on(args)
    scope = scope_of(args, session)
    registry = session.registry()
    due, problems = forecast(registry, session.rules(today=today), scope, today, months)
    shown = shown_to(registry)
    communities = {c.id: c for c in registry.communities()}
    until = add_months(today, months)
    if session.json:
        print_json(
            {
                "from": today.isoformat(),
                "until": until.isoformat(),
                "due": [
                    shown(d, to_data(d, session.lang)) | {"community_name": _community_name(d, communities)}
                    for d in due
                ],
                "problems": findings_data(problems, session),
            }
        )
        return 0
    notes = Notes()
    rows = [
        (
            shown(d, d.date),
            t(f"cli.forecast.kind.{d.kind}"),
            d.worker_id,
            d.name,
            _community_name(d, communities),
            notes.mark(shown(d, d.detail[0].render()) if d.detail else "", cite(d.citation)),
        )
        for d in due
    ]
    headers = ["date", "event", "id", "worker_name", "community", "basis"]
    out = [
        t("cli.forecast.title", scope=describe_scope(scope), start=today, end=until, count=len(due)),
        format_table([t(f"cli.col.{h}") for h in headers], rows),
    ]
    counts = {kind: sum(1 for d in due if d.kind == kind) for kind in ("retirement", "contract", "probation")}
    out.append(t("cli.forecast.counts", **counts))
    if notes.render():
        out += ["", notes.render()]
    if problems:
        out += ["", render_findings(problems, session, title=t("cli.forecast.problems", count=len(problems)))]
    print_text("\n".join(out))
    return 0


def _community_name(d: Due, communities: dict[str, Any]) -> str:
    c = communities.get(d.community_id)
    return c.name if c is not None else d.community_id


def run_alerts(args: argparse.Namespace, session: Session) -> int:
    from core.review import alerts

    session.fields = FIELDS
    on = parse_on(args)
    scope = scope_of(args, session)
    found = alerts(session.registry(), session.rules(today=on), scope, on)
    if args.severity:
        minimum = parse_severity(args.severity)
        found = [f for f in found if f.severity.rank >= minimum.rank]
    if session.json:
        print_json(findings_data(found, session))
        return 0
    print_text(
        render_findings(found, session, title=t("cli.alerts.title", scope=describe_scope(scope), on=on))
    )
    return 0
