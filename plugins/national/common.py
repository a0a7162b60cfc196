"""The national texts every local rule builds on, their citations and small shared readers.

The seeds hold local texts only; these national texts are cited by their own titles, as the
local plugins already cite the paid leave regulation (the conformance kit accepts them from any
jurisdiction: `core.conformance.checks.NATIONAL_DOCUMENTS`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import ValidationError
from core.hookspecs import RuleContext, SourceDocument
from core.i18n import msg
from core.model import IN_SERVICE, Worker
from core.results import Citation

KEY = "national"
# The national texts have no seed file (`file` ""): each is cited by its own title and article,
# and plugins/national/articles.toml lists the articles each has.
LEAVE_REGULATION = SourceDocument(
    "",
    "职工带薪年休假条例(国务院令第514号)",
    "Regulation on Paid Annual Leave of Employees (State Council Decree 514)",
)
LEAVE_MEASURES = SourceDocument(
    "",
    "企业职工带薪年休假实施办法(人力资源和社会保障部令第1号)",
    "Implementing Measures for Paid Annual Leave of Enterprise Employees (MOHRSS Decree 1)",
)
LABOUR_CONTRACT_LAW = SourceDocument(
    "", "中华人民共和国劳动合同法(2012修正)", "Labour Contract Law of the PRC (2012 amendment)"
)
COMMITTEE_LAW_1989 = SourceDocument(
    "", "中华人民共和国城市居民委员会组织法(1989)", "Organic Law of Urban Residents' Committees (1989)"
)
COMMITTEE_LAW_2018 = SourceDocument(
    "",
    "中华人民共和国城市居民委员会组织法(2018修正)",
    "Organic Law of Urban Residents' Committees (2018 amendment)",
)
# The 1980 notice numbers its provisions 一、二、三, not 第X条: 一 is the marriage and funeral leave.
MARRIAGE_NOTICE = SourceDocument(
    "",
    "国家劳动总局、财政部关于国营企业职工请婚丧假和路程假问题的通知((80)劳总薪字29号)",
    "Notice on marriage, funeral and travel leave of state enterprise employees ((80)劳总薪字29号, 1980)",
)
WOMEN_PROTECTION = SourceDocument(
    "",
    "女职工劳动保护特别规定(国务院令第619号)",
    "Special Rules on the Labour Protection of Female Employees (State Council Decree 619)",
)

DOCUMENTS: tuple[SourceDocument, ...] = (
    LEAVE_REGULATION,
    LEAVE_MEASURES,
    LABOUR_CONTRACT_LAW,
    COMMITTEE_LAW_1989,
    COMMITTEE_LAW_2018,
    MARRIAGE_NOTICE,
    WOMEN_PROTECTION,
)


def leave_rule(article: str) -> Citation:
    return LEAVE_REGULATION.cite(article)


def leave_measures(article: str) -> Citation:
    return LEAVE_MEASURES.cite(article)


def contract_law(article: str) -> Citation:
    return LABOUR_CONTRACT_LAW.cite(article)


def text_param(ctx: RuleContext, name: str, on: dt.date, allowed: tuple[str, ...]) -> str:
    """A text parameter that selects a Reading; a value outside `allowed` is refused by name."""
    value = str(ctx.params.value(name, on))
    if value not in allowed:
        raise ValidationError(name, msg("national.error.choice", value=value, allowed=" / ".join(allowed)))
    return value


def int_table(ctx: RuleContext, name: str, on: dt.date) -> list[tuple[int, int]]:
    """A `[[threshold, value], …]` table parameter, sorted by threshold."""
    raw = ctx.params.value(name, on)
    if not isinstance(raw, list) or not all(
        isinstance(row, list)
        and len(row) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in row)
        for row in raw
    ):
        raise ValidationError(name, msg("national.error.table", value=repr(raw)))
    return sorted((int(a), int(b)) for a, b in raw)


def money(raw: object, name: str) -> Decimal:
    """A non-negative amount read from a parameter or given by a caller."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int):
        raise ValidationError(name, msg("national.error.amount", value=repr(raw)))
    value = Decimal(raw)
    if value < 0:
        raise ValidationError(name, msg("national.error.amount", value=str(value)))
    return value


def on_books_in(worker: Worker, first: dt.date, last: dt.date) -> bool:
    """In service on at least one day of [first, last]: status is checked on the first day in
    service and on every day the status changed within the span."""
    if worker.service_start > last:
        return False
    days = {max(first, worker.service_start), last}
    days.update(s.since for s in worker.statuses if first <= s.since <= last)
    return any(worker.status_on(d) in IN_SERVICE for d in days if d >= worker.service_start)
