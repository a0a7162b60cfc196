"""The dashboard reads its workers a street at a time (so the roster is not kept waiting) and
counts heads from summaries first: neither may lose, double or miscount a worker."""

from __future__ import annotations

from core.memory import MemoryRegistry
from core.summary import worker_summaries
from tests.tui.fixtures import TODAY, build_jurisdictions
from tui.labels import Lexicon
from tui.screens.dashboard import count_heads, read_workers


def test_every_worker_once_in_id_order(registry: MemoryRegistry) -> None:
    communities = registry.communities()
    ids = [w.id for w in registry.workers()]
    got = read_workers(registry, communities, ids)
    assert [w.id for w in got] == ids  # 40 fixture workers over five streets, each once
    assert got == registry.workers()


def test_workers_of_a_community_not_read_by_street_are_read_one_by_one(registry: MemoryRegistry) -> None:
    # 永中社区 is the only community of 永中街道: left out, its street is never queried, yet its
    # workers (every sixth fixture worker, ids of index 4, 10, 16, ...) must still come back.
    known = [c for c in registry.communities() if c.id != "tc-005"]
    ids = [w.id for w in registry.workers()]
    yongzhong = {w.id for w in registry.workers() if w.community_id == "tc-005"}
    assert yongzhong  # the fixture puts workers there
    got = read_workers(registry, known, ids)
    assert {w.id for w in got} == set(ids)


def test_a_worker_deleted_since_it_was_counted_is_left_out(registry: MemoryRegistry) -> None:
    worker = next(w for w in registry.workers() if w.community_id == "tc-005")
    ids = [w.id for w in registry.workers()]
    registry.delete_worker(worker.id, worker.revision)
    known = [c for c in registry.communities() if c.id != "tc-005"]
    got = read_workers(registry, known, ids)
    assert {w.id for w in got} == set(ids) - {worker.id}


def test_counts_from_summaries_are_the_counts_from_whole_workers(registry: MemoryRegistry) -> None:
    communities = {c.id: c for c in registry.communities()}
    lexicon = Lexicon(build_jurisdictions())
    from_summaries = count_heads(worker_summaries(registry), communities, lexicon, TODAY)
    from_workers = count_heads(registry.workers(), communities, lexicon, TODAY)
    assert from_summaries == from_workers
    assert from_summaries.total == 40  # the fixture registry's 40 workers
    assert from_summaries.communities == 6  # fixtures.COMMUNITIES
