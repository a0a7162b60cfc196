"""Shenyang rules that cases cannot reach, and checks that keep its texts and parameters honest."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest

from core.cases import case_files, compute_case, load_cases, make_community, make_worker
from core.errors import ValidationError
from core.i18n import LANGUAGES
from core.jurisdictions import Jurisdictions
from core.model import AbsenceKind
from core.params import EPOCH, Override
from core.results import Finding
from core.rulekit import absence_runs
from core.rules import Rules
from plugins.shenyang.exit import recall_petition

KEY = "shenyang"
PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / KEY
ON = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def js() -> Jurisdictions:
    js = Jurisdictions()
    js.load_entry_points()
    assert KEY in js.keys, js.broken
    return js


def ctx_for(js: Jurisdictions, params: dict[str, Any] | None = None) -> Any:
    js.set_overrides(
        [Override(KEY, k, v, EPOCH, "test", "test", i) for i, (k, v) in enumerate((params or {}).items())]
    )
    community = make_community(KEY, {})
    rules = Rules(_One(community), js, today=ON)
    return rules.context(community)


@attrs.define
class _One:
    community: Any

    def get_community(self, community_id: str) -> Any:
        return self.community

    def communities(self, **_: Any) -> list[Any]:
        return [self.community]


# --- 第三十七条: recall petition -------------------------------------------------------------


@pytest.mark.parametrize(
    ("voters", "signed", "met"),
    [
        (1000, 200, True),  # exactly one fifth
        (1000, 199, False),
        (1001, 200, False),  # 200 × 5 = 1000 < 1001
        (1001, 201, True),
    ],
)
def test_recall_petition_by_voters(js: Jurisdictions, voters: int, signed: int, met: bool) -> None:
    """第三十七条: 五分之一有选举权的居民联名 — one fifth reached counts."""
    check = recall_petition(ctx_for(js), ON, voters=voters, voter_signatures=signed)
    assert check.by_voters is met and check.met is met
    assert check.citation.article == "第五篇 第三十七条"


@pytest.mark.parametrize(
    ("reps", "signed", "met"), [(30, 10, True), (30, 9, False), (10, 4, True), (10, 3, False)]
)
def test_recall_petition_by_representatives(js: Jurisdictions, reps: int, signed: int, met: bool) -> None:
    """第三十七条: 三分之一以上的社区代表 — "以上" includes one third; 1/3 of 10 is not rounded."""
    check = recall_petition(ctx_for(js), ON, representatives=reps, representative_signatures=signed)
    assert check.by_representatives is met


def test_recall_petition_refuses_negative_counts(js: Jurisdictions) -> None:
    with pytest.raises(ValidationError):
        recall_petition(ctx_for(js), ON, voters=-1)


# --- records ----------------------------------------------------------------------------------


def test_absence_runs_merge_touching_and_overlapping_absences() -> None:
    """Two absences that touch or overlap are one run; excused days do not join a run."""
    worker = make_worker(
        {
            "absences": [
                {"start": "2026-03-01", "end": "2026-03-03"},
                {"start": "2026-03-04", "end": "2026-03-05"},
                {"start": "2026-03-05", "end": "2026-03-06"},
                {"start": "2026-03-07", "end": "2026-03-07", "kind": "sick"},
                {"start": "2026-03-08", "end": "2026-03-09"},
            ]
        }
    )
    runs = absence_runs(worker, AbsenceKind.UNEXCUSED)
    assert runs == [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 6)),
        (dt.date(2026, 3, 8), dt.date(2026, 3, 9)),
    ]
    assert absence_runs(worker, AbsenceKind.UNEXCUSED, end=dt.date(2026, 3, 2)) == [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2))
    ]


# --- texts and parameters ---------------------------------------------------------------------


def test_catalogs_have_the_same_keys() -> None:
    """Every message exists in Chinese and in English."""
    keys = {}
    for lang in LANGUAGES:
        with (PLUGIN / "locale" / lang / f"{KEY}.toml").open("rb") as f:
            keys[lang] = set(tomllib.load(f))
    assert keys["zh"] == keys["en"]
    assert all(k.startswith(f"{KEY}.") for k in keys["zh"])


def test_every_parameter_value_is_cited_and_unset_ones_say_who_sets_them() -> None:
    with (PLUGIN / "params.toml").open("rb") as f:
        params = tomllib.load(f)["params"]
    for name, spec in params.items():
        assert spec.get("zh") and spec.get("en"), name
        for value in spec.get("values", []):
            # a value from another text (the 2018 residents' committee law, no seed file) names it by title
            assert value["cite"].startswith("第五篇") or value.get("title"), name
    unset = sorted(name for name, spec in params.items() if not spec.get("values"))
    assert unset == ["pay.district_table", "reelection.max_age"]


def _results(js: Jurisdictions) -> list[Any]:
    """The result of every case that expects one, through the public case runner."""
    cases = [c for p in case_files([PLUGIN / "cases"]) for c in load_cases(p)]
    return [compute_case(c, js) for c in cases if "error" not in c.expect]


def test_findings_name_their_subject_and_article(js: Jurisdictions) -> None:
    findings = [
        r for result in _results(js) if isinstance(result, list) for r in result if isinstance(r, Finding)
    ]
    assert findings
    for f in findings:
        assert f.subject.startswith("worker:")
        assert f.citation is not None and f.citation.article.startswith("第五篇")
