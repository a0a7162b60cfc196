"""What an operator of one street can learn about the rest (issue 12, item 12).

A duplicate resident ID is refused without naming the record that holds it when that record is
outside the operator's scope, and the scoped API hands Python code no way back to the unscoped
registry: no `inner`, and no public attribute or method whose owner is the registry itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from core.errors import AccessDenied, DuplicateRecord
from core.i18n import set_language
from core.model import Worker
from core.registry import Registry, init_registry
from core.scoped import ScopedRepository, open_scoped

from .conftest import make_community, make_worker
from .figures import record


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh")


@pytest.fixture
def two_streets(tmp_path: Path) -> tuple[Path, Worker, Worker]:
    """bob operates 中关村街道 (c1); c3 in 学院路街道 is outside his scope; ann is admin of all."""
    root = tmp_path / "registry"
    with init_registry(root, user="owner") as reg:
        reg.add_community(make_community("c1"))
        reg.add_community(make_community("c3", street="学院路街道"))
        # several workers before the one outside, so its id is not a digit every message holds
        inside = reg.add_workers([make_worker("c1") for _ in range(11)])[0]
        outside = reg.add_worker(make_worker("c3"))
    (root / "operators.toml").write_text(
        '[operators.ann]\nrole = "admin"\nscope = "all"\n\n'
        '[operators.bob]\nrole = "operator"\nscope = "street:海淀区/中关村街道"\n\n'
        '[operators.ed]\nrole = "admin"\nscope = "street:海淀区/中关村街道"\n',
        encoding="utf-8",
    )
    return root, inside, outside


def _person(worker: Worker) -> dict[str, object]:
    """The fields a resident ID must agree with, to register the same person again."""
    return {"id_number": worker.id_number, "birth_date": worker.birth_date, "sex": worker.sex}


def _says_nothing_of(exc: DuplicateRecord, outside: Worker) -> None:
    text = str(exc)
    assert exc.existing != outside.id and str(outside.id) not in text
    assert outside.name not in text
    assert "outside your scope" in text


def test_a_duplicate_outside_the_scope_is_refused_without_naming_it(
    two_streets: tuple[Path, Worker, Worker],
) -> None:
    root, inside, outside = two_streets
    with open_scoped(root, login="bob") as bob:
        with pytest.raises(DuplicateRecord) as added:
            bob.add_worker(make_worker("c1", name="新人", **_person(outside)))
        _says_nothing_of(added.value, outside)
        with pytest.raises(DuplicateRecord) as changed:
            bob.update_worker(attrs.evolve(bob.get_worker(inside.id), **_person(outside)))
        _says_nothing_of(changed.value, outside)
        # inside the scope the refusal still names the record, so it can be found and edited
        other = bob.workers()[1]
        with pytest.raises(DuplicateRecord) as mine:
            bob.add_worker(make_worker("c1", **_person(other)))
        assert mine.value.existing == other.id
    with open_scoped(root, login="ann") as ann, pytest.raises(DuplicateRecord) as everywhere:
        ann.add_worker(make_worker("c1", **_person(outside)))
    assert everywhere.value.existing == outside.id
    record("scope_leaks_closed", 2)


def test_a_community_id_outside_the_scope_is_refused_without_naming_it(
    two_streets: tuple[Path, Worker, Worker],
) -> None:
    root, _, _ = two_streets
    with open_scoped(root, login="bob") as bob, pytest.raises(DuplicateRecord) as taken:
        bob.add_community(make_community("c3", name="另一个社区"))
    assert "outside your scope" in str(taken.value) and "c3社区" not in str(taken.value)
    record("scope_leaks_closed")


def _leads_back(value: object, registry: Registry) -> bool:
    """Whether `value` is the registry or a method bound to it (what `__self__` exposes)."""
    return value is registry or getattr(value, "__self__", None) is registry


@pytest.mark.parametrize("login", ["bob", "ed", "ann"])
def test_the_scoped_api_hands_out_no_unscoped_registry(
    two_streets: tuple[Path, Worker, Worker], login: str
) -> None:
    root, _, _ = two_streets
    with open_scoped(root, login=login) as seen:
        assert not hasattr(seen, "inner")
        registry = seen._inner  # what must not be reachable through a public name
        assert isinstance(registry, Registry)
        names = {n for n in dir(seen) if not n.startswith("_")}
        names |= {n for n, _ in inspect.getmembers(Registry) if not n.startswith("_")}
        names |= {n for n in vars(registry) if not n.startswith("_")}
        reached = []
        for name in sorted(names):
            try:
                value = getattr(seen, name)
            except (AccessDenied, AttributeError):
                continue
            if _leads_back(value, registry) or _leads_back(getattr(value, "__wrapped__", None), registry):
                reached.append(name)
        assert reached == []
        assert isinstance(seen, ScopedRepository)
    record("scope_leaks_closed")
