"""The contract and absence helpers plugin authors share (`core.rulekit`), worked by hand."""

from __future__ import annotations

import datetime as dt

from core.cases import make_worker
from core.model import AbsenceKind, ContractKind
from core.rulekit import absence_runs, contract_state, longest_absence_run, run_length, usual_term

D = dt.date


def contracts(*spans: tuple[str, str, str | None]) -> list[dict[str, str | None]]:
    return [{"kind": kind, "start": start, "end": end} for kind, start, end in spans]


def test_current_contract_days_left_and_renewal() -> None:
    worker = make_worker(
        {
            "contracts": contracts(
                ("labour", "2023-01-01", "2025-12-31"),
                ("labour", "2026-01-01", "2026-12-31"),
                ("term", "2021-01-01", None),  # another kind: not asked about
            )
        }
    )
    state = contract_state(worker, (ContractKind.LABOUR,), D(2026, 11, 25))
    assert state.current is not None and state.current.start == D(2026, 1, 1)
    assert state.days_left(D(2026, 11, 25)) == 36  # 25 Nov → 31 Dec: 5 + 31 days
    assert not state.renewed and state.last_ended is None
    # On 2025-11-25 the 2023 contract is current and the 2026 one starts the day after it ends.
    earlier = contract_state(worker, (ContractKind.LABOUR,), D(2025, 11, 25))
    assert earlier.current is not None and earlier.current.start == D(2023, 1, 1) and earlier.renewed


def test_no_current_contract_names_the_last_that_ended() -> None:
    worker = make_worker(
        {
            "contracts": contracts(
                ("labour", "2020-01-01", "2022-12-31"), ("labour", "2023-01-01", "2024-06-30")
            )
        }
    )
    state = contract_state(worker, (ContractKind.LABOUR,), D(2026, 11, 25))
    assert state.current is None and state.days_left(D(2026, 11, 25)) is None
    assert state.last_ended is not None and state.last_ended.end == D(2024, 6, 30)
    assert contract_state(make_worker({}), (ContractKind.LABOUR,), D(2026, 1, 1)).last_ended is None


def test_usual_term_accepts_the_same_day_or_the_day_before() -> None:
    def term(end: str | None) -> bool:
        worker = make_worker({"contracts": contracts(("labour", "2024-03-01", end))})
        return usual_term(worker.contracts[0], 36)

    assert term("2027-03-01") and term("2027-02-28")  # three years: to the same day or the day before
    assert not term("2027-02-27") and not term("2027-03-02") and not term(None)


def test_absence_runs_join_overlapping_and_touching_records_within_a_window() -> None:
    worker = make_worker(
        {
            "absences": [
                {"start": "2026-03-01", "end": "2026-03-03"},
                {"start": "2026-03-03", "end": "2026-03-05"},  # overlaps: 1-5 March is one run of 5
                {"start": "2026-03-06", "end": "2026-03-06"},  # touches: the run is 1-6 March, 6 days
                {"start": "2026-03-10", "end": "2026-03-11", "kind": "sick"},  # another kind
                {"start": "2026-03-20", "end": "2026-03-21"},
            ]
        }
    )
    runs = absence_runs(worker, AbsenceKind.UNEXCUSED)
    assert runs == [(D(2026, 3, 1), D(2026, 3, 6)), (D(2026, 3, 20), D(2026, 3, 21))]
    assert [run_length(r) for r in runs] == [6, 2]
    # Within 4-20 March: 4-6 March (3 days) and 20 March (1 day).
    assert absence_runs(worker, AbsenceKind.UNEXCUSED, D(2026, 3, 4), D(2026, 3, 20)) == [
        (D(2026, 3, 4), D(2026, 3, 6)),
        (D(2026, 3, 20), D(2026, 3, 20)),
    ]
    assert longest_absence_run(worker, AbsenceKind.UNEXCUSED, D(2026, 3, 4), D(2026, 3, 20)) == 3
    assert longest_absence_run(worker, AbsenceKind.PERSONAL, D(2026, 1, 1), D(2026, 12, 31)) == 0
