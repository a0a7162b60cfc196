"""Shared fixtures for the storage tests: realistic valid workers and communities, fresh registries."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from core.model import (
    Assessment,
    Community,
    Contract,
    ContractKind,
    Hukou,
    PartyStatus,
    Post,
    PostTerm,
    Sex,
    Training,
    Worker,
)
from core.registry import Registry, init_registry
from core.resident_id import checksum_char
from core.storage import faults

_serial = itertools.count(1)


def resident_id(birth: dt.date, sex: Sex, seq: int) -> str:
    """17 digits: region 110108, birth date, a 3-digit sequence (odd last digit for men), check char."""
    last = (seq % 100) * 10 + (1 if sex == Sex.MALE else 2)
    first17 = f"110108{birth:%Y%m%d}{last:03d}"
    return first17 + checksum_char(first17)


def make_worker(community_id: str = "c1", n: int | None = None, **fields: object) -> Worker:
    """A valid worker; `n` picks a distinct birth date and sequence so resident IDs never clash."""
    n = next(_serial) if n is None else n
    sex = Sex.MALE if n % 2 else Sex.FEMALE
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000)  # (birth, sequence) is unique per n
    start = dt.date(2008, 3, 1) + dt.timedelta(days=n % 2000)
    base: dict[str, object] = {
        "name": f"王{'芳' if sex == Sex.FEMALE else '强'}{n}",
        "sex": sex,
        "birth_date": birth,
        "id_number": resident_id(birth, sex, n // 9000),
        "community_id": community_id,
        "service_start": start,
        "phone": "13800138000",
        "hukou": Hukou("北京"),
        "party": PartyStatus.MEMBER,
        "posts": (PostTerm(Post.STAFF, start),),
        "contracts": (Contract(ContractKind.LABOUR, start, start + dt.timedelta(days=1095)),),
        "assessments": (Assessment(2023, scores={"work": Decimal("85.5")}),),
        "trainings": (Training(dt.date(2023, 5, 1), dt.date(2023, 5, 3), hours=Decimal(24)),),
    }
    base.update(fields)
    return Worker(**base)  # type: ignore[arg-type]


def make_community(
    cid: str = "c1", street: str = "中关村街道", district: str = "海淀区", **fields: object
) -> Community:
    base: dict[str, object] = {
        "id": cid,
        "name": f"{cid}社区",
        "street": street,
        "district": district,
        "city": "北京市",
        "jurisdiction": "beijing.haidian",
        "target_ranks": {2023: 2},
    }
    base.update(fields)
    return Community(**base)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_fault_hooks() -> Iterator[None]:
    faults.hooks.clear()
    yield
    faults.hooks.clear()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "registry"


@pytest.fixture
def registry(root: Path) -> Iterator[Registry]:
    """A registry with two communities in one street and one in another."""
    reg = init_registry(root, user="alice", lock_timeout=5)
    reg.add_community(make_community("c1"))
    reg.add_community(make_community("c2"))
    reg.add_community(make_community("c3", street="学院路街道"))
    yield reg
    reg.close()
