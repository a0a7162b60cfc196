"""Damaged and hostile spreadsheets (issue 12, items 8 and 9): each is one `TabularError` line
before or while it is read, never a traceback and never gigabytes of memory.

Every file is built here from a valid workbook: a part with a flipped byte (bad CRC), a broken
deflate stream, a part flagged encrypted, a billion-laughs sheet, a zip bomb, a truncated zip.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.tabular import limits
from core.tabular.errors import TabularError
from core.tabular.reading import read_table

SHEET = "xl/worksheets/sheet1.xml"
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def _valid(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号"])
    sheet.append(["张三", "110105198506010020"])
    book.save(path)
    return path


def _rewritten(source: Path, target: Path, replace: dict[str, bytes], *, stored: bool = False) -> Path:
    """A copy of the workbook with some parts' content replaced; `stored` leaves the sheet unpacked."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info))
            kind = zipfile.ZIP_STORED if stored and info.filename == SHEET else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, data, compress_type=kind)
    return target


def _data_offset(path: Path, name: str) -> tuple[int, int]:
    """Where the part's packed bytes start in the file, and how many there are."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    raw = path.read_bytes()
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def _one_line_refusal(path: Path) -> str:
    with pytest.raises(TabularError) as caught:
        read_table(path)
    text = str(caught.value)
    assert "\n" not in text and path.name in text
    return text


def test_a_flipped_byte_is_a_bad_crc(tmp_path: Path) -> None:
    path = _rewritten(_valid(tmp_path / "ok.xlsx"), tmp_path / "crc.xlsx", {}, stored=True)
    start, size = _data_offset(path, SHEET)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"sheetData", start, start + size)  # change a tag's letter: still XML, wrong CRC
    raw[at] = ord("S")
    path.write_bytes(bytes(raw))
    assert "CRC" in _one_line_refusal(path)


def test_a_broken_deflate_stream(tmp_path: Path) -> None:
    path = _rewritten(_valid(tmp_path / "ok.xlsx"), tmp_path / "deflate.xlsx", {})
    start, _ = _data_offset(path, SHEET)
    raw = bytearray(path.read_bytes())
    raw[start : start + 4] = b"\xff\xff\xff\xff"  # block type 3 does not exist
    path.write_bytes(bytes(raw))
    _one_line_refusal(path)


def test_a_truncated_deflate_stream(tmp_path: Path) -> None:
    """The sheet's packed bytes cut short, the directory left claiming the full size."""
    path = _rewritten(_valid(tmp_path / "ok.xlsx"), tmp_path / "short.xlsx", {})
    start, size = _data_offset(path, SHEET)
    raw = bytearray(path.read_bytes())
    raw[start + size // 2 : start + size] = b"\x00" * (size - size // 2)
    path.write_bytes(bytes(raw))
    _one_line_refusal(path)


def test_an_encrypted_part(tmp_path: Path) -> None:
    path = _rewritten(_valid(tmp_path / "ok.xlsx"), tmp_path / "enc.xlsx", {})
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    raw[info.header_offset + 6] |= 0x1  # local header's flags
    central = raw.index(b"PK\x01\x02" + raw[raw.index(b"PK\x01\x02") + 4 : raw.index(b"PK\x01\x02") + 6])
    while True:  # the central directory entry naming the sheet
        name_len = struct.unpack("<H", raw[central + 28 : central + 30])[0]
        if raw[central + 46 : central + 46 + name_len] == SHEET.encode():
            break
        central = raw.index(b"PK\x01\x02", central + 4)
    raw[central + 8] |= 0x1
    path.write_bytes(bytes(raw))
    assert "xl/worksheets/sheet1.xml" in _one_line_refusal(path)


def test_billion_laughs(tmp_path: Path) -> None:
    path = _rewritten(_valid(tmp_path / "ok.xlsx"), tmp_path / "lol.xlsx", {SHEET: BILLION_LAUGHS})
    assert "DTD" in _one_line_refusal(path)


def _bomb(tmp_path: Path) -> Path:
    """100 MB of one repeated row, packed to about 0.1 MB."""
    path = _valid(tmp_path / "ok.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != SHEET:
                new.writestr(info.filename, old.read(info))
        with new.open(SHEET, "w") as part:
            part.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
            for _ in range(100 * limits.MB // len(chunk)):
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
    return bomb


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path)
    assert bomb.stat().st_size < 2 * limits.MB
    assert str(limits.MAX_RATIO) in _one_line_refusal(bomb)


def test_a_bomb_does_not_take_memory(tmp_path: Path) -> None:
    """Read in a child process whose address space is capped at 1 GB: the refusal comes first."""
    path = _bomb(tmp_path)
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from pathlib import Path\n"
        "from core.tabular.errors import TabularError\n"
        "from core.tabular.reading import read_table\n"
        "try:\n    read_table(Path(sys.argv[1]))\nexcept TabularError:\n    sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, check=False)
    assert done.returncode == 3, done.stderr.decode()


def test_the_unpacked_total_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _valid(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(path) as z:
        total = sum(i.file_size for i in z.infolist())
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", total - 1)
    _one_line_refusal(path)
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", total)
    assert read_table(path).rows[0].cells == ("姓名", "身份证号")


def test_a_truncated_zip(tmp_path: Path) -> None:
    path = _valid(tmp_path / "ok.xlsx")
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    _one_line_refusal(path)


def test_malformed_sheet_xml(tmp_path: Path) -> None:
    path = _rewritten(
        _valid(tmp_path / "ok.xlsx"), tmp_path / "bad.xlsx", {SHEET: b"<worksheet><sheetData><row>"}
    )
    _one_line_refusal(path)


def test_file_size_rows_and_cells_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    csv_path = tmp_path / "many.csv"
    csv_path.write_text("姓名\n" + "张三\n" * 11, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_ROWS", 11)
    assert "11" in _one_line_refusal(csv_path)
    monkeypatch.setattr(limits, "MAX_ROWS", 12)
    assert len(read_table(csv_path).rows) == 12

    long_cell = tmp_path / "long.csv"
    long_cell.write_text("姓名\n" + "张" * (limits.MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    assert str(limits.MAX_CELL_CHARS) in _one_line_refusal(long_cell)

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", csv_path.stat().st_size - 1)
    _one_line_refusal(csv_path)


def test_the_command_line_says_one_line_and_exits_1(tmp_path: Path) -> None:
    """A real process: `shegong import workers` on the billion-laughs file."""
    path = _rewritten(_valid(tmp_path / "ok.xlsx"), tmp_path / "lol.xlsx", {SHEET: BILLION_LAUGHS})
    db = tmp_path / "registry"
    shegong = Path(sys.executable).parent / "shegong"
    assert subprocess.run([shegong, "--db", db, "init"], capture_output=True, check=False).returncode == 0
    done = subprocess.run(
        [shegong, "--db", db, "import", "workers", path], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
