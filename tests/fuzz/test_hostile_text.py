"""Text that acts on a terminal or a spreadsheet instead of showing (issue 12, item 8).

Escape sequences, NUL, line breaks and bidi overrides are refused by the model, naming the field,
so a form, the command line and an import refuse alike; records saved before that are printed with
those characters made visible; tables cap their columns; a CSV export neutralises formula prefixes.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.model import Award, Certificate, Decision, Hukou, Status, StatusChange, trusted_load
from core.tabular.writing import Sheet, write_book
from core.text_fields import NAME, NOTE
from tests.storage.conftest import make_community, make_worker

HOSTILE = {
    "ESC (a terminal escape)": "\x1b[2J\x1b[31m",
    "NUL": "\x00",
    "line feed": "\n",
    "carriage return": "\r",
    "tab": "\t",
    "DEL": "\x7f",
    "C1 CSI": "\x9b",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first-strong isolate": "\u2068",
    "right-to-left mark": "\u200f",
    "line separator": "\u2028",
}


@pytest.mark.parametrize("bad", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_name_with_a_control_or_bidi_character_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_worker(name=f"张{bad}三")
    assert caught.value.field == "name"
    assert f"U+{ord(bad[0]):04X}" in caught.value.problem.render("en")


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda bad: make_community(name=f"社区{bad}"), "name"),
        (lambda bad: make_community(street=f"街道{bad}"), "street"),
        (lambda bad: make_worker(community_id=f"c{bad}"), "community_id"),
        (lambda bad: make_worker(hukou=Hukou(f"北京{bad}")), "hukou.city"),
        (
            lambda bad: Certificate("social_worker", dt.date(2020, 1, 1), number=f"A{bad}"),
            "certificate.number",
        ),
        (lambda bad: Award(dt.date(2020, 1, 1), f"先进{bad}"), "award.title"),
        (lambda bad: Decision(f"warning{bad}", dt.date(2020, 1, 1)), "decision.kind"),
    ],
)
def test_every_kind_of_text_field_refuses_an_escape(build: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build("\x1b]0;owned\x07")  # type: ignore[operator]
    assert caught.value.field == field


def test_a_note_may_hold_lines_but_not_escapes_or_overrides() -> None:
    assert make_worker(note="第一行\n第二行\t缩进").note == "第一行\n第二行\t缩进"
    assert StatusChange(Status.LEFT, dt.date(2020, 1, 1), reason="调离\n另有任用").reason
    for bad in ("\x1b[2J", "\x00", "\r", "\u202e"):
        with pytest.raises(ValidationError) as caught:
            make_worker(note=f"备注{bad}")
        assert caught.value.field == "note"


def test_length_limits_are_exact() -> None:
    """A name of NAME (64) characters is kept, one more is refused; a note likewise at NOTE (2000)."""
    assert len(make_worker(name="张" * NAME).name) == NAME
    with pytest.raises(ValidationError) as caught:
        make_worker(name="张" * (NAME + 1))
    assert caught.value.field == "name" and str(NAME) in caught.value.problem.render("en")
    assert len(make_worker(note="注" * NOTE).note) == NOTE
    with pytest.raises(ValidationError):
        make_worker(note="注" * (NOTE + 1))


def test_a_ten_megabyte_name_is_refused_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        make_worker(name="A" * 10_000_000)
    assert "10000000" in caught.value.problem.render("en")


def test_full_width_phone_digits_are_stored_as_ascii_and_other_scripts_refused() -> None:
    assert make_worker(phone="１３８００１３８０００").phone == "13800138000"
    with pytest.raises(ValidationError) as caught:
        make_worker(phone="١٣٨٠٠١٣٨٠٠٠")  # Arabic-Indic digits: str.isdigit() says yes
    assert caught.value.field == "phone"


def test_stored_records_still_load() -> None:
    """A record saved before these checks existed opens, so nothing already saved is lost."""
    with trusted_load():
        worker = make_worker(name="旧\x1b[31m记录")
    assert worker.name == "旧\x1b[31m记录"


# --- CSV export --------------------------------------------------------------------------------


def test_csv_export_neutralises_formula_prefixes_in_text_but_keeps_negative_numbers(tmp_path: Path) -> None:
    """OWASP's CSV injection advice: a text cell starting with = + - @ TAB or CR gets a leading
    single quote; numbers (a negative deduction) are written as numbers."""
    path = tmp_path / "out.csv"
    texts = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    row = [*texts, "张三", Decimal("-12.50"), -3, dt.date(2026, 1, 1)]
    write_book(path, [Sheet("s", [f"h{i}" for i in range(len(row))], [row], money=frozenset({7}))])
    with path.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))[1]
    assert written[:6] == ["'" + t for t in texts]
    assert written[6:] == ["张三", "-12.50", "-3", "2026-01-01"]
