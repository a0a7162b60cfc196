"""`worker add|edit` refuse a service start in the future or after the first post; `check`
names stored records that break the cross-field checks, posts of another jurisdiction included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson

import core
from core.model import Community, PostTerm, Sex, Worker
from tests.cli.helpers import Run, snapshot
from tests.core.test_resident_ids_real import gb11643

COMMUNITY = "jlp-yjp-001"  # Jiulongpo, in the demo


def _add(*extra: str) -> list[str]:
    number = gb11643("50010719980315123")
    return ["worker", "add", "--name", "张伟", "--id-number", number, "--community", COMMUNITY, *extra]


def test_add_refuses_a_service_start_in_the_future(run: Run, demo_db: Path) -> None:
    before = snapshot(demo_db)
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    result = run("--db", demo_db, *_add("--service-start", future))
    assert result.code == 1 and "--service-start" in result.err and future in result.err
    assert snapshot(demo_db) == before


def test_add_refuses_a_service_start_after_the_first_post(run: Run, demo_db: Path) -> None:
    result = run("--db", demo_db, *_add("--service-start", "2021-07-01", "--post", "staff:20200101"))
    assert result.code == 1 and "2020-01-01" in result.err and "2021-07-01" in result.err


def test_edit_refuses_a_service_start_in_the_future(run: Run, demo_db: Path) -> None:
    added = run("--db", demo_db, *_add("--service-start", "2021-07-01", "--post", "staff:20210701"))
    assert added.code == 0, added.err
    listed = run("--db", demo_db, "worker", "list", "--community", COMMUNITY, "--json")
    wid = max(w["id"] for w in orjson.loads(listed.out))
    result = run("--db", demo_db, "worker", "edit", wid, "--service-start", "2099-01-01")
    assert result.code == 1 and "--service-start" in result.err


def test_check_names_a_post_of_another_jurisdiction(run: Run, tmp_path: Path) -> None:
    """Wenzhou's measures have no 专职网格员; the registry's own API took it (an older version did)."""
    root = tmp_path / "registry"
    with core.init_registry(root) as registry:
        registry.add_community(Community("wz-1", "五马社区", "五马街道", "鹿城区", "温州市", "wenzhou"))
        registry.add_worker(
            Worker(
                name="陈静",
                sex=Sex.FEMALE,
                birth_date=dt.date(1988, 4, 2),
                id_number=gb11643("33030219880402024"),
                community_id="wz-1",
                service_start=dt.date(2018, 3, 1),
                posts=(PostTerm("grid_worker", dt.date(2018, 3, 1)),),
            )
        )
    result = run("--db", root, "check")
    assert result.code == 1
    assert "posts[0].post" in result.out and "grid_worker" in result.out and "社区专职工作者" in result.out
