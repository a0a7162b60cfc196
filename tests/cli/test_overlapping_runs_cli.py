"""`payroll run --save` and `round open` refuse a scope that overlaps a closed run or round."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import Run, snapshot
from tests.cli.test_workflow_commands import MONTH, YEAR, as_json, shenyang_db  # noqa: F401 (a fixture)


def test_an_all_payroll_after_a_closed_district_is_refused(run: Run, demo_db: Path) -> None:
    db = ["--db", demo_db]
    district = ["--month", MONTH, "--district", "沈河区"]
    saved = run(*db, "payroll", "run", *district, "--save")
    assert saved.code == 0, saved.err
    closed = run(*db, "payroll", "close", *district, "--yes")
    assert closed.code == 0, closed.err
    before = snapshot(demo_db, audit=False)
    everyone = run(*db, "payroll", "run", "--month", MONTH, "--save")
    assert everyone.code == 1
    assert "沈河区" in everyone.err and MONTH in everyone.err and "Traceback" not in everyone.err
    assert snapshot(demo_db, audit=False) == before
    listed = as_json(run(*db, "payroll", "list", "--json").out)
    assert [r["scope"] for r in listed] == ["district:沈河区"]
    # computing without saving still shows the figures
    assert run(*db, "payroll", "run", "--month", MONTH).code == 0


def test_an_all_round_after_a_closed_community_round_is_refused(run: Run, shenyang_db: Path) -> None:  # noqa: F811
    db = ["--db", shenyang_db]
    opened = as_json(run(*db, "round", "open", *YEAR, "--community", "sy-t-001", "--json").out)
    for entry in opened["entries"]:
        one = ["--community", "sy-t-001", "--worker", entry["worker_id"], "--grade", "称职"]
        decided = run(*db, "round", "decide", *YEAR, *one)
        assert decided.code == 0, decided.err
    assert run(*db, "round", "close", *YEAR, "--community", "sy-t-001", "--yes").code == 0
    before = snapshot(shenyang_db, audit=False)
    for scope in ([], ["--street", "沈河区/五里河街道"]):
        again = run(*db, "round", "open", *YEAR, *scope)
        assert again.code == 1
        assert "sy-t-001" in again.err and "2025" in again.err and "工作者01" in again.err
    assert snapshot(shenyang_db, audit=False) == before
