"""Writing sheets to .xlsx (streamed, `core.tabular.xlsx_write`) or .csv.

Every export and the errors file go through here, so the three promises hold everywhere: ID and
phone columns are text cells (`@`) holding text, money is an exact Decimal rounded to the cent
with the `#,##0.00` format (never a float), and text starting with `=` stays text, not a formula
(xlsx cells are inline strings, never formulas; in a CSV such text gets a leading `'`, below).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs

from core.i18n import msg
from core.storage.files import private_file
from core.tabular.errors import TabularError
from core.tabular.xlsx_write import MONEY, PLAIN, TEXT, TEXT_WRAP, WRAP, XlsxWriter

TEXT_FORMAT = "@"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CENT = Decimal("0.01")
PROGRESS_EVERY = 500
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")

Progress = Callable[[int, int], None]


@attrs.frozen
class Sheet:
    """One worksheet: `text` and `money` are 0-based positions of text and money columns."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    text: frozenset[int] = frozenset()
    money: frozenset[int] = frozenset()
    widths: Sequence[int] = ()
    wrap: frozenset[int] = frozenset()  # long texts (reasons, errors) shown wrapped


def money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def sheet_titles(names: Iterable[str]) -> list[str]:
    """Valid, distinct worksheet titles (at most 31 characters, none of []:*?/\\)."""
    out: list[str] = []
    for name in names:
        base = _BAD_TITLE.sub("_", name).strip("'") or "_"
        title, n = base[:31], 2
        while title.lower() in (o.lower() for o in out):
            suffix = f"({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        out.append(title)
    return out


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt")


def write_book(
    path: Path,
    sheets: Sequence[Sheet],
    *,
    progress: Progress | None = None,
    total: int = 0,
) -> None:
    """Write the sheets to `path`: a CSV takes exactly one sheet, anything else is .xlsx."""
    if is_csv(path):
        if len(sheets) != 1:
            raise TabularError(msg("tabular.file.csv_one_sheet", path=str(path), count=len(sheets)))
        _write_csv(path, sheets[0], progress, total)
        return
    if path.suffix.lower() != ".xlsx":
        raise TabularError(msg("tabular.file.suffix", path=str(path), suffix=path.suffix or "?"))
    ticker = _Ticker(progress, total)
    try:
        writer = XlsxWriter(path)
    except OSError as exc:
        raise TabularError(
            msg("tabular.file.write_failed", path=str(path), reason=exc.strerror or str(exc))
        ) from None
    try:
        for sheet, title in zip(sheets, sheet_titles(s.title for s in sheets), strict=True):
            rows = sheet.rows
            if sheet.money:
                rows = (_quantized(row, sheet.money) for row in rows)
            writer.add_sheet(title, sheet.widths, sheet.headers, rows, _styles(sheet), ticker.step)
        writer.close()
    except OSError as exc:
        writer.abort()
        raise TabularError(
            msg("tabular.file.write_failed", path=str(path), reason=exc.strerror or str(exc))
        ) from None
    ticker.finish()


class _Ticker:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        if self.progress is not None:
            end = max(self.done, self.total)
            self.progress(end, end)


def _styles(sheet: Sheet) -> list[int]:
    out = []
    for pos in range(len(sheet.headers)):
        if pos in sheet.text:
            out.append(TEXT_WRAP if pos in sheet.wrap else TEXT)
        elif pos in sheet.money:
            out.append(MONEY)
        elif pos in sheet.wrap:
            out.append(WRAP)
        else:
            out.append(PLAIN)
    return out


def _quantized(row: Sequence[object], positions: frozenset[int]) -> list[object]:
    return [money(v) if pos in positions and isinstance(v, Decimal) else v for pos, v in enumerate(row)]


# A CSV cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(text: str) -> str:
    """OWASP's advice against CSV injection: a leading single quote makes the cell plain text.

    Applied to text only: a number the export wrote itself (a negative deduction, `-12.50`) stays
    a number. A name that really starts with `=` reads back with the quote in front."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _neutralised(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, sheet: Sheet, progress: Progress | None, total: int) -> None:
    """UTF-8 with a BOM, so Excel on a Chinese Windows opens it without garbling the text."""
    done = 0
    try:
        with private_file(path) as raw:
            f = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            writer = csv.writer(f)
            writer.writerow([_neutralised(h) for h in sheet.headers])
            for row in sheet.rows:
                writer.writerow(
                    [
                        _csv_value(money(v) if pos in sheet.money and isinstance(v, Decimal) else v)
                        for pos, v in enumerate(row)
                    ]
                )
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, max(total, done))
            f.flush()
            f.detach()  # the private file is closed by its commit, not by the text layer
    except OSError as exc:
        raise TabularError(
            msg("tabular.file.write_failed", path=str(path), reason=exc.strerror or str(exc))
        ) from None
    if progress is not None:
        progress(max(done, total), max(done, total))
