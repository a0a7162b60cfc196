"""Shenyang 第二十九条3、第三十条5 (and 第四十三条) counted in working days (RULES.md "Days off
work"): runs joined across days not worked, a year's line kept with its year.

Dates are from the 2026 holiday notice and a wall calendar (see tests/core/test_workdays.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.jurisdictions import Jurisdictions
from core.model import Worker
from core.results import Finding
from core.rules import Rules

from .helpers import installed, rules_over

KEY = "shenyang"
ON = dt.date(2026, 11, 25)
SCORES = {"residents": "95", "departments": "95", "peers": "95"}


@pytest.fixture(scope="module")
def js() -> Iterator[Jurisdictions]:
    yield installed(KEY)


def rules(js: Jurisdictions, today: dt.date = ON) -> Rules:
    return rules_over(js, KEY, make_community(KEY, {}), {}, dt.date(1900, 1, 1), today)


def worker(absences: list[dict[str, Any]], **fields: Any) -> Worker:
    return make_worker({"absences": absences, **fields})


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def test_five_working_days_thursday_to_wednesday_entered_either_way(js: Jurisdictions) -> None:
    # Thu 5 - Wed 11 March 2026 (7 calendar days, 5 working days): one record or two, the same run
    # of 5 → 告诫 at the half-year
    one = worker(
        [{"start": "2026-03-05", "end": "2026-03-11"}],
        assessments=[{"year": 2026, "period": "half_year", "scores": SCORES}],
    )
    two = worker(
        [{"start": "2026-03-05", "end": "2026-03-06"}, {"start": "2026-03-09", "end": "2026-03-11"}],
        assessments=[{"year": 2026, "period": "half_year", "scores": SCORES}],
    )
    for w in (one, two):
        proposal = rules(js).propose_grade(w, 2026, "half_year")
        assert proposal.grade == "warning"
        run = next(r for r in proposal.reasons if r.inputs.get("days") == 5)
        assert (run.inputs["first"], run.inputs["last"]) == (dt.date(2026, 3, 5), dt.date(2026, 3, 11))


def test_a_year_end_line_is_still_reported_next_year(js: Jurisdictions) -> None:
    # 12-23 October 2026: 10 working days → 不称职 line in 2026; seen in March 2027 it is still there
    w = worker([{"start": "2026-10-12", "end": "2026-10-23"}])
    on = dt.date(2027, 3, 1)
    (finding,) = by_code(rules(js, on).worker_findings(w, on), "absence_incompetent_line")
    assert finding.inputs["year"] == 2026 and finding.inputs["run"] == 10
    assert "2026" in finding.message.render()


def test_a_past_year_gives_no_near_note(js: Jurisdictions) -> None:
    # 8 working days in 2025 (Mon-Thu 3-6 and 10-13 March 2025): near the line only in the year
    # itself; in 2026 nothing is said about it
    w = worker([{"start": "2025-03-03", "end": "2025-03-06"}, {"start": "2025-03-10", "end": "2025-03-13"}])
    assert by_code(
        rules(js, dt.date(2025, 11, 25)).worker_findings(w, dt.date(2025, 11, 25)),
        "absence_near_warning_line",
    )
    assert not by_code(rules(js).worker_findings(w, ON), "absence_near_warning_line")


def test_deemed_resignation_counts_working_days(js: Jurisdictions) -> None:
    # 第四十三条 "十天以上": Mon 28 September - Fri 16 October, 19 calendar days, working days 28-30
    # September, 8, 9, Saturday 10 (调休) and 12-16 October = 11 → deemed; the run stops at the 16th
    w = worker([{"start": "2026-09-28", "end": "2026-10-16"}])
    (finding,) = by_code(rules(js).worker_findings(w, ON), "deemed_resigned")
    assert finding.inputs["days"] == 11
    assert finding.due == dt.date(2026, 10, 16)
