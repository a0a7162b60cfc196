"""`shegong payroll run|show|close|diff|list|pools`: the month's payroll as a record that can be closed.

`run` computes every worker's lines for a month and a scope (`--save` keeps them as the month's
working copy); `close` freezes the saved copy after a confirmation, and is refused while any
worker could not be computed or while the registry no longer gives the saved figures; once a
month is closed, `diff` recomputes it and shows what would change, so a paid payslip is never
rewritten without anyone noticing.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.errors import ValidationError
from core.i18n import current_language, msg, t
from core.payroll import (
    RUN_KIND,
    Difference,
    PayrollRun,
    WorkerPay,
    close_run,
    compare,
    compute_payroll,
    load_run,
    save_run,
    summary,
)
from core.pools import compute_pools, save_pools
from core.scope import Scope, describe_scope
from core.scope import describe_scope_text as scope_text_label
from core.storage.layout import display_time
from tui.cli import values
from tui.cli.labels import label_or
from tui.cli.options import CliError, Session
from tui.cli.output import format_table, print_json, print_text
from tui.cli.rules_cmds import (
    FIELDS,
    add_scope_options,
    cite,
    confirm,
    money,
    names_line,
    parse_month,
    pay_rows,
    scope_of,
    street_label,
)

if TYPE_CHECKING:
    from tui.cli.parser import ShegongParser


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    group = subparsers.add_parser(
        "payroll", help=t("cli.payroll.help"), description=t("cli.payroll.description")
    )
    actions = group.add_subparsers(
        dest="action",
        required=True,
        title=t("cli.group.actions"),
        metavar="ACTION",
        parser_class=ShegongParser,
    )

    run = actions.add_parser("run", parents=[common], help=t("cli.payroll.run.help"))
    run.add_argument("--month", required=True, type=values.month, metavar="YYYY-MM", help=t("cli.opt.month"))
    run.add_argument("--save", action="store_true", help=t("cli.payroll.opt.save"))
    add_scope_options(run)
    run.set_defaults(handler=run_run)

    show = actions.add_parser("show", parents=[common], help=t("cli.payroll.show.help"))
    show.add_argument("--month", required=True, type=values.month, metavar="YYYY-MM", help=t("cli.opt.month"))
    add_scope_options(show)
    show.set_defaults(handler=run_show)

    close = actions.add_parser("close", parents=[common], help=t("cli.payroll.close.help"))
    close.add_argument(
        "--month", required=True, type=values.month, metavar="YYYY-MM", help=t("cli.opt.month")
    )
    close.add_argument("--yes", action="store_true", help=t("cli.opt.yes"))
    add_scope_options(close)
    close.set_defaults(handler=run_close)

    diff = actions.add_parser("diff", parents=[common], help=t("cli.payroll.diff.help"))
    diff.add_argument("--month", required=True, type=values.month, metavar="YYYY-MM", help=t("cli.opt.month"))
    add_scope_options(diff)
    diff.set_defaults(handler=run_diff)

    lister = actions.add_parser("list", parents=[common], help=t("cli.payroll.list.help"))
    lister.set_defaults(handler=run_list)

    pools = actions.add_parser("pools", parents=[common], help=t("cli.payroll.pools.help"))
    pools.add_argument(
        "--year", required=True, type=values.year, metavar="YYYY", help=t("cli.payroll.opt.year")
    )
    pools.add_argument("--save", action="store_true", help=t("cli.payroll.opt.save"))
    add_scope_options(pools)
    pools.set_defaults(handler=run_pools)


# --- handlers ----------------------------------------------------------------------------------


def run_run(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    month = args.month
    registry = session.registry(write=args.save)
    scope = scope_of(args, session)
    fresh = compute_payroll(registry, session.rules(), month, scope)
    kept = load_run(registry, fresh.month, fresh.scope)
    if args.save:
        save_run(registry, fresh)  # refused for a closed month, naming who closed it
    if session.json:
        print_json(
            {"saved": bool(args.save), "summary": summary(fresh), "workers": workers_data(fresh, session)}
        )
        return 0
    out = [run_title(fresh), "", totals_table(fresh), "", run_footer(fresh)]
    if args.save:
        out.append(t("cli.payroll.saved", month=fresh.month, scope=describe_scope(scope)))
    elif kept is not None and kept.closed:
        out.append(
            t(
                "cli.payroll.closed_note",
                month=fresh.month,
                who=kept.closed_by,
                when=display_time(kept.closed_at),
            )
        )
    else:
        out.append(t("cli.payroll.not_saved", month=fresh.month))
    print_text("\n".join(out))
    return 0


def run_pools(args: argparse.Namespace, session: Session) -> int:
    """The year's pools (Beijing's bonus, Ningguo's performance pay), shared per unit."""
    session.fields = FIELDS
    registry = session.registry(write=args.save)
    scope = scope_of(args, session)
    run = compute_pools(registry, session.rules(), args.year, scope)
    if args.save:
        save_pools(registry, run)
    lang = session.lang
    if session.json:
        print_json(
            {
                "year": run.year,
                "scope": run.scope,
                "saved": bool(args.save),
                "total": str(run.total),
                "units": [
                    {
                        "unit": u.unit,
                        "jurisdiction": u.jurisdiction,
                        "total": str(u.total),
                        "error": u.error.get(lang) or None,
                        "shares": [
                            {
                                "worker_id": s.worker_id,
                                "name": s.name,
                                "community": s.community_id,
                                "amount": str(s.amount),
                                "citation": s.citation.as_data(lang),
                            }
                            for s in u.shares
                        ],
                    }
                    for u in run.units
                ],
            }
        )
        return 0
    out = [t("cli.payroll.pools.title", year=run.year, scope=describe_scope(scope))]
    for u in run.units:
        out += [
            "",
            t("cli.payroll.pools.unit", unit=street_label(*u.unit.split("/", 1)), total=money(u.total)),
        ]
        if u.error:
            out.append("  " + u.error.get(lang, next(iter(u.error.values()))))
            continue
        rows = [(s.worker_id, s.name, s.community_id, money(s.amount)) for s in u.shares]
        headers = [t(f"cli.col.{h}") for h in ("id", "worker_name", "community_id", "cash_total")]
        out.append(format_table(headers, rows))
        citations = sorted({cite(s.citation) for s in u.shares})
        out += [f"  {c}" for c in citations]
    if not run.units:
        out.append(t("cli.payroll.pools.none"))
    out += ["", t("cli.payroll.pools.total", total=money(run.total))]
    print_text("\n".join(out))
    return 0


def run_show(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    run = _saved(args, session)
    if session.json:
        data = summary(run) | {
            "computed_at": run.computed_at,
            "computed_by": run.computed_by,
            "closed_at": run.closed_at or None,
            "closed_by": run.closed_by or None,
            "parameters": run.parameters,
            "workers": workers_data(run, session),
        }
        print_json(data)
        return 0
    blocks = [run_title(run)]
    for w in run.workers:
        heading = t("cli.value.worker_heading_plain", name=w.name, id=w.worker_id, community=w.community_id)
        blocks.append("\n".join([heading, *lines_block(w, session.lang)]))
    blocks.append(run_footer(run))
    print_text("\n\n".join(blocks))
    return 0


def run_close(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    run = _saved(args, session)
    if run.closed:
        raise ValidationError(
            "month",
            msg(
                "payroll.closed",
                month=run.month,
                scope=scope_text_label(run.scope),
                who=run.closed_by,
                when=display_time(run.closed_at),
            ),
        )
    if run.failed:
        raise ValidationError(
            "month",
            msg(
                "cli.payroll.close_failed",
                month=run.month,
                count=len(run.failed),
                reasons="\n".join(failure_lines(run.failed, session.lang)),
                retry=_command("run", run) + " --save",
            ),
        )
    fresh = compute_payroll(registry, session.rules(), parse_month(run.month), Scope.parse(run.scope))
    changed = compare(run, fresh)
    if changed:
        raise CliError(
            msg(
                "cli.payroll.stale",
                month=run.month,
                count=len(changed),
                diff=_command("diff", run),
                retry=_command("run", run) + " --save",
            )
        )
    confirm(
        t(
            "cli.payroll.close_question",
            month=run.month,
            scope=scope_text_label(run.scope),
            workers=len(run.workers),
            total=money(run.total),
        ),
        yes=args.yes,
    )
    closed = close_run(registry, run)
    if session.json:
        print_json(summary(closed) | {"closed_at": closed.closed_at, "closed_by": closed.closed_by})
    else:
        print_text(
            t(
                "cli.payroll.closed",
                month=closed.month,
                scope=scope_text_label(closed.scope),
                workers=len(closed.workers),
                total=money(closed.total),
                who=closed.closed_by,
                when=display_time(closed.closed_at),
            )
        )
    return 0


def run_diff(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    run = _saved(args, session)
    fresh = compute_payroll(
        session.registry(), session.rules(), parse_month(run.month), Scope.parse(run.scope)
    )
    changes = compare(run, fresh)
    labels = _line_labels(run, fresh)
    if session.json:
        print_json(
            {
                "month": run.month,
                "scope": run.scope,
                "against": "closed" if run.closed else "saved",
                "closed_at": run.closed_at or None,
                "computed_at": run.computed_at,
                "differences": [difference_data(d, labels) for d in changes],
                "failed_now": [w.worker_id for w in fresh.failed],
            }
        )
        return 0
    key = "cli.payroll.diff_closed" if run.closed else "cli.payroll.diff_saved"
    out = [
        t(
            key,
            month=run.month,
            scope=scope_text_label(run.scope),
            when=display_time(run.closed_at or run.computed_at),
        )
    ]
    if not changes:
        out.append(t("cli.payroll.no_difference"))
    else:
        rows = [
            (
                d.worker_id,
                d.name,
                labels.get(d.code, d.code) if d.code != "*" else t("cli.payroll.worker_added_or_dropped"),
                money(d.before) if d.before is not None else "-",
                money(d.after) if d.after is not None else "-",
                _signed((d.after or Decimal(0)) - (d.before or Decimal(0))),
            )
            for d in changes
        ]
        headers = ["id", "worker_name", "item", "before", "after", "change"]
        out.append(format_table([t(f"cli.col.{h}") for h in headers], rows))
        before = run.total
        out.append(t("cli.payroll.diff_total", before=money(before), after=money(fresh.total)))
    if fresh.failed:
        out += [
            "",
            t("cli.payroll.failed_now", count=len(fresh.failed)),
            *failure_lines(fresh.failed, session.lang),
        ]
    print_text("\n".join(out))
    return 0


def run_list(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry()
    runs = []
    for key in registry.list_documents(RUN_KIND):
        month, _, scope = key.partition("@")
        run = load_run(registry, month, scope)
        if run is not None:
            runs.append(run)
    runs.sort(key=lambda r: (r.month, r.scope), reverse=True)
    if session.json:
        print_json(
            [
                summary(r) | {"computed_at": r.computed_at, "computed_by": r.computed_by,
                              "closed_at": r.closed_at or None, "closed_by": r.closed_by or None}
                for r in runs
            ]
        )  # fmt: skip
        return 0
    if not runs:
        print_text(t("cli.payroll.none_saved"))
        return 0
    rows = [
        (
            r.month,
            scope_text_label(r.scope),
            len(r.workers),
            len(r.failed),
            money(r.total),
            t("cli.payroll.state_closed", who=r.closed_by, when=display_time(r.closed_at)[:16])
            if r.closed
            else t("cli.payroll.state_saved", who=r.computed_by, when=display_time(r.computed_at)[:16]),
        )
        for r in runs
    ]
    headers = ["month", "scope", "workers", "failed", "cash_total", "state"]
    print_text(format_table([t(f"cli.col.{h}") for h in headers], rows))
    return 0


# --- helpers -----------------------------------------------------------------------------------


def _saved(args: argparse.Namespace, session: Session) -> PayrollRun:
    """The saved run for the month and scope the options name, or a refusal saying how to make it."""
    month = args.month
    scope = scope_of(args, session)
    registry = session.registry()
    session.jurisdictions()  # the plugins' catalogs: a stored line names its label by key
    run = load_run(registry, str(month), str(scope))
    if run is None:
        others = [k.replace("@", " ") for k in registry.list_documents(RUN_KIND) if k.startswith(f"{month}@")]
        raise ValidationError(
            "month",
            msg(
                "cli.payroll.no_run",
                month=str(month),
                scope=describe_scope(scope),
                others="、".join(others) or "-",
                command=_command("run", PayrollRun(str(month), str(scope), "", "", ())) + " --save",
            ),
        )
    return run


def _command(action: str, run: PayrollRun) -> str:
    """The command an operator types for this run's month and scope."""
    scope = Scope.parse(run.scope)
    if scope.community:
        where = f" --community {scope.community}"
    elif scope.street:
        where = f" --street {scope.district}/{scope.street}"
    elif scope.district:
        where = f" --district {scope.district}"
    else:
        where = ""
    return f"shegong payroll {action} --month {run.month}{where}"


def run_title(run: PayrollRun) -> str:
    state = "cli.payroll.title_closed" if run.closed else "cli.payroll.title"
    return t(
        state,
        month=run.month,
        scope=scope_text_label(run.scope),
        who=run.computed_by,
        when=display_time(run.computed_at),
    )


def totals_table(run: PayrollRun) -> str:
    rows = [
        (w.worker_id, w.name, w.community_id, t("cli.pay.failed_cell") if w.error else money(w.total))
        for w in run.workers
    ]
    headers = ["id", "worker_name", "community_id", "cash_total"]
    return format_table([t(f"cli.col.{h}") for h in headers], rows)


def run_footer(run: PayrollRun) -> str:
    key = "cli.pay.summary_failed" if run.failed else "cli.pay.summary"
    lines = [t(key, workers=len(run.workers), total=money(run.total), failed=len(run.failed))]
    by_street = run.totals_by("street")
    if len(by_street) > 1:
        counts: dict[str, int] = defaultdict(int)
        for w in run.workers:
            counts[f"{w.district}/{w.street}"] += 1
        rows = [(street_label(*k.split("/", 1)), counts[k], money(v)) for k, v in by_street.items()]
        lines += [
            "",
            format_table([t("cli.col.street"), t("cli.col.workers"), t("cli.col.cash_total")], rows),
        ]
    if run.failed:
        lines += ["", t("cli.pay.failed_title", count=len(run.failed))]
        lines += failure_lines(run.failed, None)
    return "\n".join(lines)


def failure_lines(failed: list[WorkerPay], lang: str | None) -> list[str]:
    """Failed workers grouped by reason, each reason once with who it stops."""
    groups: dict[str, list[str]] = defaultdict(list)
    for w in failed:
        reason = w.error.get(lang or current_language(), next(iter(w.error.values()), ""))
        groups[reason].append(t("cli.value.name_id", name=w.name, id=w.worker_id))
    out = []
    for reason, names in groups.items():
        out.append(f"  · {reason}")
        out.append("    " + t("cli.value.who", count=len(names), names=names_line(names)))
    return out


def lines_block(w: WorkerPay, lang: str) -> list[str]:
    if w.error:
        return ["  " + t("cli.pay.cannot_compute", reason=w.error.get(lang, ""))]
    return pay_rows(
        [
            (
                label_or(line.label_key, line.code),
                line.amount,
                line.cash,
                cite(line.citation),
            )
            for line in w.lines
        ],
        w.total,
    )


def workers_data(run: PayrollRun, session: Session) -> list[dict[str, Any]]:
    lang = session.lang
    return [
        {
            "worker_id": w.worker_id,
            "name": w.name,
            "community": w.community_id,
            "street": w.street,
            "district": w.district,
            "jurisdiction": w.jurisdiction,
            "lines": [
                {
                    "code": line.code,
                    "label": t(line.label_key, lang),
                    "amount": str(line.amount),
                    "citation": line.citation.as_data(lang),
                    "cash": line.cash,
                }
                for line in w.lines
            ],
            "total": None if w.error else str(w.total),
            "error": w.error.get(lang) if w.error else None,
        }
        for w in run.workers
    ]


def _line_labels(*runs: PayrollRun) -> dict[str, str]:
    out: dict[str, str] = {}
    for run in runs:
        for w in run.workers:
            for line in w.lines:
                out.setdefault(line.code, label_or(line.label_key, line.code))
    return out


def difference_data(d: Difference, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "worker_id": d.worker_id,
        "name": d.name,
        "code": d.code,
        "label": labels.get(d.code, d.code),
        "before": None if d.before is None else str(d.before),
        "after": None if d.after is None else str(d.after),
        "change": str((d.after or Decimal(0)) - (d.before or Decimal(0))),
    }


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + money(amount)
