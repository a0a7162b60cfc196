"""Plugin loading, chain dispatch (district over city), parameters and broken plugins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import MissingParameter, NoAnswer, PluginError, UnknownJurisdiction, ValidationError
from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
from core.i18n import msg
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.params import EPOCH, Override
from core.results import Citation, LeaveEntitlement, Month, PayLine
from core.rules import Rules

CITY_PARAMS = """
[meta]
document = "city.txt"

[params."pay.base"]
type = "decimal"
zh = "基本工资"
en = "Base pay"
values = [
  { since = 2008-01-01, value = "700", cite = "第一条" },
  { since = 2020-01-01, value = "720", cite = "第一条(修订)" },
]

[params."pay.district_table"]
type = "table"
zh = "区县补贴表（由区县制定）"
en = "District subsidy table (set by the district)"

[params."leave.days"]
type = "int"
values = [ { since = 2000-01-01, value = 5, cite = "第二条" } ]
"""

DISTRICT_PARAMS = """
[meta]
document = "district.txt"

[params."leave.days"]
type = "int"
values = [ { since = 2000-01-01, value = 7, cite = "第九条" } ]
"""


class City:
    def __init__(self, params: Path) -> None:
        self.params = params

    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return JurisdictionInfo(
            "city", "某市", "A city", (SourceDocument("city.txt", "某市办法"),), self.params
        )

    @hookimpl
    def shegong_pay_lines(self, worker: Any, month: Month, ctx: RuleContext) -> list[PayLine]:
        base = ctx.params.get("pay.base", month.first_day)
        assert base.citation is not None
        return [PayLine("base", msg("x"), base.value, base.citation)]

    @hookimpl
    def shegong_annual_leave(self, worker: Any, year: int, ctx: RuleContext) -> LeaveEntitlement:
        days = ctx.params.get("leave.days", dt.date(year, 1, 1))
        return LeaveEntitlement(days.value, Citation("city.txt", "第二条"))

    @hookimpl
    def shegong_propose_grade(self, worker: Any, year: int, period: str, ctx: RuleContext) -> Any:
        ctx.params.value("pay.district_table", dt.date(year, 1, 1))


class District:
    """Overrides one parameter and implements nothing else: everything else falls to the city."""

    def __init__(self, params: Path) -> None:
        self.params = params

    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return JurisdictionInfo(
            "city.district",
            "某区",
            "A district",
            (SourceDocument("district.txt", "某区办法"),),
            self.params,
            parent="city",
        )


class Exploding:
    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        raise RuntimeError("boom")


class Misspelled:
    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return JurisdictionInfo("x", "x", "x", ())

    @hookimpl
    def shegong_pay_line(self) -> None:  # not a hook: must fail loudly
        return None


@pytest.fixture
def js(tmp_path: Path) -> Jurisdictions:
    (tmp_path / "city.toml").write_text(CITY_PARAMS, encoding="utf-8")
    (tmp_path / "district.toml").write_text(DISTRICT_PARAMS, encoding="utf-8")
    js = Jurisdictions()
    assert js.register(City(tmp_path / "city.toml")) == "city"
    assert js.register(District(tmp_path / "district.toml")) == "city.district"
    return js


def _rules(js: Jurisdictions, jurisdiction: str) -> tuple[Rules, Any]:
    reg = MemoryRegistry(user="tester")
    reg.add_community(make_community(jurisdiction, {}))
    return Rules(reg, js), make_worker({})


def test_district_inherits_rules_and_overrides_one_parameter(js: Jurisdictions) -> None:
    rules, worker = _rules(js, "city.district")
    assert rules.annual_leave(worker, 2026).days == 7  # the district's value
    lines = rules.pay_lines(worker, Month(2026, 11))  # the city's rule, found up the chain
    assert lines[0].amount == Decimal("720")


def test_parameter_values_are_dated(js: Jurisdictions) -> None:
    params = js.params("city")
    assert params.decimal("pay.base", dt.date(2019, 12, 31)) == Decimal("700")
    assert params.decimal("pay.base", dt.date(2020, 1, 1)) == Decimal("720")
    cited = params.get("pay.base", dt.date(2020, 1, 1)).citation
    assert cited is not None and (cited.document, cited.article) == ("city.txt", "第一条(修订)")
    assert str(cited) == "《某市办法》第一条(修订)"  # titled from the plugin's declared document


def test_unset_parameter_stops_with_its_name(js: Jurisdictions) -> None:
    rules, worker = _rules(js, "city")
    with pytest.raises(MissingParameter) as caught:
        rules.propose_grade(worker, 2026)
    assert caught.value.name == "pay.district_table"
    assert caught.value.jurisdiction == "city"


def test_operator_override_wins_and_is_marked(js: Jurisdictions) -> None:
    js.set_overrides([Override("city", "pay.base", "800", dt.date(2026, 1, 1), "local", "params.toml", 0)])
    value = js.params("city.district").get("pay.base", dt.date(2026, 6, 1))
    assert value.value == Decimal("800") and value.source == "override" and value.citation is None
    assert js.params("city").decimal("pay.base", dt.date(2025, 6, 1)) == Decimal("720")


def test_bad_override_names_file_and_entry(js: Jurisdictions) -> None:
    js.set_overrides([Override("city", "pay.base", "lots", EPOCH, "", "/x/params.toml", 3)])
    with pytest.raises(ValidationError) as caught:
        js.params("city")
    assert caught.value.field.startswith("params.toml: override[3]")


def test_no_answer_names_the_rule(js: Jurisdictions) -> None:
    rules, _ = _rules(js, "city")
    with pytest.raises(NoAnswer) as caught:
        rules.staffing(make_community("city", {}), [])
    assert caught.value.rule == "shegong_staffing"


def test_unknown_jurisdiction_lists_the_known(js: Jurisdictions) -> None:
    with pytest.raises(UnknownJurisdiction) as caught:
        js.params("atlantis")
    assert caught.value.known == ["city", "city.district"]


def test_broken_plugins_are_reported_and_others_keep_working(js: Jurisdictions) -> None:
    assert js.register(Exploding()) is None
    assert js.register(Misspelled()) is None
    names = [b.error for b in js.broken]
    assert any("boom" in e for e in names)
    assert any("shegong_pay_line" in e for e in names)
    assert js.keys == ["city", "city.district"]
    rules, worker = _rules(js, "city")
    assert rules.annual_leave(worker, 2026).days == 5


def test_a_plugin_returning_nonsense_is_contained(tmp_path: Path) -> None:
    (tmp_path / "city.toml").write_text(CITY_PARAMS, encoding="utf-8")

    class Liar(City):
        @hookimpl
        def shegong_pay_lines(self, worker: Any, month: Month, ctx: RuleContext) -> Any:
            return [PayLine("base", msg("x"), Decimal("-5"), Citation("city.txt", "第一条"))]

        @hookimpl
        def shegong_annual_leave(self, worker: Any, year: int, ctx: RuleContext) -> Any:
            return "five"

    js = Jurisdictions()
    js.register(Liar(tmp_path / "city.toml"))
    rules, worker = _rules(js, "city")
    with pytest.raises(PluginError) as caught:
        rules.pay_lines(worker, Month(2026, 1))
    assert caught.value.plugin == "city"
    with pytest.raises(PluginError):
        rules.annual_leave(worker, 2026)


def test_uncited_parameter_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[params.a]\ntype = "int"\nvalues = [ { value = 1 } ]\n', encoding="utf-8")

    class P(City):
        pass

    js = Jurisdictions()
    assert js.register(P(path)) is None
    assert "p.toml: params.a.values[0]" in js.broken[0].error


def test_extending_an_unknown_parent_is_reported(tmp_path: Path) -> None:
    (tmp_path / "district.toml").write_text(DISTRICT_PARAMS, encoding="utf-8")
    js = Jurisdictions()
    js.register(District(tmp_path / "district.toml"))
    js._check_parents()
    assert js.keys == []
    assert "city" in js.broken[0].error


def test_installed_entry_points_load_without_errors() -> None:
    """The built-in jurisdictions load through entry points exactly as a third party's would."""
    js = Jurisdictions()
    js.load_entry_points()
    assert js.broken == []
    assert {"beijing", "beijing.haidian", "shenyang", "wenzhou", "ningguo", "jiulongpo"} <= set(js.keys)
