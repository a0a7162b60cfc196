"""Exports open with openpyxl, IDs are text cells, money is exact, payroll has a sheet per street."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.assessment import Entry, QuotaUse, Round
from core.i18n import msg
from core.memory import MemoryRegistry
from core.payroll import Line, PayrollRun, WorkerPay
from core.results import Citation, Finding, Severity, StaffingRequirement
from core.review import CommunityStaffing, Due
from core.scope import Scope
from core.tabular import (
    export_alerts,
    export_forecast,
    export_payroll,
    export_roster,
    export_round,
    export_staffing,
    import_workers,
)
from core.tabular.errors import TabularError
from tests.tabular.conftest import TODAY, community, good_row, write_xlsx


@pytest.fixture
def filled(tmp_path: Path, registry: MemoryRegistry) -> MemoryRegistry:
    rows = [good_row(i, community_id=("c1", "c2", "c3")[i % 3]) for i in range(6)]
    rows[0][rows[0].index("群众")] = "中共党员"
    assert import_workers(registry, write_xlsx(tmp_path / "in.xlsx", rows), today=TODAY).added == 6
    return registry


def test_roster_masks_ids_and_phones_by_default(tmp_path: Path, filled: MemoryRegistry) -> None:
    path = tmp_path / "roster.xlsx"
    assert export_roster(filled, path, today=TODAY) == 6
    sheet = openpyxl.load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    id_cell = sheet.cell(row=2, column=headers.index("身份证号") + 1)
    phone = sheet.cell(row=2, column=headers.index("联系电话") + 1)
    assert id_cell.value == "110105" + "*" * 12  # the region only (core.privacy)
    assert (id_cell.data_type, id_cell.number_format) == ("s", "@")
    assert phone.value == "138********"
    assert sheet.cell(row=2, column=headers.index("社区名称") + 1).value == "c1社区"


def test_full_roster_has_text_ids_and_imports_back_unchanged(tmp_path: Path, filled: MemoryRegistry) -> None:
    path = tmp_path / "full.xlsx"
    export_roster(filled, path, full_ids=True, today=TODAY)
    sheet = openpyxl.load_workbook(path).active
    column = [c.value for c in sheet[1]].index("身份证号") + 1
    ids = [sheet.cell(row=r, column=column) for r in range(2, 8)]
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    assert sorted(c.value for c in ids) == sorted(w.id_number for w in filled.workers())
    birth = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("出生日期") + 1)
    assert birth.is_date and birth.number_format == "yyyy-mm-dd"
    back = import_workers(filled, path, today=TODAY)
    assert (back.unchanged, back.updated, back.added, back.problems) == (6, 0, 0, ())
    assert set(back.ignored_columns) == set()


def test_roster_of_a_scope_and_csv(tmp_path: Path, filled: MemoryRegistry) -> None:
    path = tmp_path / "west.csv"
    assert export_roster(filled, path, scope=Scope.parse("street:测试区/西街道"), lang="en", today=TODAY) == 2
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Registry no.,Name,Sex") and len(lines) == 3


def _run() -> PayrollRun:
    cite = ("办法.txt", "第十条")
    lines = (
        Line("base", "no.such.label", Decimal("3215.5"), *cite),
        Line("meal", "no.such.label", Decimal("200"), *cite, cash=False),
    )
    pays = (
        WorkerPay(1, "甲", "c1", "东街道", "测试区", "toy", lines),
        WorkerPay(2, "乙", "c2", "东街道", "测试区", "toy", lines[:1]),
        WorkerPay(3, "丙", "c3", "西街道", "测试区", "toy", error={"zh": "缺参数", "en": "missing"}),
        WorkerPay(4, "丁", "c3", "西街道", "测试区", "toy", (Line("base", "x.y", Decimal("0.10"), *cite),)),
    )
    return PayrollRun("2026-11", "all", "2026-11-25T09:00:00+08:00", "operator", pays)


def test_payroll_has_totals_and_one_sheet_per_street(tmp_path: Path) -> None:
    path = export_payroll(_run(), tmp_path / "pay.xlsx", names={"c1": "一社区"})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["合计", "东街道", "西街道"]
    totals = list(book["合计"].iter_rows(values_only=True))
    assert totals[1][:7] == ("社区", "测试区", "东街道", "c1", "一社区", 1, 3215.5)
    assert [r[6] for r in totals[1:7]] == [3215.5, 3215.5, 0.1, 6431.0, 0.1, 6431.1]
    assert totals[6][0] == "总计" and totals[6][7] == 1
    east = list(book["东街道"].iter_rows(values_only=True))
    assert east[1] == ("c1", "一社区", 1, "甲", "base", 3215.5, "是", "办法.txt", "第十条")
    assert east[2][4:7] == ("meal", 200, "否")
    assert east[3][4:6] == ("小计", 3215.5)  # the worker's subtotal counts cash lines only
    assert east[-1][4:6] == ("东街道 合计", 6431.0)
    west = list(book["西街道"].iter_rows(values_only=True))
    assert west[1][4] == "无法计算：缺参数"
    assert book["东街道"]["F2"].number_format == "#,##0.00"
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml").decode()
    assert "<v>3215.50</v>" in xml and "<v>200.00</v>" in xml  # exact decimals, never binary floats
    with pytest.raises(TabularError):
        export_payroll(_run(), tmp_path / "pay.csv")


def test_round_staffing_forecast_and_alerts_open(tmp_path: Path) -> None:
    cite = Citation("办法.txt", "第二条")
    reason = {"zh": {"text": "得分 92", "citation": {"text": str(cite)}}, "en": {"text": "score 92"}}
    r = Round(
        2026,
        "year_end",
        "all",
        "t",
        "operator",
        (Entry(1, "甲", "street:测试区/东街道", "toy", "excellent", (reason,), decided="qualified"),),
        (QuotaUse("street:测试区/东街道", "excellent", 1, 5, 0, str(cite)),),
    )
    book = openpyxl.load_workbook(export_round(r, tmp_path / "round.xlsx", lang="zh"))
    assert book.sheetnames == ["考核结果", "名额使用"]
    first = list(book.worksheets[0].iter_rows(values_only=True))[1]
    assert first[4:9] == ("优秀", "合格", "合格", None, "得分 92（办法.txt 第二条）")

    req = StaffingRequirement("c1", 3, 4, cite, by_type={"staff": (2, None)})
    rows = [CommunityStaffing(community("c1"), 1, {"staff": 1}, req)]
    sheet = openpyxl.load_workbook(export_staffing(rows, tmp_path / "s.xlsx")).active
    assert list(sheet.iter_rows(values_only=True))[1][4:10] == (1, 3, 4, 2, 0, "专职工作人员：1/2/—")
    assert export_staffing(rows, tmp_path / "s.csv").read_text(encoding="utf-8-sig").count("\n") == 2

    due = [Due("retirement", dt.date(2027, 3, 1), 1, "甲", "c1", cite, (msg("track.male_60"),))]
    problem = Finding(
        "cannot_compute", Severity.ERROR, msg("finding.cannot_compute", reason="x"), None, "worker:2"
    )
    sheet = openpyxl.load_workbook(export_forecast(due, [problem], tmp_path / "f.xlsx", lang="en")).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:4] == (dt.datetime(2027, 3, 1), "Retirement", 1, "甲")
    assert values[2][1] == "Cannot compute"

    alert = Finding(
        "contract_end", Severity.WARNING, msg("track.female_55"), cite, "worker:1", dt.date(2027, 1, 1)
    )
    sheet = openpyxl.load_workbook(export_alerts([alert], tmp_path / "a.xlsx")).active
    assert list(sheet.iter_rows(values_only=True))[1][:2] == ("注意", "worker:1")


def test_exports_show_no_catalog_keys(tmp_path: Path, filled: MemoryRegistry) -> None:
    for lang in ("zh", "en"):
        paths = [
            export_payroll(_run(), tmp_path / f"p-{lang}.xlsx", lang=lang),
            tmp_path / f"r-{lang}.xlsx",
        ]
        export_roster(filled, paths[1], lang=lang, today=TODAY)
        for path in paths:
            for sheet in openpyxl.load_workbook(path).worksheets:
                for row in sheet.iter_rows(values_only=True):
                    assert not any(isinstance(v, str) and v.startswith("tabular.") for v in row), row
