"""Findings about one Wenzhou worker: the yearly labour contract and the pay floor (第十九条).

An open-ended contract goes against 一年一聘 unless national law makes it the worker's due
(劳动合同法 第十四条: ten years' continuous service or two consecutive fixed terms): then it is
not flagged.

"一年一聘 … 按照劳动法的有关规定签订劳动合同": every full-time worker, elected or hired, has a
labour contract, renewed each year. "确保其年收入不低于当地上一年的职工平均工资（含规模以上私营
单位）水平": the year's income is the cash pay of the year's twelve months (`pay.year_pay`: as the
records stand, months to come included, so a raise in July counts for half the year), compared with
the previous year's average wage, read from `pay.floor.average_wage`, a table keyed by the
statistical year (`{ "2025" = "…" }`). A worker who served part of the year is held to the floor pro
rata: average wage × months served ÷ 12, a part month counting its share of the month. A pay or
floor figure that is not set yet becomes an info finding naming it, so the contract findings still
show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import ContractKind, Worker, add_months
from core.results import Finding, Severity, round_money
from core.rulekit import contract_state
from plugins.national.contract import entitlement
from plugins.wenzhou.common import cite, in_service
from plugins.wenzhou.pay import year_pay
from plugins.wenzhou.tables import amount, table

AVERAGE_WAGE = "pay.floor.average_wage"


def contract_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    subject = f"worker:{worker.id}"
    state = contract_state(worker, (ContractKind.LABOUR,), on)
    contract = state.current
    if contract is None:
        if state.last_ended is not None:
            last = state.last_ended
            return [
                Finding(
                    "contract_expired",
                    Severity.ERROR,
                    msg("wenzhou.finding.contract_expired", end=last.end),
                    cite("第十九条 第一款"),
                    subject,
                    due=last.end,
                    inputs={"end": last.end},
                )
            ]
        return [
            Finding(
                "contract_missing",
                Severity.WARNING,
                msg("wenzhou.finding.contract_missing"),
                cite("第十九条 第一款"),
                subject,
            )
        ]
    months = ctx.params.integer("contract.term_months", on)
    out = []
    longest_end = add_months(contract.start, months) - dt.timedelta(days=1)
    too_long = contract.end is None or contract.end > longest_end
    if too_long and not (contract.end is None and open_ended_lawful(worker, on, ctx)):
        out.append(
            Finding(
                "contract_longer_than_one_year",
                Severity.WARNING,
                msg(
                    "wenzhou.finding.contract_too_long",
                    start=contract.start,
                    end=contract.end or "-",
                    months=months,
                ),
                cite("第十九条 第一款"),
                subject,
                inputs={"start": contract.start, "end": contract.end, "term_months": months},
            )
        )
    left = state.days_left(on)
    if contract.end is not None and left is not None:
        warn = ctx.params.integer("contract.warn_days", on)
        # A renewal already signed (a later labour contract starting by the day after) is no warning.
        if 0 <= left <= warn and not state.renewed:
            out.append(
                Finding(
                    "contract_expiring",
                    Severity.WARNING,
                    msg("wenzhou.finding.contract_expiring", end=contract.end, days=left),
                    cite("第十九条 第一款"),
                    subject,
                    due=contract.end,
                    inputs={"end": contract.end, "days_left": left, "warn_days": warn},
                )
            )
    return out


def open_ended_lawful(worker: Worker, on: dt.date, ctx: RuleContext) -> bool:
    """劳动合同法 第十四条 (the national root under this text): after ten years' continuous service
    or two consecutive fixed terms an open-ended contract is the worker's due, so yearly hiring
    cannot make it a fault. Without the national layer loaded, nothing can say so."""
    if "national.contract.open_ended_years" not in ctx.params:
        return False
    return entitlement(worker, on, ctx).due


def floor_for(year: int, on: dt.date, ctx: RuleContext) -> tuple[int, Decimal]:
    """The average wage of `year - 1` (上一年), or MissingParameter naming the table and year."""
    wages = table(ctx.params, AVERAGE_WAGE, on)
    previous = year - 1
    if str(previous) not in wages:
        raise MissingParameter(
            ctx.jurisdiction, AVERAGE_WAGE, on, "001_ab7657c5fca22a12.txt 第十九条", detail=str(previous)
        )
    return previous, amount(wages[str(previous)], f"{AVERAGE_WAGE}.{previous}")


def pay_floor_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    subject = f"worker:{worker.id}"
    try:
        annual, months = year_pay(worker, on.year, ctx)
        previous, floor = floor_for(on.year, on, ctx)
    except (MissingParameter, ValidationError) as exc:
        missing = (
            {"parameter": exc.name, "entry": exc.detail, "on": exc.on}
            if isinstance(exc, MissingParameter)
            else {}
        )
        return [
            Finding(
                "pay_floor_unknown",
                Severity.INFO,
                msg("wenzhou.finding.pay_floor_unknown", reason=exc.message),
                cite("第十九条 第一款"),
                subject,
                inputs={**missing, "field": getattr(exc, "field", "")},
            )
        ]
    owed = floor * months / 12  # the floor, pro rata for a part year
    if annual >= owed:  # "不低于": equal to the average wage is enough
        return []
    shown = round_money(owed)
    months_shown = months.quantize(Decimal("0.01"))
    return [
        Finding(
            "pay_below_floor",
            Severity.WARNING,
            msg(
                "wenzhou.finding.pay_below_floor",
                annual=annual,
                floor=floor,
                year=previous,
                pay_year=on.year,
                months=months_shown,
                owed=shown,
            ),
            cite("第十九条 第一款"),
            subject,
            inputs={
                "annual_cash": annual,
                "average_wage": floor,
                "wage_year": previous,
                "pay_year": on.year,
                "months_served": months,
                "floor_pro_rata": shown,
            },
        )
    ]


def worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    if not in_service(worker, on):
        return []
    return contract_findings(worker, on, ctx) + pay_floor_findings(worker, on, ctx)
