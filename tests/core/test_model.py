"""The worker and community model: validation messages and lossless storage round-trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.convert import structure, unstructure
from core.errors import ValidationError, ValidationErrors
from core.i18n import translate
from core.model import (
    Absence,
    AbsenceKind,
    Assessment,
    Certificate,
    Community,
    Contract,
    ContractKind,
    Education,
    Entry,
    Hukou,
    Period,
    PostTerm,
    Sex,
    Status,
    StatusChange,
    Training,
    Worker,
    add_months,
    age_on,
    completed_months,
    completed_years,
    trusted_load,
)
from core.privacy import mask_resident_id
from core.resident_id import checksum_char


def resident_id(birth: dt.date, sex: Sex, seq: int = 12) -> str:
    """17 digits: region 110108 (Haidian), birth date, a sequence whose last digit is odd for men."""
    last = seq * 10 + (1 if sex == Sex.MALE else 2)
    first17 = f"110108{birth:%Y%m%d}{last % 1000:03d}"
    return first17 + checksum_char(first17)


def worker(**fields: object) -> Worker:
    birth = fields.pop("birth_date", dt.date(1980, 5, 17))
    sex = fields.pop("sex", Sex.FEMALE)
    assert isinstance(birth, dt.date) and isinstance(sex, Sex)
    base: dict[str, object] = {
        "name": "王芳",
        "sex": sex,
        "birth_date": birth,
        "id_number": resident_id(birth, sex),
        "community_id": "c1",
        "service_start": dt.date(2005, 3, 1),
    }
    base.update(fields)
    return Worker(**base)  # type: ignore[arg-type]


class TestResidentId:
    def test_valid_number_is_accepted_and_normalised(self) -> None:
        w = worker(id_number=resident_id(dt.date(1980, 5, 17), Sex.FEMALE).lower())
        assert w.id_number.endswith(w.id_number[-1].upper())

    @pytest.mark.parametrize(
        ("number", "key"),
        [
            ("11010819800517012", "invalid.id_length"),  # 17 characters
            ("1.10108198005E+17", "invalid.id_excel_number"),  # Excel turned it into a float
            ("11010819800517012A", "invalid.id_characters"),
            ("110108198013170125", "invalid.id_birth_date"),  # month 13
        ],
    )
    def test_malformed_numbers_name_the_problem(self, number: str, key: str) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(id_number=number)
        assert caught.value.field == "id_number"
        assert caught.value.problem.key == key

    def test_checksum_is_checked(self) -> None:
        good = resident_id(dt.date(1980, 5, 17), Sex.FEMALE)
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        with pytest.raises(ValidationError) as caught:
            worker(id_number=bad)
        assert caught.value.problem.key == "invalid.id_checksum"

    def test_birth_date_must_agree(self) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(id_number=resident_id(dt.date(1980, 5, 18), Sex.FEMALE))
        assert caught.value.problem.key == "invalid.id_birth_mismatch"

    def test_sex_must_agree(self) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(id_number=resident_id(dt.date(1980, 5, 17), Sex.MALE))
        assert caught.value.problem.key == "invalid.id_sex_mismatch"

    def test_mask_keeps_the_region_only(self) -> None:
        assert mask_resident_id("11010519491231002X") == "110105************"

    def test_messages_render_in_both_languages(self) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(id_number="123")
        zh, en = caught.value.render("zh"), caught.value.render("en")
        assert "id_number" in zh and "id_number" in en
        assert zh != en


class TestOtherChecks:
    def test_blank_name(self) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(name="  ")
        assert caught.value.field == "name"

    def test_span_end_before_start(self) -> None:
        with pytest.raises(ValidationError) as caught:
            PostTerm("staff", dt.date(2020, 1, 1), dt.date(2019, 12, 31))
        assert caught.value.field == "post.end"

    def test_service_before_birth(self) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(service_start=dt.date(1970, 1, 1))
        assert caught.value.field == "service_start"

    def test_phone(self) -> None:
        with pytest.raises(ValidationError) as caught:
            worker(phone="call me")
        assert caught.value.field == "phone"

    def test_trusted_load_skips_rechecking(self) -> None:
        with trusted_load():
            w = worker(id_number="110108198005170000")  # wrong checksum, not re-checked
        assert w.id_number == "110108198005170000"


class TestDocuments:
    def test_unknown_key_is_refused_with_its_path(self) -> None:
        doc = unstructure(worker())
        doc["posts"] = [{"post": "staff", "start": "2020-01-01", "end": None, "typo": 1}]
        with pytest.raises(ValidationErrors) as caught:
            structure(doc, Worker)
        assert any("posts" in e.field for e in caught.value.errors)

    def test_bad_date_names_the_field(self) -> None:
        doc = unstructure(worker())
        doc["service_start"] = "2020-13-01"
        with pytest.raises(ValidationErrors) as caught:
            structure(doc, Worker)
        assert caught.value.errors[0].field == "$.service_start"

    def test_bad_enum_names_the_field(self) -> None:
        doc = unstructure(worker())
        doc["education"] = "kindergarten"
        with pytest.raises(ValidationErrors) as caught:
            structure(doc, Worker)
        assert caught.value.errors[0].field == "$.education"

    def test_money_is_stored_as_text(self) -> None:
        a = Assessment(2024, scores={"residents": Decimal("88.50")})
        doc = unstructure(a)
        assert doc["scores"] == {"residents": "88.50"}
        assert structure(doc, Assessment) == a


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def workers(draw: st.DrawFn) -> Worker:
    sex = draw(st.sampled_from(Sex))
    birth = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2004, 12, 31)))
    start = draw(st.dates(min_value=birth, max_value=dt.date(2026, 1, 1)))
    span = st.tuples(dates, st.integers(0, 4000)).map(lambda t: (t[0], t[0] + dt.timedelta(days=t[1])))
    posts = draw(st.lists(st.tuples(st.sampled_from(["staff", "party_secretary"]), span), max_size=3))
    absences = draw(st.lists(st.tuples(st.sampled_from(AbsenceKind), span), max_size=3))
    grades = draw(st.lists(st.sampled_from(["excellent", "qualified", "warning"]), max_size=4))
    return Worker(
        name=draw(
            st.text("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗伟芳娜敏静丽强磊军洋", min_size=2, max_size=4)
        ),
        sex=sex,
        birth_date=birth,
        id_number=resident_id(birth, sex, draw(st.integers(0, 99))),
        community_id=draw(st.sampled_from(["c1", "bj-hd-001", "社区-7"])),
        service_start=start,
        entry=draw(st.sampled_from(Entry)),
        education=draw(st.sampled_from(Education)),
        hukou=draw(st.none() | st.builds(Hukou, st.sampled_from(["北京", "沈阳"]), st.booleans())),
        posts=tuple(PostTerm(p, s, e) for p, (s, e) in posts),
        contracts=(Contract(ContractKind.LABOUR, start, None),),
        certificates=(Certificate("social_worker", start),),
        assessments=tuple(
            Assessment(2010 + i, Period.YEAR_END, g, {"residents": Decimal(i) / 4})
            for i, g in enumerate(grades)
        ),
        trainings=(Training(start, start, hours=Decimal("7.5")),),
        absences=tuple(Absence(s, e, k) for k, (s, e) in absences),
        statuses=(StatusChange(Status.ACTIVE, start),),
        health_checks=(start,),
        id=draw(st.integers(0, 10**6)),
        revision=draw(st.integers(0, 50)),
    )


@given(workers())
def test_worker_round_trip(w: Worker) -> None:
    """Storing and loading a worker gives back the same value."""
    assert structure(unstructure(w), Worker) == w


@given(
    st.builds(
        Community,
        id=st.text("abc-123", min_size=1, max_size=8).filter(str.strip),
        name=st.just("中关村社区"),
        street=st.just("中关村街道"),
        district=st.just("海淀区"),
        city=st.just("北京市"),
        jurisdiction=st.just("beijing.haidian"),
        households_resident=st.integers(0, 10**5),
        office_area=st.decimals(0, 5000, places=2),
        target_ranks=st.dictionaries(st.integers(2000, 2030), st.integers(1, 40), max_size=3),
    )
)
def test_community_round_trip(c: Community) -> None:
    assert structure(unstructure(c), Community) == c


class TestCalendar:
    def test_completed_years_include_the_birthday(self) -> None:
        assert completed_years(dt.date(1980, 5, 17), dt.date(2020, 5, 16)) == 39
        assert completed_years(dt.date(1980, 5, 17), dt.date(2020, 5, 17)) == 40

    def test_leap_day_birthday_is_reached_on_1_march(self) -> None:
        assert age_on(dt.date(2000, 2, 29), dt.date(2021, 2, 28)) == 20
        assert age_on(dt.date(2000, 2, 29), dt.date(2021, 3, 1)) == 21

    def test_add_months_clamps_to_month_end(self) -> None:
        assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
        assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
        assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)

    def test_completed_months(self) -> None:
        assert completed_months(dt.date(2026, 1, 15), dt.date(2026, 3, 14)) == 1
        assert completed_months(dt.date(2026, 1, 15), dt.date(2026, 3, 15)) == 2

    def test_status_follows_recorded_changes(self) -> None:
        w = worker(
            statuses=(
                StatusChange(Status.PROBATION, dt.date(2020, 1, 1)),
                StatusChange(Status.ACTIVE, dt.date(2020, 4, 1)),
            )
        )
        assert w.status_on(dt.date(2020, 2, 1)) == Status.PROBATION
        assert w.status_on(dt.date(2020, 4, 1)) == Status.ACTIVE


def test_translation_of_unknown_key_shows_the_key() -> None:
    assert translate("no.such.key") == "no.such.key"
