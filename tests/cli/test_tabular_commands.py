"""`template`, `import`, `export`: a template filled in and imported comes back in an export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

from core.resident_id import checksum_char
from tests.cli.helpers import Run, snapshot

TODAY = dt.date.today()
COMMUNITY = "sy-sh-001"


def as_json(text: str) -> Any:
    return orjson.loads(text)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def template_header(run: Run, db: Path, folder: Path) -> list[str]:
    path = folder / "template.csv"
    assert run("--db", db, "template", "workers", path).code == 0
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def new_id_like(number: str, taken: set[str]) -> str:
    """Another valid resident ID with the same region, birth date and sex."""
    for sequence in range(int(number[14:17]) % 2 + 100, 999, 2):
        first17 = number[:14] + f"{sequence:03d}"
        candidate = first17 + checksum_char(first17)
        if candidate not in taken:
            return candidate
    raise AssertionError("no free sequence")


@pytest.fixture
def filled(run: Run, demo_db: Path, tmp_path: Path) -> tuple[Path, list[str], dict[str, str], str]:
    """The workers' template filled with one new person, copied from an exported roster row."""
    header = template_header(run, demo_db, tmp_path)
    roster = tmp_path / "roster.csv"
    assert run("--db", demo_db, "export", "roster", roster, "--full-ids", "--community", COMMUNITY).code == 0
    rows = read_csv(roster)
    id_column = next(h for h in header if "身份证" in h)
    name_column = next(h for h in header if h.startswith("姓名"))
    row = {h: rows[0].get(h, "") for h in header}
    row[id_column] = new_id_like(rows[0][id_column], {r[id_column] for r in rows})
    row[name_column] = "新来的"
    for column in header:  # a new person has no registry number yet
        if column.startswith("登记编号"):
            row[column] = ""
    path = tmp_path / "new.csv"
    write_csv(path, header, [row])
    return path, header, row, id_column


class TestTemplate:
    def test_xlsx_template_has_the_import_columns(self, run: Run, tmp_path: Path) -> None:
        path = tmp_path / "社区工作者.xlsx"
        result = run("template", "workers", path)
        assert result.code == 0 and str(path) in result.out
        sheet = openpyxl.load_workbook(path).worksheets[0]
        headers = [c.value for c in sheet[1] if c.value]
        assert any("身份证" in str(h) for h in headers)

    def test_never_replaces_a_file_without_force(self, run: Run, tmp_path: Path) -> None:
        path = tmp_path / "c.xlsx"
        path.write_text("someone's work")
        result = run("template", "communities", path)
        assert result.code == 1 and "--force" in result.err
        assert path.read_text() == "someone's work"
        assert run("template", "communities", path, "--force").code == 0

    def test_unknown_kind_is_usage(self, run: Run, tmp_path: Path) -> None:
        assert run("template", "pets", tmp_path / "p.xlsx").code == 2


class TestImport:
    def test_template_import_export_round_trip(
        self, run: Run, demo_db: Path, tmp_path: Path, filled: tuple[Path, list[str], dict[str, str], str]
    ) -> None:
        path, _, row, id_column = filled
        result = run("--db", demo_db, "import", "workers", path, "--json")
        assert result.code == 0, result.err
        report = as_json(result.out)
        assert (report["added"], report["bad"], report["written"]) == (1, 0, True)

        masked = tmp_path / "masked.csv"
        assert run("--db", demo_db, "export", "roster", masked, "--community", COMMUNITY).code == 0
        number = row[id_column]
        found = [r for r in read_csv(masked) if r[id_column] == number[:6] + "*" * 12]  # core.privacy
        assert any("新来的" in r.values() for r in found)
        assert number not in masked.read_text(encoding="utf-8-sig")  # masked unless --full-ids
        full = tmp_path / "full.csv"
        assert (
            run("--db", demo_db, "export", "roster", full, "--full-ids", "--community", COMMUNITY).code == 0
        )
        assert number in full.read_text(encoding="utf-8-sig")

        again = as_json(run("--db", demo_db, "import", "workers", path, "--json").out)
        assert (again["added"], again["unchanged"]) == (0, 1)  # importing twice is safe

    def test_a_bad_row_refuses_the_file_and_names_the_cell(
        self, run: Run, demo_db: Path, tmp_path: Path, filled: tuple[Path, list[str], dict[str, str], str]
    ) -> None:
        _, header, row, id_column = filled
        bad = dict(row) | {id_column: "12345"}
        mixed = tmp_path / "mixed.csv"
        write_csv(mixed, header, [row, bad])
        before = snapshot(demo_db, audit=False)
        result = run("--db", demo_db, "import", "workers", mixed)
        assert result.code == 1
        assert "mixed.csv" in result.err and "第 3 行" in result.err and "12345" in result.err
        assert id_column.split("（")[0] in result.err and "--skip-bad" in result.err
        assert snapshot(demo_db, audit=False) == before
        assert (tmp_path / "mixed.errors.csv").exists()

        skipped = run("--db", demo_db, "import", "workers", mixed, "--skip-bad", "--json")
        assert skipped.code == 0
        report = as_json(skipped.out)
        assert (report["added"], report["bad"]) == (1, 1)
        (problem,) = report["problems"]
        assert (problem["file"], problem["row"], problem["value"]) == ("mixed.csv", 3, "12345")
        assert problem["problem"] and problem["fix"]

    def test_large_files_report_progress_on_stderr(
        self, run: Run, demo_db: Path, tmp_path: Path, filled: tuple[Path, list[str], dict[str, str], str]
    ) -> None:
        _, header, row, _ = filled
        community = next(h for h in header if h.startswith("社区编号"))
        rows = [dict(row) | {community: "nowhere"} for _ in range(600)]
        big = tmp_path / "big.csv"
        write_csv(big, header, rows)
        result = run("--db", demo_db, "import", "workers", big)
        assert result.code == 1
        progress = [ln for ln in result.err.splitlines() if ln.startswith("正在导入 big.csv")]
        assert len(progress) >= 2 and all(ln.endswith("%") for ln in progress)

    def test_missing_file(self, run: Run, demo_db: Path, tmp_path: Path) -> None:
        result = run("--db", demo_db, "import", "communities", tmp_path / "none.xlsx")
        assert result.code == 1 and "none.xlsx" in result.err

    def test_read_only(
        self, run: Run, demo_db: Path, filled: tuple[Path, list[str], dict[str, str], str]
    ) -> None:
        result = run("--db", demo_db, "--read-only", "import", "workers", filled[0])
        assert result.code == 1 and "--read-only" in result.err


class TestExport:
    @pytest.mark.parametrize(
        ("what", "options"),
        [
            ("payroll", ["--month", f"{TODAY:%Y-%m}", "--district", "沈河区"]),
            ("staffing", []),
            ("forecast", ["--months", "12"]),
            ("alerts", ["--severity", "warning"]),
            ("roster", ["--street", "沈河区/五里河街道"]),
        ],
    )
    def test_each_export_writes_a_workbook(
        self, run: Run, demo_template: Path, tmp_path: Path, what: str, options: list[str]
    ) -> None:
        path = tmp_path / f"{what}.xlsx"
        result = run("--db", demo_template, "export", what, path, *options)
        assert result.code == 0, result.err
        book = openpyxl.load_workbook(path)
        assert book.worksheets and book.worksheets[0].max_row >= 1

    def test_round_export_needs_an_opened_round(self, run: Run, demo_db: Path, tmp_path: Path) -> None:
        path = tmp_path / "round.xlsx"
        missing = run("--db", demo_db, "export", "round", path, "--year", "2025", "--district", "沈河区")
        assert missing.code == 1 and "round open" in missing.err
        assert (
            run("--db", demo_db, "round", "open", "--year", "2025", "--district", "沈河区", "--json").code
            == 0
        )
        done = run("--db", demo_db, "export", "round", path, "--year", "2025", "--district", "沈河区")
        assert done.code == 0 and path.exists()

    def test_payroll_export_says_which_run_it_wrote(self, run: Run, demo_db: Path, tmp_path: Path) -> None:
        month = ["--month", f"{TODAY:%Y-%m}", "--community", COMMUNITY]
        fresh = run("--db", demo_db, "export", "payroll", tmp_path / "a.xlsx", *month)
        assert "未保存" in fresh.out
        run("--db", demo_db, "payroll", "run", *month, "--save")
        saved = run("--db", demo_db, "export", "payroll", tmp_path / "b.xlsx", *month)
        assert "工作稿" in saved.out
