"""Fixtures for the spreadsheet tests: a registry with communities, valid resident IDs, and files
written the way an office's Excel would (shared strings, IDs in text cells, real dates)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core.memory import MemoryRegistry
from core.model import Community
from core.resident_id import checksum_char
from core.tabular.headers import WORKER_COLUMNS

TODAY = dt.date(2026, 11, 25)
ZH_HEADERS = [c.zh for c in WORKER_COLUMNS if c.importable]
EN_HEADERS = [c.en for c in WORKER_COLUMNS if c.importable]
FIELDS = [c.field for c in WORKER_COLUMNS if c.importable]


def resident_id(birth: str, seq: int, *, male: bool, region: str = "110105") -> str:
    """A valid 18-character ID: `birth` as YYYYMMDD, `seq` 0-49 picks the sequence number."""
    number = 2 * seq + (1 if male else 0)
    first17 = f"{region}{birth}{number:03d}"
    return first17 + checksum_char(first17)


def community(cid: str, street: str = "东街道", jurisdiction: str = "toy") -> Community:
    return Community(
        id=cid,
        name=f"{cid}社区",
        street=street,
        district="测试区",
        city="测试市",
        jurisdiction=jurisdiction,
    )


@pytest.fixture
def registry() -> MemoryRegistry:
    reg = MemoryRegistry(user="operator")
    for c in (community("c1"), community("c2"), community("c3", street="西街道")):
        reg.add_community(c)
    return reg


def row(**values: Any) -> list[object]:
    """A worker row in template column order; `values` by field name."""
    return [values.get(f) for f in FIELDS]


def good_row(seq: int, **changes: Any) -> list[object]:
    """A valid row for a woman born 1985-06-0x, in community c1; `changes` override fields."""
    birth = f"198506{seq % 28 + 1:02d}"
    values: dict[str, Any] = {
        "name": f"人员{seq}",
        "sex": "女",
        "birth_date": dt.date(1985, 6, seq % 28 + 1),
        "id_number": resident_id(birth, seq % 50, male=False),
        "community_id": "c1",
        "service_start": dt.date(2012, 3, 1),
        "entry": "招聘",
        "education": "本科",
        "phone": "13800138000",
        "party": "群众",
        "posts": "专职工作人员",
        "status": "在岗",
    }
    values.update(changes)
    return row(**values)


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], headers: Sequence[str] = ZH_HEADERS) -> Path:
    """A workbook as an office would send it: openpyxl's normal mode writes shared strings."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append(list(headers))
    for r in rows:
        sheet.append(list(r))
    for cell in sheet[f"{_id_letter(headers)}"]:
        if isinstance(cell.value, str):
            cell.number_format = "@"
    book.save(path)
    return path


def _id_letter(headers: Sequence[str]) -> str:
    from openpyxl.utils import get_column_letter

    for i, h in enumerate(headers, start=1):
        if h in ("身份证号", "Resident ID number", "公民身份号码"):
            return get_column_letter(i)
    return "A"


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str, headers: Sequence[str] = ZH_HEADERS
) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        for r in rows:
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in r])
    return path
