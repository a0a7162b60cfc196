"""National law at the root of every chain: where it answers, where a local text keeps its own
answer, and invariants of its rules (hypothesis). Numbers are worked by hand in the comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cases import make_community, make_worker
from core.explain import as_text, explain
from core.jurisdictions import ROOT_KEY, Jurisdictions
from core.memory import MemoryRegistry
from core.params import Override
from core.results import Month
from core.rules import Rules

LOCAL = ("beijing", "beijing.haidian", "shenyang", "wenzhou", "ningguo", "jiulongpo", "jilin")
_JS = Jurisdictions()
_JS.load_entry_points()
assert ROOT_KEY in _JS.keys, _JS.broken


def rules_for(
    key: str, params: dict[str, Any] | None = None, today: dt.date = dt.date(2026, 11, 25)
) -> Rules:
    _JS.set_overrides(
        [
            Override(key, name, value, dt.date(1900, 1, 1), "test", "test", i)
            for i, (name, value) in enumerate((params or {}).items())
        ]
    )
    registry = MemoryRegistry(user="test")
    registry.add_community(make_community(key, {}))
    return Rules(registry, _JS, today=today)


@pytest.mark.parametrize("key", [k for k in LOCAL if k in _JS.keys])
def test_every_chain_ends_at_the_national_root(key: str) -> None:
    chain = [j.info.key for j in _JS.chain(key)]
    assert chain[-1] == ROOT_KEY and chain.count(ROOT_KEY) == 1
    assert [j.info.key for j in _JS.chain(ROOT_KEY)] == [ROOT_KEY]


def test_a_local_text_that_says_more_keeps_its_answer() -> None:
    """Haidian (第一篇 第五条(四)) counts community service; Beijing city has no text, so national
    law counts all work. Work since 2005, community since 2020, leave year 2026:
    Haidian: 2020-01-01 → 2026-12-31 = 6 years → 5 days; city: 2005-01-01 → 21 years → 15 days."""
    w = make_worker({"work_start": "2005-01-01", "service_start": "2020-01-01"})
    haidian = rules_for("beijing.haidian").annual_leave(w, 2026)
    city = rules_for("beijing").annual_leave(w, 2026)
    assert (haidian.days, haidian.citation.article) == (5, "第一篇 第五条(四)")
    assert (city.days, city.citation.document, city.citation.title) == (
        15,
        "",
        "职工带薪年休假条例(国务院令第514号)",
    )


def test_jiulongpo_counts_leave_from_the_first_day_of_work() -> None:
    """九龙坡 第二十九条 refers to national rules: work since 2008-03-01, community since 2024-03-01:
    2026-12-31 − 2008-03-01 = 18 years → 10 days (2 years of community service would give 5)."""
    w = make_worker({"work_start": "2008-03-01", "service_start": "2024-03-01"})
    assert rules_for("jiulongpo").annual_leave(w, 2026).days == 10


def test_an_operator_override_of_a_national_parameter_reaches_every_chain() -> None:
    """An office that sets its city's average wage under its own key: 2020-01-01 .. 2025-12-31 is 6
    years, pay 5000 ≤ 3 × 4000 → 6 × 5000 = 30000.00."""
    w = make_worker({"service_start": "2020-01-01"})
    r = rules_for("ningguo", {"national.severance.average_monthly_wage": {"2024": "4000"}})
    assert r.severance(w, dt.date(2025, 12, 31), Decimal(5000)).amount == Decimal("30000.00")


def test_explain_says_since_when_an_open_ended_contract_is_due() -> None:
    """Service since 2014-03-01: ten years reached on 2024-03-01 (劳动合同法 第十四条第二款(一))."""
    w = make_worker(
        {
            "service_start": "2014-03-01",
            "contracts": [{"kind": "labour", "start": "2026-01-01", "end": "2026-12-31"}],
        }
    )
    text = as_text(explain(rules_for("wenzhou"), w, Month(2026, 11)), "en")
    assert "An open-ended contract may be asked for since 2024-03-01" in text
    assert "Labour Contract Law of the PRC (2012 amendment), 第十四条第二款(一)" in text  # by its title


# --- invariants -------------------------------------------------------------------------------

days = st.dates(dt.date(1975, 1, 1), dt.date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(start=days, earlier=st.integers(0, 5000), year=st.integers(2010, 2030))
def test_leave_never_falls_for_an_earlier_first_day_of_work(start: dt.date, earlier: int, year: int) -> None:
    """More years of work never give fewer days (no absences, same community service)."""
    r = rules_for("wenzhou")
    service = dt.date(2000, 1, 1)
    later = make_worker({"work_start": min(start, service).isoformat(), "service_start": service.isoformat()})
    sooner_day = min(start, service) - dt.timedelta(days=earlier)
    sooner = make_worker({"work_start": sooner_day.isoformat(), "service_start": service.isoformat()})
    assert r.annual_leave(sooner, year).days >= r.annual_leave(later, year).days
    assert r.annual_leave(later, year).days in (0, 5, 10, 15)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(dt.date(1990, 1, 1), dt.date(2024, 12, 31)),
    extra=st.integers(0, 400),
    pay=st.decimals(min_value=0, max_value=100000, places=2),
)
def test_severance_never_falls_for_a_later_end(start: dt.date, extra: int, pay: Decimal) -> None:
    """A later end is never owed less; months are whole or half; capped months never exceed 12."""
    r = rules_for(
        "jiulongpo", {"national.severance.average_monthly_wage": {str(y): "8000" for y in range(1989, 2027)}}
    )
    w = make_worker({"service_start": start.isoformat(), "birth_date": "1970-01-01"})
    end = dt.date(2025, 1, 1)
    first = r.severance(w, end, pay)
    second = r.severance(w, end + dt.timedelta(days=extra), pay)
    assert second.amount >= first.amount
    assert (first.months * 2) % 1 == 0
    if first.capped:
        assert first.months <= 12 and first.month_pay == Decimal(24000)


def test_the_national_parameters_left_unset_are_the_ones_the_laws_leave_local() -> None:
    """The city's average wage (劳动合同法 第四十七条), the unit's pay rule for personal leave
    (条例 第四条(二)) and the provinces' marriage and maternity extensions: nothing else."""
    unset = {spec.name for spec in _JS.params(ROOT_KEY) if not spec.values}
    assert unset == {
        "national.severance.average_monthly_wage",
        "national.leave.personal_leave_paid",
        "national.marriage.extra_days",
        "national.maternity.extra_days",
    }


@pytest.mark.parametrize(
    ("held", "asked", "meets"),
    [
        ("senior_social_worker", "social_worker", True),
        ("senior_social_worker", "assistant_social_worker", True),
        ("social_worker", "assistant_social_worker", True),
        ("social_worker", "social_worker", True),
        ("assistant_social_worker", "social_worker", False),
        ("social_worker", "senior_social_worker", False),
        ("local", "social_worker", False),
        ("senior_social_worker", "local", False),
    ],
)
def test_a_higher_certificate_of_the_same_line_meets_the_lower(held: str, asked: str, meets: bool) -> None:
    from core.certificates import satisfies

    assert satisfies(held, asked) is meets


def test_findings_in_a_community_of_no_loaded_jurisdiction_say_why_and_do_not_raise() -> None:
    """The open-ended contract check runs after the local findings: a jurisdiction that is not
    loaded is the local part's "cannot compute", never an error out of the national part."""
    registry = MemoryRegistry(user="test")
    registry.add_community(make_community("nowhere", {}))
    found = Rules(registry, _JS, today=dt.date(2026, 11, 25)).worker_findings(
        make_worker({"contracts": [{"kind": "labour", "start": "2026-01-01", "end": "2026-12-31"}]}),
        dt.date(2026, 11, 25),
    )
    assert [f.code for f in found] == ["cannot_compute"]
