"""`shegong template|import|export`: the office's spreadsheets in and out (`core.tabular`).

`template` writes an empty sheet with the columns an import reads; `import` checks every row
first and writes nothing unless every row is good (or `--skip-bad`), printing the report (file,
row, column, value, what is wrong and how to fix it); `export` writes the roster, a month's
payroll, an assessment round, the staffing review, the forecast or the alerts. Resident IDs and
phone numbers are masked in an exported roster unless `--full-ids`. An existing file is never
replaced without `--force`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.i18n import msg, t
from core.privacy import shown_to
from core.record_checks import posts_by_jurisdiction
from core.scoped import require
from core.tabular.report import ImportResult
from tui.cli import values
from tui.cli.options import CliError, Session
from tui.cli.output import print_json, print_text
from tui.cli.rules_cmds import (
    FIELDS,
    add_on_option,
    add_scope_options,
    parse_on,
    parse_period,
    parse_severity,
    scope_of,
)

if TYPE_CHECKING:
    from core.hookspecs import Vocabulary
    from tui.cli.parser import ShegongParser

KINDS = ("workers", "communities")
EXPORTS = ("roster", "payroll", "round", "staffing", "forecast", "alerts")
PROGRESS_FROM = 1000  # progress steps (twice the rows) from which an import reports its progress


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    template = subparsers.add_parser(
        "template", parents=[common], help=t("cli.template.help"), description=t("cli.template.description")
    )
    template.add_argument(
        "kind", choices=KINDS, metavar="workers|communities", help=t("cli.template.opt.kind")
    )
    template.add_argument("file", metavar="FILE", help=t("cli.template.opt.file"))
    template.add_argument("--force", action="store_true", help=t("cli.tabular.opt.force"))
    template.set_defaults(handler=run_template)

    importer = subparsers.add_parser(
        "import", parents=[common], help=t("cli.import.help"), description=t("cli.import.description")
    )
    importer.add_argument("kind", choices=KINDS, metavar="workers|communities", help=t("cli.import.opt.kind"))
    importer.add_argument("file", metavar="FILE", help=t("cli.import.opt.file"))
    importer.add_argument("--skip-bad", action="store_true", help=t("cli.import.opt.skip_bad"))
    importer.add_argument(
        "--accept-unknown-region", action="store_true", help=t("records.cli.opt.accept_region")
    )
    importer.set_defaults(handler=run_import)

    exporter = subparsers.add_parser(
        "export", help=t("cli.export.help"), description=t("cli.export.description")
    )
    kinds = exporter.add_subparsers(
        dest="what", required=True, title=t("cli.export.group"), metavar="WHAT", parser_class=ShegongParser
    )

    def target(parser: ShegongParser) -> None:
        parser.add_argument("file", metavar="FILE", help=t("cli.export.opt.file"))
        parser.add_argument("--force", action="store_true", help=t("cli.tabular.opt.force"))

    roster = kinds.add_parser("roster", parents=[common], help=t("cli.export.roster.help"))
    target(roster)
    roster.add_argument("--full-ids", action="store_true", help=t("cli.export.opt.full_ids"))
    add_scope_options(roster)
    roster.set_defaults(handler=run_export, _export=export_roster)

    payroll = kinds.add_parser("payroll", parents=[common], help=t("cli.export.payroll.help"))
    target(payroll)
    payroll.add_argument(
        "--month", required=True, type=values.month, metavar="YYYY-MM", help=t("cli.opt.month")
    )
    add_scope_options(payroll)
    payroll.set_defaults(handler=run_export, _export=export_payroll)

    round_ = kinds.add_parser("round", parents=[common], help=t("cli.export.round.help"))
    target(round_)
    round_.add_argument("--year", required=True, type=values.year, metavar="YYYY", help=t("cli.opt.year"))
    round_.add_argument("--period", metavar="half_year|year_end", help=t("cli.opt.period"))
    add_scope_options(round_)
    round_.set_defaults(handler=run_export, _export=export_round)

    staffing = kinds.add_parser("staffing", parents=[common], help=t("cli.export.staffing.help"))
    target(staffing)
    add_scope_options(staffing)
    add_on_option(staffing)
    staffing.set_defaults(handler=run_export, _export=export_staffing)

    forecast = kinds.add_parser("forecast", parents=[common], help=t("cli.export.forecast.help"))
    target(forecast)
    forecast.add_argument(
        "--months", required=True, type=values.months, metavar="N", help=t("cli.forecast.opt.months")
    )
    add_scope_options(forecast)
    add_on_option(forecast)
    forecast.set_defaults(handler=run_export, _export=export_forecast)

    alerts = kinds.add_parser("alerts", parents=[common], help=t("cli.export.alerts.help"))
    target(alerts)
    alerts.add_argument("--severity", metavar="info|warning|error", help=t("cli.findings.opt.severity"))
    add_scope_options(alerts)
    add_on_option(alerts)
    alerts.set_defaults(handler=run_export, _export=export_alerts)


# --- template and import -------------------------------------------------------------------------


def _free(path: Path, force: bool) -> None:
    """An existing file is an operator's work: replaced only when they say so."""
    if path.exists() and not force:
        raise CliError(msg("cli.tabular.exists", path=path))


def run_template(args: argparse.Namespace, session: Session) -> int:
    from core.tabular import write_template

    path = Path(args.file).expanduser()
    _free(path, args.force)
    written = write_template(args.kind, path, session.lang)
    if session.json:
        print_json({"kind": args.kind, "file": str(written)})
    else:
        print_text(t(f"cli.template.done.{args.kind}", path=written))
    return 0


def run_import(args: argparse.Namespace, session: Session) -> int:
    from core.tabular import import_communities, import_workers

    registry = session.registry(write=True)
    path = Path(args.file).expanduser()
    require(registry, "change", "worker" if args.kind == "workers" else "community", path.name)
    js = session.jurisdictions()
    progress = Progress(t("cli.import.progress", file=path.name))
    if args.kind == "workers":
        posts: list[Vocabulary] = [v for key in js.keys for v in js.vocabulary(key, "posts").values()]
        result = import_workers(
            registry,
            path,
            skip_bad=args.skip_bad,
            progress=progress,
            lang=session.lang,
            posts=posts,
            accept_unknown_region=args.accept_unknown_region,
            jurisdiction_posts=posts_by_jurisdiction(js),
        )
    else:
        known = set(js.keys)
        result = import_communities(
            registry,
            path,
            jurisdictions=lambda key: key in known,
            skip_bad=args.skip_bad,
            progress=progress,
            lang=session.lang,
        )
    progress.finish()
    if session.json:
        print_json(import_data(result, session.lang))
    else:
        from core.tabular import render_report

        report = render_report(result, session.lang)
        if result.refused and result.bad and not args.skip_bad:
            report += "\n" + t("cli.import.skip_hint", kind=args.kind, file=args.file)
        print_text(report, stream=sys.stderr if result.refused else None)
    return 1 if result.refused else 0


def import_data(result: ImportResult, lang: str) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "file": str(result.path),
        "rows": result.rows,
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "bad": result.bad,
        "written": result.written,
        "refused": result.refused,
        "problems": [
            {
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "problem": p.problem.render(lang),
                "fix": p.fix.render(lang),
                "field": p.field,
            }
            for p in result.problems
        ],
        "warnings": [
            {"row": p.row, "column": p.column, "value": p.value, "problem": p.problem.render(lang)}
            for p in result.warnings
        ],
        "ignored_columns": list(result.ignored_columns),
        "examples_skipped": result.examples_skipped,
        "errors_file": str(result.report_path) if result.report_path else None,
    }


class Progress:
    """`progress(done, total)` for a long import: one updating line on a terminal, a line per
    quarter otherwise; silent for small files."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False
        self.quarter = -1
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        percent = 100 * done // max(total, 1)
        if self.tty:
            print(f"\r{self.label} {percent}%", end="", file=sys.stderr, flush=True)
            self.shown = True
        elif percent // 25 > self.quarter:
            self.quarter = percent // 25
            print(f"{self.label} {percent}%", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.shown:
            print(file=sys.stderr)


# --- export ----------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    path = Path(args.file).expanduser()
    _free(path, args.force)
    done: str = args._export(args, session, path)
    if session.json:
        print_json({"what": args.what, "file": str(path), "message": done})
    else:
        print_text(done)
    return 0


def export_roster(args: argparse.Namespace, session: Session, path: Path) -> str:
    from core.tabular import export_roster as write

    scope = scope_of(args, session)
    count = write(session.registry(), path, scope=scope, lang=session.lang, full_ids=args.full_ids)
    key = "cli.export.roster_full" if args.full_ids else "cli.export.roster_masked"
    return t(key, count=count, path=path)


def export_payroll(args: argparse.Namespace, session: Session, path: Path) -> str:
    from core.payroll import compute_payroll, load_run
    from core.tabular import export_payroll as write

    month = args.month
    scope = scope_of(args, session)
    registry = session.registry()
    session.jurisdictions()  # the plugins' catalogs, for the lines' labels
    run = load_run(registry, str(month), str(scope))
    if run is None:
        run = compute_payroll(registry, session.rules(), month, scope)
        state = t("cli.export.payroll_fresh")
    else:
        state = t("cli.export.payroll_closed" if run.closed else "cli.export.payroll_saved")
    names = {c.id: c.name for c in registry.communities()}
    write(run, path, lang=session.lang, names=names)
    return t("cli.export.payroll_done", month=run.month, count=len(run.workers), state=state, path=path)


def export_round(args: argparse.Namespace, session: Session, path: Path) -> str:
    from core.assessment import load_round
    from core.tabular import export_round as write

    year, period = args.year, parse_period(args.period)
    scope = scope_of(args, session)
    session.jurisdictions()
    r = load_round(session.registry(), year, period, str(scope))
    if r is None:
        from core.scope import describe_scope

        raise CliError(msg("cli.export.no_round", year=year, period=t(f"ui.enum.period.{period}"),
                           scope=describe_scope(scope)))  # fmt: skip
    write(r, path, lang=session.lang)
    return t("cli.export.done", count=len(r.entries), path=path)


def export_staffing(args: argparse.Namespace, session: Session, path: Path) -> str:
    from core.review import staffing_review
    from core.tabular import export_staffing as write

    on = parse_on(args)
    rows = staffing_review(session.registry(), session.rules(today=on), scope_of(args, session), on)
    write(rows, path, lang=session.lang)
    return t("cli.export.done", count=len(rows), path=path)


def export_forecast(args: argparse.Namespace, session: Session, path: Path) -> str:
    from core.review import forecast
    from core.tabular import export_forecast as write

    months = args.months
    on = parse_on(args)
    registry = session.registry()
    due, problems = forecast(registry, session.rules(today=on), scope_of(args, session), on, months)
    write(due, problems, path, lang=session.lang, shown=shown_to(registry))
    return t("cli.export.done", count=len(due) + len(problems), path=path)


def export_alerts(args: argparse.Namespace, session: Session, path: Path) -> str:
    from core.review import alerts
    from core.tabular import export_alerts as write

    on = parse_on(args)
    registry = session.registry()
    found = alerts(registry, session.rules(today=on), scope_of(args, session), on)
    if args.severity:
        minimum = parse_severity(args.severity)
        found = [f for f in found if f.severity.rank >= minimum.rank]
    write(found, path, lang=session.lang, shown=shown_to(registry))
    return t("cli.export.done", count=len(found), path=path)
