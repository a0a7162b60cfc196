"""Every import and form validator fed random input: it returns a value of the right kind or says
what is wrong in both languages, never crashes. Covers each spreadsheet cell parser, the choice
parsers with the real vocabularies, whole files of random bytes, the model's own checks (what the
contact form and the importer rely on) and the command line's option parsers. The row validators
are fuzzed in tests/tabular/test_fuzz.py."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ShegongError, ValidationError, ValidationErrors
from core.model import Education, Sex
from core.resident_id import check_resident_id
from core.tabular import cells
from core.tabular.cells import CellError
from core.tabular.errors import TabularError
from core.tabular.headers import COMMUNITY_COLUMNS, WORKER_COLUMNS
from core.tabular.reading import read_table
from tests.storage.conftest import make_worker
from tests.storage.figures import record
from tui.cli import options, values

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[0-9０-９ \-/.年月日:T']{0,24}", fullmatch=True),
    st.sampled_from(["2026-02-30", "20261125", "0000-00-00", "9999-12-31", "1,200", "-0", "1e9", "NaN", "∞"]),
)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.binary(max_size=8),
)


def _explains(error: CellError) -> None:
    for lang in ("zh", "en"):
        assert error.problem.render(lang).strip() and error.fix.render(lang).strip()


PARSERS: dict[str, tuple[Callable[[object], Any], Callable[[Any], bool]]] = {
    "text": (cells.parse_text, lambda v: isinstance(v, str)),
    "free_text": (cells.parse_free_text, lambda v: isinstance(v, str)),
    "id_number": (cells.parse_id_number, lambda v: isinstance(v, str) and v == v.strip().upper()),
    "phone": (cells.parse_phone, lambda v: isinstance(v, str) and sum(c.isdigit() for c in v) >= 7),
    "date": (cells.parse_date, lambda v: type(v) is dt.date and cells.MIN_YEAR <= v.year <= cells.MAX_YEAR),
    "count": (cells.parse_count, lambda v: type(v) is int and v >= 0),
    "area": (cells.parse_area, lambda v: isinstance(v, Decimal) and v.is_finite() and 0 <= v < 10**9),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_each_cell_parser_returns_its_kind_or_explains(name: str) -> None:
    parse, fits = PARSERS[name]

    @FAST
    @given(value=CELL)
    def check(value: object) -> None:
        try:
            parsed = parse(value)
        except CellError as exc:
            _explains(exc)
        else:
            assert fits(parsed), (value, parsed)
        record("inputs_fuzzed")

    check()


CHOICE_COLUMNS = [c for c in (*WORKER_COLUMNS, *COMMUNITY_COLUMNS) if c.choices is not None]


@pytest.mark.parametrize("column", CHOICE_COLUMNS, ids=lambda c: f"{c.table}.{c.field}")
def test_choice_cells_give_a_known_code_or_list_the_choices(column: Any) -> None:
    choices = column.choices
    index = choices.index()
    spellings = sorted(index)

    @FAST
    @given(
        value=st.one_of(
            CELL,
            st.sampled_from(spellings),
            st.lists(st.sampled_from([*spellings, "打杂", ""]), max_size=4).map("、".join),
        ),
        lang=st.sampled_from(["zh", "en"]),
    )
    def check(value: object, lang: str) -> None:
        parse = cells.parse_many if column.kind == "many" else cells.parse_choice
        try:
            parsed = parse(value, choices, index, lang)
        except CellError as exc:
            _explains(exc)
        else:
            codes = parsed if isinstance(parsed, tuple) else (parsed,)
            assert codes and set(codes) <= set(index.values())
        record("inputs_fuzzed")

    check()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_of_random_bytes_is_refused_with_a_reason(suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"名单{suffix}"

        @SLOW
        @given(
            data=st.one_of(
                st.binary(max_size=400),
                st.text(max_size=200).map(lambda s: s.encode("utf-8")),
                st.text(max_size=200).map(lambda s: s.encode("gb18030", errors="replace")),
                st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),  # the start of a zip
            )
        )
        def check(data: bytes) -> None:
            path.write_bytes(data)
            try:
                table = read_table(path, WORKER_COLUMNS)
            except TabularError as exc:
                assert exc.render("zh").strip() and exc.render("en").strip()
            else:
                assert isinstance(table.rows, list | tuple)
            record("inputs_fuzzed")

        check()


BASE = make_worker("c1", n=7)
FIELD_VALUES = {
    "name": st.one_of(TEXT, st.just("")),
    "phone": TEXT,
    "note": st.text(max_size=60),
    "id_number": TEXT,
    "birth_date": st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 1, 1)),
    "service_start": st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 1, 1)),
    "sex": st.sampled_from(list(Sex)),
    "education": st.one_of(st.none(), st.sampled_from(list(Education))),
}


@FAST
@given(
    changes=st.dictionaries(st.sampled_from(sorted(FIELD_VALUES)), st.none(), min_size=1, max_size=4),
    data=st.data(),
)
def test_the_models_checks_accept_or_name_the_field(changes: dict[str, None], data: st.DataObject) -> None:
    """What the contact form does on save (`attrs.evolve` runs the model's checks)."""
    values = {name: data.draw(FIELD_VALUES[name], label=name) for name in changes}
    try:
        worker = attrs.evolve(BASE, **values)
    except ValidationError as exc:
        assert exc.field and exc.render("zh") and exc.render("en")
    except ValidationErrors as exc:
        assert exc.errors and all(e.field for e in exc.errors)
    else:
        assert all(getattr(worker, k) == v for k, v in values.items())
    record("inputs_fuzzed")


@FAST
@given(text=TEXT)
def test_resident_id_check_accepts_or_explains(text: str) -> None:
    try:
        check_resident_id(text)
    except ShegongError as exc:
        assert exc.render("zh") and exc.render("en")
    record("inputs_fuzzed")


CLI_PARSERS: dict[str, Callable[[str], object]] = {
    "date": lambda s: options.parse_date(s, "--date"),
    "int": lambda s: options.parse_int(s, "--n", minimum=1),
    "decimal": lambda s: values.area(s, "--amount"),
    "month": lambda s: values.month_in_range(s, "--month"),
    "enum": lambda s: options.parse_enum(s, Education, "--education"),
}


@pytest.mark.parametrize("name", sorted(CLI_PARSERS))
def test_command_line_option_parsers_accept_or_name_the_option(name: str) -> None:
    @FAST
    @given(text=TEXT)
    def check(text: str) -> None:
        try:
            CLI_PARSERS[name](text)
        except ValidationError as exc:
            assert exc.field.startswith("--") and exc.render("zh") and exc.render("en")
        record("inputs_fuzzed")

    check()
