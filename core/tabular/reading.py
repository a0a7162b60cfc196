"""Reading an .xlsx or .csv file into rows of cells, each with the row number Excel shows.

Workbooks are read by `core.tabular.xlsx_read` (values straight from the sheet XML), or by
openpyxl's read-only mode when that reader meets something it does not handle. CSV files are
decoded as UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text") or, failing those,
GB18030 (what Excel writes on a Chinese Windows). Blank rows are dropped but keep their
numbers counted, so a report's "row 12" is row 12 in Excel.

Every file is held to `core.tabular.limits` before and while it is read, and any damage a reader
meets (a bad CRC, a broken deflate stream, malformed XML) is one `TabularError` line, never a
traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import openpyxl

from core.i18n import msg
from core.tabular.cells import is_blank
from core.tabular.errors import TabularError
from core.tabular.headers import Column, find_header
from core.tabular.limits import check_file_size, check_sheet_count, check_workbook, limited_rows
from core.tabular.xlsx_read import Unsupported, Workbook

XLSX_SUFFIXES = (".xlsx", ".xlsm")
# What a damaged or hostile workbook makes the zip module, zlib, expat or openpyxl raise.
_DAMAGED = (
    zipfile.BadZipFile,  # also a bad CRC, found when a part is read to its end
    zlib.error,  # a broken deflate stream
    EOFError,  # a truncated part
    NotImplementedError,
    RuntimeError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OverflowError,
    SyntaxError,  # xml.etree's ParseError
)
CSV_SUFFIXES = (".csv", ".txt")


class RawRow(NamedTuple):
    number: int  # as Excel numbers it: the first row is 1
    cells: tuple[object, ...]


@attrs.frozen
class Table:
    path: Path
    sheet: str  # the worksheet's title; "" for a CSV file
    rows: list[RawRow]  # non-blank rows only
    encoding: str = ""  # the CSV encoding found


def read_table(path: Path, columns: Sequence[Column] = ()) -> Table:
    """Every non-blank row of the file; for a workbook, of the first sheet whose header names
    `columns` (the first sheet if none does)."""
    if not path.is_file():
        raise TabularError(msg("tabular.file.missing", path=str(path)))
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES + CSV_SUFFIXES:
        check_file_size(path)
    if suffix in XLSX_SUFFIXES:
        try:
            return _read_xlsx(path, columns)
        except _DAMAGED as exc:
            reason = str(exc) or type(exc).__name__
            raise TabularError(msg("tabular.file.unreadable", path=str(path), reason=reason)) from None
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise TabularError(msg("tabular.file.old_format", path=str(path), suffix=suffix))
    raise TabularError(msg("tabular.file.suffix", path=str(path), suffix=suffix or "?"))


def _numbered(rows: Iterator[tuple[object, ...]]) -> Iterator[RawRow]:
    for number, cells in enumerate(rows, start=1):
        if cells and not all(is_blank(c) for c in cells):
            yield RawRow(number, tuple(cells))


def _read_xlsx(path: Path, columns: Sequence[Column]) -> Table:
    """The fast reader first (`core.tabular.xlsx_read`); openpyxl's read-only mode for anything it
    does not handle. Either only once the zip's directory and prologs passed `check_workbook`."""
    with zipfile.ZipFile(path) as book:
        check_workbook(book, path)
    try:
        return _read_xlsx_fast(path, columns)
    except Unsupported:
        return _read_xlsx_openpyxl(path, columns)


def _choose(sheets: Sequence[tuple[str, Callable[[], Iterator[RawRow]]]], columns: Sequence[Column]) -> int:
    """The first sheet whose header names at least two of `columns`, else the first sheet."""
    if columns and len(sheets) > 1:
        for i, (_, rows) in enumerate(sheets):
            found = find_header(((r.number, r.cells) for r in rows()), columns)
            if found is not None and len(found.positions) >= 2:
                return i
    return 0


def _read_xlsx_fast(path: Path, columns: Sequence[Column]) -> Table:
    book = Workbook(str(path))
    try:

        def rows_of(title: str, part: str) -> Callable[[], Iterator[RawRow]]:
            return lambda: limited_rows(
                (RawRow(n, cells) for n, cells in book.rows(part) if _filled(cells)), path, title
            )

        check_sheet_count(len(book.sheets), path)
        sheets = [(title, rows_of(title, part)) for title, part in book.sheets]
        chosen = _choose(sheets, columns)
        title, rows = sheets[chosen]
        return Table(path, title, list(rows()))
    finally:
        book.close()


def _filled(cells: Sequence[object]) -> bool:
    return bool(cells) and not all(is_blank(c) for c in cells)


def _read_xlsx_openpyxl(path: Path, columns: Sequence[Column]) -> Table:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TabularError(
            msg("tabular.file.unreadable", path=str(path), reason=str(exc) or type(exc).__name__)
        ) from None
    try:
        if not book.worksheets:
            raise TabularError(msg("tabular.file.empty", path=str(path)))

        def rows_of(sheet: Any) -> Callable[[], Iterator[RawRow]]:
            return lambda: limited_rows(_numbered(sheet.iter_rows(values_only=True)), path, str(sheet.title))

        check_sheet_count(len(book.worksheets), path)
        sheets = [(str(sheet.title), rows_of(sheet)) for sheet in book.worksheets]
        chosen = _choose(sheets, columns)
        title, rows = sheets[chosen]
        return Table(path, title, list(rows()))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise TabularError(
            msg("tabular.file.unreadable", path=str(path), reason=str(exc) or type(exc).__name__)
        ) from None
    finally:
        book.close()


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise TabularError(msg("tabular.file.encoding", offset=exc.start)) from None


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TabularError(
            msg("tabular.file.unreadable", path=str(path), reason=exc.strerror or str(exc))
        ) from None
    text, encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        cells = (tuple(c if c.strip() else None for c in row) for row in reader)
        rows = list(limited_rows(_numbered(cells), path, ""))
    except csv.Error as exc:
        raise TabularError(msg("tabular.file.unreadable", path=str(path), reason=str(exc))) from None
    return Table(path, "", rows, encoding)
