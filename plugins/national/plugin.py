"""The national root: hook implementations for what the local texts leave to national law.

Every local chain ends here (`core.jurisdictions.ROOT_KEY`), so a local plugin that answers a
rule keeps its own answer and one that is silent gets the law's: paid annual leave and untaken
leave pay, the open-ended contract, severance, the residents' committee term, marriage and
maternity leave. The national texts set no pay, grades or staffing, so those hooks are left out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, hookimpl
from core.model import Worker
from core.results import ContractEntitlement, LeaveEntitlement, PayLine, Severance, TermLength
from plugins.national import committee, contract, family_leave, leave, severance
from plugins.national.common import DOCUMENTS, KEY

HERE = Path(__file__).parent


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="国家规定",
        en="National law",
        documents=DOCUMENTS,
        parameter_file=HERE / "params.toml",
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement | None:
    return leave.annual_leave(worker, year, ctx)


@hookimpl
def shegong_untaken_leave_pay(
    worker: Worker, year: int, days: int, monthly_pay: Decimal, ctx: RuleContext
) -> PayLine | None:
    return leave.untaken_leave_pay(worker, year, days, monthly_pay, ctx)


@hookimpl
def shegong_contract_entitlement(worker: Worker, on: dt.date, ctx: RuleContext) -> ContractEntitlement | None:
    return contract.entitlement(worker, on, ctx)


@hookimpl
def shegong_severance(
    worker: Worker, ended_on: dt.date, monthly_pay: Decimal, ctx: RuleContext
) -> Severance | None:
    return severance.severance(worker, ended_on, monthly_pay, ctx)


@hookimpl
def shegong_committee_term(start: dt.date, ctx: RuleContext) -> TermLength | None:
    return committee.term_length(start, ctx)


@hookimpl
def shegong_marriage_leave(worker: Worker, on: dt.date, ctx: RuleContext) -> LeaveEntitlement | None:
    return family_leave.marriage_leave(worker, on, ctx)


@hookimpl
def shegong_maternity_leave(
    worker: Worker, on: dt.date, difficult: bool, babies: int, ctx: RuleContext
) -> LeaveEntitlement | None:
    return family_leave.maternity_leave(worker, on, difficult, babies, ctx)
