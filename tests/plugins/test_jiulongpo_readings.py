"""Jiulongpo details the rule-case format cannot express: inputs, citations, reasons, due dates.

Rule cases (plugins/jiulongpo/cases) hold the worked numbers; these tests check what a case cannot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import ValidationError
from core.jurisdictions import Jurisdictions
from core.model import Community, Worker
from core.results import Month
from core.rules import Rules

from .helpers import installed, rules_over

KEY = "jiulongpo"
IN_FORCE = dt.date(2023, 12, 1)
ON = dt.date(2026, 11, 25)
PAY = {
    "pay.base.disposable_income": {"2025": "50000"},
    "pay.rank_allowance": {"principal": [[0, "300"]], "deputy": [[0, "250"]], "general": [[0, "200"]]},
    "pay.performance_reward": {
        "principal": {"ungraded": "600"},
        "deputy": {"ungraded": "500"},
        "general": {"ungraded": "400"},
    },
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


def test_pay_lines_cite_article_20_and_name_the_income_year(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "staff", "start": "2015-01-01"}])
    lines = rules_for(js, c, PAY).pay_lines(w, Month(2026, 11))
    assert [line.code for line in lines] == ["base_allowance", "rank_allowance", "performance_reward"]
    assert all(line.citation.document == "004_5569dc7a30480689.txt" for line in lines)
    assert all("第二十条" in line.citation.article for line in lines)
    assert lines[0].inputs["income_year"] == 2025


def test_a_bracket_table_of_the_wrong_shape_is_refused(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "staff", "start": "2015-01-01"}])
    with pytest.raises(ValidationError) as err:
        rules_for(js, c, {**PAY, "pay.rank_allowance": {"general": "200"}}).pay_lines(w, Month(2026, 11))
    assert err.value.field == "pay.rank_allowance.general"


def test_the_warning_margin_is_a_parameter(js: Jurisdictions) -> None:
    c = community()
    # Monday 2 - Tuesday 17 March 2026, no holiday: working days 2-6, 9-13, 16-17 = 12 in a row
    w = worker(absences=[{"start": "2026-03-02", "end": "2026-03-17"}])
    assert "absence_run_near" not in {
        f.code for f in rules_for(js, c, {"findings.warn_margin_days": 2}).worker_findings(w, ON)
    }
    assert "absence_run_near" in {
        f.code for f in rules_for(js, c, {"findings.warn_margin_days": 3}).worker_findings(w, ON)
    }


def test_dismissal_carries_the_notice_rule(js: Jurisdictions) -> None:
    c = community()
    w = worker()
    items = rules_for(js, c).grade_consequences(w, 2026, "unqualified")
    notice = next(i for i in items if i.code == "notice_or_pay")
    assert notice.inputs == {"notice_days": 30, "extra_pay_months": 1}
    assert notice.citation.article == "第二十四条"


def test_grade_bands_out_of_order_are_refused(js: Jurisdictions) -> None:
    c = community()
    w = worker(assessments=[{"year": 2026, "scores": {"total": "80"}}])
    bands = {"excellent": "70", "qualified": "75", "basically_qualified": "60"}
    with pytest.raises(ValidationError):
        rules_for(js, c, {"grading.thresholds": bands}).propose_grade(w, 2026)


def test_the_management_path_is_named_when_deputy_years_fall_short(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "committee_member", "start": "2015-01-01"}])
    result = rules_for(js, c).eligibility(w, "promotion", "committee_director", ON)
    assert not result.eligible
    assert [r.text.key for r in result.reasons] == [
        "jiulongpo.eligibility.deputy_years",
        "jiulongpo.eligibility.management_path",
    ]


def test_staffing_reports_the_two_committees_in_post(js: Jurisdictions) -> None:
    c = community()
    workers = [
        make_worker({"posts": [{"post": "party_secretary", "start": "2020-01-01"}]}, 1),
        make_worker({"posts": [{"post": "staff", "start": "2020-01-01"}]}, 2),
    ]
    req = rules_for(js, c).staffing(c, workers)
    assert req.inputs["two_committees_in_post"] == 1
    assert req.by_type == {"two_committees": (5, 9)}


def test_secondment_limit_is_a_parameter(js: Jurisdictions) -> None:
    c = community()
    w = worker(secondments=[{"start": "2026-06-01", "end": "2026-12-31", "approved": True}])
    assert "secondment_too_long" in {f.code for f in rules_for(js, c).worker_findings(w, ON)}
    assert "secondment_too_long" not in {
        f.code for f in rules_for(js, c, {"secondment.max_months": 7}).worker_findings(w, ON)
    }


def test_training_findings_are_due_at_year_end(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "party_secretary", "start": "2020-01-01"}])
    found = {f.code: f for f in rules_for(js, c).worker_findings(w, ON)}
    assert found["training_leader_due"].due == dt.date(2026, 12, 31)
    assert found["training_leader_missed"].due == dt.date(2025, 12, 31)
