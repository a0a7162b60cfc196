"""Wenzhou's hook implementations: thin calls into the rule modules beside this one.

Hooks the text gives no rule for (grades, quotas, eligibility) are not implemented, so core
answers NoAnswer for them instead of a made-up figure; annual leave, also silent here, is national
law's (the `national` root at the end of every chain answers it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
from core.model import Community, Worker
from core.results import Finding, Month, PayLine, PoolShare, RetirementDate, StaffingRequirement
from plugins.wenzhou import community as community_rules
from plugins.wenzhou import compliance, pay, retirement, staffing
from plugins.wenzhou.common import DOCUMENT, TITLE, TITLE_EN
from plugins.wenzhou.posts import CERTIFICATES, POSTS

HERE = Path(__file__).parent
KEY = "wenzhou"


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=KEY,
        zh="温州市",
        en="Wenzhou",
        documents=(
            SourceDocument(
                DOCUMENT,
                TITLE,
                TITLE_EN,
                ("第八条", "第十二条", "第十五条", "第十九条", "第二十二条", "第二十三条", "第二十七条"),
            ),
        ),
        parameter_file=HERE / "params.toml",
        posts=POSTS,
        grades=(),  # the text holds residents' reviews (评议) but names no grades
        certificates=CERTIFICATES,
        assessment_periods=(),
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine] | None:
    return pay.pay_lines(worker, month, ctx)


@hookimpl
def shegong_pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare] | None:
    return []  # the text sets up no bonus or performance pool


@hookimpl
def shegong_retirement(worker: Worker, ctx: RuleContext) -> RetirementDate | None:
    return retirement.retirement(worker, ctx)


@hookimpl
def shegong_staffing(
    community: Community, workers: Sequence[Worker], ctx: RuleContext
) -> StaffingRequirement | None:
    return staffing.staffing(community, ctx)


@hookimpl
def shegong_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding] | None:
    return compliance.worker_findings(worker, on, ctx)


@hookimpl
def shegong_community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding] | None:
    return community_rules.community_findings(community, workers, on, ctx)
