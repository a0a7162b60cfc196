"""The Beijing source document, citations and the small facts every Beijing rule shares.

The seed file holds five texts; Beijing's rules come from three of them, cited by part
("第四篇" the city's 京办发[2008]20号, "第一篇" Haidian's 管理办法, "第三篇" the city's 社区管理办法)
and article, e.g. "第四篇 第五条(一)2".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext, SourceDocument
from core.i18n import Message, msg
from core.model import IN_SERVICE, Status, Worker
from core.results import Citation

DOCUMENT = "000_a0ecfbd89ce21d4d.txt"
KEY = "beijing"
HAIDIAN_KEY = "beijing.haidian"
CITY_TITLE = "北京市社区工作者管理办法(试行)(京办发[2008]20号)"
HAIDIAN_TITLE = "海淀区社区工作者管理办法(试行)"
COMMUNITY_TITLE = "北京市社区管理办法(试行)"
# File 000 bundles five texts; each is cited by its own title, found by its 篇.
CITY_TEXT = SourceDocument(
    DOCUMENT, CITY_TITLE, "Beijing measures for community workers (trial), 2008", ("第四篇",)
)
COMMUNITY_TEXT = SourceDocument(
    DOCUMENT,
    COMMUNITY_TITLE,
    "Beijing measures for community management (trial): service station staffing",
    ("第三篇",),
)
HAIDIAN_TEXT = SourceDocument(
    DOCUMENT, HAIDIAN_TITLE, "Haidian district measures for community workers (trial)", ("第一篇",)
)


def city(article: str) -> Citation:
    """An article of the city's 社区工作者管理办法 (第四篇)."""
    return CITY_TEXT.cite(f"第四篇 {article}")


def haidian(article: str) -> Citation:
    """An article of Haidian's 社区工作者管理办法 (第一篇)."""
    return HAIDIAN_TEXT.cite(f"第一篇 {article}")


def community_text(article: str) -> Citation:
    """An article of the city's 社区管理办法 (第三篇), which sets the 服务站 staffing standard."""
    return COMMUNITY_TEXT.cite(f"第三篇 {article}")


def text_param(ctx: RuleContext, name: str, on: dt.date, allowed: Sequence[str]) -> str:
    """A text parameter that selects a Reading; a value outside `allowed` is refused by name."""
    value = str(ctx.params.value(name, on))
    if value not in allowed:
        raise ValidationError(name, msg("beijing.error.choice", value=value, allowed=" / ".join(allowed)))
    return value


def table_entry(ctx: RuleContext, name: str, on: dt.date, key: str) -> Any:
    """One entry of a table parameter; a table set without the entry names both."""
    table = ctx.params.value(name, on)
    if not isinstance(table, dict) or key not in table:
        raise MissingParameter(ctx.jurisdiction, name, on.isoformat(), detail=key)
    return table[key]


def amount(raw: Any, name: str) -> Decimal:
    """A money figure or a weight read from a parameter: a non-negative Decimal, or refused by name."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int):
        raise ValidationError(name, msg("beijing.error.amount", value=repr(raw)))
    value = Decimal(raw)
    if value < 0:
        raise ValidationError(name, msg("beijing.error.amount", value=str(value)))
    return value


def text_list(ctx: RuleContext, name: str, on: dt.date) -> list[str]:
    """A table parameter holding a list of names or codes."""
    raw = ctx.params.value(name, on)
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValidationError(name, msg("beijing.error.list", value=repr(raw)))
    return list(raw)


def in_service(worker: Worker, day: dt.date) -> bool:
    """On the books that day: in service, or a retiree re-employed full time (第四篇 第五条(三))."""
    if day < worker.service_start:
        return False
    status = worker.status_on(day)
    return status in IN_SERVICE or (worker.reemployed_retiree and status == Status.RETIRED)


def yes_no(flag: bool) -> Message:
    return msg("beijing.yes" if flag else "beijing.no")


def years_text(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in years)
