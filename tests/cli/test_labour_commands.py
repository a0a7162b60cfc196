"""`shegong leave` and `shegong severance` over the demo registry: national law's figures, cited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson

from core.model import Sex, add_months
from core.registry import open_registry
from tests.cli.helpers import Run


def _workers(db: Path) -> list[Any]:
    with open_registry(db) as reg:
        return list(reg.workers())


def test_leave_prints_marriage_and_maternity_with_their_rules(run: Run, demo_template: Path) -> None:
    """(80)劳总薪字29号: 3 days of marriage leave; 女职工劳动保护特别规定 第七条: twins, difficult →
    98 + 15 + 15 = 128 days (the demo sets no provincial extension)."""
    woman = next(w for w in _workers(demo_template) if w.sex == Sex.FEMALE)
    result = run(
        "--db", demo_template, "--lang", "en", "leave", "--worker", woman.id, "--year", "2026",
        "--married", "2026-05-01", "--birth", "2026-06-01", "--difficult", "--babies", "2", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    data = orjson.loads(result.out)
    assert data["marriage"]["days"] == 3 and data["maternity"]["days"] == 128
    assert data["annual"]["days"] in (0, 5, 10, 15)
    text = run(
        "--db", demo_template, "--lang", "en", "leave", "--worker", woman.id, "--married", "2026-05-01"
    )  # fmt: skip
    assert "Marriage leave: 3 days" in text.out and "(80)劳总薪字29号" in text.out


def test_severance_for_six_whole_years(run: Run, demo_template: Path) -> None:
    """劳动合同法 第四十七条: service from S to the day before S + 6 years is 6 whole years → 6 months;
    pay 1000 is far below 3 × any city's average wage → 6 × 1000 = 6000.00. (The demo sets the
    average wage from 2019, so the end falls in 2020 or later.)"""
    worker = next(w for w in _workers(demo_template) if 2014 <= w.service_start.year <= 2020)
    end = add_months(worker.service_start, 72) - dt.timedelta(days=1)
    result = run(
        "--db", demo_template, "severance", "--worker", worker.id, "--end", end.isoformat(),
        "--monthly-pay", "1000", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    owed = orjson.loads(result.out)["severance"]
    assert owed["amount"] == "6000.00" and owed["months"] == "6" and owed["capped"] is False


def test_a_bad_monthly_pay_is_named(run: Run, demo_template: Path) -> None:
    result = run(
        "--db", demo_template, "severance", "--worker", "1", "--end", "2026-01-01", "--monthly-pay", "abc"
    )  # fmt: skip
    assert result.code == 1 and "--monthly-pay" in result.err and "Traceback" not in result.err
