"""Resident ID (居民身份证) checks, so a mistyped or Excel-mangled number never gets in.

GB 11643-1999 fixes what a number must be: 17 digits (6 of region, 8 of birth date, 3 of order,
the last odd for a man) and a check character. We check those, the agreement of birth date and
sex with the worker's other fields, and that the birth date is not in the future.

The region is another matter: an ID carries the code of the office that issued it, and that code
is often younger than its holder (宁国市 341881 dates from 2000, 九龙坡区 500107 from 1997, 沈河区
210103 from 1983). python-stdnum refuses a code that did not exist in the birth year, which
refuses real people, so we never ask it that. A code that has existed at any time (its table
keeps every code with its years) is accepted; one it has never seen is a warning the operator
may accept (`region_warning`), never a refusal: the table is not complete and codes keep coming.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from stdnum import numdb

from core.errors import ValidationError
from core.i18n import Message, msg
from core.privacy import mask_resident_id as mask_resident_id  # its old home; kept for callers

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))  # GB 11643-1999 7.1: Wi = 2^(i-1) mod 11
_CHECK = "10X98765432"  # the check character for a weighted sum mod 11 of 0, 1, 2, …


def normalise_resident_id(value: str) -> str:
    """The number as stored: full-width digits and letters folded (NFKC), blanks dropped, X upper.

    `１１０１０８…` and `110108…` are the same person and must compare equal everywhere."""
    return "".join(normalise_digits(value).split()).upper()


def normalise_digits(value: str) -> str:
    """Full-width digits and letters folded (NFKC), so a phone number typed with an IME compares
    equal to the same number in ASCII; anything else as it was."""
    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def stored_id_key(value: str) -> str:
    """The stored number as an index compares it: unchanged when plain ASCII (every number saved
    since IDs are folded), else normalised; cheap enough for every worker of a city."""
    return value if value.isascii() else normalise_resident_id(value)


def check_resident_id(
    value: str,
    *,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    field: str = "id_number",
    today: dt.date | None = None,
) -> str:
    """Return the normalised number or raise a `ValidationError` naming what is wrong with it.

    An unknown region code is not an error here: ask `region_warning` for it."""
    number = normalise_resident_id(value)
    if _SCIENTIFIC.match(number) or number.endswith(".0"):
        raise ValidationError(field, msg("invalid.id_excel_number", value=value))
    if len(number) != 18:
        raise ValidationError(field, msg("invalid.id_length", value=value, length=len(number)))
    if not (number.isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError(field, msg("invalid.id_characters", value=value))
    try:
        embedded = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(field, msg("invalid.id_birth_date", value=value)) from None
    if number[17] != checksum_char(number[:17]):
        raise ValidationError(field, msg("invalid.id_checksum", value=value))
    if embedded > (today or dt.date.today()):
        raise ValidationError(field, msg("records.id_birth_future", value=value, embedded=embedded))
    if birth_date is not None and embedded != birth_date:
        raise ValidationError(
            field,
            msg("invalid.id_birth_mismatch", value=value, embedded=embedded, birth=birth_date),
        )
    if sex is not None:
        id_sex = "male" if int(number[16]) % 2 == 1 else "female"
        if id_sex != str(sex):
            raise ValidationError(
                field,
                msg(
                    "invalid.id_sex_mismatch",
                    value=value,
                    id_sex=msg(f"sex.{id_sex}"),
                    sex=msg(f"sex.{sex}"),
                ),
            )
    return number


def checksum_char(first17: str) -> str:
    """The 18th character for 17 digits (GB 11643-1999 7.1): Σ(ai×Wi) mod 11 → 1 0 X 9 8 … 2."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


@functools.cache
def region_known(code: str) -> bool:
    """Whether the six-digit region code has been a county-level code at any time, whatever the
    holder's birth year (python-stdnum's cn/loc table keeps retired codes with their years)."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    try:
        found = numdb.get("cn/loc").info(code)
    except (LookupError, ValueError):  # pragma: no cover - a damaged table
        return False
    return any("county" in props for _, props in found)


def region_warning(number: str) -> Message | None:
    """What to tell the operator about a checked number whose region code was never seen: the
    card may be right (a code newer than our table) or the first digits mistyped."""
    code = normalise_resident_id(number)[:6]
    return None if region_known(code) else msg("records.id_region_unknown", value=number, code=code)
