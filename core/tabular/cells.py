"""Turning one spreadsheet cell into a model value, or into a reason an operator can act on.

A cell arrives as whatever openpyxl or the CSV reader gives: text, an int or float, a datetime,
a bool. Each parser accepts the forms people actually type (`2026-11-25`, `20261125`, a real Excel
date; `本科` or `bachelor`) and raises `CellError` with what is wrong and how to fix it otherwise.
A resident ID that arrives as a number is always refused: Excel keeps 15 significant digits, so
the last digits of an 18-digit number are already gone and cannot be recovered from the file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

import attrs

from core.i18n import LANGUAGES, Message, msg, t

MIN_YEAR, MAX_YEAR = 1900, 2100
_DATE_SEPARATORS = re.compile(r"[./年月]")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
_MIDNIGHT = re.compile(r"[ T]0{1,2}:00(:00)?$")


class CellError(Exception):
    """A cell that cannot become its field's value: `problem` says why, `fix` what to do."""

    def __init__(self, problem: Message, fix: Message) -> None:
        super().__init__(problem.key)
        self.problem = problem
        self.fix = fix


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value: object) -> str:
    """The cell as the report shows it: dates as ISO text, whole floats without `.0`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def normalise(text: str) -> str:
    """Fold full-width characters, case and spaces, so `（男）` and `Male ` compare as expected."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _whole(value: int | float | Decimal) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return int(value) if value == int(value) else None


# --- text ----------------------------------------------------------------------------------------


def parse_text(value: object) -> str:
    """Plain text; a number typed into a text column is taken as its digits."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    if _is_number(value):
        assert isinstance(value, int | float | Decimal)
        whole = _whole(value)
        if whole is not None:
            return str(whole)
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(msg("tabular.problem.not_text"), msg("tabular.fix.text"))
        return display(value)
    raise CellError(msg("tabular.problem.not_text"), msg("tabular.fix.text"))


def parse_free_text(value: object) -> str:
    """A note: anything goes, kept as typed (dates and numbers as the report shows them)."""
    if isinstance(value, str):
        return value.strip()
    return display(value)


def parse_id_number(value: object) -> str:
    """A resident ID as typed in a text cell; never a number (see the module docstring)."""
    if _is_number(value):
        raise CellError(msg("tabular.problem.id_numeric"), msg("tabular.fix.id_numeric"))
    if not isinstance(value, str):
        raise CellError(msg("tabular.problem.not_text"), msg("tabular.fix.id_number"))
    # A leading apostrophe is how people force text in Excel; in a CSV it arrives as typed.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).lstrip("'").upper()


def parse_phone(value: object) -> str:
    if _is_number(value):
        assert isinstance(value, int | float | Decimal)
        whole = _whole(value)
        if whole is None or whole < 0:
            raise CellError(msg("tabular.problem.phone", value=display(value)), msg("tabular.fix.phone"))
        text = str(whole)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lstrip("'")
    else:
        raise CellError(msg("tabular.problem.phone", value=display(value)), msg("tabular.fix.phone"))
    digits = text.replace("-", "").replace(" ", "")
    if not (digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 12):
        raise CellError(msg("tabular.problem.phone", value=text), msg("tabular.fix.phone"))
    return text


# --- dates and numbers ---------------------------------------------------------------------------


def _date_error(value: object) -> CellError:
    return CellError(msg("tabular.problem.date", value=display(value)), msg("tabular.fix.date"))


def _checked(day: dt.date, value: object) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(
            msg("tabular.problem.date_range", value=display(value), low=MIN_YEAR, high=MAX_YEAR),
            msg("tabular.fix.date"),
        )
    return day


def parse_date(value: object) -> dt.date:
    """A real Excel date, `2026-11-25` (also with / . or 年月日) or `20261125`."""
    if isinstance(value, dt.datetime):
        return _checked(value.date(), value)
    if isinstance(value, dt.date):
        return _checked(value, value)
    if _is_number(value):
        assert isinstance(value, int | float | Decimal)
        whole = _whole(value)
        if whole is None or not 10000101 <= whole <= 99991231:
            raise _date_error(value)
        text = str(whole)
    elif isinstance(value, str):
        text = _MIDNIGHT.sub("", unicodedata.normalize("NFKC", value).strip())
        text = _DATE_SEPARATORS.sub("-", text).rstrip("-日")
    else:
        raise _date_error(value)
    for form in _DATE_FORMS:
        found = form.match(text)
        if found:
            try:
                day = dt.date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                raise _date_error(value) from None
            return _checked(day, value)
    raise _date_error(value)


def parse_count(value: object) -> int:
    """A whole number of households, people or grids: 0 or more."""
    number: int | None
    if _is_number(value):
        assert isinstance(value, int | float | Decimal)
        number = _whole(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
        number = int(text) if re.fullmatch(r"[+-]?\d+", text) else None
    else:
        number = None
    if number is None:
        raise CellError(msg("tabular.problem.count", value=display(value)), msg("tabular.fix.count"))
    if number < 0:
        raise CellError(msg("tabular.problem.negative", value=display(value)), msg("tabular.fix.count"))
    return number


def parse_area(value: object) -> Decimal:
    """Square metres, with up to two decimals kept exactly."""
    result: Decimal | None = None
    if isinstance(value, float):
        result = Decimal(repr(value)) if math.isfinite(value) else None
    elif _is_number(value):
        assert isinstance(value, int | Decimal)
        result = Decimal(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            result = None
    if result is None or not result.is_finite() or abs(result) >= Decimal(10) ** 9:
        raise CellError(msg("tabular.problem.number", value=display(value)), msg("tabular.fix.area"))
    if result < 0:
        raise CellError(msg("tabular.problem.negative", value=display(value)), msg("tabular.fix.area"))
    return result


# --- enumerations --------------------------------------------------------------------------------


@attrs.frozen
class Choices:
    """A closed vocabulary: codes, their catalog labels in every language, and common synonyms.

    `label_key(code)` names the catalog entry of a code's label; `listed` are the codes a template
    offers in its drop-down (all codes if empty).
    """

    name: str
    codes: tuple[str, ...]
    label_key: Callable[[str], str]
    synonyms: Mapping[str, str] = attrs.field(factory=dict)
    listed: tuple[str, ...] = ()

    def label(self, code: str, lang: str | None = None) -> str:
        text = t(self.label_key(code), lang)
        return code if text == self.label_key(code) else text

    def labels(self, lang: str | None = None) -> list[str]:
        return [self.label(code, lang) for code in (self.listed or self.codes)]

    def index(self, extra: Iterable[tuple[str, Iterable[str]]] = ()) -> dict[str, str]:
        """normalised spelling → code, built from the catalogs in force now."""
        out: dict[str, str] = {}
        for spelling, code in self.synonyms.items():
            out[normalise(spelling)] = code
        for code, spellings in extra:
            for spelling in (code, *spellings):
                if spelling:
                    out.setdefault(normalise(spelling), code)
        for code in self.codes:
            for lang in LANGUAGES:
                out[normalise(self.label(code, lang))] = code
            out[normalise(code)] = code
        return out


def choice_error(value: object, choices: Choices, lang: str | None) -> CellError:
    return CellError(
        msg("tabular.problem.choice", value=display(value)),
        msg("tabular.fix.choice", choices="、".join(choices.labels(lang))),
    )


def parse_choice(value: object, choices: Choices, index: Mapping[str, str], lang: str | None) -> str:
    if not isinstance(value, str):
        raise choice_error(value, choices, lang)
    code = index.get(normalise(value))
    if code is None:
        raise choice_error(value, choices, lang)
    return code


def parse_many(
    value: object, choices: Choices, index: Mapping[str, str], lang: str | None
) -> tuple[str, ...]:
    """Several choices in one cell, separated by 、 , ; or line breaks; order kept, repeats dropped."""
    if not isinstance(value, str):
        raise choice_error(value, choices, lang)
    out: list[str] = []
    for part in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", value)):
        if not part.strip():
            continue
        code = index.get(normalise(part))
        if code is None:
            raise CellError(
                msg("tabular.problem.choice_part", value=part.strip()),
                msg("tabular.fix.choice_many", choices="、".join(choices.labels(lang))),
            )
        if code not in out:
            out.append(code)
    if not out:
        raise choice_error(value, choices, lang)
    return tuple(out)
