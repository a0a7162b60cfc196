"""Every rule case shipped by every built-in jurisdiction, run through the public rules API."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cases import Case, case_files, load_cases, run_case
from core.jurisdictions import Jurisdictions

ROOT = Path(__file__).resolve().parents[2]
FILES = case_files(sorted((ROOT / "plugins").glob("*/cases")))
CASES: list[Case] = [case for path in FILES for case in load_cases(path)]


@pytest.fixture(scope="module")
def jurisdictions() -> Jurisdictions:
    js = Jurisdictions()
    js.load_entry_points()
    assert not js.broken, js.broken
    return js


@pytest.mark.parametrize("case", CASES, ids=[f"{c.jurisdiction}/{c.source}:{c.name}" for c in CASES])
def test_case(case: Case, jurisdictions: Jurisdictions) -> None:
    """The rule gives exactly the output worked by hand from the document."""
    assert run_case(case, jurisdictions) == []
