"""Jilin (002, DB22/T 3226-2021) loads from its own distribution, `examples/jilin`, as a province's
own team would ship it, and its rules answer through the command line a street office uses.

`make` installs it (`pip install -e examples/jilin`); nothing here imports `shegong_jilin`
directly: every answer comes through the `shegong.jurisdictions` entry point.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

import core
from core.model import Assessment, PostTerm
from core.resident_id import checksum_char
from tests.sdk.helpers import passed_without_skips, run_kit
from tui.cli import main

ON = "2026-11-25"
COMMUNITY = "jl-cc-001"
START = dt.date(2021, 1, 1)
TITLE = "城市社区工作者职业管理规范（吉林省地方标准 DB22/T 3226-2021）"  # the title the plugin declares


def jilin_entry_point() -> importlib.metadata.EntryPoint:
    found = [
        ep for ep in importlib.metadata.entry_points(group="shegong.jurisdictions") if ep.name == "jilin"
    ]
    assert found, "shegong-jilin is not installed: run `make` or `pip install -e examples/jilin`"
    return found[0]


def test_jilin_is_its_own_distribution() -> None:
    ep = jilin_entry_point()
    assert ep.value == "shegong_jilin.plugin"
    assert ep.dist is not None and ep.dist.name == "shegong-jilin"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    def call(*argv: str) -> Any:
        capsys.readouterr()
        code = main(["--lang", "zh", *argv])
        out = capsys.readouterr()
        assert code == 0, out.err
        return orjson.loads(out.out) if "--json" in argv else out.out

    yield call
    core.set_language("zh")


def _worker(i: int, posts: tuple[str, ...], assessments: tuple[Assessment, ...] = ()) -> core.Worker:
    first17 = "220104" + "19850101" + f"{11 + 2 * i:03d}"  # 长春市朝阳区, born 1985-01-01, a man
    return core.Worker(
        name=f"吉林{i}",
        sex=core.Sex.MALE,
        birth_date=dt.date(1985, 1, 1),
        id_number=first17 + checksum_char(first17),
        community_id=COMMUNITY,
        service_start=START,
        posts=tuple(PostTerm(p, START) for p in posts),
        assessments=assessments,
    )


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A community of 4000 households with four workers: the secretary, who is also director and
    was graded 优秀 for 2025, a deputy secretary, one Party organisation member and one residents'
    committee member scored 82 (no grade)."""
    path = tmp_path / "registry"
    with core.init_registry(path) as reg:
        reg.add_community(
            core.Community(
                id=COMMUNITY,
                name="桂林社区",
                street="桂林街道",
                district="朝阳区",
                city="长春市",
                jurisdiction="jilin",
                households_resident=4000,
            )
        )
        reg.add_worker(
            _worker(0, ("party_secretary", "committee_director"), (Assessment(2025, grade="excellent"),))
        )
        reg.add_worker(_worker(1, ("party_deputy_secretary",)))
        reg.add_worker(_worker(2, ("party_committee_member",)))
        reg.add_worker(
            _worker(3, ("committee_member",), (Assessment(2025, scores={"total": Decimal("82")}),))
        )
    return path


def test_shegong_plugins_lists_jilin_from_its_entry_point(cli: Any, tmp_path: Path) -> None:
    data = cli("--db", str(tmp_path), "plugins", "--json")
    jilin = {j["key"]: j for j in data["jurisdictions"]}["jilin"]
    assert jilin["origin"] == "jilin = shegong_jilin.plugin"
    assert [d["file"] for d in jilin["documents"]] == ["002_2b4eb2efeb6dbbb4.txt"]
    assert jilin["unset_names"] == ["grading.thresholds"]  # the standard sets no score lines
    assert not [b for b in data["broken"] if "jilin" in b["name"]]


def test_staffing_range_and_post_structure(cli: Any, registry: Path) -> None:
    data = cli("--db", str(registry), "staffing", "--json", "--on", ON)
    row = data["communities"][0]
    # 002 4.1: 4000 households, 1000 above 3000 → 10 + floor(1000/500) = 12 to 15 + floor(1000/300) = 18.
    assert row["required"] == {"minimum": 12, "maximum": 18}
    assert row["in_post"] == 4 and row["shortfall"] == 12 - 4
    types = {t["type"]: (t["in_post"], t["minimum"], t["maximum"]) for t in row["by_type"]}
    # 4.2.1: the Party organisation is 5-7; in post: secretary, deputy, member = 3 people.
    assert types["party_organisation"] == (3, 5, 7)
    # 4.3.2: the committee is 5-9 with 1-2 deputies; in post: the director (the secretary) and a member.
    assert types["residents_committee"] == (2, 5, 9)
    assert types["committee_deputy_director"] == (0, 1, 2)
    text = cli("--db", str(registry), "staffing", "--community", COMMUNITY, "--on", ON)
    assert f"《{TITLE}》4.1" in text and "社区党组织委员" in text and ".txt" not in text


def test_post_structure_findings_cite_the_clause(cli: Any, registry: Path) -> None:
    found = cli("--db", str(registry), "findings", "--json")
    codes = {f["code"]: f for f in found if f["subject"] == f"community:{COMMUNITY}"}
    # 4 full-time people < 12 (4.1); Party 3 < 5 (4.2.1); committee 2 < 5 and no deputy (4.3.2).
    # The secretary is the director (4.2.2), one secretary and one deputy (4.2.1): no finding.
    assert set(codes) == {
        "posts_below_range",
        "party_organisation_size",
        "residents_committee_size",
        "committee_deputy_director_count",
    }
    cited = codes["party_organisation_size"]["citation"]
    assert cited["source_file"] == "002_2b4eb2efeb6dbbb4.txt" and cited["text"] == f"《{TITLE}》4.2.1"
    assert codes["posts_below_range"]["message"] == "在岗专职社区工作者4人，少于社工岗下限12人（可设12~18人）"


def test_grades(cli: Any, registry: Path) -> None:
    data = cli("--db", str(registry), "grade", "--year", "2025", "--json")
    by_name = {e["name"]: e for e in data["entries"]}
    assert by_name["吉林0"]["proposed"] == "excellent"  # 9.3: the recorded grade
    assert by_name["吉林0"]["reasons"][0]["citation"]["text"] == f"《{TITLE}》9.3"
    assert by_name["吉林3"]["proposed"] is None  # a score, and no district score lines: the panel decides
    assert data["quotas"] == []  # 9.3 sets no share for any grade


def test_grades_by_the_district_score_lines(cli: Any, registry: Path) -> None:
    (registry / "params.toml").write_text(
        '[[override]]\njurisdiction = "jilin"\nname = "grading.thresholds"\n'
        'value = { excellent = "90", qualified = "75", basically_qualified = "60" }\n',
        encoding="utf-8",
    )
    data = cli("--db", str(registry), "grade", "--year", "2025", "--json")
    scored = {e["name"]: e for e in data["entries"]}["吉林3"]
    assert scored["proposed"] == "qualified"  # 82: at least 75, below 90


def test_jilin_passes_the_conformance_kit(tmp_path: Path) -> None:
    result = run_kit(tmp_path, "--shegong-jurisdiction", "jilin", "--shegong-workers", "5")
    assert passed_without_skips(result), result.stdout + result.stderr
