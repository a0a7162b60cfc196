"""Wenzhou details the rule-case format cannot express: funds figures, due dates, inputs, fields.

Rule cases (plugins/wenzhou/cases) hold the worked numbers; these tests check what a case cannot
(a finding's figures and due date, the field an error names, hooks left unanswered).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import MissingParameter, ValidationError
from core.jurisdictions import Jurisdictions
from core.model import Community, Worker
from core.results import Finding, Month
from core.rules import Rules

from .helpers import installed, rules_over

KEY = "wenzhou"
IN_FORCE = dt.date(2011, 12, 23)
ON = dt.date(2026, 11, 25)
PAY = {
    "pay.post_wage": {"party_secretary": "5000", "committee_director": "4800", "staff": "3500"},
    "pay.seniority_allowance": {"per_year": "40"},
    "pay.title_allowance": {},
    "pay.education_allowance": {"associate": "100"},
    "pay.social_insurance": {"employer_rate": "0.3"},
}


@pytest.fixture(scope="module")
def js() -> Iterator[Jurisdictions]:
    loaded = installed(KEY)
    yield loaded
    loaded.set_overrides([])


def rules_for(
    js: Jurisdictions, community: Community, params: Mapping[str, Any] = {}, today: dt.date = ON
) -> Rules:
    return rules_over(js, KEY, community, params, IN_FORCE, today)


def community(**fields: Any) -> Community:
    return make_community(KEY, fields)


def worker(**fields: Any) -> Worker:
    return make_worker(fields)


def by_code(findings: list[Finding], code: str) -> Finding:
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, [f.code for f in findings]
    return found[0]


# --- staffing Readings (第十九条) -------------------------------------------------------------


def test_unknown_rounding_names_the_parameter(js: Jurisdictions) -> None:
    c = community(households_resident=2400)
    with pytest.raises(ValidationError) as err:
        rules_for(js, c, {"staffing.households_rounding": "nearest"}).staffing(c, [])
    assert err.value.field == "staffing.households_rounding"


def test_police_assistants_by_type(js: Jurisdictions) -> None:
    c = community(households_resident=2001, new_residents=1499)
    req = rules_for(js, c).staffing(c, [])
    # 第十九条: max(5, ceil(2001/400) = 6) + floor(1499/2000) = 6; 协警 floor(1499/500) = 2
    assert req.minimum == 6
    assert req.by_type == {"police_assistant": (2, None)}
    assert req.maximum is None


def test_police_assistants_rounded_up_when_the_operator_says_so(js: Jurisdictions) -> None:
    c = community(households_resident=1500, new_residents=501)
    req = rules_for(js, c, {"staffing.police_assistant_rounding": "ceil"}).staffing(c, [])
    assert req.by_type["police_assistant"] == (2, None)  # ceil(501 / 500) = 2


# --- community size (第八条) ------------------------------------------------------------------


def test_rural_communities_may_be_judged_by_no_size_standard(js: Jurisdictions) -> None:
    c = community(kind="rural", households_resident=4001, office_area="900")
    found = rules_for(js, c, {"size.rural_standard": "none"}).community_findings(c, [], ON)
    assert not {"community_size_above_standard", "community_size_below_standard"} & {f.code for f in found}


def test_rural_communities_on_the_urban_standard_have_no_upper_bound(js: Jurisdictions) -> None:
    c = community(kind="rural", households_resident=9000, office_area="2000")
    found = rules_for(js, c, {"size.rural_standard": "urban"}).community_findings(c, [], ON)
    assert "community_size_above_standard" not in {f.code for f in found}


# --- office space (第十五条) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reading", "area", "short"),
    [
        ("ceil_blocks", "419.99", True),  # 21 started hundreds × 20 = 420
        ("ceil_blocks", "420", False),
        ("floor_blocks", "399.99", True),  # 20 whole hundreds × 20 = 400
        ("floor_blocks", "400", False),
        ("proportional", "409.99", True),  # 2050 × 20 / 100 = 410
        ("proportional", "410", False),
    ],
)
def test_office_space_readings(js: Jurisdictions, reading: str, area: str, short: bool) -> None:
    c = community(households_resident=2050, office_area=area)
    found = rules_for(js, c, {"office.per_100_reading": reading}).community_findings(c, [], ON)
    assert ("office_space_short" in {f.code for f in found}) is short


def test_office_required_area_is_in_the_finding(js: Jurisdictions) -> None:
    c = community(households_resident=2050, office_area="100")
    finding = by_code(rules_for(js, c).community_findings(c, [], ON), "office_space_short")
    assert finding.inputs["required_area"] == Decimal(410)


# --- operating funds (第二十二条) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("resident", "registered", "amount"),
    [
        (3000, 2000, "262000.00"),  # 3000 × 0.7 + 2000 × 0.3 = 2700; 100000 + 60 × 2700
        (2001, 1999, "220024.00"),  # 1400.7 + 599.7 = 2000.4; 100000 + 60 × 2000.4
        (0, 0, "100000.00"),  # the base alone
    ],
)
def test_urban_operating_funds(js: Jurisdictions, resident: int, registered: int, amount: str) -> None:
    c = community(households_resident=resident, households_registered=registered, office_area="500")
    finding = by_code(rules_for(js, c).community_findings(c, [], ON), "operating_funds")
    assert finding.inputs["amount"] == Decimal(amount)
    assert finding.citation is not None and finding.citation.article == "第二十二条"


def test_county_towns_follow_the_urban_formula_by_default(js: Jurisdictions) -> None:
    c = community(kind="county_town", households_resident=3000, households_registered=2000, office_area="600")
    finding = by_code(rules_for(js, c).community_findings(c, [], ON), "operating_funds")
    assert finding.inputs["amount"] == Decimal("262000.00")


def test_county_towns_that_do_not_follow_get_no_figure(js: Jurisdictions) -> None:
    c = community(kind="county_town", households_resident=3000, office_area="600")
    found = rules_for(js, c, {"funds.county_town.follows_urban": False}).community_findings(c, [], ON)
    assert "operating_funds_not_computed" in {f.code for f in found}
    assert "operating_funds" not in {f.code for f in found}


def test_rural_funds_range_until_set(js: Jurisdictions) -> None:
    c = community(kind="rural", households_resident=2500, office_area="500")
    finding = by_code(rules_for(js, c).community_findings(c, [], ON), "operating_funds")
    assert finding.inputs["per_household_min"] == Decimal(5)
    assert finding.inputs["per_household_max"] == Decimal(10)
    assert "amount" not in finding.inputs


def test_rural_funds_with_the_county_figure(js: Jurisdictions) -> None:
    c = community(kind="rural", households_resident=2500, households_registered=1000, office_area="500")
    finding = by_code(
        rules_for(js, c, {"funds.rural.per_household": "8"}).community_findings(c, [], ON), "operating_funds"
    )
    assert finding.inputs["amount"] == Decimal("20000.00")  # 8 × 2500 resident households


def test_rural_funds_on_weighted_households(js: Jurisdictions) -> None:
    c = community(kind="rural", households_resident=2500, households_registered=1000, office_area="500")
    params = {"funds.rural.per_household": "8", "funds.rural.households_basis": "weighted"}
    finding = by_code(rules_for(js, c, params).community_findings(c, [], ON), "operating_funds")
    assert finding.inputs["amount"] == Decimal("16400.00")  # 8 × (1750 + 300)


# --- disclosure (第十二条) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "months", "due"),
    [
        (dt.date(2026, 11, 25), 3, dt.date(2026, 12, 31)),
        (dt.date(2026, 3, 31), 3, dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), 3, dt.date(2026, 6, 30)),
        (dt.date(2028, 2, 3), 1, dt.date(2028, 2, 29)),  # monthly where finances are many
    ],
)
def test_disclosure_due_at_the_end_of_the_period(
    js: Jurisdictions, on: dt.date, months: int, due: dt.date
) -> None:
    c = community(households_resident=1500, office_area="400")
    found = rules_for(js, c, {"disclosure.interval_months": months}, today=on).community_findings(c, [], on)
    assert by_code(found, "disclosure_schedule").due == due


# --- pay Readings (第二十三条) ----------------------------------------------------------------


def test_cross_appointment_summed_when_the_operator_says_so(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        service_start="2020-01-01",
        posts=[
            {"post": "party_secretary", "start": "2020-01-01"},
            {"post": "committee_director", "start": "2020-01-01"},
        ],
    )
    lines = rules_for(js, c, {**PAY, "pay.post_wage.cross_appointment": "sum"}).pay_lines(w, Month(2026, 11))
    assert {line.code: line.amount for line in lines}["post_wage"] == Decimal("9800.00")


def test_titles_summed_when_the_operator_says_so(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        posts=[{"post": "staff", "start": "2010-01-01"}],
        certificates=[
            {"kind": "social_worker", "registered": "2020-01-01"},
            {"kind": "intermediate_title", "registered": "2021-01-01"},
        ],
    )
    params = {
        **PAY,
        "pay.title_allowance": {"social_worker": "400", "intermediate_title": "300"},
        "pay.title_allowance.combine": "sum",
    }
    lines = rules_for(js, c, params).pay_lines(w, Month(2026, 11))
    assert {line.code: line.amount for line in lines}["title_allowance"] == Decimal("700.00")


def test_five_insurances_are_not_cash(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "staff", "start": "2010-01-01"}])
    lines = rules_for(js, c, PAY).pay_lines(w, Month(2026, 11))
    assert [line.code for line in lines if not line.cash] == ["social_insurance_employer"]
    assert all(line.citation.article == "第二十三条" for line in lines)


def test_a_bad_table_cell_names_the_parameter(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "staff", "start": "2010-01-01"}])
    with pytest.raises(ValidationError) as err:
        rules_for(js, c, {**PAY, "pay.post_wage": {"staff": "lots"}}).pay_lines(w, Month(2026, 11))
    assert err.value.field == "pay.post_wage.staff"


def test_missing_average_wage_names_the_year(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        posts=[{"post": "staff", "start": "2010-01-01"}],
        contracts=[{"kind": "labour", "start": "2026-01-01", "end": "2026-12-31"}],
    )
    found = rules_for(js, c, {**PAY, "pay.floor.average_wage": {"2024": "1"}}).worker_findings(w, ON)
    finding = by_code(found, "pay_floor_unknown")
    assert (finding.inputs["parameter"], finding.inputs["entry"]) == ("pay.floor.average_wage", "2025")


def test_pay_floor_unset_is_a_missing_parameter_in_the_finding(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "staff", "start": "2010-01-01"}])
    finding = by_code(rules_for(js, c, PAY).worker_findings(w, ON), "pay_floor_unknown")
    assert finding.inputs["parameter"] == "pay.floor.average_wage"


def test_pay_lines_raise_missing_parameter_until_set(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "staff", "start": "2010-01-01"}])
    with pytest.raises(MissingParameter) as err:
        rules_for(js, c).pay_lines(w, Month(2026, 11))
    assert err.value.name == "pay.post_wage"


# --- contract and retirement -----------------------------------------------------------------


def test_contract_warning_window_is_a_parameter(js: Jurisdictions) -> None:
    c = community()
    w = worker(contracts=[{"kind": "labour", "start": "2026-01-01", "end": "2026-12-31"}])
    on = dt.date(2026, 12, 1)  # 30 days left
    assert "contract_expiring" not in {
        f.code for f in rules_for(js, c, {"contract.warn_days": 29}, today=on).worker_findings(w, on)
    }
    assert "contract_expiring" in {
        f.code for f in rules_for(js, c, {"contract.warn_days": 30}, today=on).worker_findings(w, on)
    }


def test_unanswered_rules_are_not_invented(js: Jurisdictions) -> None:
    from core.errors import NoAnswer

    c = community()
    w = worker()
    r = rules_for(js, c)
    # annual leave is not among them: the text is silent, so national law answers (the national root)
    for call in (
        lambda: r.propose_grade(w, 2026),
        lambda: r.eligibility(w, "promotion", "party_secretary", ON),
        lambda: r.grade_quotas("street:x", [w], 2026, c),
    ):
        with pytest.raises(NoAnswer):
            call()
