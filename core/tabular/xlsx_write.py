"""A streaming .xlsx writer for large exports: rows go straight into the zipped sheet XML.

openpyxl's write-only mode builds an object and an XML element per cell; on the office's 2-core
machine that took about 9 s for a 10,000-worker roster, over the 4 s target. This writes the same
SpreadsheetML by string formatting (about a tenth of the time): shared strings, a fixed style
table (text `@`, date `yyyy-mm-dd`, money `#,##0.00`, bold header, wrapped text), a frozen header
row and column widths. Every file is read back with openpyxl in the tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from core.storage.files import PrivateFile

# Style ids (cellXfs positions) written in `_STYLES`.
PLAIN, TEXT, DATE, MONEY, HEADER, WRAP, DATETIME, TEXT_WRAP = range(8)

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)
_FLUSH_ROWS = 200

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="0" fillId="0" borderId="0" xfId="0"'
_WRAPPED = '<alignment vertical="top" wrapText="1"/>'
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {_NS}>
<numFmts count="2">
<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>
</numFmts>
<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>
<fills count="2">
<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="8">
<xf numFmtId="0" {_XF}/>
<xf numFmtId="49" {_XF} applyNumberFormat="1"/>
<xf numFmtId="164" {_XF} applyNumberFormat="1"/>
<xf numFmtId="4" {_XF} applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" {_XF} applyAlignment="1">{_WRAPPED}</xf>
<xf numFmtId="165" {_XF} applyNumberFormat="1"/>
<xf numFmtId="49" {_XF} applyNumberFormat="1" applyAlignment="1">{_WRAPPED}</xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return escape(value)


def _string_cell(ref: str, value: str, style: int, strings: dict[str, int]) -> str:
    s = f' s="{style}"' if style else ""
    index = strings.get(value)
    if index is None:
        index = strings[value] = len(strings)
    return f'<c r="{ref}"{s} t="s"><v>{index}</v></c>'


def cell_xml(ref: str, value: object, style: int, strings: dict[str, int]) -> str:
    """One `<c>` element; "" for an empty cell. Text goes to the shared strings (`strings`, text →
    index). `style` applies to numbers and text alike, except dates, which always get a date style."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _string_cell(ref, value, style, strings) if value != "" else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    s = f' s="{style}"' if style else ""
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, Decimal):
        if not value.is_finite():
            return _string_cell(ref, str(value), style, strings)
        return f'<c r="{ref}"{s}><v>{value:f}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            return _string_cell(ref, repr(value), style, strings)
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    return _string_cell(ref, str(value), style, strings)


def _shared_strings(strings: dict[str, int]) -> Iterator[str]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
    )
    for text in strings:  # dicts keep insertion order, which is the index order
        yield f'<si><t xml:space="preserve">{_text(text)}</t></si>'
    yield "</sst>"


class XlsxWriter:
    """Write sheets one after another: `add_sheet(title, widths, rows)`, then `close()`.

    `rows` yields (cells, styles) per row, where `styles[i]` is the style of cell i.
    """

    def __init__(self, path: Path) -> None:
        # A roster may hold full IDs: written as a private file, put in place only when complete.
        self._out = PrivateFile(path)
        try:
            self._zip = zipfile.ZipFile(self._out.file, "w", zipfile.ZIP_DEFLATED, compresslevel=5)
        except BaseException:
            self._out.discard()
            raise
        self._titles: list[str] = []
        self._strings: dict[str, int] = {}

    def add_sheet(
        self,
        title: str,
        widths: Sequence[float],
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        styles: Sequence[int],
        on_row: Callable[[], None] | None = None,
    ) -> None:
        self._titles.append(title)
        name = f"xl/worksheets/sheet{len(self._titles)}.xml"
        with self._zip.open(name, "w", force_zip64=True) as raw:
            _write_sheet(raw, widths, header, rows, styles, self._strings, on_row)

    def close(self) -> None:
        n = len(self._titles)
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(self._titles, start=1)
        )
        self._zip.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_NS_R}>'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += (
            f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/>'
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        self._zip.writestr("xl/styles.xml", _STYLES)
        with self._zip.open("xl/sharedStrings.xml", "w", force_zip64=True) as raw:
            chunk: list[str] = []
            for part in _shared_strings(self._strings):
                chunk.append(part)
                if len(chunk) >= 1000:
                    raw.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
            raw.write("".join(chunk).encode("utf-8"))
        self._zip.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self._zip.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            f"{overrides}</Types>",
        )
        self._zip.close()
        self._out.commit()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._zip.close()
        self._out.discard()


def _write_sheet(
    raw: IO[bytes],
    widths: Sequence[float],
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    styles: Sequence[int],
    strings: dict[str, int],
    on_row: Callable[[], None] | None,
) -> None:
    letters = [get_column_letter(i + 1) for i in range(max(len(header), 1))]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1) if w
    )
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )
    parts = [head, '<row r="1">']
    parts.extend(cell_xml(f"{letters[i]}1", text, HEADER, strings) for i, text in enumerate(header))
    parts.append("</row>")
    number = 1
    for row in rows:
        number += 1
        n = str(number)
        parts.append(f'<row r="{n}">')
        for i, value in enumerate(row):
            if value is None:
                continue
            while i >= len(letters):
                letters.append(get_column_letter(len(letters) + 1))
            parts.append(cell_xml(letters[i] + n, value, styles[i] if i < len(styles) else PLAIN, strings))
        parts.append("</row>")
        if on_row is not None:
            on_row()
        if number % _FLUSH_ROWS == 0:
            raw.write("".join(parts).encode("utf-8"))
            parts.clear()
    parts.append("</sheetData></worksheet>")
    raw.write("".join(parts).encode("utf-8"))
