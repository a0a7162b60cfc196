"""A small made-up jurisdiction so workflow mechanics are tested apart from any city's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import MissingParameter
from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
from core.i18n import msg
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Worker
from core.results import Citation, Consequence, GradeProposal, Month, PayLine, Quota, StaffingRequirement
from core.rulekit import quota_limit
from core.rules import Rules

DOC = "test.txt"


class Toy:
    """Pay 1000 a month (2000 for 'party_secretary'); 优秀 at most 20% per street; needs 3 staff.

    A worker named "缺参数" raises MissingParameter, to test how workflows report it.
    """

    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return JurisdictionInfo(
            "toy", "测试市", "Toy city", (SourceDocument(DOC, "测试办法"),), quota_unit="street"
        )

    @hookimpl
    def shegong_pay_lines(self, worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine]:
        if worker.name == "缺参数":
            raise MissingParameter("toy", "pay.table", str(month))
        amount = Decimal(2000 if "party_secretary" in worker.posts_on(month.last_day) else 1000)
        return [PayLine("base", msg("x"), amount, Citation(DOC, "第一条"))]

    @hookimpl
    def shegong_propose_grade(
        self, worker: Worker, year: int, period: str, ctx: RuleContext
    ) -> GradeProposal:
        forced = any(a.kind == "unexcused" for a in worker.absences)
        return GradeProposal("unqualified" if forced else "qualified", forced=forced)

    @hookimpl
    def shegong_grade_quotas(self, unit: str, workers: Any, year: int, ctx: RuleContext) -> list[Quota]:
        return [
            Quota(unit, "excellent", quota_limit(len(workers), 20), len(workers), Citation(DOC, "第二条"))
        ]

    @hookimpl
    def shegong_grade_consequences(
        self, worker: Worker, year: int, grade: str, ctx: RuleContext
    ) -> list[Consequence]:
        if grade == "unqualified":
            return [Consequence("dismiss", msg("x"), Citation(DOC, "第三条"))]
        return []

    @hookimpl
    def shegong_staffing(self, community: Any, workers: Any, ctx: RuleContext) -> StaffingRequirement:
        return StaffingRequirement(community.id, 3, 4, Citation(DOC, "第四条"), by_type={"staff": (2, None)})


@pytest.fixture
def toy(tmp_path: Path) -> tuple[MemoryRegistry, Rules]:
    js = Jurisdictions()
    js.register(Toy())
    reg = MemoryRegistry(user="operator-a")
    reg.add_community(make_community("toy", {"id": "c1", "street": "东街道"}))
    reg.add_community(make_community("toy", {"id": "c2", "street": "东街道"}))
    reg.add_community(make_community("toy", {"id": "c3", "street": "西街道"}))
    return reg, Rules(reg, js, today=dt.date(2026, 11, 25))


def add(reg: MemoryRegistry, community: str, n: int, **fields: Any) -> list[Worker]:
    start = reg.count_workers()
    return reg.add_workers(
        [
            make_worker(
                {"community_id": community, "posts": [{"post": "staff", "start": "2020-01-01"}], **fields},
                start + i,
                community,
            )
            for i in range(n)
        ]
    )
