"""`community add|show|list|edit` and `plugins`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from core.demo import AREAS, DEMO_PARAMS
from core.jurisdictions import default_jurisdictions
from tests.cli.helpers import Run, snapshot

EXPECTED_JURISDICTIONS = ("beijing", "beijing.haidian", "shenyang", "wenzhou", "ningguo", "jiulongpo")
OUTSIDE_JURISDICTIONS = ("jilin",)  # its own distribution (examples/jilin), installed by `make`


def as_json(text: str) -> Any:
    return orjson.loads(text)


def community_args(**overrides: str) -> list[str]:
    values = {
        "--id": "jlp-yjp-009",
        "--name": "新社区",
        "--street": "杨家坪街道",
        "--district": "九龙坡区",
        "--city": "重庆市",
        "--jurisdiction": "jiulongpo",
    } | overrides
    return [part for option, value in values.items() for part in (option, value)]


class TestCommunity:
    def test_add_show_list(self, run: Run, demo_db: Path) -> None:
        result = run(
            "--db", demo_db, "community", "add", *community_args(), "--households-resident", "2400",
            "--office-area", "420.5", "--target-rank", "2025:2", "--post-quota", "liangwei:7",
            "--kind", "城市社区",
        )  # fmt: skip
        assert result.code == 0, result.err
        doc = as_json(run("--db", demo_db, "community", "show", "jlp-yjp-009", "--json").out)
        assert doc["households_resident"] == 2400
        assert doc["office_area"] == "420.5"
        assert doc["target_ranks"] == {"2025": 2}
        assert doc["post_quotas"] == {"liangwei": 7}
        assert doc["workers_in_service"] == 0
        listed = as_json(run("--db", demo_db, "community", "list", "--street", "杨家坪街道", "--json").out)
        assert "jlp-yjp-009" in [c["id"] for c in listed]
        assert all(c["street"] == "杨家坪街道" for c in listed)
        text = run("--db", demo_db, "community", "show", "jlp-yjp-009").out
        assert "新社区" in text and "重庆市九龙坡区" in text

    @pytest.mark.parametrize(
        ("overrides", "named"),
        [
            ({"--jurisdiction": "atlantis"}, "--jurisdiction"),
            ({"--id": "jlp-yjp-001"}, "--id"),  # exists already
            ({"--name": "  "}, "--name"),
            ({"--kind": "moon"}, "--kind"),
        ],
    )
    def test_refusals_name_the_field(
        self, run: Run, demo_db: Path, overrides: dict[str, str], named: str
    ) -> None:
        before = snapshot(demo_db)
        result = run("--db", demo_db, "community", "add", *community_args(**overrides))
        assert result.code == 1
        assert named in result.err
        assert snapshot(demo_db) == before

    def test_unknown_jurisdiction_lists_the_loaded_ones(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "community", "add", *community_args(**{"--jurisdiction": "atlantis"}))
        assert "atlantis" in result.err and "jiulongpo" in result.err

    def test_bad_count_names_the_option(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "community", "add", *community_args(), "--population", "-5")
        assert result.code == 1 and "--population" in result.err

    def test_edit(self, run: Run, demo_db: Path) -> None:
        before = as_json(run("--db", demo_db, "community", "show", "jlp-yjp-001", "--json").out)
        result = run("--db", demo_db, "community", "edit", "jlp-yjp-001", "--new-residents", "1234", "--json")
        assert result.code == 0, result.err
        after = as_json(result.out)
        assert after["new_residents"] == 1234
        assert after["revision"] == before["revision"] + 1
        stale = run(
            "--db", demo_db, "community", "edit", "jlp-yjp-001", "--grid-count", "9", "--revision", "1"
        )
        assert stale.code == 1

    def test_list_counts_workers_in_service(self, run: Run, demo_db: Path) -> None:
        listed = as_json(run("--db", demo_db, "community", "list", "--json").out)
        workers = as_json(run("--db", demo_db, "worker", "list", "--json").out)
        in_service = sum(1 for w in workers if w["status"] in ("active", "probation"))
        assert sum(c["workers_in_service"] for c in listed) == in_service


class TestPlugins:
    def test_json_lists_every_jurisdiction_with_documents(self, run: Run, tmp_path: Path) -> None:
        """No registry needed; each expected jurisdiction is loaded or listed as broken."""
        result = run("--db", tmp_path / "x", "plugins", "--json")
        assert result.code == 0, result.err
        data = as_json(result.out)
        loaded = {j["key"]: j for j in data["jurisdictions"]}
        broken = {b["name"] for b in data["broken"]}
        for key in EXPECTED_JURISDICTIONS + OUTSIDE_JURISDICTIONS:
            assert key in loaded or key in broken, key
        for j in loaded.values():
            assert j["documents"] and all(d["title"] for d in j["documents"])
            # a local text is a seed file; only the national laws have none
            assert j["key"] == "national" or all(d["file"] for d in j["documents"])
            assert isinstance(j["parameters"], int) and 0 <= j["unset"] <= j["parameters"]
            assert j["zh"] and j["en"]
        if "beijing.haidian" in loaded:
            assert loaded["beijing.haidian"]["parent"] == "beijing"

    def test_json_flag_before_the_command(self, run: Run, tmp_path: Path) -> None:
        assert as_json(run("--db", tmp_path, "--json", "plugins").out)["jurisdictions"]

    def test_registry_parameters_count_as_set(self, run: Run, demo_db: Path) -> None:
        """The demo's params.toml fills every parameter it has a value for."""
        data = as_json(run("--db", demo_db, "plugins", "--json").out)
        for j in data["jurisdictions"]:
            filled = {name for key, name in DEMO_PARAMS if key == j["key"]}
            assert not filled & set(j["unset_names"]), j["key"]

    def test_table_in_both_languages(self, run: Run, tmp_path: Path) -> None:
        zh = run("--db", tmp_path, "plugins").out
        en = run("--db", tmp_path, "--lang", "en", "plugins").out
        assert "依据文件" in zh and "Documents" in en
        for key in default_jurisdictions().keys:
            assert key in zh and key in en

    def test_broken_plugins_are_listed(
        self, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from core.jurisdictions import BrokenPlugin, Jurisdictions
        from tui.cli.options import Session

        js = Jurisdictions()
        js.broken.append(BrokenPlugin("atlantis", "ImportError: no module named atlantis"))
        monkeypatch.setattr(Session, "jurisdictions", lambda self: js)
        result = run("--db", tmp_path, "plugins")
        assert result.code == 0
        assert "atlantis" in result.out and "ImportError" in result.out
        assert as_json(run("--db", tmp_path, "plugins", "--json").out)["broken"] == [
            {"name": "atlantis", "error": "ImportError: no module named atlantis"}
        ]


def test_every_demo_area_is_an_expected_jurisdiction() -> None:
    assert {a.jurisdiction for a in AREAS} == set(EXPECTED_JURISDICTIONS)
