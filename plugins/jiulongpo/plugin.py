"""Jiulongpo's hook implementations: thin calls into the rule modules beside this one.

Annual leave is not answered here: 第二十九条 says "统一按照国家规定执行", so the national root
(`plugins/national`) answers it, on all years of work from `work_start`.
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
from plugins.jiulongpo import compliance, eligibility, grading, pay, retirement, staffing
from plugins.jiulongpo.common import DOCUMENT, TITLE, TITLE_EN
from plugins.jiulongpo.posts import GRADES, POSTS

HERE = Path(__file__).parent
PARTS = (
    *("第二条", "第九条", "第十三条", "第十六条", "第二十条", "第二十三条", "第二十四条"),
    *("第二十五条", "第二十六条", "第二十七条", "第二十八条", "第二十九条", "第三十二条"),
)
KEY = "jiulongpo"


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="重庆市九龙坡区",
        en="Jiulongpo District, Chongqing",
        documents=(
            SourceDocument(
                DOCUMENT,
                TITLE,
                TITLE_EN,
                PARTS,
            ),
        ),
        parameter_file=HERE / "params.toml",
        posts=POSTS,
        grades=GRADES,
        certificates=(),  # the text names no certificate
        assessment_periods=("year_end",),  # 第三十二条: 日常考核与年终测评相结合, one yearly grade
        quota_unit="street",  # 第三十二条 3: graded by the street or town committee; no quota in the text
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine] | None:
    return pay.pay_lines(worker, month, ctx)


@hookimpl
def shegong_pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare] | None:
    return []  # 绩效考核奖励 is a per-worker amount by grade (pay.performance_reward), not a shared pool


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
    return []  # 第三十二条 sets four grades but no share for any of them


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
