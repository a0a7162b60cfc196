"""Shenyang's hook implementations: thin wrappers over the rule modules beside this one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, hookimpl
from core.model import Period, Worker
from core.results import (
    Consequence,
    Eligibility,
    Finding,
    GradeProposal,
    LeaveEntitlement,
    Month,
    PayLine,
    PoolShare,
    Quota,
    RetirementDate,
)
from plugins.shenyang import consequences, eligibility, findings, grading, leave, pay, retirement
from plugins.shenyang.common import KEY, MEASURES
from plugins.shenyang.posts import CERTIFICATES, GRADES, POSTS

HERE = Path(__file__).parent


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="沈阳市",
        en="Shenyang",
        documents=(MEASURES,),
        parameter_file=HERE / "params.toml",
        posts=POSTS,
        grades=GRADES,
        certificates=CERTIFICATES,
        assessment_periods=(str(Period.HALF_YEAR), str(Period.YEAR_END)),  # 第二十二条
        quota_unit="street",  # 第二十八条: 本街道社区工作者总数的20%
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
    return pay.pay_lines(worker, month, ctx)


@hookimpl
def shegong_pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare]:
    # 第三十一条 rewards 优秀 and 称职 but sets up no pool to share: nothing to divide.
    return []


@hookimpl
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    return grading.propose_grade(worker, year, period, ctx)


@hookimpl
def shegong_grade_consequences(worker: Worker, year: int, grade: str, ctx: RuleContext) -> list[Consequence]:
    return consequences.grade_consequences(worker, year, grade, ctx)


@hookimpl
def shegong_grade_quotas(unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[Quota]:
    return grading.grade_quotas(unit, workers, year, ctx)


@hookimpl
def shegong_retirement(worker: Worker, ctx: RuleContext) -> RetirementDate:
    return retirement.retirement(worker, ctx)


@hookimpl
def shegong_annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement:
    return leave.annual_leave(worker, year, ctx)


@hookimpl
def shegong_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    return findings.worker_findings(worker, on, ctx)


@hookimpl
def shegong_eligibility(
    worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext
) -> Eligibility | None:
    return eligibility.eligibility(worker, purpose, target, on, ctx)


# Not implemented, because 第五篇 gives no such rule: staffing per community (shegong_staffing)
# and community-wide findings (shegong_community_findings). Core reports NoAnswer for them.
