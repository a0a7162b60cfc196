"""Blank import templates: headers in the operator's language, one example row, the ID and phone
columns formatted as text, drop-down lists for every enumeration, and a notes sheet on each column.

The example row uses a made-up resident ID; an import skips a row carrying it, so a template filled
in below the example imports as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.i18n import msg, t
from core.resident_id import checksum_char
from core.storage.files import private_file
from core.tabular.errors import TabularError
from core.tabular.headers import COMMUNITY, COMMUNITY_COLUMNS, WORKER, WORKER_COLUMNS, Column
from core.tabular.writing import DATE_FORMAT, TEXT_FORMAT, Sheet, is_csv, write_book

TEMPLATE_ROWS = 5000  # rows below the header given the drop-down lists
_EXAMPLE_ID17 = "11010519880315002"
EXAMPLE_WORKER_ID = _EXAMPLE_ID17 + checksum_char(_EXAMPLE_ID17)
EXAMPLE_COMMUNITY_ID = "bj-hd-001"
KINDS = {"workers": WORKER, "communities": COMMUNITY}


def example_worker(lang: str | None = None) -> dict[str, Any]:
    """The example row's values (model values: codes, dates)."""
    return {
        "name": t("tabular.example.worker_name", lang),
        "sex": "female",
        "birth_date": dt.date(1988, 3, 15),
        "id_number": EXAMPLE_WORKER_ID,
        "community_id": EXAMPLE_COMMUNITY_ID,
        "service_start": dt.date(2015, 7, 1),
        "work_start": dt.date(2010, 7, 1),
        "entry": "hired",
        "education": "bachelor",
        "phone": "13800138000",
        "hukou_city": t("tabular.example.city", lang),
        "hukou_kind": "urban",
        "party": "member",
        "posts": ("staff", "grid_worker"),
        "post_start": dt.date(2015, 7, 1),
        "contract_kind": "labour",
        "contract_start": dt.date(2024, 7, 1),
        "contract_end": dt.date(2027, 6, 30),
        "certificate": "social_worker",
        "certificate_date": dt.date(2019, 12, 1),
        "status": "active",
        "note": t("tabular.example.note", lang),
    }


def example_community(lang: str | None = None) -> dict[str, Any]:
    return {
        "id": EXAMPLE_COMMUNITY_ID,
        "name": t("tabular.example.community_name", lang),
        "street": t("tabular.example.street", lang),
        "district": t("tabular.example.district", lang),
        "city": t("tabular.example.city", lang),
        "jurisdiction": "beijing.haidian",
        "kind": "urban",
        "households_resident": 3200,
        "households_registered": 2100,
        "population": 8600,
        "new_residents": 1500,
        "grid_count": 8,
        "office_area": Decimal("650.5"),
    }


def example_names() -> set[str]:
    """The example community's name in every language (an import skips that row)."""
    return {t("tabular.example.community_name", lang) for lang in ("zh", "en")}


def write_template(kind: str, path: str | Path, lang: str | None = None) -> Path:
    """Write the import template for "workers" or "communities" to `path` (.xlsx, or .csv by suffix)."""
    if kind not in KINDS:
        raise TabularError(msg("tabular.file.unknown_kind", kind=kind, kinds="、".join(KINDS)))
    table = KINDS[kind]
    columns = [c for c in (WORKER_COLUMNS if table == WORKER else COMMUNITY_COLUMNS) if c.importable]
    example = example_worker(lang) if table == WORKER else example_community(lang)
    target = Path(path)
    row = [c.format(example.get(c.field), lang) for c in columns]
    if is_csv(target):
        write_book(target, [Sheet(_title(table, lang), [c.header(lang) for c in columns], [row])])
        return target
    if target.suffix.lower() != ".xlsx":
        raise TabularError(msg("tabular.file.suffix", path=str(target), suffix=target.suffix or "?"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _title(table, lang)
    lists = book.create_sheet(t("tabular.sheet.lists", lang))
    _data_sheet(sheet, lists, columns, row, lang)
    _notes_sheet(book.create_sheet(t("tabular.sheet.notes", lang)), columns, example, lang)
    lists.sheet_state = "hidden"
    book.move_sheet(lists, offset=1)
    try:
        with private_file(target) as f:
            book.save(f)
    except OSError as exc:
        raise TabularError(
            msg("tabular.file.write_failed", path=str(target), reason=exc.strerror or str(exc))
        ) from None
    return target


def _title(table: str, lang: str | None) -> str:
    return t("tabular.sheet.workers" if table == WORKER else "tabular.sheet.communities", lang)


def _data_sheet(
    ws: Any, lists: Any, columns: Sequence[Column], example: Sequence[object], lang: str | None
) -> None:
    bold, red = Font(bold=True), Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor="FFF2CC")
    grey = Font(italic=True, color="808080")
    ws.append([c.header(lang) for c in columns])
    ws.append(list(example))
    list_column = 0
    for pos, col in enumerate(columns, start=1):
        letter = get_column_letter(pos)
        head = ws.cell(row=1, column=pos)
        head.font = red if col.required else bold
        head.fill = fill
        ws.column_dimensions[letter].width = max(
            col.width, len(col.header(lang)) * (2 if lang != "en" else 1) + 2
        )
        sample = ws.cell(row=2, column=pos)
        sample.font = grey
        cell_format = TEXT_FORMAT if col.is_text else DATE_FORMAT if col.kind == "date" else None
        if cell_format is not None:
            # A column style: Excel and WPS give it to every cell typed into the column later.
            ws.column_dimensions[letter].number_format = cell_format
            sample.number_format = cell_format
        if col.choices is not None:
            list_column += 1
            _validation(ws, lists, col, letter, list_column, lang)
    ws.freeze_panes = "A2"


def _validation(ws: Any, lists: Any, col: Column, letter: str, list_column: int, lang: str | None) -> None:
    """A drop-down from the hidden lists sheet; posts accept free text (several, separated by 、)."""
    assert col.choices is not None
    labels = col.choices.labels(lang)
    list_letter = get_column_letter(list_column)
    for i, label in enumerate(labels, start=1):
        lists.cell(row=i, column=list_column, value=label)
    source = f"'{lists.title}'!${list_letter}$1:${list_letter}${len(labels)}"
    several = col.kind == "many"
    rule = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=not several,
        showInputMessage=True,
        errorTitle=col.header(lang)[:32],
        error=t("tabular.template.choose", lang)[:255],
        promptTitle=col.header(lang)[:32],
        prompt=t("tabular.template.several" if several else "tabular.template.choose", lang)[:255],
    )
    ws.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")


def _notes_sheet(ws: Any, columns: Sequence[Column], example: Mapping[str, Any], lang: str | None) -> None:
    other = "en" if lang != "en" else "zh"
    headers = [
        t("tabular.notes.column", lang),
        t("tabular.notes.other_language", lang),
        t("tabular.notes.required", lang),
        t("tabular.notes.explanation", lang),
        t("tabular.notes.choices", lang),
        t("tabular.notes.example", lang),
    ]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    yes, no = t("tabular.notes.yes", lang), t("tabular.notes.no", lang)
    for col in columns:
        sample = col.format(example.get(col.field), lang)
        ws.append(
            [
                col.header(lang),
                col.header(other),
                yes if col.required else no,
                col.note(lang),
                "、".join(col.choices.labels(lang)) if col.choices is not None else "",
                sample.isoformat() if isinstance(sample, dt.date) else sample,
            ]
        )
    ws.append([])
    for key in (
        "tabular.notes.general.example",
        "tabular.notes.general.dates",
        "tabular.notes.general.ids",
        "tabular.notes.general.blank",
        "tabular.notes.general.languages",
    ):
        ws.append([t(key, lang)])
    for letter, width in zip("ABCDEF", (22, 26, 8, 70, 40, 24), strict=True):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2, max_col=6):
        for cell in row:
            cell.alignment = wrap
