"""Jiulongpo 第二十三条 2、3 counted as RULES.md reads them ("Days off work"): working days, runs
joined across days not worked, three months of leave in calendar months, and a year's line kept
with its year.

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
from core.workdays import DEFAULT, load_calendar

from .helpers import installed, rules_over

KEY = "jiulongpo"
ON = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def js() -> Iterator[Jurisdictions]:
    yield installed(KEY)


def rules(js: Jurisdictions, today: dt.date = ON) -> Rules:
    return rules_over(js, KEY, make_community(KEY, {}), {}, dt.date(2023, 12, 1), today)


def worker(absences: list[dict[str, Any]]) -> Worker:
    return make_worker({"absences": absences})


def found(js: Jurisdictions, w: Worker, on: dt.date = ON) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in rules(js, on).worker_findings(w, on):
        out.setdefault(f.code, []).append(f)
    return out


def test_thursday_to_wednesday_as_two_records_is_one_run(js: Jurisdictions) -> None:
    # Thu 5 - Fri 6 March + Mon 9 - Fri 13 + Mon 16 - Fri 20 + Mon 23 - Wed 25 March 2026: the
    # records touch only across weekends → one run of 2 + 5 + 5 + 3 = 15 working days → dismissal
    w = worker(
        [
            {"start": "2026-03-05", "end": "2026-03-06"},
            {"start": "2026-03-09", "end": "2026-03-13"},
            {"start": "2026-03-16", "end": "2026-03-20"},
            {"start": "2026-03-23", "end": "2026-03-25"},
        ]
    )
    (finding,) = found(js, w)["absence_run_dismissal"]
    assert finding.inputs["longest_run"] == 15
    assert (finding.inputs["first"], finding.inputs["last"]) == (dt.date(2026, 3, 5), dt.date(2026, 3, 25))


def test_a_crossed_line_keeps_its_year_after_new_year(js: Jurisdictions) -> None:
    # 2-20 March 2026: 15 working days. Seen in 2027 the 2026 line is still there, with its year.
    w = worker([{"start": "2026-03-02", "end": "2026-03-20"}])
    on = dt.date(2027, 2, 1)
    (finding,) = found(js, w, on)["absence_run_dismissal"]
    assert finding.inputs["year"] == 2026
    assert "2026" in finding.message.render()


def test_the_current_year_is_counted_up_to_the_day(js: Jurisdictions) -> None:
    # 2-20 March 2026 looked at on 13 March: 2-6, 9-13 = 10 working days → a warning, no ground yet
    w = worker([{"start": "2026-03-02", "end": "2026-03-20"}])
    codes = found(js, w, dt.date(2026, 3, 13))
    assert "absence_run_near" in codes and "absence_run_dismissal" not in codes


def test_several_years_each_report_their_own_line(js: Jurisdictions) -> None:
    # 2024: Mon 4 - Fri 22 March = 15 working days (no holiday in March 2024); 2025: Mon 3 - Fri 21
    # March = 15. Two findings, one per year.
    w = worker([{"start": "2024-03-04", "end": "2024-03-22"}, {"start": "2025-03-03", "end": "2025-03-21"}])
    years = sorted(f.inputs["year"] for f in found(js, w)["absence_run_dismissal"])
    assert years == [2024, 2025]


def test_leave_of_three_calendar_months_is_not_over_them(js: Jurisdictions) -> None:
    # 1 March - 31 May: exactly 3 months; 1 March - 1 June: 3 months and a day → over
    exact = found(js, worker([{"start": "2026-03-01", "end": "2026-05-31", "kind": "personal"}]))
    over = found(js, worker([{"start": "2026-03-01", "end": "2026-06-01", "kind": "personal"}]))
    assert "personal_leave_dismissal" not in exact
    assert over["personal_leave_dismissal"][0].inputs["leaves"] == [
        [dt.date(2026, 3, 1), dt.date(2026, 6, 1)]
    ]


def test_an_absence_in_a_year_without_a_calendar_stops_naming_the_year(js: Jurisdictions) -> None:
    # never a silent guess: the worker's findings say the calendar lacks 2027, and where to add it
    w = worker([{"start": "2027-01-04", "end": "2027-01-08"}])
    (finding,) = rules(js, dt.date(2027, 1, 20)).worker_findings(w, dt.date(2027, 1, 20))
    assert finding.code == "cannot_compute"
    assert "2027" in finding.message.render() and "[calendar.2027]" in finding.message.render()


def test_an_operator_year_lets_the_count_go_on(js: Jurisdictions, tmp_path: Any) -> None:
    # An invented 2027 notice: Monday 4 - Friday 8 January a holiday week. Absent 4-22 January:
    # working days 11-15, 18-22 = 10 → a warning (10 ≥ 15 − 5), not the 15 of a plain calendar
    path = tmp_path / "params.toml"
    path.write_text(
        "[calendar.2027]\nholidays = [2027-01-04, 2027-01-05, 2027-01-06, 2027-01-07, 2027-01-08]\n",
        encoding="utf-8",
    )
    w = worker([{"start": "2027-01-04", "end": "2027-01-22"}])
    on = dt.date(2027, 1, 25)
    js.set_calendar(load_calendar(path))
    try:
        codes = {f.code for f in rules(js, on).worker_findings(w, on)}
    finally:
        js.set_calendar(DEFAULT)
    assert "absence_run_near" in codes and "absence_run_dismissal" not in codes
