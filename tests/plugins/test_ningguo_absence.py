"""Ningguo 五、14(2) "连续旷工15天或年累计30天" in working days (RULES.md "Days off work"), with a
year's line kept with its year. Dates from the 2026 holiday notice and a wall calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.jurisdictions import Jurisdictions
from core.model import Worker
from core.rules import Rules

from .helpers import installed, rules_over

KEY = "ningguo"
ON = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def js() -> Iterator[Jurisdictions]:
    yield installed(KEY)


def rules(js: Jurisdictions, today: dt.date = ON) -> Rules:
    return rules_over(js, KEY, make_community(KEY, {}), {}, dt.date(2021, 5, 21), today)


def worker(absences: list[dict[str, Any]]) -> Worker:
    return make_worker({"posts": [{"post": "committee_member", "start": "2020-01-01"}], "absences": absences})


def test_thirty_working_days_last_year_stay_reported_with_their_year(js: Jurisdictions) -> None:
    # 2025, ten working days each, no holiday in them: Mon 3 - Fri 14 March, Mon 9 - Fri 20 June,
    # Mon 4 - Fri 15 August = 30 → "年累计30天" in 2025, still said on 2026-11-25
    w = worker(
        [
            {"start": "2025-03-03", "end": "2025-03-14"},
            {"start": "2025-06-09", "end": "2025-06-20"},
            {"start": "2025-08-04", "end": "2025-08-15"},
        ]
    )
    year = [f for f in rules(js).worker_findings(w, ON) if f.code == "exit_absence_year"]
    assert [f.inputs["year"] for f in year] == [2025]
    assert year[0].inputs["days"] == 30
    assert "2025" in year[0].message.render()


def test_a_run_counts_working_days_not_calendar_days(js: Jurisdictions) -> None:
    # 2026-11-02 .. 11-22: 21 calendar days, working days 2-6, 9-13, 16-20 = 15 → exit
    w = worker([{"start": "2026-11-02", "end": "2026-11-22"}])
    (run,) = [f for f in rules(js).worker_findings(w, ON) if f.code == "exit_absence_run"]
    assert run.inputs["days"] == 15
    assert (run.inputs["from"], run.inputs["to"]) == (dt.date(2026, 11, 2), dt.date(2026, 11, 20))
