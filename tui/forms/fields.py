"""One form field: how its text becomes a value, and what the operator reads when it cannot.

The parsing itself is the spreadsheet import's (`core.tabular.cells`) and the model's resident ID
check (`core.resident_id`), so a value the form accepts is one an import would accept, and the two
never disagree on what a date or an ID number is. This module only adds the form's wording: every
refusal is a `FieldError` that renders as "field: what is wrong. Expected: what to type".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from core.errors import ValidationError
from core.i18n import Message, msg, t
from core.resident_id import check_resident_id
from core.tabular.cells import (
    CellError,
    normalise,
    parse_area,
    parse_count,
    parse_date,
    parse_id_number,
    parse_phone,
    parse_text,
)
from tui.labels import listing

MAX_TEXT = 200
"""Longer text in a one-line field is a paste gone wrong, not a name or a street."""

Choices = Sequence[tuple[str, str]]
"""(code, label) pairs a choice field offers, in the order shown."""


class FieldError(Exception):
    """A field's text that cannot become its value: `problem` says why, `expected` what to type."""

    def __init__(self, field: str, label_key: str, problem: Message, expected: Message) -> None:
        super().__init__(problem.key)
        self.field = field
        self.label_key = label_key
        self.problem = problem
        self.expected = expected

    @property
    def text(self) -> str:
        """The whole message, in the language in force: `出生日期：… 应为：…`."""
        return t(
            "ui.form.error",
            field=t(self.label_key),
            problem=self.problem.render(),
            expected=self.expected.render(),
        )

    def __str__(self) -> str:
        return self.text


class Refused(Exception):
    """Raised by a parser for a value it cannot take; `parse_field` adds the field's wording."""

    def __init__(self, problem: Message) -> None:
        super().__init__(problem.key)
        self.problem = problem


@attrs.frozen
class FieldSpec:
    """A field of a form: its model name, its label, what it expects and how it parses."""

    name: str
    label_key: str
    expect_key: str
    parse: Callable[[str], Any]
    required: bool = False
    choices: Choices = ()
    expect_args: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def label(self) -> str:
        return t(self.label_key)

    @property
    def expected(self) -> Message:
        return msg(self.expect_key, **self.expect_args)

    def error(self, problem: Message) -> FieldError:
        return FieldError(self.name, self.label_key, problem, self.expected)

    def display(self, text: str) -> str:
        """The text as the operator reads it: a choice's label rather than its code."""
        for code, label in self.choices:
            if code == text:
                return label
        return text


def parse_field(spec: FieldSpec, text: str) -> Any:
    """The field's value, `None` for a blank optional field; `FieldError` for anything else wrong.

    Never raises another exception for any text: a parser's unexpected failure is reported as
    the field's value not being readable, so a form can never crash on what was typed.
    """
    if not text.strip():
        if spec.required:
            raise spec.error(msg("ui.form.problem.blank"))
        return None
    try:
        return spec.parse(text)
    except Refused as exc:
        raise spec.error(exc.problem) from None
    except CellError as exc:
        raise spec.error(exc.problem) from None
    except ValidationError as exc:
        raise spec.error(exc.problem) from None
    except (ArithmeticError, LookupError, ValueError, TypeError):
        raise spec.error(msg("ui.form.problem.unreadable", value=text.strip())) from None


# --- parsers: text → value, raising Refused / CellError / ValidationError ---------------------------


def text_value(text: str) -> str:
    value = parse_text(text)
    if len(value) > MAX_TEXT:
        raise Refused(msg("ui.form.problem.too_long", length=len(value), limit=MAX_TEXT))
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise Refused(msg("ui.form.problem.control"))
    return value


def code_value(text: str) -> str:
    """An identifier such as a community's `tc-001`: no spaces inside."""
    value = text_value(text)
    if any(ch.isspace() for ch in value):
        raise Refused(msg("ui.form.problem.spaces", value=value))
    return value


def note_value(text: str) -> str:
    """A free note: kept as typed apart from the surrounding blanks."""
    return text.strip()


def date_value(text: str) -> Any:
    return parse_date(text)


def resident_id_value(text: str) -> str:
    """18 characters with a valid checksum and birth date; never a number (kept as text)."""
    return check_resident_id(parse_id_number(text))


def phone_value(text: str) -> str:
    return parse_phone(text)


def count_value(text: str) -> int:
    return parse_count(text)


def decimal_value(text: str) -> Any:
    """0 or more, exact (Decimal), as areas and amounts are kept."""
    return parse_area(text)


def choice_parser(choices: Choices) -> Callable[[str], str]:
    """A parser taking a choice's code or its label (any width, any case)."""
    index: dict[str, str] = {}
    for code, label in choices:
        index.setdefault(normalise(label), code)
        index[normalise(code)] = code

    def parse(text: str) -> str:
        code = index.get(normalise(text))
        if code is None:
            raise Refused(msg("ui.form.problem.choice", value=text.strip()))
        return code

    return parse


# --- field constructors ---------------------------------------------------------------------------


def text_field(name: str, label_key: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.text", text_value, required)


def code_field(name: str, label_key: str) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.code", code_value, True)


def note_field(name: str, label_key: str) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.text", note_value)


def date_field(name: str, label_key: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.date", date_value, required)


def resident_id_field(name: str, label_key: str) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.resident_id", resident_id_value, True)


def phone_field(name: str, label_key: str) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.phone", phone_value)


def count_field(name: str, label_key: str) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.count", count_value)


def decimal_field(name: str, label_key: str) -> FieldSpec:
    return FieldSpec(name, label_key, "ui.form.expect.decimal", decimal_value)


def choice_field(name: str, label_key: str, choices: Choices, *, required: bool = False) -> FieldSpec:
    listed = listing([label for _, label in choices])
    return FieldSpec(
        name,
        label_key,
        "ui.form.expect.choice",
        choice_parser(choices),
        required,
        tuple(choices),
        {"choices": listed},
    )


def parse_all(
    specs: Mapping[str, FieldSpec], texts: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """Every field's value (blank optional ones as None) and every field's error, by field name."""
    values: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for name, spec in specs.items():
        try:
            values[name] = parse_field(spec, texts.get(name, ""))
        except FieldError as exc:
            errors[name] = exc
    return values, errors
