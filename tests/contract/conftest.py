"""Fixtures for the backend contract: every registered backend, bare and behind the access wrapper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.access import Grant, Role
from core.backends import Backend, registered
from core.model import Community
from core.repository import Repository
from core.scope import Scope
from core.scoped import ScopedRepository
from tests.storage.conftest import make_community

USER = "contract-a"
BACKENDS = registered()


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def inner(backend: Backend, tmp_path: Path) -> Iterator[Repository]:
    """A fresh, empty registry of `backend`."""
    registry = backend.open(backend.scratch(tmp_path), user=USER, create=True, backup_on_open=False)
    try:
        yield registry
    finally:
        registry.close()


@pytest.fixture(params=["bare", "scoped"])
def repo(request: pytest.FixtureRequest, inner: Repository) -> Repository:
    """`inner` itself, or seen through `core.scoped` by an admin over everything: the same contract."""
    if request.param == "scoped":
        return ScopedRepository(inner, Grant(USER, Role.ADMIN, (Scope(),), "owner"))
    return inner


PLACES = {  # community id → (district, street)
    "c1": ("海淀区", "中关村街道"),
    "c2": ("海淀区", "学院路街道"),
    "c3": ("朝阳区", "三里屯街道"),
}


def add_places(repo: Repository) -> list[Community]:
    return [
        repo.add_community(make_community(cid, street=street, district=district))
        for cid, (district, street) in PLACES.items()
    ]
