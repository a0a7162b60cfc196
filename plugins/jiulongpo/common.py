"""Citations, periods and in-service checks shared by the Jiulongpo rules."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.errors import ValidationError
from core.i18n import msg
from core.model import IN_SERVICE, Worker
from core.params import Parameters
from core.results import Citation

DOCUMENT = "004_5569dc7a30480689.txt"
TITLE = "重庆市九龙坡区社区工作者管理办法（试行）（九龙坡府办发〔2023〕92号）"
TITLE_EN = "Jiulongpo District measures for community workers (trial, 2023)"
IN_FORCE = dt.date(2023, 12, 1)


def cite(article: str) -> Citation:
    return Citation(DOCUMENT, article, TITLE, TITLE_EN)


def in_service(worker: Worker, day: dt.date) -> bool:
    return worker.service_start <= day and worker.status_on(day) in IN_SERVICE


def period_end(start: dt.date, months: int) -> dt.date:
    """Last day of a period of `months` that begins on `start` (its first day counts).

    The period ends the day before the same date `months` later (1 January + 6 months: 30 June);
    where that month has no such date (31 August + 6 months), it ends on that month's last day, as
    民法典 第二百零二条 does for a period with no corresponding day.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    if start.day > last:
        return dt.date(year, month0 + 1, last)
    return dt.date(year, month0 + 1, start.day) - dt.timedelta(days=1)


def table(params: Parameters, name: str, on: dt.date) -> Mapping[str, Any]:
    value = params.value(name, on)
    if not isinstance(value, Mapping):
        raise ValidationError(name, msg("jiulongpo.error.table_shape", name=name))
    return value


def amount(value: Any, where: str) -> Decimal:
    """A money figure or score from a table cell: text or a number, never negative, never a flag."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(where, msg("jiulongpo.error.not_amount", where=where, value=repr(value)))
    result = Decimal(value)
    if result < 0:
        raise ValidationError(where, msg("jiulongpo.error.not_amount", where=where, value=repr(value)))
    return result
