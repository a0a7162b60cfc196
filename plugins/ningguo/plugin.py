"""Ningguo's hook implementations: thin calls into the rule modules beside this one.

Every hook the text gives a rule for is implemented. Annual leave is not: the text gives none,
so the national root at the end of every chain answers it with national law's days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
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
from plugins.ningguo import compliance, eligibility, grading, pay, performance, retirement, staffing
from plugins.ningguo.common import DOCUMENT, KEY, TITLE, TITLE_EN
from plugins.ningguo.posts import CERTIFICATES, GRADES, POSTS

HERE = Path(__file__).parent


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="宁国市",
        en="Ningguo",
        documents=(
            SourceDocument(
                DOCUMENT,
                TITLE,
                TITLE_EN,
                ("1", "3", "4", "6", "12", "13", "14", "15", "16", "17"),
            ),
        ),
        parameter_file=HERE / "params.toml",
        posts=POSTS,
        grades=GRADES,
        certificates=CERTIFICATES,
        assessment_periods=("year_end",),
        quota_unit="community",
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine] | None:
    return pay.pay_lines(worker, month, ctx)


@hookimpl
def shegong_pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare] | None:
    return performance.pool_shares(workers, year, ctx)


@hookimpl
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal | None:
    return grading.propose_grade(worker, year, period, ctx)


@hookimpl
def shegong_grade_consequences(
    worker: Worker, year: int, grade: str, ctx: RuleContext
) -> list[Consequence] | None:
    return grading.grade_consequences(worker, year, grade, ctx)


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
