"""Resident ID (居民身份证) checks, so a mistyped or Excel-mangled number never gets in.

python-stdnum's `cn.ric` knows the GB 11643 checksum and the embedded birth date; we add the
agreement of birth date and sex with the worker's other fields, with messages an operator can act on.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from core.errors import ValidationError
from core.i18n import msg
from core.privacy import mask_resident_id as mask_resident_id  # its old home; kept for callers

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def normalise_resident_id(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def check_resident_id(
    value: str,
    *,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    field: str = "id_number",
) -> str:
    """Return the normalised number or raise a `ValidationError` naming what is wrong with it."""
    number = normalise_resident_id(value)
    if _SCIENTIFIC.match(number) or number.endswith(".0"):
        raise ValidationError(field, msg("invalid.id_excel_number", value=value))
    if len(number) != 18:
        raise ValidationError(field, msg("invalid.id_length", value=value, length=len(number)))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(field, msg("invalid.id_characters", value=value))
    try:
        embedded = ric.get_birth_date(number)
    except (stdnum_errors.ValidationError, ValueError):
        raise ValidationError(field, msg("invalid.id_birth_date", value=value)) from None
    try:
        ric.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(field, msg("invalid.id_checksum", value=value)) from None
    except (stdnum_errors.ValidationError, KeyError):  # stdnum's region table can miss a key
        raise ValidationError(field, msg("invalid.id_region", value=value)) from None
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
    """The 18th character for 17 digits (GB 11643-1999), used by the demo generator and tests."""
    return str(ric.calc_check_digit(first17 + "0"))
