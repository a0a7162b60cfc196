"""Haidian district's hook implementations: only what its own text (第一篇) adds to the city's.

Everything else — pay, bonus, retirement, staffing, recruitment — is the city's rule, answered by
`plugin.py` with Haidian's parameters (`haidian_params.toml`: the 城八区 counting origin, the
three-year 服务站 agreement, the national certificates only). Here: paid annual leave
(第五条(四)), the yearly exam that bars 优秀 (第六条(三)1), what a grade brings (第六条(二)2,
(一)2(7)) and the worker findings that follow from them and from the certificate deadline
(第六条(六)).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, hookimpl
from core.model import Worker
from core.results import Consequence, Finding, GradeProposal, LeaveEntitlement
from plugins.beijing import compliance, grading, leave
from plugins.beijing.common import HAIDIAN_KEY, HAIDIAN_TEXT, KEY
from plugins.beijing.posts import CERTIFICATES

HERE = Path(__file__).parent


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key=HAIDIAN_KEY,
        zh="北京市海淀区",
        en="Haidian district, Beijing",
        documents=(HAIDIAN_TEXT,),
        parameter_file=HERE / "haidian_params.toml",
        parent=KEY,
        # 第一篇 第六条(六) names the national certificates only; the city's local one stays known.
        certificates=tuple(c for c in CERTIFICATES if c.code != "local"),
        assessment_periods=("year_end",),
        quota_unit="street",
        catalog_dir=HERE / "locale",
        cases_dir=HERE / "cases",
    )


@hookimpl
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal | None:
    return grading.haidian_propose_grade(worker, year, period, ctx)


@hookimpl
def shegong_grade_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence] | None:
    return grading.haidian_consequences(worker, year, grade, period, ctx)


@hookimpl
def shegong_annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement | None:
    return leave.annual_leave(worker, year, ctx)


@hookimpl
def shegong_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding] | None:
    return compliance.haidian_worker_findings(worker, on, ctx)
