"""Beijing Readings an operator may change, the parameter files, and what only Python can check.

The rule cases (plugins/beijing/cases) cover the defaults worked by hand; here: every shipped value
is cited and every unset one says who sets it, Haidian's file overrides only what differs, the
pay trace says when an ungraded year was counted, and the district decides the counting origin.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import MissingParameter, ValidationError
from core.i18n import LANGUAGES, Message
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community
from core.params import Override
from core.results import Month, Reason
from core.rules import Rules

CITY, HAIDIAN = "beijing", "beijing.haidian"
SINCE = dt.date(2008, 1, 1)
ON = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "plugins" / "beijing"


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((PLUGIN / name).read_text(encoding="utf-8"))["params"]


@pytest.fixture(scope="module")
def js() -> Iterator[Jurisdictions]:
    loaded = Jurisdictions()
    loaded.load_entry_points()
    assert {CITY, HAIDIAN} <= set(loaded.keys), loaded.broken
    yield loaded
    loaded.set_overrides([])


def rules_for(js: Jurisdictions, community: Community, params: Mapping[str, Any] = {}) -> Rules:
    js.set_overrides(
        [
            Override(CITY, name, value, SINCE, "test", "test", i)
            for i, (name, value) in enumerate(params.items())
        ]
    )
    registry = MemoryRegistry(user="test")
    registry.add_community(community)
    return Rules(registry, js, today=ON)


def _texts(reasons: tuple[Reason, ...], lang: str) -> list[str]:
    return [r.text.render(lang) for r in reasons]


@pytest.mark.parametrize("name", ["params.toml", "haidian_params.toml"])
def test_every_shipped_value_is_cited_and_every_unset_one_says_who_sets_it(name: str) -> None:
    for param, body in _load(name).items():
        assert body.get("zh") and body.get("en"), param
        for value in body.get("values", []):
            assert str(value.get("cite", "")).startswith(("第四篇", "第三篇", "第一篇")), param
        if not body.get("values"):
            assert "填写" in body["zh"] or "确定" in body["zh"], f"{param}: say who sets it"


def test_haidian_overrides_only_what_differs() -> None:
    city, haidian = _load("params.toml"), _load("haidian_params.toml")
    for name, body in haidian.items():
        if name in city:
            theirs = [v["value"] for v in city[name].get("values", [])]
            ours = [v["value"] for v in body["values"]]
            assert ours != theirs, f"{name} repeats the city's value"
            assert all(str(v["cite"]).startswith("第一篇") for v in body["values"]), name


def test_the_unset_parameters_are_the_ones_the_texts_leave_open(js: Jurisdictions) -> None:
    # the national root's own unset parameters are its to list (tests/plugins/test_national_*.py)
    unset = {spec.name for spec in js.params(CITY) if not spec.values and spec.jurisdiction != "national"}
    assert unset == {
        "agreement.station.years",
        "service.origin.eight_districts.month",
        "service.origin.other_districts.month",
    }
    assert {
        spec.name for spec in js.params(HAIDIAN) if not spec.values and spec.jurisdiction != "national"
    } == unset - {"agreement.station.years"}


def test_the_pay_trace_says_when_an_ungraded_year_was_counted(js: Jurisdictions) -> None:
    community = make_community(CITY, {})
    worker = make_worker(
        {
            "service_start": dt.date(2019, 1, 1),
            "posts": [{"post": "staff", "start": dt.date(2019, 1, 1)}],
            "assessments": [
                {"year": 2020, "grade": "qualified"},
                {"year": 2021, "grade": "basically_qualified"},
            ],
        }
    )
    (_, seniority) = rules_for(js, community).pay_lines(worker, Month(2026, 11))
    zh = _texts(seniority.reasons, "zh")
    assert any("2019, 2022, 2023, 2024, 2025" in t and "按考核合格" in t for t in zh), zh
    assert any("2021" in t and "不增长" in t for t in zh), zh
    assert seniority.inputs["years_without_grade"] == [2019, 2022, 2023, 2024, 2025]
    assert seniority.inputs["increments"] == 6  # 7 years − 2021


def test_every_reason_renders_in_both_languages(js: Jurisdictions) -> None:
    """No placeholder is left unfilled in any line, share, finding or proposal of a busy worker."""
    community = make_community(HAIDIAN, {"district": "海淀区", "households_resident": 1800})
    worker = make_worker(
        {
            "service_start": dt.date(2005, 3, 1),
            "entry": "elected",
            "posts": [
                {"post": "committee_member", "start": dt.date(2005, 3, 1), "end": dt.date(2026, 11, 10)},
                {"post": "party_secretary", "start": dt.date(2026, 11, 11)},
                {"post": "station_head", "start": dt.date(2026, 11, 11)},
            ],
            "contracts": [{"kind": "term", "start": dt.date(2021, 12, 1), "end": dt.date(2026, 12, 31)}],
            "assessments": [{"year": 2024, "grade": "unqualified"}, {"year": 2025, "grade": "excellent"}],
            "certificates": [{"kind": "local", "registered": dt.date(2012, 5, 1)}],
            "hukou": {"city": "北京市", "urban": True},
        }
    )
    rules = rules_for(js, community, {"service.origin.eight_districts.month": 7})
    messages: list[Message] = []
    for line in rules.pay_lines(worker, Month(2026, 11)):
        messages += [line.label, *(r.text for r in line.reasons)]
    messages += [f.message for f in rules.worker_findings(worker, ON)]
    messages += [f.message for f in rules.community_findings(community, [worker], ON)]
    messages += [r.text for r in rules.propose_grade(worker, 2025).reasons]
    messages += [c.text for c in rules.grade_consequences(worker, 2025, "unqualified")]
    messages += [r.text for r in rules.retirement(worker).reasons]
    messages += [r.text for r in rules.annual_leave(worker, 2026).reasons]
    messages += [r.text for r in rules.staffing(community, [worker]).reasons]
    messages += [r.text for r in rules.eligibility(worker, "recruitment", "staff", ON).reasons]
    for lang in LANGUAGES:
        for m in messages:
            text = m.render(lang)
            assert "{" not in text and not text.startswith("beijing."), (lang, m.key, text)


def test_haidian_counts_from_2000_whatever_the_district_is_called(js: Jurisdictions) -> None:
    """第一篇 第五条(一)2: Haidian's own text fixes the 2000 origin; the city's rule reads the district."""
    starter = make_worker(
        {"service_start": dt.date(2001, 6, 1), "posts": [{"post": "staff", "start": dt.date(2001, 6, 1)}]}
    )
    haidian = make_community(HAIDIAN, {"district": "中关村"})
    # 通州区 counts from the 2003 election, so a 2001 starter needs its (unset) month...
    with pytest.raises(MissingParameter):
        rules_for(js, make_community(CITY, {"district": "通州区"})).pay_lines(starter, Month(2026, 11))
    # ...while Haidian counts from 2000, which a 2001 start is after: no month needed.
    lines = rules_for(js, haidian).pay_lines(starter, Month(2026, 11))
    seniority = next(line for line in lines if line.code == "seniority_allowance")
    assert seniority.inputs["origin_kind"] == "eight_districts"
    # 2001-06-01 to 2026-11-30: 25 years, all ungraded → 740 + 25 × 50
    assert seniority.amount == 740 + 25 * 50


def test_a_leaver_is_paid_for_paid_days_not_the_whole_month(js: Jurisdictions) -> None:
    """Leaves on 11 November 2026: 1-10 November, paid days 2-6, 9, 10 = 7 (no holiday in November);
    劳社部发〔2008〕3号: 590 × 7 / 21.75 = 189.885… → 189.89; the old month_end reading is refused."""
    community = make_community(CITY, {})
    leaver = make_worker(
        {
            "service_start": dt.date(2020, 1, 1),
            "posts": [{"post": "staff", "start": dt.date(2020, 1, 1)}],
            "statuses": [{"status": "left", "since": dt.date(2026, 11, 11)}],
        }
    )
    split = {x.code: x.amount for x in rules_for(js, community).pay_lines(leaver, Month(2026, 11))}
    assert split["base"] == Decimal("189.89")
    with pytest.raises(ValidationError) as err:
        rules_for(js, community, {"pay.proration": "month_end"}).pay_lines(leaver, Month(2026, 11))
    assert err.value.field == "pay.proration"
