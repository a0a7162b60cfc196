"""Jilin's hook implementations: thin calls into the rule modules beside this one.

The standard (002, DB22/T 3226-2021) sets posts (4.1), the structure of the Party organisation and
the residents' committee (4.2, 4.3), training kinds (7.4) and four grades (9.3). It sets no pay, no
retirement rule (core applies the national one), no leave and no quota, so those hooks are left
out: core answers NoAnswer, or the national rule, rather than a made-up figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
from core.model import Community, Worker
from core.results import Finding, GradeProposal, Quota, StaffingRequirement
from shegong_jilin import grading, staffing
from shegong_jilin.common import DOCUMENT, KEY, TITLE, TITLE_EN
from shegong_jilin.posts import GRADES, POSTS

HERE = Path(__file__).parent


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="吉林省",
        en="Jilin province",
        documents=(SourceDocument(DOCUMENT, TITLE, TITLE_EN, ("4", "9")),),
        parameter_file=HERE / "params.toml",
        posts=POSTS,
        grades=GRADES,
        assessment_periods=grading.PERIODS,
        quota_unit="community",
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_staffing(
    community: Community, workers: Sequence[Worker], ctx: RuleContext
) -> StaffingRequirement | None:
    return staffing.staffing(community, workers, ctx)


@hookimpl
def shegong_community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding] | None:
    return staffing.community_findings(community, workers, on, ctx)


@hookimpl
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal | None:
    return grading.propose_grade(worker, year, period, ctx)


@hookimpl
def shegong_grade_quotas(
    unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext
) -> list[Quota] | None:
    return grading.grade_quotas(unit, workers, year, ctx)
