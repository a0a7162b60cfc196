"""Beijing's hook implementations: thin calls into the rule modules beside this one.

Annual leave is not implemented for the city: 京办发[2008]20号 gives none (Haidian's text does,
in `haidian.py`), so the national root at the end of every chain answers it with national law's
days (职工带薪年休假条例 第三条). Grade quotas answer an
empty list: the texts set no share for any grade.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, hookimpl
from core.model import Community, Worker
from core.results import (
    Consequence,
    Eligibility,
    Finding,
    GradeProposal,
    Month,
    PayLine,
    PoolShare,
    Quota,
    RetirementDate,
    StaffingRequirement,
)
from plugins.beijing import bonus, compliance, eligibility, grading, pay, retirement, staffing
from plugins.beijing.common import CITY_TEXT, COMMUNITY_TEXT, KEY
from plugins.beijing.posts import CERTIFICATES, GRADES, POSTS

HERE = Path(__file__).parent


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="北京市",
        en="Beijing",
        documents=(CITY_TEXT, COMMUNITY_TEXT),
        parameter_file=HERE / "params.toml",
        posts=POSTS,
        grades=GRADES,
        certificates=CERTIFICATES,
        assessment_periods=("year_end",),
        quota_unit="street",
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine] | None:
    return pay.pay_lines(worker, month, ctx)


@hookimpl
def shegong_pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare] | None:
    return bonus.pool_shares(workers, year, ctx)


@hookimpl
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal | None:
    return grading.propose_grade(worker, year, period, ctx)


@hookimpl
def shegong_grade_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence] | None:
    return grading.grade_consequences(worker, year, grade, period, ctx)


@hookimpl
def shegong_grade_quotas(
    unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext
) -> list[Quota] | None:
    return grading.grade_quotas(unit, workers, year, ctx)


@hookimpl
def shegong_retirement(worker: Worker, ctx: RuleContext) -> RetirementDate | None:
    return retirement.retirement(worker, ctx)


@hookimpl
def shegong_staffing(
    community: Community, workers: Sequence[Worker], ctx: RuleContext
) -> StaffingRequirement | None:
    return staffing.staffing(community, workers, ctx)


@hookimpl
def shegong_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding] | None:
    return compliance.worker_findings(worker, on, ctx)


@hookimpl
def shegong_community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding] | None:
    return staffing.community_findings(community, workers, on, ctx)


@hookimpl
def shegong_eligibility(
    worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext
) -> Eligibility | None:
    return eligibility.eligibility(worker, purpose, target, on, ctx)
