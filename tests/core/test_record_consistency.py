"""Impossible records are refused in the form, the command line and the import alike, and
`check` names those already stored.

A community-service start in 2030 was saved and silently zeroed the worker's pay; a post the
community's jurisdiction does not have was offered and saved, then flagged by the rules as
serious under its raw code. `core.record_checks` is the one place all of them ask.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from core.jurisdictions import default_jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Contract, ContractKind, PostTerm, Sex, Worker
from core.record_checks import posts_by_jurisdiction, posts_of, record_problems
from core.registry import init_registry
from core.storage.check import check_registry
from core.tabular import import_workers
from tests.core.test_resident_ids_real import gb11643
from tests.tabular.conftest import FIELDS, ZH_HEADERS, row, write_xlsx

TODAY = dt.date(2026, 11, 25)
COLUMN = dict(zip(FIELDS, ZH_HEADERS, strict=True))


def worker(**changes: object) -> Worker:
    base = Worker(
        name="陈静",
        sex=Sex.FEMALE,
        birth_date=dt.date(1988, 4, 2),
        id_number=gb11643("33030219880402024"),  # 鹿城区, a woman (024 even)
        community_id="wz",
        service_start=dt.date(2018, 3, 1),
        posts=(PostTerm("staff", dt.date(2018, 3, 1)),),
        contracts=(Contract(ContractKind.LABOUR, dt.date(2018, 3, 1), dt.date(2021, 2, 28)),),
    )
    return attrs.evolve(base, **changes)


def wenzhou_posts() -> dict[str, tuple[str, str]]:
    found = posts_of(default_jurisdictions(), "wenzhou")
    assert found is not None
    return dict(found)


class TestTheChecks:
    def test_a_good_record_has_none(self) -> None:
        assert record_problems(worker(), today=TODAY, posts=wenzhou_posts()) == []

    def test_a_service_start_in_the_future(self) -> None:
        """2030-01-01 is after today, 2026-11-25: both dates are named."""
        (found,) = record_problems(
            worker(service_start=dt.date(2030, 1, 1), posts=(), contracts=()), today=TODAY, posts=None
        )
        assert found.field == "service_start"
        text = found.problem.render("zh")
        assert "2030-01-01" in text and "2026-11-25" in text

    def test_a_service_start_after_the_first_post_and_contract(self) -> None:
        """Service from 2020-05-01, but the first post and the contract began 2018-03-01."""
        found = record_problems(worker(service_start=dt.date(2020, 5, 1)), today=TODAY, posts=wenzhou_posts())
        assert [f.field for f in found] == ["service_start", "service_start"]
        post, contract = (f.problem.render("zh") for f in found)
        assert "2020-05-01" in post and "2018-03-01" in post and "社区专职工作者" in post
        assert "2020-05-01" in contract and "2018-03-01" in contract and "劳动合同" in contract
        assert "first post" in found[0].problem.render("en")

    def test_a_post_the_jurisdiction_does_not_have(self) -> None:
        """Wenzhou's measures name no 专职网格员 (grid_worker): refused, naming what it has."""
        posts = wenzhou_posts()
        assert "grid_worker" not in posts and "staff" in posts
        (found,) = record_problems(
            worker(posts=(PostTerm("grid_worker", dt.date(2018, 3, 1)),)), today=TODAY, posts=posts
        )
        assert found.field == "posts[0].post"
        text = found.problem.render("zh")
        assert "grid_worker" in text and "社区专职工作者" in text and "社区协管员" in text

    def test_every_loaded_jurisdiction_has_posts(self) -> None:
        table = posts_by_jurisdiction(default_jurisdictions())
        for key in ("beijing", "beijing.haidian", "shenyang", "wenzhou", "ningguo", "jiulongpo", "jilin"):
            assert table[key], key


# --- the import --------------------------------------------------------------------------------------


@pytest.fixture
def wenzhou() -> MemoryRegistry:
    reg = MemoryRegistry(user="operator")
    reg.add_community(Community("wz", "五马社区", "五马街道", "鹿城区", "温州市", "wenzhou"))
    return reg


def test_the_import_refuses_both_and_names_the_column(wenzhou: MemoryRegistry, tmp_path: Path) -> None:
    common = {"sex": "女", "community_id": "wz", "entry": "招聘", "education": "本科", "party": "群众"}
    rows = [
        row(name="甲", id_number=gb11643("33030219880402024"), service_start=dt.date(2030, 1, 1), **common),
        row(
            name="乙",
            id_number=gb11643("33030219900101022"),
            service_start=dt.date(2019, 1, 1),
            posts="专职网格员",
            **common,
        ),
        row(name="丙", id_number=gb11643("33030219920101042"), service_start=dt.date(2019, 1, 1), **common),
    ]
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    result = import_workers(
        wenzhou,
        path,
        today=TODAY,
        posts=[],
        jurisdiction_posts=posts_by_jurisdiction(default_jurisdictions()),
    )
    assert result.refused and wenzhou.workers() == []
    found = [(p.row, p.column, p.problem.key) for p in result.problems]
    assert found == [
        (2, COLUMN["service_start"], "records.service_start_future"),
        (3, COLUMN["posts"], "records.post_not_here"),
    ]


# --- check --------------------------------------------------------------------------------------------


def test_check_names_stored_records_that_break_them(tmp_path: Path) -> None:
    root = tmp_path / "registry"
    with init_registry(root, user="operator") as reg:
        reg.add_community(Community("wz", "五马社区", "五马街道", "鹿城区", "温州市", "wenzhou"))
        good = reg.add_worker(worker())
        # the registry's own API takes these (the checks are the callers'); an older version saved them
        late = reg.add_worker(
            worker(id_number=gb11643("33030219880402044"), service_start=dt.date(2030, 1, 1))
        )
        grid = reg.add_worker(
            worker(
                id_number=gb11643("33030219880402064"), posts=(PostTerm("grid_worker", dt.date(2018, 3, 1)),)
            )
        )
    posts = posts_by_jurisdiction(default_jurisdictions())
    report = check_registry(root, jurisdiction_posts=posts, today=TODAY)
    found = sorted((f.record, f.field) for f in report.findings if f.code == "record_inconsistent")
    assert found == sorted(
        [
            (str(late.id), "service_start"),  # after today
            (str(late.id), "service_start"),  # after the first post, 2018-03-01
            (str(late.id), "service_start"),  # after the first contract, 2018-03-01
            (str(grid.id), "posts[0].post"),
        ]
    )
    assert not report.ok and str(good.id) not in {f.record for f in report.findings}
    # without the plugins' posts the dates are still judged
    plain = check_registry(root, today=TODAY)
    assert {f.record for f in plain.findings if f.code == "record_inconsistent"} == {str(late.id)}
