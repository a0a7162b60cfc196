"""Masking personal numbers (`core.privacy`): what a masked ID, phone and birth date keep, and
where masking applies. Why these and not more: the module docstring's arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import DuplicateRecord
from core.privacy import (
    from_birth,
    hide_birth_dates,
    mask_birth,
    mask_change,
    mask_document,
    mask_field,
    mask_phone,
    mask_resident_id,
)

# GB 11643 example layout: region 110105, birth 19491231, sequence 002, check X
ID_NUMBER = "11010519491231002X"
MASKED_ID = "110105" + "*" * 12


def test_an_id_keeps_the_region_only() -> None:
    assert mask_resident_id(ID_NUMBER) == MASKED_ID


def test_an_id_of_the_wrong_length_is_hidden_whole() -> None:
    assert mask_resident_id("1101051949") == "**********"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138********"),  # 11 digits: the carrier prefix kept, 8 hidden
        (" 13800138000 ", "138********"),
        ("01062345678", "010********"),  # a landline: the area code kept
        ("0106234567", "**********"),  # 10: keeping 3 would hide only 7, so nothing is kept
        ("6234567", "*******"),
        ("", ""),
    ],
)
def test_a_phone_keeps_its_prefix_only(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_mask_field_masks_only_personal_values() -> None:
    assert mask_field("id_number", ID_NUMBER) == MASKED_ID
    assert mask_field("phone", "13800138000") == "138********"
    assert mask_field("birth_date", "1949-12-31") == "1949"
    assert mask_field("name", "张伟") == "张伟"


def test_a_document_is_masked_however_deep() -> None:
    doc = {
        "name": "张伟",
        "id_number": ID_NUMBER,
        "phone": "13800138000",
        "birth_date": "1949-12-31",
        "derived": {"age": 76, "status": "active"},
        "family": [{"id_number": ID_NUMBER, "revision": 3}],
        "note": None,
    }
    assert mask_document(doc) == {
        "name": "张伟",
        "id_number": MASKED_ID,
        "phone": "138********",
        "birth_date": "1949",
        "derived": {"status": "active"},  # an age beside the year narrows the birth date
        "family": [{"id_number": MASKED_ID, "revision": 3}],
        "note": None,
    }
    assert doc["id_number"] == ID_NUMBER  # the original is left alone


def test_a_duplicate_id_is_named_masked_in_the_message() -> None:
    error = DuplicateRecord("worker", "id_number", ID_NUMBER, 12)
    assert MASKED_ID in str(error) and ID_NUMBER not in str(error)
    assert error.value == ID_NUMBER  # the caller still has the value itself


BIRTH = dt.date(1983, 6, 28)


@pytest.mark.parametrize(
    ("day", "derived"),
    [
        (dt.date(2046, 6, 28), True),  # 63 years on: a retirement date
        (dt.date(2043, 9, 28), True),  # 60 years and 3 months
        (dt.date(2046, 6, 27), False),
        (dt.date(2046, 7, 1), False),
    ],
)
def test_dates_that_could_be_the_birth_date_moved_by_months(day: dt.date, derived: bool) -> None:
    assert from_birth(day, BIRTH) is derived


def test_a_month_end_can_be_a_birth_on_the_31st_moved() -> None:
    # born 31 January: one month on is 28 (or 29) February, the month's last day
    assert from_birth(dt.date(2027, 2, 28), dt.date(1967, 1, 31))
    assert not from_birth(dt.date(2027, 2, 27), dt.date(1967, 1, 31))


def test_birth_derived_dates_are_cut_in_text_and_data() -> None:
    text = "出生 1983-06-28，退休日期 2046-06-28（1983年6月28日出生），合同至 2031-03-31"
    assert hide_birth_dates(text, BIRTH) == "出生 1983，退休日期 2046-06（1983出生），合同至 2031-03-31"
    data = {"date": "2046-06-28", "inputs": {"birth_date": "1983-06-28"}, "age": 43, "end": BIRTH}
    assert hide_birth_dates(data, BIRTH) == {
        "date": "2046-06",
        "inputs": {"birth_date": "1983"},
        "end": "1983",
    }
    assert mask_birth(BIRTH) == "1983"


def test_a_changed_number_that_masks_the_same_is_still_seen_changed() -> None:
    before = {"phone": "13800138000", "name": "张伟"}
    after = {"phone": "13800139999", "name": "张伟"}
    masked_before, masked_after = mask_change(before, after)
    assert masked_before == {"phone": "138********", "name": "张伟"}
    assert masked_after["phone"] != masked_before["phone"] and "9999" not in masked_after["phone"]
    assert mask_change(before, before) == (masked_before, masked_before)  # unchanged: no mark


def test_a_count_of_days_to_a_cut_date_is_cut_with_it() -> None:
    """`将于 2026-06-21 退休（还有 37 天）` beside today's date gives the day back: both go."""
    birth = dt.date(1971, 2, 21)  # retires 2026-06-21 (national rule, the 55 track): the 21st again
    zh = hide_birth_dates("将于 2026-06-21 退休（还有 37 天）", birth)
    en = hide_birth_dates("retires on 2026-06-21 (37 days)", birth)
    assert zh == "将于 2026-06 退休" and en == "retires on 2026-06"
    # A date that has nothing to do with the birth date keeps its count.
    assert hide_birth_dates("服务协议 2026-06-30 到期（还有 46 天）", birth).endswith("（还有 46 天）")
