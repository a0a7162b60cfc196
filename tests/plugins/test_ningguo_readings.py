"""Ningguo Readings an operator may change, and what only Python can check.

The rule cases (plugins/ningguo/cases) cover the defaults; the case runner dates its overrides
1900, before the plugin's own values, so a shipped value is changed here by an override dated
after every shipped value (2025-01-02), which the rules then read for 2025 and later.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import ValidationError
from core.i18n import LANGUAGES, Message
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Worker
from core.params import Override, load_param_file
from core.results import Finding, Month
from core.rules import Rules

KEY = "ningguo"
SINCE = dt.date(2025, 1, 2)
ON = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "plugins" / "ningguo"
PAY = {"pay.liangwei.monthly": {"principal": "5000", "deputy": "4500", "general": "4000"}}


@pytest.fixture(scope="module")
def js() -> Iterator[Jurisdictions]:
    loaded = Jurisdictions()
    loaded.load_entry_points()
    assert KEY in loaded.keys, loaded.broken
    yield loaded
    loaded.set_overrides([])


def rules_for(
    js: Jurisdictions,
    communities: list[Community],
    params: Mapping[str, Any] = {},
    today: dt.date = ON,
) -> Rules:
    js.set_overrides(
        [
            Override(KEY, name, value, SINCE, "test", "test", i)
            for i, (name, value) in enumerate(params.items())
        ]
    )
    registry = MemoryRegistry(user="test")
    for c in communities:
        registry.add_community(c)
    return Rules(registry, js, today=today)


def community(index: int = 0, **fields: Any) -> Community:
    return make_community(KEY, fields, index)


def worker(**fields: Any) -> Worker:
    return make_worker(fields)


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def keys_in(value: Any) -> Iterator[Message]:
    if isinstance(value, Message):
        yield value
        for arg in value.args.values():
            yield from keys_in(arg)


# --- pay (六、15, 六、17) ----------------------------------------------------------------------


def test_a_leaver_is_paid_by_paid_days_or_by_calendar_days_as_the_reading_says(js: Jurisdictions) -> None:
    """Left on 11 March 2026 (no holiday in March; 1 March a Sunday): 1-10 March in service.
    pay_days (劳社部发〔2008〕3号): paid days 2-6, 9, 10 = 7 → 4000 × 7 / 21.75 = 1287.356… → 1287.36;
    calendar_days: 4000 × 10 / 31 = 1290.322… → 1290.32."""
    c = community()
    w = worker(
        posts=[{"post": "committee_member", "start": "2021-06-01"}],
        statuses=[{"status": "left", "since": "2026-03-11"}],
    )
    by_pay_days = rules_for(js, [c], PAY).pay_lines(w, Month(2026, 3))
    by_calendar = rules_for(js, [c], {**PAY, "pay.proration": "calendar_days"}).pay_lines(w, Month(2026, 3))
    assert {line.code: line.amount for line in by_pay_days}["liangwei_pay"] == Decimal("1287.36")
    assert {line.code: line.amount for line in by_calendar}["liangwei_pay"] == Decimal("1290.32")


def test_the_month_end_reading_is_gone(js: Jurisdictions) -> None:
    """One proration rule for every jurisdiction: paying a leaver the whole month is no reading."""
    c = community()
    w = worker(posts=[{"post": "committee_member", "start": "2021-06-01"}])
    with pytest.raises(ValidationError) as err:
        rules_for(js, [c], {**PAY, "pay.proration": "month_end"}).pay_lines(w, Month(2026, 3))
    assert err.value.field == "pay.proration"


def test_an_unknown_proration_is_refused_by_name(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "committee_member", "start": "2021-06-01"}])
    with pytest.raises(ValidationError) as err:
        rules_for(js, [c], {**PAY, "pay.proration": "weekly"}).pay_lines(w, Month(2026, 3))
    assert err.value.field == "pay.proration"


def test_the_meal_allowance_is_never_cash(js: Jurisdictions) -> None:
    c = community()
    w = worker(posts=[{"post": "committee_member", "start": "2021-06-01"}])
    lines = rules_for(js, [c], PAY).pay_lines(w, Month(2026, 3))
    meal = next(line for line in lines if line.code == "meal_allowance")
    assert meal.cash is False and meal.amount == Decimal("200.00")
    assert all(line.cash for line in lines if line.code != "meal_allowance")


def test_a_changed_reserve_table_is_followed(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        posts=[{"post": "reserve_cadre", "start": "2025-03-10"}],
        assessments=[{"year": 2025, "grade": "qualified"}],
    )
    params = {**PAY, "pay.reserve.rates": ["0.75", "0.9", "1"]}
    lines = rules_for(js, [c], params).pay_lines(w, Month(2026, 4))
    assert {line.code: line.amount for line in lines}["reserve_pay"] == Decimal("3600.00")  # 4000 × 0.9


def test_a_reserve_line_explains_every_step(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        posts=[{"post": "reserve_cadre", "start": "2025-03-10"}],
        assessments=[{"year": 2025, "grade": "qualified"}],
    )
    line = next(x for x in rules_for(js, [c], PAY).pay_lines(w, Month(2026, 3)) if x.code == "reserve_pay")
    keys = [r.text.key for r in line.reasons]
    assert keys[:2] == ["ningguo.reserve.first_year", "ningguo.reserve.step_up"]
    assert line.citation.document == "003_7015e226fcf2d031.txt"


# --- assessment (五、12) ----------------------------------------------------------------------


@pytest.mark.parametrize(("rank", "limit"), [(1, 3), (2, 3), (3, 2)])
def test_ceil_reading_of_the_top_30_percent(js: Jurisdictions, rank: int, limit: int) -> None:
    # 5 communities: ceil(5 × 30 / 100) = 2, so ranks 1-2 are top: 30% of 10 = 3, else 20% = 2
    cs = [community(0, target_ranks={2025: rank})] + [community(i) for i in range(1, 5)]
    workers = [make_worker({}, i) for i in range(10)]
    quotas = rules_for(js, cs, {"rank.top_share_rounding": "ceil"}).grade_quotas(
        "community:x", workers, 2025, cs[0]
    )
    assert [(q.grade, q.limit) for q in quotas] == [("excellent", limit)]


def test_an_unknown_rounding_is_refused_by_name(js: Jurisdictions) -> None:
    cs = [community(0, target_ranks={2025: 1})]
    with pytest.raises(ValidationError) as err:
        rules_for(js, cs, {"rank.top_share_rounding": "nearest"}).grade_quotas("community:x", [], 2025, cs[0])
    assert err.value.field == "rank.top_share_rounding"


def test_the_quota_says_how_it_was_counted(js: Jurisdictions) -> None:
    cs = [community(0, target_ranks={2025: 1})] + [community(i) for i in range(1, 10)]
    quota = rules_for(js, cs).grade_quotas(
        "community:x", [make_worker({}, i) for i in range(7)], 2025, cs[0]
    )[0]
    assert quota.inputs["cutoff"] == 3 and quota.inputs["percent"] == 30 and quota.limit == 2


# --- staffing (一、4) -------------------------------------------------------------------------


def test_staffing_counts_people_in_post_by_type(js: Jurisdictions) -> None:
    c = community(post_quotas={"liangwei": 3, "reserve_cadre": 1})
    people = [
        make_worker(
            {
                "posts": [
                    {"post": "party_secretary", "start": "2020-01-01"},
                    {"post": "committee_director", "start": "2020-01-01"},
                ]
            },
            0,
        ),
        make_worker(
            {
                "posts": [
                    {"post": "committee_member", "start": "2020-01-01"},
                    {"post": "reserve_cadre", "start": "2019-01-01"},
                ]
            },
            1,
        ),
        make_worker({"posts": [{"post": "reserve_cadre", "start": "2024-01-01"}]}, 2),
        make_worker(
            {
                "posts": [{"post": "reserve_cadre", "start": "2024-01-01"}],
                "statuses": [{"status": "left", "since": "2026-01-01"}],
            },
            3,
        ),
        make_worker({"posts": [{"post": "grid_worker", "start": "2024-01-01"}]}, 4),
    ]
    req = rules_for(js, [c]).staffing(c, people)
    # 一肩挑 secretary-director once; member-and-reserve as 两委; the leaver and the unknown post not at all
    assert req.in_post_by_type == {"liangwei": 2, "reserve_cadre": 1}
    assert req.by_type == {"liangwei": (2, 4), "reserve_cadre": (0, 2)}


# --- exit (五、14) ----------------------------------------------------------------------------


def test_rolling_year_counts_last_december(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        posts=[{"post": "committee_member", "start": "2020-01-01"}],
        # ten working days each, none a holiday: 15-26 December 2025 (Mon-Fri twice), 1-12 June and
        # 3-14 August 2026
        absences=[
            {"start": "2025-12-15", "end": "2025-12-26"},
            {"start": "2026-06-01", "end": "2026-06-12"},
            {"start": "2026-08-03", "end": "2026-08-14"},
        ],
    )
    calendar = codes(rules_for(js, [c]).worker_findings(w, ON))
    rolling = codes(rules_for(js, [c], {"exit.absence.year_basis": "rolling"}).worker_findings(w, ON))
    assert "exit_absence_year" not in calendar  # 2026: 10 + 10 = 20
    assert "exit_absence_year" in rolling  # 10 + 10 + 10 within the 365 days to 2026-11-25


def test_a_run_across_new_year_is_one_run(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        posts=[{"post": "committee_member", "start": "2020-01-01"}],
        # working days: 17-19, 22-26, 29-31 December 2025 (11); 1 January 2026 a holiday, 2 January
        # off in lieu, Sunday 4 January worked, 5-8 January (5): 16 in a row, across New Year
        absences=[{"start": "2025-12-17", "end": "2026-01-08"}],
    )
    assert "exit_absence_run" in codes(rules_for(js, [c]).worker_findings(w, dt.date(2026, 1, 20)))


# --- retirement (五、14(7)) -------------------------------------------------------------------


def test_pre2025_reading_chosen_by_the_operator(js: Jurisdictions) -> None:
    c = community()
    w = worker(sex="female", birth_date="1980-03-10")
    r = rules_for(js, [c], {"retirement.rule": "pre2025"}).retirement(w)
    assert (r.date, r.age_years, r.age_months) == (dt.date(2030, 3, 10), 50, 0)
    assert r.citation.document == "003_7015e226fcf2d031.txt"


def test_an_eligible_secretary_is_told_she_may_apply(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        sex="female",
        birth_date="1978-05-20",
        posts=[{"post": "party_secretary", "start": "2015-01-01"}],
        assessments=[{"year": 2021, "grade": "excellent"}, {"year": 2023, "grade": "excellent"}],
    )
    r = rules_for(js, [c]).retirement(w)
    assert r.inputs["extension_eligible"] is True
    assert "ningguo.retire.ext.may_apply" in [x.text.key for x in r.reasons]
    assert r.date == dt.date(2030, 2, 20)  # flagged only: the statutory date stands


def test_an_approved_extension_cites_the_local_text(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        sex="female",
        birth_date="1978-05-20",
        posts=[{"post": "party_secretary", "start": "2015-01-01"}],
        decisions=[{"kind": "ningguo.retirement_extension_55", "decided_on": "2029-06-01"}],
    )
    r = rules_for(js, [c]).retirement(w)
    assert r.date == dt.date(2033, 5, 20)
    assert r.citation.article.startswith("五、14")
    assert "retire.reason.local_minimum" in [x.text.key for x in r.reasons]


def test_a_secretary_with_terms_back_to_back_has_served_them_unbroken(js: Jurisdictions) -> None:
    c = community()
    w = worker(
        sex="female",
        birth_date="1978-05-20",
        posts=[
            {"post": "party_secretary", "start": "2019-01-01", "end": "2021-12-31"},
            {"post": "party_secretary", "start": "2022-01-01"},
        ],
        assessments=[{"year": 2021, "grade": "excellent"}, {"year": 2023, "grade": "excellent"}],
    )
    assert "retirement_extension_eligible" in codes(rules_for(js, [c]).worker_findings(w, ON))


# --- the whole plugin -------------------------------------------------------------------------


def test_every_parameter_is_described_in_both_languages() -> None:
    specs = load_param_file(PLUGIN / "params.toml", KEY)
    assert all(s.zh and s.en for s in specs.values())
    unset = sorted(name for name, s in specs.items() if not s.values)
    assert unset == ["pay.liangwei.monthly", "pay.performance.base", "pay.performance.excellent_reward"]


def test_every_citation_names_an_item_of_the_text() -> None:
    seed = ROOT.parent / "shared" / "seeds" / "003_7015e226fcf2d031.txt"
    if not seed.exists():
        pytest.skip("shared seeds not beside the checkout")
    text = seed.read_text(encoding="utf-8")
    from plugins.ningguo.common import ARTICLES

    for heading in ARTICLES.values():
        item = heading.split("、", 1)[1]
        assert item in text, heading


def test_messages_render_completely_in_both_languages(js: Jurisdictions) -> None:
    """Every message a busy worker's findings, pay and retirement carry has its placeholders filled."""
    cs = [community(0, post_quotas={"liangwei": 1, "liangwei.allocated": 3, "reserve_cadre": 0})]
    w = worker(
        sex="female",
        birth_date="1976-03-10",
        posts=[{"post": "party_secretary", "start": "2015-01-01"}],
        contracts=[{"kind": "labour", "start": "2022-02-23", "end": "2026-12-31"}],
        absences=[{"start": "2026-11-01", "end": "2026-11-15"}],
        assessments=[{"year": 2024, "grade": "excellent"}, {"year": 2025, "grade": "excellent"}],
        decisions=[{"kind": "ningguo.retirement_extension_53", "decided_on": "2026-06-01"}],
    )
    rules = rules_for(js, cs, PAY)
    messages: list[Message] = []
    messages += [f.message for f in rules.worker_findings(w, ON)]
    messages += [f.message for f in rules.community_findings(cs[0], [w], ON)]
    messages += [r.text for r in rules.retirement(w).reasons]
    for line in rules.pay_lines(w, Month(2026, 3)):
        messages += [line.label, *(r.text for r in line.reasons)]
    messages += [r.text for r in rules.eligibility(w, "recruitment", "reserve_cadre", ON).reasons]
    messages += [c.text for c in rules.grade_consequences(w, 2026, "unqualified")]
    assert len(messages) > 15
    for m in messages:
        for inner in keys_in(m):
            assert inner.key.startswith(
                ("ningguo.", "grade.", "track.", "retire.", "finding.open_ended", "national.")
            ), inner.key
        for lang in LANGUAGES:
            text = m.render(lang)
            assert not re.search(r"\{[a-z_]+\}", text), (m.key, lang, text)
            assert text != m.key
