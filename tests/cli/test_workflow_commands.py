"""`payroll`, `round`, `review`, `forecast`, `alerts`: the workflows end to end.

Payroll runs on a copy of the demo registry; the assessment round on a hand-made Shenyang street
of ten workers, where the 优秀 quota can be worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import orjson
import pytest

import core
from core.model import Community, PostTerm, Sex, Worker, add_months
from core.resident_id import checksum_char
from tests.cli.helpers import Run, snapshot

TODAY = dt.date.today()
MONTH = f"{TODAY:%Y-%m}"
DISTRICT = "沈河区"


def as_json(text: str) -> Any:
    return orjson.loads(text)


def drop_override(params: Path, jurisdiction: str, name: str) -> str:
    """Remove one `[[override]]` from params.toml; returns the file as it was, to put back."""
    original = params.read_text(encoding="utf-8")
    head, *blocks = original.split("[[override]]")
    kept = [b for b in blocks if not (f'jurisdiction = "{jurisdiction}"' in b and f'name = "{name}"' in b)]
    assert len(kept) == len(blocks) - 1
    params.write_text("[[override]]".join([head, *kept]), encoding="utf-8")
    return original


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """What the operator types at a confirmation prompt."""
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


# --- payroll ------------------------------------------------------------------------------------


class TestPayroll:
    def test_run_save_close_diff(self, run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Refused to close while workers fail; closed once fixed; a later edit shows in diff."""
        db = ["--db", demo_db]
        scope = ["--month", MONTH, "--district", DISTRICT]
        params = demo_db / "params.toml"
        original = drop_override(params, "shenyang", "pay.district_table")

        ran = run(*db, "payroll", "run", *scope, "--save")
        assert ran.code == 0, ran.err
        assert "pay.district_table" in ran.out and "无法计算" in ran.out
        failed = as_json(run(*db, "payroll", "show", *scope, "--json").out)["failed"]
        assert failed > 0

        before = snapshot(demo_db)
        refused = run(*db, "payroll", "close", *scope, "--yes")
        assert refused.code == 1
        assert f"{failed} 人无法计算" in refused.err and "pay.district_table" in refused.err
        assert "--save" in refused.err  # says how to go on
        assert snapshot(demo_db) == before

        params.write_text(original, encoding="utf-8")
        saved = as_json(run(*db, "payroll", "run", *scope, "--save", "--json").out)
        assert saved["saved"] and saved["summary"]["failed"] == 0
        workers = saved["workers"]
        assert all(line["citation"]["article"] for w in workers for line in w["lines"])

        answer(monkeypatch, "n\n")
        declined = run(*db, "payroll", "close", *scope)
        assert declined.code == 1 and "--yes" in declined.err

        answer(monkeypatch, "y\n")
        closed = run(*db, "payroll", "close", *scope)
        assert closed.code == 0, closed.err
        assert "已结账" in closed.out
        listed = as_json(run(*db, "payroll", "list", "--json").out)
        assert [(r["month"], r["scope"], r["closed"]) for r in listed] == [
            (MONTH, f"district:{DISTRICT}", True)
        ]

        again = run(*db, "payroll", "run", *scope, "--save")
        assert again.code == 1 and "--month" in again.err and "结账" in again.err
        assert as_json(run(*db, "payroll", "diff", *scope, "--json").out)["differences"] == []

        # five more years of service: a bigger seniority subsidy, seen against the closed run
        worker = next(w for w in workers if any(line["code"] == "seniority_subsidy" for line in w["lines"]))
        shown = as_json(run(*db, "worker", "show", worker["worker_id"], "--json").out)
        start = dt.date.fromisoformat(shown["service_start"])
        earlier = start.replace(year=start.year - 5)
        assert (
            run(*db, "worker", "edit", worker["worker_id"], "--service-start", earlier.isoformat()).code == 0
        )
        diff = as_json(run(*db, "payroll", "diff", *scope, "--json").out)
        assert diff["against"] == "closed"
        changed = [d for d in diff["differences"] if d["worker_id"] == worker["worker_id"]]
        assert [d["code"] for d in changed] == ["seniority_subsidy"]
        assert float(changed[0]["after"]) > float(changed[0]["before"])
        text = run(*db, "payroll", "diff", *scope).out
        assert "工作年限补贴" in text and worker["name"] in text

    def test_close_refuses_a_stale_working_copy(self, run: Run, demo_db: Path) -> None:
        db = ["--db", demo_db]
        scope = ["--month", MONTH, "--street", "五里河街道"]
        saved = as_json(run(*db, "payroll", "run", *scope, "--save", "--json").out)
        worker = next(
            w for w in saved["workers"] if any(ln["code"] == "seniority_subsidy" for ln in w["lines"])
        )
        start = dt.date.fromisoformat(
            as_json(run(*db, "worker", "show", worker["worker_id"], "--json").out)["service_start"]
        )
        run(
            *db,
            "worker",
            "edit",
            worker["worker_id"],
            "--service-start",
            start.replace(year=start.year - 5).isoformat(),
        )
        result = run(*db, "payroll", "close", *scope, "--yes")
        assert result.code == 1
        assert "payroll diff" in result.err and "--save" in result.err

    def test_show_and_close_need_a_saved_run(self, run: Run, demo_db: Path) -> None:
        for action in ("show", "close", "diff"):
            result = run(
                "--db",
                demo_db,
                "payroll",
                action,
                "--month",
                MONTH,
                "--yes" if action == "close" else "--json",
            )
            assert result.code == 1
            assert "--save" in result.err and "--month" in result.err

    def test_show_lists_lines_with_citations(self, run: Run, demo_db: Path) -> None:
        scope = ["--month", MONTH, "--community", "sy-sh-001"]
        run("--db", demo_db, "payroll", "run", *scope, "--save")
        text = run("--db", demo_db, "payroll", "show", *scope).out
        # 第五篇 of file 000 is Shenyang's own measures: shown by its title, never the file's name
        assert "〔《沈阳市社区工作者管理办法》第十三条" in text and "现金合计" in text
        assert ".txt" not in text and "第五篇" not in text
        assert "岗位补贴" in text and "post_subsidy" not in text  # a stored line's label, not its code

    def test_read_only_refuses_to_save(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "--read-only", "payroll", "run", "--month", MONTH, "--save")
        assert result.code == 1 and "--read-only" in result.err


# --- assessment round: a hand-made Shenyang street ------------------------------------------------

STREET = ["--street", "沈河区/五里河街道"]
YEAR = ["--year", "2025"]


def shenyang_worker(n: int) -> Worker:
    birth = dt.date(1986, 1, 1) + dt.timedelta(days=211 * n)
    first17 = f"210103{birth:%Y%m%d}{2 * n + 1:03d}"
    return Worker(
        name=f"工作者{n:02d}",
        sex=Sex.MALE,
        birth_date=birth,
        id_number=first17 + checksum_char(first17),
        community_id="sy-t-001",
        service_start=dt.date(2016, 5, 1),
        posts=(PostTerm("staff", dt.date(2016, 5, 1)),),
    )


@pytest.fixture
def shenyang_db(tmp_path: Path) -> Path:
    path = tmp_path / "registry"
    with core.init_registry(path) as registry:
        registry.add_community(
            Community(
                id="sy-t-001",
                name="试验社区",
                street="五里河街道",
                district="沈河区",
                city="沈阳市",
                jurisdiction="shenyang",
                households_resident=3000,
            )
        )
        registry.add_workers([shenyang_worker(n) for n in range(1, 11)])
    return path


class TestRound:
    def test_open_decide_within_quota_refuse_over_it_close(
        self, run: Run, shenyang_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Shenyang 第二十八条: 优秀 at most 20% of the street's workers, counted per street. Ten
        workers in service: floor(10 × 20 / 100) = 2 places, so the third 优秀 is refused."""
        db = ["--db", shenyang_db]
        opened = as_json(run(*db, "round", "open", *YEAR, *STREET, "--json").out)
        (quota,) = opened["quotas"]
        assert (quota["grade"], quota["limit"], quota["headcount"], quota["used"]) == ("excellent", 2, 10, 0)
        ids = sorted(e["worker_id"] for e in opened["entries"])
        assert len(ids) == 10

        again = run(*db, "round", "open", *YEAR, *STREET)
        assert again.code == 1 and "--replace" in again.err

        assert run(*db, "round", "decide", *YEAR, "--worker", ids[0], "--grade", "优秀").code == 0
        second = run(*db, "round", "decide", *YEAR, "--worker", ids[1], "--grade", "excellent")
        assert second.code == 0 and "剩余 0" in second.out

        before = snapshot(shenyang_db)
        over = run(*db, "round", "decide", *YEAR, "--worker", ids[2], "--grade", "Excellent")
        assert over.code == 1
        assert "--grade" in over.err and "至多 2 人" in over.err and "剩余 0" in over.err
        assert "工作者01" in over.err  # who holds the places
        assert snapshot(shenyang_db) == before

        bad = run(*db, "round", "decide", *YEAR, "--worker", ids[2], "--grade", "良好")
        assert bad.code == 1 and "称职" in bad.err and "competent" in bad.err

        ungraded = run(*db, "round", "close", *YEAR, "--yes")
        assert ungraded.code == 1 and "8 人没有等次" in ungraded.err and "round decide" in ungraded.err

        for wid in ids[2:]:
            assert run(*db, "round", "decide", *YEAR, "--worker", wid, "--grade", "称职").code == 0

        answer(monkeypatch, "\n")
        declined = run(*db, "round", "close", *YEAR)
        assert declined.code == 1
        assert "结束后每人的后续事项" in declined.out and "〔《沈阳市社区工作者管理办法》第" in declined.out

        closed = run(*db, "round", "close", *YEAR, "--yes")
        assert closed.code == 0, closed.err
        assert "已结束" in closed.out and "第三十一条" in closed.out  # the consequences, cited
        doc = as_json(run(*db, "worker", "show", ids[0], "--json").out)
        assert {"year": 2025, "period": "year_end", "grade": "excellent"}.items() <= next(
            a for a in doc["assessments"] if a["year"] == 2025 and a["period"] == "year_end"
        ).items()
        listed = as_json(run(*db, "round", "list", "--json").out)
        assert [(r["year"], r["closed"], r["decided"]) for r in listed] == [(2025, True, 10)]
        late = run(*db, "round", "decide", *YEAR, "--worker", ids[3], "--grade", "称职")
        assert late.code == 1

    def test_a_round_is_found_without_its_scope_when_it_is_the_only_one(
        self, run: Run, shenyang_db: Path
    ) -> None:
        run("--db", shenyang_db, "round", "open", *YEAR, *STREET, "--brief")
        shown = run("--db", shenyang_db, "round", "show", *YEAR, "--brief")
        assert shown.code == 0 and "工作者01" in shown.out
        missing = run("--db", shenyang_db, "round", "show", "--year", "2024")
        assert missing.code == 1 and "2025" in missing.err  # names the rounds there are

    def test_a_worker_outside_the_round(self, run: Run, shenyang_db: Path) -> None:
        run("--db", shenyang_db, "round", "open", *YEAR)
        result = run("--db", shenyang_db, "round", "decide", *YEAR, "--worker", "999", "--grade", "称职")
        assert result.code == 1 and "999" in result.err and "--worker" in result.err


# --- forecast, alerts, review -----------------------------------------------------------------------


class TestReviews:
    def test_forecast_shape(self, run: Run, demo_template: Path) -> None:
        data = as_json(run("--db", demo_template, "forecast", "--months", "24", "--json").out)
        until = add_months(TODAY, 24)
        assert data["from"] == TODAY.isoformat() and data["until"] == until.isoformat()
        dates = [d["date"] for d in data["due"]]
        assert dates == sorted(dates)
        assert all(TODAY.isoformat() <= d <= until.isoformat() for d in dates)
        assert {d["kind"] for d in data["due"]} <= {"retirement", "contract", "probation"}
        retirements = [d for d in data["due"] if d["kind"] == "retirement"]
        assert retirements and all(d["citation"]["article"] and d["detail"] for d in retirements)
        assert all(d["community_name"] for d in data["due"])

    def test_forecast_text(self, run: Run, demo_template: Path) -> None:
        text = run("--db", demo_template, "forecast", "--months", "24").out
        assert "到期事项" in text and "退休" in text and "[1]" in text and "依据：" in text

    def test_alerts_shape_and_filter(self, run: Run, demo_template: Path) -> None:
        items = as_json(run("--db", demo_template, "alerts", "--json").out)
        ranks = [{"error": 2, "warning": 1, "info": 0}[i["severity"]] for i in items]
        assert items and ranks == sorted(ranks, reverse=True)
        errors = as_json(run("--db", demo_template, "alerts", "--severity", "error", "--json").out)
        assert errors == [i for i in items if i["severity"] == "error"]
        text = run("--db", demo_template, "alerts", "--on", TODAY.isoformat()).out
        assert "预警" in text

    def test_review_staffing_lists_only_communities_out_of_line(self, run: Run, demo_template: Path) -> None:
        every = as_json(run("--db", demo_template, "staffing", "--json").out)
        review = as_json(run("--db", demo_template, "review", "staffing", "--json").out)

        def off(c: dict[str, Any]) -> bool:
            types = any(t["shortfall"] or t["surplus"] for t in c["by_type"])
            return bool(c["error"] or c["shortfall"] or c["surplus"] or types)

        assert [c["community_id"] for c in review["communities"]] == [
            c["community_id"] for c in every["communities"] if off(c)
        ]
        assert review["streets"] == every["streets"]

    def test_forecast_needs_months(self, run: Run, demo_template: Path) -> None:
        assert run("--db", demo_template, "forecast").code == 2
        assert "--months" in run("--db", demo_template, "forecast", "--months", "six").err
