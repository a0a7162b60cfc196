"""Every header, note and value label the sheets show exists in both catalogs, and no exported or
template cell shows a raw catalog key."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from core.i18n import LANGUAGES, catalog
from core.tabular import write_template
from core.tabular.headers import COMMUNITY_COLUMNS, WORKER_COLUMNS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_columns_notes_and_labels_are_translated(lang: str) -> None:
    entries = catalog(lang)
    missing = []
    for col in (*WORKER_COLUMNS, *COMMUNITY_COLUMNS):
        for key in (col.key, f"tabular.note.{col.table}.{col.field}"):
            if key not in entries:
                missing.append(key)
        if col.choices is not None:
            missing.extend(
                col.choices.label_key(c) for c in col.choices.codes if col.choices.label_key(c) not in entries
            )
    assert missing == []


def test_headers_are_distinct_within_a_sheet() -> None:
    for columns in (WORKER_COLUMNS, COMMUNITY_COLUMNS):
        for lang in LANGUAGES:
            headers = [c.header(lang) for c in columns]
            assert len(headers) == len(set(headers))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_templates_show_no_catalog_keys(tmp_path: Path, lang: str) -> None:
    for kind in ("workers", "communities"):
        book = openpyxl.load_workbook(write_template(kind, tmp_path / f"{kind}.xlsx", lang))
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                assert not any(isinstance(v, str) and v.startswith("tabular.") for v in row), row
