"""`pay`, `retire`, `staffing`, `grade`, `findings`, `explain`: every figure cited, nobody dropped.

The demo registry (built once per session by conftest) answers the shape questions; a small
hand-made Wenzhou registry answers the exact staffing numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

import core
from core.demo import demo_parameters
from core.model import Community, PostTerm, Sex, Worker
from core.payroll import payable
from core.resident_id import checksum_char
from tests.cli.helpers import Run, snapshot

TODAY = dt.date.today()
MONTH = f"{TODAY:%Y-%m}"
CITATION = re.compile(r"〔《[^》]+》[^〕]+〕")  # a document by its own title, never its file


def as_json(text: str) -> Any:
    return orjson.loads(text)


def resident_id(region: str, birth: dt.date, sequence: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + checksum_char(first17)


def person(name: str, region: str, community: str, post: str, n: int, sex: Sex = Sex.MALE) -> Worker:
    birth = dt.date(1985, 1, 1) + dt.timedelta(days=97 * n)
    sequence = 2 * n + (1 if sex == Sex.MALE else 2)
    start = dt.date(2015, 3, 1)
    return Worker(
        name=name,
        sex=sex,
        birth_date=birth,
        id_number=resident_id(region, birth, sequence),
        community_id=community,
        service_start=start,
        posts=(PostTerm(post, start),),
    )


def drop_override(params: Path, jurisdiction: str, name: str) -> None:
    """Remove one `[[override]]` from a registry's params.toml, as if nobody had set it."""
    head, *blocks = params.read_text(encoding="utf-8").split("[[override]]")
    kept = [b for b in blocks if not (f'jurisdiction = "{jurisdiction}"' in b and f'name = "{name}"' in b)]
    assert len(kept) == len(blocks) - 1, f"{jurisdiction}:{name} is not in {params}"
    params.write_text("[[override]]".join([head, *kept]), encoding="utf-8")


@pytest.fixture(scope="module")
def demo_unset() -> set[str]:
    """Parameters the demo has no value for: the only reason a demo worker's pay may fail."""
    _, unset = demo_parameters(core.load_jurisdictions())
    return {item.split(":", 1)[1] for item in unset}


# --- pay ----------------------------------------------------------------------------------------


class TestPay:
    def test_json_every_worker_in_every_jurisdiction_has_cited_lines(
        self, run: Run, demo_template: Path, demo_unset: set[str]
    ) -> None:
        """The issue's acceptance test: lines with citations for every demo worker, all jurisdictions."""
        result = run("--db", demo_template, "pay", "--month", MONTH, "--json")
        assert result.code == 0, result.err
        items = as_json(result.out)
        with core.open_registry(demo_template) as registry:
            month = core.Month.parse(MONTH)
            expected = {w.id for w in registry.workers() if payable(w, month)}
            jurisdictions = {c.jurisdiction for c in registry.communities()}
        assert {i["worker_id"] for i in items} == expected  # nobody dropped, nobody added
        assert {i["jurisdiction"] for i in items} == jurisdictions
        computed = Counter(i["jurisdiction"] for i in items if i["error"] is None and i["lines"])
        assert set(computed) == jurisdictions
        for item in items:
            if item["error"] is not None:  # only a parameter the demo leaves unset may stop one
                assert item["missing_parameter"] in demo_unset, item
                assert item["missing_parameter"] in item["error"]
                assert item["total"] is None
                continue
            cash = sum(float(line["amount"]) for line in item["lines"] if line["cash"])
            assert float(item["total"]) == pytest.approx(cash)
            for line in item["lines"]:
                assert line["citation"]["document"] and line["citation"]["article"]
                assert set(line) == {"code", "label", "amount", "citation", "inputs", "cash"}

    def test_human_output_cites_every_amount(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "pay", "--month", MONTH, "--district", "沈河区")
        assert result.code == 0, result.err
        amount_lines = [ln for ln in result.out.splitlines() if re.search(r"\d,?\d*\.\d\d\*?  〔", ln)]
        assert amount_lines, result.out
        assert all(CITATION.search(ln) for ln in amount_lines)
        assert "现金合计" in result.out and "共 " in result.out

    def test_a_removed_parameter_names_every_worker_it_stops(self, run: Run, demo_db: Path) -> None:
        drop_override(demo_db / "params.toml", "shenyang", "pay.district_table")
        result = run("--db", demo_db, "pay", "--month", MONTH, "--json")
        assert result.code == 0, result.err
        items = as_json(result.out)
        shenyang = [i for i in items if i["jurisdiction"] == "shenyang"]
        assert shenyang and all(i["missing_parameter"].startswith("pay.district_table") for i in shenyang)
        assert all(i["lines"] == [] and "pay.district_table" in i["error"] for i in shenyang)
        assert any(i["lines"] for i in items if i["jurisdiction"] != "shenyang")

        text = run("--db", demo_db, "pay", "--month", MONTH, "--district", "沈河区").out
        assert "无法计算" in text and "pay.district_table" in text
        for i in shenyang:
            assert f"{i['name']}（{i['worker_id']}）" in text or f"编号 {i['worker_id']}" in text

    def test_one_worker(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "pay", "--month", MONTH, "--worker", "1", "--json")
        assert result.code == 0, result.err
        assert [i["worker_id"] for i in as_json(result.out)] == [1]

    @pytest.mark.parametrize(
        ("argv", "code", "named"),
        [
            (["--month", "2026-13"], 1, "--month"),
            (["--month", "Nov"], 1, "--month"),
            (["--month", MONTH, "--worker", "x"], 1, "--worker"),
            (["--month", MONTH, "--worker", "99999"], 1, "99999"),
            (["--month", MONTH, "--street", "没有这条街道"], 1, "五里河街道"),
            (["--month", MONTH, "--community", "nowhere"], 1, "sy-sh-001"),
            (["--month", MONTH, "--scope", "town:x"], 1, "--scope"),
            (["--month", MONTH, "--worker", "1", "--community", "sy-sh-001"], 2, "--worker"),
            (["--month", MONTH, "--district", "沈河区", "--community", "sy-sh-001"], 2, "--community"),
            ([], 2, "--month"),
        ],
    )
    def test_refusals(self, run: Run, demo_template: Path, argv: list[str], code: int, named: str) -> None:
        result = run("--db", demo_template, "pay", *argv)
        assert result.code == code
        assert named in result.err
        assert "Traceback" not in result.err

    def test_a_street_by_its_name_alone(self, run: Run, demo_template: Path) -> None:
        whole = run("--db", demo_template, "pay", "--month", MONTH, "--street", "沈河区/五里河街道", "--json")
        short = run("--db", demo_template, "pay", "--month", MONTH, "--street", "五里河街道", "--json")
        assert whole.code == short.code == 0
        assert as_json(whole.out) == as_json(short.out) != []


# --- retirement ---------------------------------------------------------------------------------


class TestRetire:
    def test_one_worker_with_rule_and_citation(self, run: Run, demo_template: Path) -> None:
        data = as_json(run("--db", demo_template, "retire", "--worker", "1", "--json").out)
        assert data["worker_id"] == 1 and data["date"] > data["birth_date"]
        # the national decision has no seed file: named by its title
        assert data["citation"]["document_title"] and data["citation"]["article"] and data["rule"]
        text = run("--db", demo_template, "retire", "--worker", "1").out
        assert data["date"] in text and CITATION.search(text) and ".txt" not in text
        assert "退休年龄" in text and "理由" in text

    def test_within_lists_everyone_in_service_over_a_lifetime(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "retire", "--within", "1200", "--json")
        items = as_json(result.out)
        with core.open_registry(demo_template) as registry:
            in_service = {w.id for w in registry.workers() if w.status_on(TODAY) in core.model.IN_SERVICE}
        assert {i["worker_id"] for i in items} == in_service
        dates = [i["date"] for i in items if i["date"]]
        assert dates == sorted(dates)

    def test_within_a_year_as_a_table_with_footnotes(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "retire", "--within", "12")
        assert result.code == 0
        assert "到龄退休" in result.out

    def test_worker_or_within_is_required(self, run: Run, demo_template: Path) -> None:
        assert run("--db", demo_template, "retire").code == 2
        assert run("--db", demo_template, "retire", "--within", "0").code == 1


# --- staffing: a hand-made Wenzhou community ------------------------------------------------------


@pytest.fixture(scope="module")
def wenzhou_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Wenzhou community of 2,401 households and 4,100 new residents, three workers in post."""
    path = tmp_path_factory.mktemp("wenzhou") / "registry"
    with core.init_registry(path) as registry:
        registry.add_community(
            Community(
                id="wz-t-001",
                name="试验社区",
                street="五马街道",
                district="鹿城区",
                city="温州市",
                jurisdiction="wenzhou",
                households_resident=2401,
                new_residents=4100,
            )
        )
        registry.add_workers(
            [
                person("甲", "330302", "wz-t-001", "committee_director", 1),
                person("乙", "330302", "wz-t-001", "staff", 2, Sex.FEMALE),
                person("丙", "330302", "wz-t-001", "police_assistant", 3),
            ]
        )
    return path


class TestStaffing:
    def test_wenzhou_article_19_worked_by_hand(self, run: Run, wenzhou_db: Path) -> None:
        """plugins/wenzhou/README.md, 第十九条: at least 5; from 2000 households one per 400, a part
        counting (ceil); one more per 2000 new residents, whole blocks (floor); 协警 one per 500
        new residents (floor). 2,401 households: max(5, ceil(2401/400) = 7) = 7; 4,100 new
        residents: floor(4100/2000) = 2; so 9 workers, open-ended ("不少于"). 协警: floor(4100/500) = 8."""
        result = run("--db", wenzhou_db, "staffing", "--community", "wz-t-001", "--json")
        assert result.code == 0, result.err
        (c,) = as_json(result.out)["communities"]
        assert c["required"] == {"minimum": 9, "maximum": None}
        assert c["in_post"] == 3 and c["shortfall"] == 6 and c["surplus"] == 0
        (police,) = c["by_type"]
        assert police["type"] == "police_assistant"
        assert (police["minimum"], police["maximum"], police["in_post"], police["shortfall"]) == (
            8,
            None,
            1,
            7,
        )
        assert c["citation"]["article"].startswith("第十九条")

    def test_wenzhou_in_words(self, run: Run, wenzhou_db: Path) -> None:
        text = run("--db", wenzhou_db, "staffing", "--community", "wz-t-001").out
        assert "≥9" in text and "缺 6" in text and "缺 7" in text
        assert "第十九条 第二款" in text  # the reasons, each with its article

    def test_street_totals_and_review(self, run: Run, wenzhou_db: Path) -> None:
        data = as_json(run("--db", wenzhou_db, "staffing", "--json").out)
        assert data["streets"] == [
            {
                "district": "鹿城区",
                "street": "五马街道",
                "in_post": 3,
                "minimum": 9,
                "maximum": None,
                "complete": True,
            }
        ]
        review = as_json(run("--db", wenzhou_db, "review", "staffing", "--json").out)
        assert [c["community_id"] for c in review["communities"]] == ["wz-t-001"]

    def test_demo_names_jurisdictions_without_a_standard(self, run: Run, demo_template: Path) -> None:
        data = as_json(run("--db", demo_template, "staffing", "--json").out)
        for c in data["communities"]:
            assert (c["required"] is None) == (c["error"] is not None)
            if c["required"] is not None:
                assert c["citation"]["document"]
        text = run("--db", demo_template, "staffing").out
        assert "街道合计" in text and "依据" in text


# --- grades -------------------------------------------------------------------------------------


class TestGrade:
    def test_quota_per_street_is_a_fifth_rounded_down(self, run: Run, demo_template: Path) -> None:
        """Shenyang 第二十八条: 优秀 at most floor(N × 20 / 100) of a street's N workers in service."""
        year = TODAY.year - 1
        data = as_json(
            run("--db", demo_template, "grade", "--year", year, "--district", "沈河区", "--json").out
        )
        per_unit = Counter(e["unit"] for e in data["entries"])
        assert data["quotas"]
        for q in data["quotas"]:
            assert q["grade"] == "excellent"
            assert q["headcount"] == per_unit[q["unit"]]
            assert q["limit"] == q["headcount"] * 20 // 100
            assert q["used"] == sum(
                1 for e in data["entries"] if e["unit"] == q["unit"] and e["grade"] == "excellent"
            )
        assert all(e["reasons"] or e["error"] for e in data["entries"])
        with core.open_registry(demo_template) as registry:
            assert not any(registry.list_documents("assessment"))  # a trial: nothing saved

    def test_text_shows_reasons_unless_brief(self, run: Run, demo_template: Path) -> None:
        year = str(TODAY.year - 1)
        full = run("--db", demo_template, "grade", "--year", year, "--district", "沈河区").out
        brief = run("--db", demo_template, "grade", "--year", year, "--district", "沈河区", "--brief").out
        assert "优秀名额" in full and "·" in full and CITATION.search(full)
        assert "·" not in brief and len(brief) < len(full)

    def test_bad_period_names_the_option(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "grade", "--year", "2025", "--period", "quarter")
        assert result.code == 1 and "--period" in result.err and "half_year" in result.err


# --- findings -----------------------------------------------------------------------------------


class TestFindings:
    def test_scope_findings_most_severe_first(self, run: Run, demo_template: Path) -> None:
        items = as_json(run("--db", demo_template, "findings", "--json").out)
        assert items
        ranks = [{"error": 2, "warning": 1, "info": 0}[i["severity"]] for i in items]
        assert ranks == sorted(ranks, reverse=True)
        for i in items:
            assert i["subject"].startswith(("worker:", "community:")) and i["subject_name"]
            assert set(i) >= {"code", "severity", "message", "citation", "due"}

    def test_severity_filter_keeps_that_and_worse(self, run: Run, demo_template: Path) -> None:
        items = as_json(run("--db", demo_template, "findings", "--severity", "注意", "--json").out)
        assert items and {i["severity"] for i in items} <= {"warning", "error"}

    def test_one_worker_on_a_date(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "findings", "--worker", "1", "--on", "20261231", "--json")
        assert result.code == 0
        assert all(i["subject"] == "worker:1" for i in as_json(result.out))

    def test_text_groups_by_severity_with_citations(self, run: Run, demo_template: Path) -> None:
        text = run("--db", demo_template, "findings", "--district", "沈河区").out
        assert "提示事项" in text and "【" in text and CITATION.search(text)

    def test_bad_values(self, run: Run, demo_template: Path) -> None:
        assert "--severity" in run("--db", demo_template, "findings", "--severity", "loud").err
        assert "--on" in run("--db", demo_template, "findings", "--on", "2026-02-30").err


# --- explain ------------------------------------------------------------------------------------


class TestExplain:
    def test_chinese(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "explain", "--worker", "1", "--month", MONTH)
        assert result.code == 0
        assert "【当月待遇】" in result.out and "【退休】" in result.out and "〔" in result.out

    def test_english(self, run: Run, demo_template: Path) -> None:
        result = run("--db", demo_template, "--lang", "en", "explain", "--worker", "1", "--month", MONTH)
        assert result.code == 0
        assert "[Pay this month]" in result.out and "[Retirement]" in result.out

    def test_json_has_every_section(self, run: Run, demo_template: Path) -> None:
        data = as_json(run("--db", demo_template, "explain", "--worker", "1", "--json").out)
        assert set(data["sections"]) == {"pay", "retirement", "leave", "grade", "contract", "findings"}
        assert data["month"] == MONTH and data["worker"]["id"] == 1

    def test_read_commands_change_nothing(self, run: Run, demo_db: Path) -> None:
        before = snapshot(demo_db, audit=False)
        for argv in (["pay", "--month", MONTH], ["staffing"], ["findings"], ["grade", "--year", "2025"]):
            assert run("--db", demo_db, *argv).code == 0
        assert snapshot(demo_db, audit=False) == before
