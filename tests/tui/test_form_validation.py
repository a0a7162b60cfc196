"""The forms' checks on their own: every field takes anything typed and answers with a value or a
message naming the field, what is wrong and what is expected, in Chinese and in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.i18n import set_language, t
from core.memory import MemoryRegistry
from core.resident_id import checksum_char
from tests.tui.fixtures import TODAY, build_jurisdictions, build_registry
from tui.app import load_catalogs
from tui.forms.community_form import CommunityFormContext, check_community, community_specs, community_texts
from tui.forms.fields import FieldError, FieldSpec, parse_field
from tui.forms.worker_form import WorkerFormContext, check_worker, worker_specs, worker_texts
from tui.labels import Lexicon

FIRST17 = "110105" + "19900315" + "123"  # a man (17th digit odd) born 1990-03-15
GOOD_ID = FIRST17 + checksum_char(FIRST17)

load_catalogs()
REGISTRY: MemoryRegistry = build_registry(40)
JURISDICTIONS = build_jurisdictions()
WORKER_CTX = WorkerFormContext(REGISTRY.communities(), Lexicon(JURISDICTIONS), TODAY)
COMMUNITY_CTX = CommunityFormContext(
    [c.id for c in REGISTRY.communities()], JURISDICTIONS.keys, Lexicon(JURISDICTIONS)
)
WORKER_SPECS = worker_specs(WORKER_CTX, worker_texts(None, TODAY))
COMMUNITY_SPECS = community_specs(COMMUNITY_CTX)
ALL_SPECS = [*WORKER_SPECS.values(), *COMMUNITY_SPECS.values()]

# Typed text: anything, and text shaped like what each kind of field expects (so the fuzzing
# reaches past the first refusal: digits, dates with separators, ID-like strings, codes).
TYPED = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\s*[0-9]{1,20}\s*", fullmatch=True),
    st.from_regex(r"[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?", fullmatch=True),
    st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True),
    st.from_regex(r"-?[0-9]{0,12}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["NaN", "inf", "-0", "1e999", "０１２", "  ", "\x00", "'110105", "本科", "男"]),
)


@pytest.fixture(autouse=True, params=["zh", "en"])
def _language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("zh")


def _assert_clear(error: FieldError, spec: FieldSpec, typed: str = "") -> None:
    """The message names the field, what is wrong and what is expected, all rendered."""
    text = error.text
    assert error.field == spec.name
    assert text.startswith(spec.label)
    assert error.problem.render() in text and error.expected.render() in text
    if not any(mark in typed for mark in ("{", "ui.")):  # else the typed text is quoted in it
        assert "{" not in text and "ui." not in text, text  # every placeholder filled, key found


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=TYPED, index=st.integers(min_value=0, max_value=len(ALL_SPECS) - 1))
def test_every_field_answers_a_value_or_a_clear_error(text: str, index: int) -> None:
    spec = ALL_SPECS[index]
    try:
        value = parse_field(spec, text)
    except FieldError as error:
        _assert_clear(error, spec, text)
        return
    if value is None:
        assert not spec.required and not text.strip()
    elif spec.choices:
        assert value in {code for code, _ in spec.choices}


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.name)
def test_a_blank_required_field_says_so(spec: FieldSpec) -> None:
    if not spec.required:
        assert parse_field(spec, "  ") is None
        return
    with pytest.raises(FieldError) as caught:
        parse_field(spec, "  ")
    _assert_clear(caught.value, spec)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(texts=st.fixed_dictionaries({name: TYPED for name in WORKER_SPECS}))
def test_a_whole_worker_form_never_raises(texts: dict[str, str]) -> None:
    """Any texts in every field: a worker, or errors each naming its field; nothing else."""
    result = check_worker(texts, None, WORKER_CTX)
    assert (result.worker is None) == bool(result.errors)
    for name, error in result.errors.items():
        _assert_clear(error, worker_specs(WORKER_CTX, texts)[name], "".join(texts.values()))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(texts=st.fixed_dictionaries({name: TYPED for name in WORKER_SPECS}), worker_id=st.integers(1, 40))
def test_editing_with_any_texts_never_raises(texts: dict[str, str], worker_id: int) -> None:
    result = check_worker(texts, REGISTRY.get_worker(worker_id), WORKER_CTX)
    assert (result.worker is None) == bool(result.errors)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(texts=st.fixed_dictionaries({name: TYPED for name in COMMUNITY_SPECS}))
def test_a_whole_community_form_never_raises(texts: dict[str, str]) -> None:
    result = check_community(texts, None, COMMUNITY_CTX)
    assert (result.community is None) == bool(result.errors)
    for name, error in result.errors.items():
        _assert_clear(error, COMMUNITY_SPECS[name], "".join(texts.values()))


# --- what the fields accept -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2026-11-25", "20261125", " 2026/11/25 ", "2026年11月25日"])
def test_dates_in_the_forms_people_type(typed: str) -> None:
    assert parse_field(WORKER_SPECS["contract_end"], typed) == dt.date(2026, 11, 25)


@pytest.mark.parametrize("typed", ["2026-02-30", "20261325", "26-11-25", "明天"])
def test_impossible_dates_are_refused_with_the_forms_expected(typed: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_field(WORKER_SPECS["service_start"], typed)
    assert "20261125" in caught.value.text and "2026-11-25" in caught.value.text


def test_resident_id_is_text_with_its_checksum_checked() -> None:
    assert parse_field(WORKER_SPECS["id_number"], GOOD_ID.lower()) == GOOD_ID
    wrong = FIRST17 + ("0" if GOOD_ID[-1] != "0" else "1")
    with pytest.raises(FieldError) as caught:
        parse_field(WORKER_SPECS["id_number"], wrong)
    assert caught.value.problem.key == "invalid.id_checksum"
    with pytest.raises(FieldError) as caught:
        parse_field(WORKER_SPECS["id_number"], "1.10105199003151e17")
    assert caught.value.problem.key == "invalid.id_excel_number"


def test_area_is_an_exact_decimal() -> None:
    assert parse_field(COMMUNITY_SPECS["office_area"], "350.25") == Decimal("350.25")
    with pytest.raises(FieldError):
        parse_field(COMMUNITY_SPECS["office_area"], "-1")


def test_a_choice_takes_its_label_or_its_code() -> None:
    education = WORKER_SPECS["education"]
    assert parse_field(education, "本科") == parse_field(education, "bachelor") == "bachelor"


# --- the form's texts and the record agree ------------------------------------------------------------


@pytest.mark.parametrize("worker_id", range(1, 41))
def test_an_unchanged_form_gives_back_the_same_worker(worker_id: int) -> None:
    """Opening a worker and saving without a change changes nothing, for every fixture worker
    (posts, statuses and contracts of all shapes, retired and left ones too)."""
    worker = REGISTRY.get_worker(worker_id)
    result = check_worker(worker_texts(worker, TODAY), worker, WORKER_CTX)
    assert result.errors == {}
    assert result.worker == worker


@pytest.mark.parametrize("community", REGISTRY.communities(), ids=lambda c: c.id)
def test_an_unchanged_form_gives_back_the_same_community(community: Any) -> None:
    result = check_community(community_texts(community), community, COMMUNITY_CTX)
    assert result.errors == {}
    assert result.community == community


def test_sex_and_birth_date_come_from_the_id_or_must_agree_with_it() -> None:
    texts = worker_texts(None, TODAY) | {
        "name": "张伟",
        "id_number": GOOD_ID,
        "community_id": "tc-001",
        "service_start": "2024-03-01",
        "education": "bachelor",
    }
    made = check_worker(texts, None, WORKER_CTX).worker
    assert made is not None and (made.sex.value, made.birth_date) == ("male", dt.date(1990, 3, 15))
    wrong = check_worker(texts | {"sex": "female", "birth_date": "1990-03-16"}, None, WORKER_CTX)
    assert set(wrong.errors) == {"sex", "birth_date"}
    assert t("ui.form.label.sex") in wrong.errors["sex"].text


def test_only_offered_choices_are_taken_even_for_a_post_or_jurisdiction() -> None:
    """A code typed into a choice that the form does not offer is refused, not stored."""
    worker = REGISTRY.get_worker(2)
    texts = worker_texts(worker, TODAY) | {"post": "chief_of_everything"}
    assert set(check_worker(texts, worker, WORKER_CTX).errors) == {"post"}
    community = REGISTRY.get_community("tc-001")
    edited = community_texts(community) | {"jurisdiction": "atlantis"}
    assert set(check_community(edited, community, COMMUNITY_CTX).errors) == {"jurisdiction"}
    # the one a community already names stays offered, loaded or not
    far = REGISTRY.get_community("nw-001")
    assert check_community(community_texts(far), far, COMMUNITY_CTX).community == far
