"""Masking personal numbers (`core.privacy`): what a masked ID and phone keep, and where masking applies."""

from __future__ import annotations

import pytest

from core.errors import DuplicateRecord
from core.privacy import mask_document, mask_field, mask_phone, mask_resident_id

# GB 11643 example layout: region 110105, birth 19491231, sequence 002, check X
ID_NUMBER = "11010519491231002X"


def test_an_id_keeps_region_and_last_four() -> None:
    assert mask_resident_id(ID_NUMBER) == "110105********002X"


def test_an_id_of_the_wrong_length_is_hidden_whole() -> None:
    assert mask_resident_id("1101051949") == "**********"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),  # 11 digits: 3 kept, 4 hidden, 4 kept
        (" 13800138000 ", "138****8000"),
        ("01062345678", "010****5678"),
        ("6234567", "*******"),  # 7 or fewer: nothing kept, or the whole number would show
        ("", ""),
    ],
)
def test_a_phone_keeps_the_first_three_and_last_four(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_mask_field_masks_only_personal_numbers() -> None:
    assert mask_field("id_number", ID_NUMBER) == "110105********002X"
    assert mask_field("phone", "13800138000") == "138****8000"
    assert mask_field("name", "张伟") == "张伟"


def test_a_document_is_masked_however_deep() -> None:
    doc = {
        "name": "张伟",
        "id_number": ID_NUMBER,
        "phone": "13800138000",
        "family": [{"id_number": ID_NUMBER, "revision": 3}],
        "note": None,
    }
    assert mask_document(doc) == {
        "name": "张伟",
        "id_number": "110105********002X",
        "phone": "138****8000",
        "family": [{"id_number": "110105********002X", "revision": 3}],
        "note": None,
    }
    assert doc["id_number"] == ID_NUMBER  # the original is left alone


def test_a_duplicate_id_is_named_masked_in_the_message() -> None:
    error = DuplicateRecord("worker", "id_number", ID_NUMBER, 12)
    assert "110105********002X" in str(error) and ID_NUMBER not in str(error)
    assert error.value == ID_NUMBER  # the caller still has the value itself
