"""Findings about one Ningguo worker on a given day.

- Posts: a post the text does not name, or none at all, stops pay and staffing: say so.
- Grids (第6条): 两委正职 are 网格长; everyone else is a 网格员 with at least 15 hours a week in the
  grid. The product records no hours, so this is information for the operator.
- Contract (第13条): hired workers sign a labour contract with the street, "一般五年一签": missing,
  expired, about to end (warning `contract.warn_days` ahead unless a renewal is on file), or not five
  years long (information: "一般" allows it).
- Exit (第14条): "连续两年考核不合格" (1); "连续旷工15天或年累计30天" (2) — the text says no 以上 or
  超过, so reaching the number counts; days off work count working days under China's holiday
  calendar, and a run joins records separated only by days not worked (`core.absence`); a warning
  comes `exit.absence.warn_margin_days` before; a run is looked for in the year up to the day, the
  yearly total per `exit.absence.year_basis`; a line crossed in an earlier calendar year stays
  reported with its year (there is no way yet to mark a finding resolved);
  "达到退休年龄" (7) — reached, or near (for a Party secretary, with 第13条's duty to report ahead);
  the women Party secretaries' extension: eligible without a recorded decision, or a decision the
  records do not support.
- Health check (第17条): "每2年至少参加1次体检" — overdue the day after two years have passed.
- Reserve pay (第15条): an anniversary passed without a new grade held the rate: say which grade.
"""

from __future__ import annotations

import datetime as dt

from core.absence import longest_run, working_absence_days, working_runs, years_of_record
from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import AbsenceKind, ContractKind, Entry, Grade, Worker, add_months
from core.params import in_force_from
from core.results import Finding, Severity
from core.rulekit import contract_state, usual_term
from plugins.ningguo.common import cite, in_service, text_param
from plugins.ningguo.posts import RESERVE, is_principal, unknown_posts
from plugins.ningguo.reserve import hire_date, schedule
from plugins.ningguo.retirement import SECRETARY, extension_check, extension_decision, retirement, statutory

YEAR_BASES = ("calendar", "rolling")


def worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    if not in_service(worker, on):
        return []
    subject = f"worker:{worker.id}"
    out = _post_findings(worker, on, ctx, subject)
    out += _contract_findings(worker, on, ctx, subject)
    out += _absence_findings(worker, on, ctx, subject)
    out += _grade_findings(worker, on, ctx, subject)
    out += _retirement_findings(worker, on, ctx, subject)
    out += _health_findings(worker, on, ctx, subject)
    out += _reserve_findings(worker, on, ctx, subject)
    return out


def _post_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    held = worker.posts_on(on)
    bad = unknown_posts(held)
    if bad:
        return [
            Finding(
                "unknown_post",
                Severity.ERROR,
                msg("ningguo.error.unknown_post", post=", ".join(bad)),
                cite(1),
                subject,
                inputs={"posts": bad},
            )
        ]
    if not held:
        return [Finding("no_post", Severity.WARNING, msg("ningguo.finding.no_post"), cite(1), subject)]
    if is_principal(worker, on):
        return [Finding("grid_leader", Severity.INFO, msg("ningguo.finding.grid_leader"), cite(6), subject)]
    hours = ctx.params.integer("grid.min_hours_per_week", on)
    return [
        Finding(
            "grid_member",
            Severity.INFO,
            msg("ningguo.finding.grid_member", hours=hours),
            cite(6),
            subject,
            inputs={"min_hours_per_week": hours},
        )
    ]


def _contract_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    state = contract_state(worker, (ContractKind.LABOUR,), on)
    contract = state.current
    if contract is None:
        if worker.entry != Entry.HIRED and not state.contracts:
            return []  # elected 两委 members: the text asks a contract of those it hires
        if state.last_ended is not None:
            last = state.last_ended
            return [
                Finding(
                    "contract_expired",
                    Severity.ERROR,
                    msg("ningguo.finding.contract_expired", end=last.end),
                    cite(13),
                    subject,
                    due=last.end,
                    inputs={"end": last.end},
                )
            ]
        return [
            Finding(
                "contract_missing",
                Severity.WARNING,
                msg("ningguo.finding.contract_missing"),
                cite(13),
                subject,
            )
        ]
    out = []
    years = ctx.params.integer("contract.term_years", on)
    if not usual_term(contract, 12 * years):
        out.append(
            Finding(
                "contract_term_unusual",
                Severity.INFO,
                msg(
                    "ningguo.finding.contract_term",
                    start=contract.start,
                    end=contract.end or "-",
                    years=years,
                ),
                cite(13),
                subject,
                inputs={"start": contract.start, "end": contract.end, "term_years": years},
            )
        )
    left = state.days_left(on)
    if contract.end is not None and left is not None:
        warn = ctx.params.integer("contract.warn_days", on)
        if not state.renewed and left <= warn:
            out.append(
                Finding(
                    "contract_expiring",
                    Severity.WARNING,
                    msg("ningguo.finding.contract_expiring", end=contract.end, days=left),
                    cite(13),
                    subject,
                    due=contract.end,
                    inputs={"end": contract.end, "days_left": left, "warn_days": warn},
                )
            )
    return out


def _absence_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    """五、14(2) "连续旷工15天或年累计30天", in working days (core.absence): the current year (or the
    365 days to `on` under the rolling basis) with warnings, each earlier calendar year's line
    crossed still reported with its year."""
    calendar = ctx.params.calendar
    run_limit = ctx.params.integer("exit.absence.run_days", on)
    year_limit = ctx.params.integer("exit.absence.year_days", on)
    margin = ctx.params.integer("exit.absence.warn_margin_days", on)
    basis = text_param(ctx, "exit.absence.year_basis", on, YEAR_BASES)
    # Days before the text took effect are not judged by it.
    since = in_force_from(ctx.params, "exit.absence.run_days", dt.date(1900, 1, 1))
    runs = working_runs(worker, AbsenceKind.UNEXCUSED, calendar, since, on)
    last_year = on - dt.timedelta(days=364)
    out = []
    for year in years_of_record(worker, AbsenceKind.UNEXCUSED, on):
        current = year == on.year
        first, end = max(dt.date(year, 1, 1), since), min(dt.date(year, 12, 31), on)
        if first > end:
            continue
        if current:
            # a run counts at its full length when it ends within the last 365 days
            run = longest_run(r for r in runs if r.last >= last_year)
            start = dt.date(on.year, 1, 1) if basis == "calendar" else last_year
            total = working_absence_days(worker, AbsenceKind.UNEXCUSED, max(start, since), on, calendar)
        else:
            run = longest_run(r for r in runs if r.last.year == year)
            start = first
            total = working_absence_days(worker, AbsenceKind.UNEXCUSED, first, end, calendar)
        days = run.days if run is not None else 0
        for code, value, limit, key in (
            ("absence_run", days, run_limit, "run"),
            ("absence_year", total, year_limit, "year"),
        ):
            facts: dict[str, object] = {"days": value, "limit": limit, "year": year, "unit": "working_days"}
            if key == "year":
                facts |= {"from": start, "to": end}
            elif run is not None:
                facts |= {"from": run.first, "to": run.last}
            if value >= limit:
                out.append(
                    Finding(
                        f"exit_{code}",
                        Severity.ERROR,
                        msg(f"ningguo.finding.exit_{code}", days=value, limit=limit, year=year),
                        cite(14, "(2)"),
                        subject,
                        inputs=facts,
                    )
                )
            elif current and value > 0 and value >= limit - margin:
                out.append(
                    Finding(
                        f"{code}_near",
                        Severity.WARNING,
                        msg(f"ningguo.finding.{code}_near", days=value, limit=limit, year=year),
                        cite(14, "(2)"),
                        subject,
                        inputs=facts,
                    )
                )
    return out


def _grade_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    needed = ctx.params.integer("exit.unqualified_years", on)
    graded = sorted(
        a.year for a in worker.assessments if a.period == "year_end" and a.grade and a.year <= on.year
    )
    if not graded:
        return []
    last = graded[-1]
    span = range(last - needed + 1, last + 1)
    if all(worker.grade_for(y) == Grade.UNQUALIFIED for y in span):
        return [
            Finding(
                "exit_unqualified_years",
                Severity.ERROR,
                msg("ningguo.consequence.exit_unqualified", years=needed, first=span[0], last=last),
                cite(14, "(1)"),
                subject,
                inputs={"years": list(span)},
            )
        ]
    return []


def _retirement_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    result = retirement(worker, ctx)
    warn = ctx.params.integer("retirement.warn_days", on)
    out = []
    facts = {"date": result.date, "age": f"{result.age_years}y{result.age_months}m"}
    if result.date <= on:
        out.append(
            Finding(
                "retirement_reached",
                Severity.ERROR,
                msg("ningguo.finding.retirement_reached", date=result.date),
                cite(14, "(7)"),
                subject,
                due=result.date,
                inputs=facts,
            )
        )
    elif (result.date - on).days <= warn:
        secretary = SECRETARY in worker.posts_on(on)
        out.append(
            Finding(
                "secretary_retirement_report" if secretary else "retirement_near",
                Severity.WARNING,
                msg(
                    "ningguo.finding.secretary_retirement"
                    if secretary
                    else "ningguo.finding.retirement_near",
                    date=result.date,
                ),
                cite(13) if secretary else cite(14, "(7)"),
                subject,
                due=result.date,
                inputs=facts,
            )
        )
    base = statutory(worker, ctx)[0]
    check = extension_check(worker, base.date, ctx)
    decision = extension_decision(worker)
    # Worth saying until she passes the highest age she could stay to: the application may be under way.
    latest = add_months(
        worker.birth_date, 12 * ctx.params.integer("retirement.extension.age_exceptional", on)
    )
    if check is not None and check.eligible and decision is None and on < latest:
        out.append(
            Finding(
                "retirement_extension_eligible",
                Severity.INFO,
                msg("ningguo.finding.extension_eligible", date=base.date),
                cite(14, "(7)"),
                subject,
                due=base.date,
                inputs=check.inputs,
            )
        )
    if decision is not None and (check is None or not check.eligible):
        out.append(
            Finding(
                "retirement_extension_unsupported",
                Severity.WARNING,
                msg("ningguo.finding.extension_unsupported", day=decision.decided_on),
                cite(14, "(7)"),
                subject,
                inputs={"decision": decision.kind, **(check.inputs if check is not None else {})},
            )
        )
    return out


def _health_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    months = ctx.params.integer("health.interval_months", on)
    warn = ctx.params.integer("health.warn_days", on)
    past = [d for d in worker.health_checks if d <= on]
    last = max(past) if past else None
    due = add_months(last if last is not None else worker.service_start, months)
    facts = {"last": last, "due": due, "interval_months": months}
    if on > due:
        return [
            Finding(
                "health_check_overdue",
                Severity.WARNING,
                msg("ningguo.finding.health_overdue", last=last, due=due)
                if last is not None
                else msg("ningguo.finding.health_overdue_never", due=due),
                cite(17),
                subject,
                due=due,
                inputs=facts,
            )
        ]
    if (due - on).days <= warn:
        return [
            Finding(
                "health_check_due",
                Severity.INFO,
                msg("ningguo.finding.health_due", last=last, due=due)
                if last is not None
                else msg("ningguo.finding.health_due_never", due=due),
                cite(17),
                subject,
                due=due,
                inputs=facts,
            )
        ]
    return []


def _reserve_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    hire = hire_date(worker)
    if hire is None or RESERVE not in worker.posts_on(on):
        return []
    try:
        latest = schedule(worker, hire, on, ctx)[-1]
    except ValidationError:
        return []  # a broken rate table is reported by the pay run that needs it
    if not latest.missing_grade:
        return []
    return [
        Finding(
            "reserve_grade_missing",
            Severity.WARNING,
            msg("ningguo.finding.reserve_grade_missing", day=latest.start, year=latest.start.year - 1),
            cite(15),
            subject,
            due=latest.start,
            inputs={"anniversary": latest.start, "hire": hire},
        )
    ]
