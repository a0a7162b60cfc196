"""The argparse `type=` of every option that takes a number, a date, a month or a year: each read
within a documented range, so an absurd value is a one-line refusal, never a traceback further on.

`pay --month 99999-01` and `forecast --months 100000` once reached the date arithmetic and died
with `ValueError: year … is out of range`. Every such option now takes one of the types here; a
value outside its range raises `ValidationError`, which `ShegongParser` names by its option and
`main` prints on one line with exit code 1 (bad input, like any other refusal; exit 2 stays for bad
usage). The ranges are listed in the README ("Limits on input"), and tests/cli/test_absurd_numbers.py
walks the parser so a new option that forgets its type is caught.

Digits typed full width (２０２６) are read as ASCII digits (NFKC); other scripts' digits, which
Python's `int()` would quietly accept, are refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from core.errors import ValidationError
from core.i18n import msg
from core.results import Month

FIRST_YEAR, LAST_YEAR = 1900, 2100  # years, months and dates an operator may name
MAX_MONTHS = 1200  # a span in months (retire --within, forecast --months): a hundred years
MAX_ID = 999_999_999  # a record number or a revision
MAX_COUNT = 100_000_000  # households, residents, grids, quotas
MAX_AREA = Decimal(10) ** 9  # square metres
MAX_DEMO_WORKERS = 100_000
MAX_SEED = 2**32 - 1
MAX_AMOUNT = Decimal(10) ** 9  # yuan: a month's pay
MAX_BABIES = 10  # babies of one birth (maternity leave)

_WHOLE = re.compile(r"[+-]?[0-9]+")
_DATE_FORMS = (
    re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
    re.compile(r"^([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})$"),
    re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$"),
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def whole(text: str, field: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`; anything else names the range."""
    cleaned = _ascii(text)
    if len(cleaned) > 20 or not _WHOLE.fullmatch(cleaned) or not low <= int(cleaned) <= high:
        raise ValidationError(field, msg("cli.invalid.whole_range", value=text, low=low, high=high))
    return int(cleaned)


def date_in_range(text: str, field: str) -> dt.date:
    """`2026-11-25`, `20261125`, `2026/11/25` or `2026年11月25日`, from 1900 to 2100."""
    cleaned = _ascii(text)
    for form in _DATE_FORMS:
        found = form.match(cleaned)
        if found:
            try:
                day = dt.date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                break
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValidationError(
                    field, msg("cli.invalid.date_range", value=text, low=FIRST_YEAR, high=LAST_YEAR)
                )
            return day
    raise ValidationError(field, msg("cli.invalid.date", value=text))


def month_in_range(text: str, field: str) -> Month:
    """`2026-11`, `202611`, `2026/11` or `2026年11月`, from 1900-01 to 2100-12."""
    cleaned = _ascii(text)
    try:
        if any(ch.isdigit() and not ch.isascii() for ch in cleaned):  # int() would read them
            raise ValueError(text)
        month = Month.parse(cleaned)
    except (ValueError, TypeError):
        raise ValidationError(field, msg("cli.invalid.month", value=text)) from None
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise ValidationError(
            field, msg("cli.invalid.month_range", value=text, low=FIRST_YEAR, high=LAST_YEAR)
        )
    return month


def area(text: str, field: str) -> Decimal:
    """Square metres: 0 or more, below 10⁹."""
    cleaned = _ascii(text)
    try:
        value = Decimal(cleaned) if cleaned.isascii() else Decimal(-1)  # Decimal("١٢") would be 12
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value < MAX_AREA:
        raise ValidationError(field, msg("cli.invalid.area", value=text, high=MAX_AREA))
    return value


def money(text: str, field: str) -> Decimal:
    """Yuan: 0 or more, below 10⁹, at most to the fen."""
    cleaned = _ascii(text)
    try:
        value = Decimal(cleaned) if cleaned.isascii() else Decimal(-1)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value < MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise ValidationError(field, msg("cli.invalid.amount", value=text, high=MAX_AMOUNT))
    return value


# --- the types options take -------------------------------------------------------------------


def year(text: str) -> int:
    return whole(text, "year", FIRST_YEAR, LAST_YEAR)


def month(text: str) -> Month:
    return month_in_range(text, "month")


def date(text: str) -> dt.date:
    return date_in_range(text, "date")


def months(text: str) -> int:
    """A span of months ahead: 1 to 1200."""
    return whole(text, "months", 1, MAX_MONTHS)


def record_id(text: str) -> int:
    """A worker's registry number."""
    return whole(text, "id", 1, MAX_ID)


def revision(text: str) -> int:
    return whole(text, "revision", 0, MAX_ID)


def count(text: str) -> int:
    return whole(text, "count", 0, MAX_COUNT)


def office_area(text: str) -> Decimal:
    return area(text, "office_area")


def demo_workers(text: str) -> int:
    return whole(text, "workers", 1, MAX_DEMO_WORKERS)


def seed(text: str) -> int:
    return whole(text, "seed", 0, MAX_SEED)


def amount(text: str) -> Decimal:
    return money(text, "amount")


def babies(text: str) -> int:
    return whole(text, "babies", 1, MAX_BABIES)


# Every type above, for the test that checks each numeric option uses one of them.
TYPES: tuple[Callable[[str], object], ...] = (
    year,
    month,
    date,
    months,
    record_id,
    revision,
    count,
    office_area,
    demo_workers,
    seed,
    amount,
    babies,
)
