"""Printing for the command line: tables aligned for Chinese text, JSON for scripts.

A Chinese character takes two terminal columns, so `str.ljust` would misalign every table with a
name in it; widths here are counted in cells (East Asian Wide and Fullwidth count two).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

import orjson

from core.i18n import t
from core.report import to_data
from core.text_fields import visible

MAX_COLUMN = 60  # terminal cells: a longer cell is cut with "…" so one value cannot widen a table
MAX_VALUE = 2000  # characters of one value in a record's detail view


def cell_width(text: str) -> int:
    """Terminal columns `text` takes: two for wide (CJK) characters, none for combining marks."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def shown(text: str, limit: int | None = None, *, multiline: bool = False) -> str:
    """`text` safe to print: control characters, escapes and bidi marks written as visible `\\x1b`
    or `\\u202e` (records saved before the model refused them may hold some), cut to `limit` cells."""
    if limit is not None and len(text) > limit:
        text = text[: limit + 1]  # no need to look at more than can be shown
    text = visible(text, multiline=multiline)
    if limit is not None and cell_width(text) > limit:
        out, width = [], 0
        for ch in text:
            width += cell_width(ch)
            if width > limit - 1:
                break
            out.append(ch)
        text = "".join(out) + "…"
    return text


def join(items: Iterable[str]) -> str:
    """A list in running text: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return t("cli.list_sep").join(items)


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table: a header, a rule, then one line per row; columns padded by cell width."""
    body = [["" if cell is None else shown(str(cell), MAX_COLUMN) for cell in row] for row in rows]
    widths = [cell_width(h) for h in headers]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_width(cell))
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body)
    return "\n".join(lines)


def format_fields(pairs: Iterable[tuple[str, object]]) -> str:
    """`label：value` lines with the labels padded to one width (a record's detail view)."""
    items = [(label, "" if v is None else shown(str(v), MAX_VALUE, multiline=True)) for label, v in pairs]
    width = max((cell_width(label) for label, _ in items), default=0)
    return "\n".join(f"{pad(label, width)}  {value}".rstrip() for label, value in items)


def dumps_json(data: Any, lang: str | None = None) -> str:
    """Machine-readable JSON: dates ISO, Decimal as text, enums as their value, messages rendered."""
    return orjson.dumps(to_data(data, lang), option=orjson.OPT_INDENT_2).decode("utf-8")


def print_json(data: Any, lang: str | None = None, stream: TextIO | None = None) -> None:
    print(dumps_json(data, lang), file=stream or sys.stdout)


def print_text(text: str, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)
