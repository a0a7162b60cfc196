"""How big an input file may be, checked before it is parsed, and what a workbook may not contain.

An .xlsx is a zip of XML: 0.4 MB on disk once unpacked to 400 MB and took 1.2 GB to read, and an
XML part can declare entities that expand without end (the "billion laughs"). Both are refused here
from the zip's directory and the first bytes of each part, before any reader builds a row. The
limits are generous for a street office (50,000 workers fit several times over) and are listed in
the README ("Limits on input"); each refusal is one line naming the file and the limit.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from core.i18n import msg
from core.tabular.errors import TabularError

MB = 1024 * 1024
MAX_FILE_BYTES = 64 * MB  # an input file as it is on disk (.xlsx or .csv)
MAX_UNPACKED_BYTES = 256 * MB  # every part of a workbook together, unpacked
MAX_RATIO = 100  # how many times its packed size one part may unpack to (Apache POI's default)
RATIO_FROM = 1 * MB  # parts smaller than this unpacked are not held to the ratio
MAX_PARTS = 10_000  # files inside the workbook's zip
MAX_SHEETS = 255
MAX_ROWS = 100_000  # non-blank rows of the sheet read
MAX_COLUMNS = 1_000  # cells in one row
MAX_CELL_CHARS = 32_767  # characters in one cell: Excel's own limit
PROLOG_BYTES = 64 * 1024  # an XML part must start its root element within this many bytes

Row = TypeVar("Row", bound=tuple[int, tuple[object, ...]])

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ENCRYPTED = 0x1  # general purpose bit 0 of a zip entry


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TabularError(
            msg("tabular.limit.file_size", path=str(path), size=_mb(size), limit=_mb(MAX_FILE_BYTES))
        )


def check_sheet_count(count: int, path: Path) -> None:
    if count > MAX_SHEETS:
        raise TabularError(msg("tabular.limit.sheets", path=str(path), count=count, limit=MAX_SHEETS))


def check_workbook(book: zipfile.ZipFile, path: Path) -> None:
    """Refuse a workbook whose zip directory promises too much, or that holds an encrypted part, a
    compression Excel never writes, or an XML part declaring a DTD (entities)."""
    parts = book.infolist()
    if len(parts) > MAX_PARTS:
        raise TabularError(msg("tabular.limit.parts", path=str(path), count=len(parts), limit=MAX_PARTS))
    total = 0
    for info in parts:
        if info.flag_bits & _ENCRYPTED:
            raise TabularError(msg("tabular.file.encrypted", path=str(path), part=info.filename))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TabularError(msg("tabular.file.compression", path=str(path), part=info.filename))
        total += info.file_size
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise TabularError(
                msg("tabular.limit.ratio", path=str(path), part=info.filename, ratio=ratio, limit=MAX_RATIO)
            )
    if total > MAX_UNPACKED_BYTES:
        raise TabularError(
            msg("tabular.limit.unpacked", path=str(path), size=_mb(total), limit=_mb(MAX_UNPACKED_BYTES))
        )
    for info in parts:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            with book.open(info) as stream:
                head = stream.read(PROLOG_BYTES)
            if _declares_dtd(head):
                raise TabularError(msg("tabular.file.dtd", path=str(path), part=info.filename))


def _declares_dtd(head: bytes) -> bool:
    """Whether the XML prolog (everything before the root element) holds a DOCTYPE, the only place
    entities can be declared; a root not started within `PROLOG_BYTES` counts as one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0 or start + 1 >= len(text):
            return len(head) >= PROLOG_BYTES  # no root yet: too long a prolog to be Excel's
        following = text[start + 1]
        if following == "?":  # the XML declaration or a processing instruction
            end = text.find("?>", start)
        elif text.startswith("!--", start + 1):
            end = text.find("-->", start)
        else:  # <!DOCTYPE …> (any other <! before the root is malformed), or the root element
            return following == "!"
        if end < 0:
            return len(head) >= PROLOG_BYTES
        position = end + 2


def limited_rows(rows: Iterable[Row], path: Path, sheet: str) -> Iterator[Row]:
    """The rows as given, refusing the file at the first one past a limit (rows, columns, cell)."""
    for count, row in enumerate(rows, start=1):
        number, cells = row
        if count > MAX_ROWS:
            raise TabularError(msg("tabular.limit.rows", path=str(path), sheet=sheet or "-", limit=MAX_ROWS))
        if len(cells) > MAX_COLUMNS:
            raise TabularError(
                msg("tabular.limit.columns", path=str(path), row=number, count=len(cells), limit=MAX_COLUMNS)
            )
        for cell in cells:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise TabularError(
                    msg(
                        "tabular.limit.cell",
                        path=str(path),
                        row=number,
                        length=len(cell),
                        limit=MAX_CELL_CHARS,
                    )
                )
        yield row


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"
