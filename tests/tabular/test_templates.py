"""Templates: headers in the operator's language, text ID columns, drop-downs, notes, round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from core.memory import MemoryRegistry
from core.tabular import import_communities, import_workers, write_template
from core.tabular.errors import TabularError
from core.tabular.headers import COMMUNITY_COLUMNS, WORKER_COLUMNS
from core.tabular.templates import EXAMPLE_WORKER_ID
from tests.tabular.conftest import TODAY, resident_id


def _headers(path: Path) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(path).worksheets[0][1]]


@pytest.mark.parametrize(("lang", "notes"), [("zh", "说明"), ("en", "Notes")])
def test_workers_template_layout(tmp_path: Path, lang: str, notes: str) -> None:
    path = write_template("workers", tmp_path / "t.xlsx", lang)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert book.sheetnames[1] == notes
    importable = [c for c in WORKER_COLUMNS if c.importable]
    assert [c.value for c in sheet[1]] == [c.header(lang) for c in importable]
    letter = {c.field: openpyxl.utils.get_column_letter(i) for i, c in enumerate(importable, start=1)}
    for field in ("id_number", "phone"):
        assert sheet.column_dimensions[letter[field]].number_format == "@"
        assert sheet[f"{letter[field]}2"].number_format == "@"
        assert isinstance(sheet[f"{letter[field]}2"].value, str)
    assert sheet[f"{letter['id_number']}2"].value == EXAMPLE_WORKER_ID
    assert isinstance(sheet[f"{letter['birth_date']}2"].value, dt.datetime)
    validated = {
        str(v.sqref).split(":")[0].rstrip("0123456789") for v in sheet.data_validations.dataValidation
    }
    for field in ("sex", "education", "party", "entry", "status", "certificate", "hukou_kind", "posts"):
        assert letter[field] in validated, field
    lists = book.worksheets[2]
    assert lists.sheet_state == "hidden"
    sexes = {lists.cell(row=r, column=1).value for r in (1, 2)}
    assert sexes == ({"男", "女"} if lang == "zh" else {"male", "female"})
    described = [
        r[0] for r in book[notes].iter_rows(min_row=2, max_row=len(importable) + 1, values_only=True)
    ]
    assert described == [c.header(lang) for c in importable]


def test_communities_template_and_csv(tmp_path: Path) -> None:
    assert _headers(write_template("communities", tmp_path / "c.xlsx", "zh"))[:6] == [
        "社区编号",
        "社区名称",
        "街道",
        "区（县、市）",
        "城市",
        "适用规则",
    ]
    text = write_template("communities", tmp_path / "c.csv", "en").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(",")[:2] == ["Community ID", "Community name"]
    assert len(text.splitlines()) == 2
    with pytest.raises(TabularError):
        write_template("staff", tmp_path / "x.xlsx", "zh")


def test_template_fill_import_round_trip(tmp_path: Path, registry: MemoryRegistry) -> None:
    """Fill two people below the example row; the example is skipped, both are added."""
    path = write_template("workers", tmp_path / "t.xlsx", "zh")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]

    def put(r: int, **cells: object) -> None:
        for header, value in cells.items():
            sheet.cell(row=r, column=headers.index(header) + 1, value=value)

    put(
        3,
        姓名="王强",
        性别="男",
        身份证号=resident_id("19790304", 2, male=True),
        社区编号="c2",
        参加社区工作时间="20100901",
        产生方式="选任",
        学历="大专",
        岗位="社区党组织书记、居委会主任",
        合同类型="任期",
        合同开始日期=dt.datetime(2021, 1, 1),
        合同结束日期="2025/12/31",
        证书="助理社会工作师",
        证书登记日期="2016.06.30",
    )
    put(
        4,
        姓名="陈静",
        性别="女",
        身份证号=resident_id("19920715", 3, male=False),
        社区编号="c3",
        参加社区工作时间=dt.datetime(2018, 5, 2),
        产生方式="招聘",
        学历="本科",
        状态="试用期",
    )
    book.save(path)
    result = import_workers(registry, path, today=TODAY)
    assert (result.added, result.examples_skipped, result.problems) == (2, 1, ())
    wang = next(w for w in registry.workers() if w.name == "王强")
    assert [p.post for p in wang.posts] == ["party_secretary", "committee_director"]
    assert wang.birth_date == dt.date(1979, 3, 4)
    assert [(c.kind.value, c.start, c.end) for c in wang.contracts] == [
        ("term", dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    ]
    assert [(c.kind, c.registered) for c in wang.certificates] == [
        ("assistant_social_worker", dt.date(2016, 6, 30))
    ]
    chen = next(w for w in registry.workers() if w.name == "陈静")
    assert chen.status_on(TODAY).value == "probation"


def test_communities_template_round_trip(tmp_path: Path) -> None:
    registry = MemoryRegistry(user="operator")
    path = write_template("communities", tmp_path / "c.xlsx", "en")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append(
        ["sy-hp-001", "五里河社区", "五里河街道", "和平区", "沈阳市", "shenyang", "Urban community", 3000]
    )
    book.save(path)
    result = import_communities(registry, path, jurisdictions={"shenyang"}, lang="en")
    assert (result.added, result.examples_skipped, result.problems) == (1, 1, ())
    assert registry.get_community("sy-hp-001").households_resident == 3000
    assert [c.field for c in COMMUNITY_COLUMNS][:2] == ["id", "name"]
