"""Real resident IDs of the six places are accepted, whatever their holder's birth year.

An ID carries the code of the office that issued it, often a code created after the holder was
born (宁国市 341881 dates from 2000, 九龙坡区 500107 from 1997, 沈河区 210103 and 南关区 220102
from 1983, 鹿城区 330302 from 1984). Each number here is built from its parts and its check
character worked out by GB 11643-1999 7.1 in this file, not by the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.memory import MemoryRegistry
from core.model import Community, Sex, Worker
from core.resident_id import check_resident_id, region_warning
from core.tabular import import_workers, render_report
from tests.tabular.conftest import FIELDS, row, write_csv, write_xlsx

FIELD_AT = {f: i for i, f in enumerate(FIELDS)}

# GB 11643-1999 7.1: a1..a17 weighted by Wi = 2^(i-1) mod 11 (i = 18 … 2 from the left), the sum
# mod 11 picks the check character from 1 0 X 9 8 7 6 5 4 3 2.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = ("1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2")


def gb11643(first17: str) -> str:
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def test_the_checksum_of_this_file_agrees_with_the_standard() -> None:
    """The worked example printed in GB 11643-1999 (北京朝阳 1949-12-31, check character X)."""
    assert gb11643("11010519491231002") == "11010519491231002X"


def test_the_number_of_the_report_by_hand() -> None:
    """341881 19720315 012: 3×7+4×9+1×10+8×5+8×8+1×4+1×2+9×1+7×6+2×3+0×7+3×9+1×10+5×5+0×8+1×4
    +2×2 = 304; 304 mod 11 = 7 → "5". A woman (12 is even) born 1972 in what is now 宁国市."""
    assert gb11643("34188119720315012") == "341881197203150125"
    assert check_resident_id("341881197203150125", birth_date=dt.date(1972, 3, 15), sex="female")
    assert region_warning("341881197203150125") is None


# (place, code, what the code is) — current codes and the ones they replaced.
CODES = [
    ("北京", "110101", "东城区"),
    ("北京", "110103", "崇文区 (until 2010)"),
    ("北京", "110110", "燕山区 (until 1986)"),
    ("海淀", "110108", "海淀区"),
    ("沈阳", "210103", "沈河区 (from 1983)"),
    ("沈阳", "210102", "和平区 (from 1983)"),
    ("温州", "330302", "鹿城区 (from 1984)"),
    ("温州", "330320", "温州市区 (until 1983)"),
    ("吉林", "220102", "长春市南关区 (from 1983)"),
    ("吉林", "220202", "吉林市昌邑区 (from 1983)"),
    ("宁国", "341881", "宁国市 (from 2000)"),
    ("宁国", "342502", "宁国市 (1997-2000)"),
    ("宁国", "342524", "宁国县 (until 1997)"),
    ("九龙坡", "500107", "九龙坡区 (from 1997)"),
    ("九龙坡", "510213", "重庆市九龙坡区 under Sichuan (1983-1997)"),
]
BIRTHS = [
    dt.date(1960, 1, 1),
    dt.date(1972, 3, 15),
    dt.date(1982, 12, 31),
    dt.date(1996, 2, 29),
    dt.date(2005, 7, 20),
]


@pytest.mark.parametrize(("place", "code", "what"), CODES)
@pytest.mark.parametrize("birth", BIRTHS, ids=str)
def test_every_code_of_the_six_places_is_accepted_for_any_birth_year(
    place: str, code: str, what: str, birth: dt.date
) -> None:
    """A man (order 013) and a woman (order 024) of each birth year, under each code."""
    for order, sex in (("013", "male"), ("024", "female")):
        number = gb11643(f"{code}{birth:%Y%m%d}{order}")
        assert check_resident_id(number, birth_date=birth, sex=sex) == number, (place, what)
        assert region_warning(number) is None, (place, what)
        worker = Worker(
            name="某人",
            sex=Sex(sex),
            birth_date=birth,
            id_number=number,
            community_id="c1",
            service_start=dt.date(2024, 1, 1),
        )
        assert worker.id_number == number


def test_a_code_never_seen_is_a_warning_not_a_refusal() -> None:
    """119999 and 999999 are in no edition of the table: accepted, with a warning naming the code."""
    for code in ("119999", "999999"):
        number = gb11643(f"{code}19800101013")
        assert check_resident_id(number) == number
        warning = region_warning(number)
        assert warning is not None
        assert code in warning.render("zh") and code in warning.render("en")


def test_the_other_checks_still_refuse() -> None:
    good = gb11643("34188119720315012")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        check_resident_id(wrong_check)
    assert caught.value.problem.key == "invalid.id_checksum"
    with pytest.raises(ValidationError) as caught:
        check_resident_id(gb11643("34188119720230012"))  # 30 February
    assert caught.value.problem.key == "invalid.id_birth_date"
    with pytest.raises(ValidationError) as caught:
        check_resident_id(good, sex="male")  # order 012 is even: a woman
    assert caught.value.problem.key == "invalid.id_sex_mismatch"
    with pytest.raises(ValidationError) as caught:
        check_resident_id(good, birth_date=dt.date(1972, 3, 16))
    assert caught.value.problem.key == "invalid.id_birth_mismatch"
    future = gb11643("34188120300101012")
    with pytest.raises(ValidationError) as caught:
        check_resident_id(future, today=dt.date(2026, 11, 25))
    assert caught.value.problem.key == "records.id_birth_future"


# --- a real roster of the six places imports without a refusal ------------------------------------

PLACES = {
    # community id → (jurisdiction, city, district, street)
    "bj": ("beijing", "北京市", "东城区", "东华门街道"),
    "hd": ("beijing.haidian", "北京市", "海淀区", "中关村街道"),
    "sy": ("shenyang", "沈阳市", "沈河区", "五里河街道"),
    "wz": ("wenzhou", "温州市", "鹿城区", "五马街道"),
    "jl": ("jilin", "吉林市", "昌邑区", "延安街道"),
    "ng": ("ningguo", "宣城市", "宁国市", "西津街道"),
    "jp": ("jiulongpo", "重庆市", "九龙坡区", "杨家坪街道"),
}


def _issuing_code(place: str, issued: int) -> str:
    """The code of the office that issued an ID in `issued` (the table's years)."""
    if place == "bj":
        return "110103" if issued < 2010 else "110101"  # 崇文区 merged into 东城区 in 2010
    if place == "ng":
        return "342524" if issued < 1997 else "342502" if issued < 2000 else "341881"
    if place == "jp":
        return "510213" if issued < 1997 else "500107"
    return {"hd": "110108", "sy": "210103", "wz": "330302", "jl": "220202"}[place]


def _roster() -> list[list[object]]:
    """Two people per place and issuing year 1985, 1990, … 2025, born 1960-2005."""
    rows: list[list[object]] = []
    n = 0
    for place in PLACES:
        for issued in range(1985, 2026, 5):
            for k in range(2):
                n += 1
                birth = dt.date(1960 + (n * 7) % 46, 1 + n % 12, 1 + n % 28)
                male = k == 0
                order = f"{(n % 90) * 2 + 11 + (0 if male else 1):03d}"
                number = gb11643(f"{_issuing_code(place, issued)}{birth:%Y%m%d}{order}")
                rows.append(
                    row(
                        name=f"职工{n}",
                        sex="男" if male else "女",
                        birth_date=birth,
                        id_number=number,
                        community_id=place,
                        service_start=dt.date(2025, 1, 1),
                        entry="招聘",
                        education="本科",
                        party="群众",
                        status="在岗",
                    )
                )
    return rows


@pytest.fixture
def six_places() -> MemoryRegistry:
    reg = MemoryRegistry(user="operator")
    for cid, (jurisdiction, city, district, street) in PLACES.items():
        reg.add_community(
            Community(
                id=cid,
                name=f"{cid}社区",
                street=street,
                district=district,
                city=city,
                jurisdiction=jurisdiction,
            )
        )
    return reg


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_roster_of_the_six_places_imports_whole(
    six_places: MemoryRegistry, tmp_path: Path, kind: str
) -> None:
    rows = _roster()
    assert len(rows) == 7 * 9 * 2
    path = tmp_path / f"名单.{kind}"
    if kind == "xlsx":
        write_xlsx(path, rows)
    else:
        write_csv(path, rows, "utf-8-sig")
    result = import_workers(six_places, path, today=dt.date(2026, 11, 25))
    assert not result.refused, render_report(result)
    assert result.problems == ()
    assert result.added == len(rows)
    stored = {w.id_number for w in six_places.workers()}
    assert {"341881", "500107", "210103", "330302", "220202", "110108"} <= {n[:6] for n in stored}


# --- a code never seen: the operator accepts it, in an import and on the command line --------------


def test_an_import_with_an_unknown_code_is_held_until_accepted(
    six_places: MemoryRegistry, tmp_path: Path
) -> None:
    rows = _roster()[:3]
    unknown = gb11643("11999919800101013")  # 119999: no such county code in any year
    stranger = list(rows[0])
    stranger[FIELD_AT["id_number"]] = unknown
    stranger[FIELD_AT["name"]] = "新区人"
    stranger[FIELD_AT["birth_date"]] = dt.date(1980, 1, 1)
    stranger[FIELD_AT["sex"]] = "男"
    rows.append(stranger)
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    held = import_workers(six_places, path, today=dt.date(2026, 11, 25))
    assert held.refused and not held.written and held.problems == ()
    assert [(w.row, w.value) for w in held.warnings] == [(5, unknown)]
    assert six_places.workers() == []
    text = render_report(held, "zh")
    assert "119999" in text and "--accept-unknown-region" in text
    done = import_workers(six_places, path, today=dt.date(2026, 11, 25), accept_unknown_region=True)
    assert done.added == 4 and not done.refused
    assert six_places.find_worker_by_id_number(unknown) is not None
