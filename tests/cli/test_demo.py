"""The demo registry: deterministic, valid, and with content for every rule to show."""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from pathlib import Path

import pytest

from core.convert import structure, unstructure
from core.demo import AREAS, DEMO_PARAMS, DemoSummary, _toml, build_demo, demo_parameters, write_params
from core.errors import ShegongError, ValidationError
from core.hookspecs import JurisdictionInfo, SourceDocument, Vocabulary, hookimpl
from core.jurisdictions import ROOT_KEY, Jurisdictions, default_jurisdictions, plugin_modules
from core.memory import MemoryRegistry
from core.model import IN_SERVICE, ContractKind, Post, Status, Worker
from core.params import load_overrides
from core.registry_config import FolderConfig
from core.resident_id import check_resident_id
from core.results import Month
from core.rules import Rules

TODAY = dt.date(2026, 11, 25)


class ParamsRegistry(MemoryRegistry):
    """The in-memory registry with a parameter file, as the on-disk one has."""

    def __init__(self, params_path: Path) -> None:
        super().__init__(user="tester")
        self.params_path = params_path

    def config(self) -> FolderConfig:
        return FolderConfig(self.params_path.parent)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ParamsRegistry, DemoSummary]:
    registry = ParamsRegistry(tmp_path_factory.mktemp("demo") / "params.toml")
    return registry, build_demo(registry, workers=300, today=TODAY)


@pytest.fixture(scope="module")
def demo_jurisdictions(built: tuple[ParamsRegistry, DemoSummary]) -> Jurisdictions:
    js = Jurisdictions(load_overrides(built[0].params_path))
    js.load_entry_points()
    return js


def documents(registry: MemoryRegistry) -> tuple[list[object], list[object]]:
    return [unstructure(c) for c in registry.communities()], [unstructure(w) for w in registry.workers()]


def test_same_seed_same_registry(built: tuple[ParamsRegistry, DemoSummary], tmp_path: Path) -> None:
    again = ParamsRegistry(tmp_path / "params.toml")
    build_demo(again, workers=300, today=TODAY)
    assert documents(again) == documents(built[0])
    assert (tmp_path / "params.toml").read_text(encoding="utf-8") == built[0].params_path.read_text(
        encoding="utf-8"
    )


def test_another_seed_another_registry(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    other = MemoryRegistry()
    build_demo(other, workers=300, seed=1, today=TODAY)
    assert documents(other)[1] != documents(built[0])[1]


def test_counts(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    registry, summary = built
    assert summary.workers == registry.count_workers() == 300
    assert summary.communities == len(registry.communities())
    assert sum(w for _, w in summary.by_jurisdiction.values()) == 300


def test_every_loaded_jurisdiction_has_two_or_more_communities(
    built: tuple[ParamsRegistry, DemoSummary],
) -> None:
    registry, summary = built
    per = Counter(c.jurisdiction for c in registry.communities())
    loaded = default_jurisdictions()
    for key in loaded.keys:
        if not loaded.loaded(key).origin.split(" = ", 1)[-1].startswith("plugins."):
            continue  # an outside distribution (examples/jilin) brings no demo area of ours
        if key == ROOT_KEY:
            continue  # national law answers under every local chain; no community names it
        assert per[key] >= 2, key
    assert set(summary.skipped) == {a.jurisdiction for a in AREAS} - set(default_jurisdictions().keys)


def test_every_worker_passes_validation(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    """Rebuilt from its stored document with every check on, each worker is accepted."""
    registry, _ = built
    seen: set[str] = set()
    for worker in registry.workers():
        again = structure(unstructure(worker), Worker)
        assert again == worker
        check_resident_id(worker.id_number, birth_date=worker.birth_date, sex=worker.sex)
        assert worker.id_number not in seen
        seen.add(worker.id_number)
        assert dt.date(1960, 1, 1) <= worker.birth_date <= dt.date(2000, 12, 31)
        assert worker.service_start <= TODAY


def test_posts_are_in_the_jurisdiction_vocabulary(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    registry, _ = built
    js = default_jurisdictions()
    for worker in registry.workers():
        community = registry.get_community(worker.community_id)
        posts = js.vocabulary(community.jurisdiction, "posts")
        grades = js.vocabulary(community.jurisdiction, "grades")
        assert not posts or {p.post for p in worker.posts} <= set(posts), worker.name
        assert not grades or {a.grade for a in worker.assessments} <= set(grades), worker.name


def test_every_community_has_its_leaders(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    registry, _ = built
    for community in registry.communities():
        held = Counter(p.post for w in registry.workers() if w.community_id == community.id for p in w.posts)
        assert held[Post.PARTY_SECRETARY] >= 1, community.id


def test_content_for_forecasts_and_findings(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    """People near retirement, contracts ending soon, cross-appointments, every status."""
    registry, _ = built
    rules = Rules(registry, today=TODAY)
    workers = registry.workers()
    in_service = [w for w in workers if w.status_on(TODAY) in IN_SERVICE]
    soon = TODAY + dt.timedelta(days=365)
    assert sum(1 for w in in_service if rules.retirement(w).date <= soon) >= 5
    ending = [
        w
        for w in in_service
        if (c := w.contract_on(TODAY)) is not None
        and c.end is not None
        and c.end <= TODAY + dt.timedelta(days=90)
    ]
    assert len(ending) >= 5
    assert sum(1 for w in in_service if len(w.posts_on(TODAY)) >= 2) >= 3
    statuses = Counter(w.status_on(TODAY) for w in workers)
    assert statuses[Status.RETIRED] >= 2 and statuses[Status.LEFT] >= 2 and statuses[Status.PROBATION] >= 2
    assert any(w.certificates for w in workers)
    assert any(w.absences for w in workers)
    assert any(c.kind == ContractKind.TERM for w in workers for c in w.contracts)


def test_grades_are_mostly_good(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    registry, _ = built
    grades = Counter(a.grade for w in registry.workers() for a in w.assessments)
    total = sum(grades.values())
    good = grades["qualified"] + grades["competent"]
    assert good / total > 0.6
    assert grades["excellent"] > 0
    assert (
        grades["basically_qualified"] + grades["warning"] + grades["unqualified"] + grades["incompetent"] > 0
    )


def test_reserve_cadres_and_quotas_in_ningguo(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    if "ningguo" not in default_jurisdictions().keys:
        pytest.skip("ningguo plugin not loaded")
    registry, _ = built
    for community in registry.communities(jurisdiction="ningguo"):
        assert set(community.post_quotas) == {"liangwei", "reserve_cadre"}
    assert any(p.post == Post.RESERVE_CADRE for w in registry.workers() for p in w.posts)


def test_shenyang_has_two_scored_assessments_a_year(built: tuple[ParamsRegistry, DemoSummary]) -> None:
    if "shenyang" not in default_jurisdictions().keys:
        pytest.skip("shenyang plugin not loaded")
    registry, _ = built
    worker = next(w for w in registry.workers(None) if w.community_id.startswith("sy-") and w.assessments)
    periods = Counter(a.year for a in worker.assessments)
    assert 2 in periods.values()
    assert {"residents", "departments", "peers"} <= set(worker.assessments[0].scores)


def test_demo_parameters_fill_what_the_plugins_leave_unset(demo_jurisdictions: Jurisdictions) -> None:
    """Every demo value names a real parameter, parses, and leaves nothing it knows unset."""
    for key, name in DEMO_PARAMS:
        if key in demo_jurisdictions.keys:
            assert name in demo_jurisdictions.params(key), f"{key}:{name} is not a parameter of the plugin"
    written, unset = demo_parameters(demo_jurisdictions)
    assert written == {}
    assert not {f"{k}:{n}" for k, n in DEMO_PARAMS} & set(unset)


def test_rules_compute_on_the_demo(
    built: tuple[ParamsRegistry, DemoSummary], demo_jurisdictions: Jurisdictions
) -> None:
    """With the demo's parameters, pay and retirement compute for everyone in service."""
    registry, _ = built
    rules = Rules(registry, demo_jurisdictions, today=TODAY)
    failures = []
    for worker in registry.workers():
        if worker.status_on(TODAY) not in IN_SERVICE:
            continue
        try:
            rules.pay_lines(worker, Month.of(TODAY))
            rules.retirement(worker)
        except ShegongError as exc:
            failures.append(f"{worker.community_id} {worker.name}: {exc}")
    assert failures == []


def test_too_few_workers_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        build_demo(MemoryRegistry(), workers=3, today=TODAY)
    assert info.value.field == "workers"


def test_params_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "params.toml"
    write_params(path, {("x", "table"): {"沈河区": {"posts": {"staff": "1"}, "cap": 3}}, ("x", "n"): "8"})
    overrides = {o.name: o for o in load_overrides(path)}
    assert overrides["table"].raw == {"沈河区": {"posts": {"staff": "1"}, "cap": 3}}
    assert overrides["n"].note == "演示数据 / demo value"
    assert _toml([[0, "1"], [3, "2"]]) == '[[0, "1"], [3, "2"]]'


def _fake_plugin(key: str, zh: str, parent: str | None = None) -> types.ModuleType:
    """A stand-in for a jurisdiction whose plugin is still being written: names and posts only."""
    module = types.ModuleType(f"fake_{key.replace('.', '_')}")
    posts = (
        Vocabulary(Post.PARTY_SECRETARY.value, "社区党组织书记", "Party secretary", "principal"),
        Vocabulary(Post.COMMITTEE_DIRECTOR.value, "社区居委会主任", "Committee director", "principal"),
        Vocabulary(Post.STATION_HEAD.value, "社区服务站站长", "Station head", "principal"),
        Vocabulary(Post.COMMITTEE_DEPUTY_DIRECTOR.value, "社区居委会副主任", "Deputy director", "deputy"),
        Vocabulary(Post.STAFF.value, "一般工作人员", "Staff", "general"),
    )

    @hookimpl
    def shegong_jurisdiction() -> JurisdictionInfo:
        return JurisdictionInfo(
            key=key,
            zh=zh,
            en=key,
            documents=(SourceDocument("000_a0ecfbd89ce21d4d.txt", zh),),
            parent=parent,
            posts=() if parent else posts,
        )

    module.shegong_jurisdiction = shegong_jurisdiction  # type: ignore[attr-defined]
    return module


def test_a_city_and_its_district(tmp_path: Path) -> None:
    """Beijing and Haidian get their communities and posts from the city's vocabulary."""
    js = plugin_modules(
        [_fake_plugin("beijing", "北京市"), _fake_plugin("beijing.haidian", "海淀区", "beijing")]
    )
    registry = ParamsRegistry(tmp_path / "params.toml")
    summary = build_demo(registry, workers=60, today=TODAY, jurisdictions=js)
    assert set(summary.by_jurisdiction) == {"beijing", "beijing.haidian"}
    haidian = registry.communities(jurisdiction="beijing.haidian")
    assert len(haidian) >= 2 and {c.district for c in haidian} == {"海淀区"}
    assert {c.district for c in registry.communities(jurisdiction="beijing")} == {"通州区"}
    allowed = set(js.vocabulary("beijing.haidian", "posts"))
    assert all(p.post in allowed for w in registry.workers() for p in w.posts)
    assert all(w.id_number[:6] in ("110108", "110112", "110223", "110203") for w in registry.workers())
