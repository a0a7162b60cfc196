"""The conformance kit fails a plugin that breaks the contract, naming the hook and the subject.

Each plugin below breaks one promise on purpose; a kit that passed them would be checking nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from core.conformance.checks import (
    Sample,
    Untested,
    build_sample,
    check_grade_quotas,
    check_pay_lines,
    check_retirement,
    check_staffing,
)
from core.errors import MissingParameter
from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
from core.i18n import msg
from core.jurisdictions import Jurisdictions
from core.model import Community, Worker
from core.results import Citation, Month, PayLine, Quota, RetirementDate, StaffingRequirement

DOC = "kit_test.txt"


class Base:
    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return JurisdictionInfo(
            "kit", "测试", "Kit test", (SourceDocument(DOC, "测试办法", "Test measures"),)
        )


def sample_of(plugin: object) -> Sample:
    js = Jurisdictions()
    assert js.register(plugin) == "kit", js.broken
    return build_sample(js, "kit", seed=11, per_community=3)


def staffing_of(minimum: int) -> StaffingRequirement:
    return StaffingRequirement("x", max(0, minimum), None, Citation(DOC, "第一条"))


class Shrinking(Base):
    @hookimpl
    def shegong_staffing(self, community: Community, workers: Sequence[Worker], ctx: RuleContext) -> Any:
        return staffing_of(20 - community.households_resident // 1000)  # fewer posts for more households


class Growing(Base):
    @hookimpl
    def shegong_staffing(self, community: Community, workers: Sequence[Worker], ctx: RuleContext) -> Any:
        return staffing_of(5 + community.households_resident // 400)


def test_staffing_that_falls_with_households_fails() -> None:
    problems = check_staffing(sample_of(Shrinking()))
    assert any("fewer than" in p and "shegong_staffing" in p for p in problems), problems
    assert check_staffing(sample_of(Growing())) == []


class YoungerRetireEarlier(Base):
    @hookimpl
    def shegong_retirement(self, worker: Worker, ctx: RuleContext) -> Any:
        age = 60 if worker.birth_date.year < 1980 else 50
        day = worker.birth_date.replace(year=worker.birth_date.year + age, day=1)
        return RetirementDate(day, age, 0, msg("retire.rule"), Citation(DOC, "第二条"))


def test_retirement_that_is_not_monotone_in_birth_date_fails() -> None:
    problems = check_retirement(sample_of(YoungerRetireEarlier()))
    assert any("before someone born earlier" in p for p in problems), problems


class SloppyPay(Base):
    def __init__(self) -> None:
        self.calls = itertools.count()

    @hookimpl
    def shegong_pay_lines(self, worker: Worker, month: Month, ctx: RuleContext) -> Any:
        return [
            PayLine("base", msg("pay.base"), Decimal("1000.005"), Citation(DOC, "第三条")),  # not to the cent
            PayLine("extra", msg("pay.base"), Decimal(next(self.calls)), Citation("other.txt", "第九条")),
        ]


def test_pay_lines_off_the_cent_uncited_or_changing_fail() -> None:
    problems = check_pay_lines(sample_of(SloppyPay()))
    assert any("not Decimal yuan to the cent" in p for p in problems), problems
    assert any("not deterministic" in p for p in problems), problems
    assert any("'other.txt', not a document it declares" in p for p in problems), problems


class MiscountedQuota(Base):
    @hookimpl
    def shegong_grade_quotas(self, unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext) -> Any:
        return [Quota(unit, "excellent", 0, len(workers) + 1, Citation(DOC, "第四条"))]


def test_a_quota_counting_other_people_or_an_undeclared_grade_fails() -> None:
    problems = check_grade_quotas(sample_of(MiscountedQuota()))
    assert any("people, not the" in p for p in problems), problems
    assert any("not a declared grade" in p for p in problems), problems


class UndeclaredParameter(Base):
    @hookimpl
    def shegong_staffing(self, community: Community, workers: Sequence[Worker], ctx: RuleContext) -> Any:
        raise MissingParameter("kit", "staffing.nowhere", dt.date(2026, 1, 1))


def test_a_refusal_naming_an_undeclared_parameter_fails() -> None:
    problems = check_staffing(sample_of(UndeclaredParameter()))
    assert any("'staffing.nowhere', which no parameter file declares" in p for p in problems), problems


class Crashing(Base):
    @hookimpl
    def shegong_staffing(self, community: Community, workers: Sequence[Worker], ctx: RuleContext) -> Any:
        raise KeyError("households")


def test_a_crashing_hook_fails_naming_the_error() -> None:
    problems = check_staffing(sample_of(Crashing()))
    assert any("KeyError" in p for p in problems), problems


class NeverComputes(Base):
    """Staffing from a parameter its file declares with no value: every sample is refused."""

    def __init__(self, params: Path) -> None:
        self.params = params

    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return attrs.evolve(super().shegong_jurisdiction(), parameter_file=self.params)

    @hookimpl
    def shegong_staffing(self, community: Community, workers: Sequence[Worker], ctx: RuleContext) -> Any:
        return staffing_of(ctx.params.integer("staffing.minimum", ctx.today))


def test_a_check_where_nothing_computed_is_untested_not_passed(tmp_path: Path) -> None:
    params = tmp_path / "params.toml"
    params.write_text(
        '[meta]\njurisdiction = "kit"\n'
        '[params."staffing.minimum"]\ntype = "int"\nzh = "下限"\nen = "Floor"\n',
        encoding="utf-8",
    )
    with pytest.raises(Untested, match=r"staffing\.minimum"):
        check_staffing(sample_of(NeverComputes(params)))
