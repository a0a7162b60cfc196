"""The fast paths for big registries give exactly what the slow ones gave, and bad data is still
reported: stored documents built without cattrs, roster summaries, import lookups by resident ID."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.convert import structure, structure_stored, unstructure
from core.demo import build_demo
from core.errors import ValidationError, ValidationErrors
from core.memory import MemoryRegistry
from core.model import Worker, trusted_load
from core.registry import open_registry
from core.summary import summary_of, worker_summaries, workers_by_id_number

TODAY = dt.date(2026, 11, 25)
# Days around the demo's histories: posts and statuses change over these years.
DAYS = [dt.date(y, m, 1) for y in range(2004, 2028) for m in (1, 7)]


@pytest.fixture(scope="module")
def demo() -> MemoryRegistry:
    registry = MemoryRegistry(user="test")
    build_demo(registry, workers=80, today=TODAY)
    return registry


def test_stored_workers_are_built_as_the_converter_builds_them(demo: MemoryRegistry) -> None:
    """Every demo worker (posts, contracts, assessments with scores, trainings, absences,
    decisions…) comes back equal, field by field, to what cattrs builds."""
    for worker in demo.workers():
        doc = unstructure(worker)
        with trusted_load():
            fast = structure_stored(doc, Worker)
            slow = structure(doc, Worker)
        assert fast == slow == worker
        assert repr(fast) == repr(slow)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unknown_field": 1}, "unknown_field"),
        ({"birth_date": "1990-13-45"}, "$"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_stored_documents_are_reported_as_before(
    demo: MemoryRegistry, change: dict[str, object], field: str
) -> None:
    """A document the fast path cannot build goes to the converter, which says what is wrong."""
    doc = {**unstructure(demo.workers()[0]), **change}
    with trusted_load(), pytest.raises((ValidationError, ValidationErrors)) as slow:
        structure(doc, Worker, where="w")
    with trusted_load(), pytest.raises(type(slow.value)) as fast:
        structure_stored(doc, Worker, where="w")
    assert fast.value.render() == slow.value.render()
    assert field in fast.value.render()


def test_summaries_answer_as_workers_do(demo: MemoryRegistry) -> None:
    """`posts_on` and `status_on` of a summary equal the worker's on every day tried."""
    for worker in demo.workers():
        summary = summary_of(worker)
        for day in DAYS:
            assert summary.posts_on(day) == worker.posts_on(day)
            assert summary.status_on(day) == worker.status_on(day)


def test_a_disk_registry_lists_summaries_and_finds_by_resident_id(
    demo: MemoryRegistry, tmp_path: Path
) -> None:
    """Summaries read from the stored documents equal those of the loaded workers, in id order;
    `limit` gives the lowest ids; the lookup by resident ID returns exactly the stored workers."""
    registry = open_registry(tmp_path / "reg", user="test", create=True)
    try:
        for community in demo.communities():
            registry.add_community(community)
        registry.add_workers([w for w in demo.workers()])
        workers = registry.workers()
        summaries = worker_summaries(registry)
        assert [s.id for s in summaries] == [w.id for w in workers]
        for summary, worker in zip(summaries, workers, strict=True):
            expected = summary_of(worker)
            assert {k: getattr(summary, k) for k in summary.__slots__} == {
                k: getattr(expected, k) for k in expected.__slots__
            }
        assert [s.id for s in worker_summaries(registry, 5)] == [w.id for w in workers[:5]]
        wanted = [workers[3].id_number, workers[-1].id_number, "110101199001011237"]
        found = workers_by_id_number(registry, wanted)
        assert found == {workers[3].id_number: workers[3], workers[-1].id_number: workers[-1]}
    finally:
        registry.close()
