"""Reading files: the fast .xlsx reader agrees with openpyxl's, and every unreadable file says why."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.memory import MemoryRegistry
from core.tabular import export_roster, import_workers, reading, write_template
from core.tabular.errors import TabularError
from core.tabular.headers import WORKER_COLUMNS
from core.tabular.writing import Sheet, write_book
from core.tabular.xlsx_read import Unsupported
from tests.tabular.conftest import TODAY, good_row, write_xlsx


def _trimmed(table: reading.Table) -> list[tuple[int, tuple[object, ...]]]:
    out = []
    for r in table.rows:
        cells = list(r.cells)
        while cells and cells[-1] is None:
            cells.pop()
        out.append((r.number, tuple(cells)))
    return out


def _files(tmp_path: Path, registry: MemoryRegistry) -> list[Path]:
    mixed = tmp_path / "mixed.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["文字", "整数", "小数", "日期", "时间", "布尔", "公式"])
    sheet.append(["甲", 12, 0.25, dt.datetime(2026, 11, 25), dt.datetime(2026, 1, 2, 8, 30), True, "=1+1"])
    sheet.append([])
    sheet.append([None, -3, 1e20, dt.date(1900, 3, 1), None, False])
    sheet["H6"] = "远处的格子"
    book.save(mixed)
    rows = [good_row(i) for i in range(4)]
    import_workers(registry, write_xlsx(tmp_path / "in.xlsx", rows), today=TODAY)
    export_roster(registry, tmp_path / "roster.xlsx", full_ids=True, today=TODAY)
    return [
        mixed,
        tmp_path / "in.xlsx",
        tmp_path / "roster.xlsx",
        write_template("workers", tmp_path / "t.xlsx", "zh"),
        write_template("communities", tmp_path / "c.xlsx", "en"),
    ]


def test_fast_reader_agrees_with_openpyxl(tmp_path: Path, registry: MemoryRegistry) -> None:
    for path in _files(tmp_path, registry):
        fast = reading._read_xlsx_fast(path, WORKER_COLUMNS)
        slow = reading._read_xlsx_openpyxl(path, WORKER_COLUMNS)
        assert (fast.sheet, _trimmed(fast)) == (slow.sheet, _trimmed(slow)), path.name


def test_chinese_builtin_date_formats_are_dates(tmp_path: Path) -> None:
    """Chinese Excel stores 2026年11月25日 with the built-in numFmtId 31, which openpyxl reads as a
    number; the fast reader knows it is a date."""
    plain = tmp_path / "plain.xlsx"
    write_book(plain, [Sheet("s", ["出生日期"], [[dt.date(2026, 11, 25)]])])
    cjk = tmp_path / "cjk.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(cjk, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b'<xf numFmtId="164"', b'<xf numFmtId="31"')
            dst.writestr(item, data)
    assert reading._read_xlsx_fast(cjk, ()).rows[1].cells == (dt.datetime(2026, 11, 25),)
    assert reading._read_xlsx_openpyxl(cjk, ()).rows[1].cells == (46351,)


def test_falls_back_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.xlsx"
    write_book(path, [Sheet("s", ["姓名"], [["甲"], [Decimal("1.50")]])])

    def refuse(_: str) -> None:
        raise Unsupported("test")

    monkeypatch.setattr(reading, "Workbook", refuse)
    assert [r.cells for r in reading.read_table(path).rows] == [("姓名",), ("甲",), (1.5,)]


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "tabular.file.old_format"),
        ("notes.docx", b"PK", "tabular.file.suffix"),
        ("broken.xlsx", b"not a zip", "tabular.file.unreadable"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, content: bytes, key: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TabularError) as caught:
        reading.read_table(path)
    assert caught.value.message.key == key
    with pytest.raises(TabularError) as missing:
        reading.read_table(tmp_path / "nowhere.xlsx")
    assert missing.value.message.key == "tabular.file.missing"


def test_csv_encodings_and_delimiters(tmp_path: Path) -> None:
    text = "姓名\t性别\r\n张三\t男\r\n\r\n李四\t女\r\n"
    for encoding, name in (("utf-16", "u16.txt"), ("gb18030", "gb.csv"), ("utf-8-sig", "bom.csv")):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        table = reading.read_table(path)
        assert [(r.number, r.cells) for r in table.rows] == [
            (1, ("姓名", "性别")),
            (2, ("张三", "男")),
            (4, ("李四", "女")),
        ], encoding
