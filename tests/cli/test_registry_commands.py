"""`init`, `demo`, the app launch, global options, help and exit codes."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import Run, snapshot
from tui.cli.options import default_db_path, resolve_db, resolve_language


class TestInit:
    def test_creates_an_empty_registry(self, run: Run, tmp_path: Path) -> None:
        """init makes registry.json and says where."""
        db = tmp_path / "reg"
        result = run("--db", db, "init")
        assert result.code == 0, result.err
        assert (db / "registry.json").is_file()
        assert str(db) in result.out
        assert run("--db", db, "worker", "list", "--json").out.strip() == "[]"

    def test_refuses_an_existing_registry(self, run: Run, tmp_path: Path) -> None:
        """A second init exits 1, names the path and changes nothing."""
        db = tmp_path / "reg"
        assert run("--db", db, "init").code == 0
        before = snapshot(db)
        result = run("--db", db, "init")
        assert result.code == 1
        assert str(db) in result.err
        assert "Traceback" not in result.err
        assert snapshot(db) == before

    def test_refuses_a_directory_of_other_files(self, run: Run, tmp_path: Path) -> None:
        """A directory holding someone's files is not turned into a registry."""
        (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
        result = run("--db", tmp_path, "init")
        assert result.code == 1
        assert not (tmp_path / "registry.json").exists()

    def test_read_only_refuses(self, run: Run, tmp_path: Path) -> None:
        """--read-only never creates anything."""
        result = run("--db", tmp_path / "reg", "--read-only", "init")
        assert result.code == 1
        assert "--read-only" in result.err
        assert not (tmp_path / "reg").exists()


class TestDemo:
    def test_builds_and_reports(self, run: Run, tmp_path: Path) -> None:
        """demo prints counts per jurisdiction; --json gives the same as data."""
        db = tmp_path / "reg"
        result = run("--db", db, "demo", "--workers", "40", "--json")
        assert result.code == 0, result.err
        data = orjson.loads(result.out)
        assert data["workers"] == 40
        assert data["path"] == str(db)
        assert sum(j["workers"] for j in data["jurisdictions"].values()) == 40
        assert (db / "params.toml").is_file()

    def test_refuses_to_overwrite_without_force(self, run: Run, demo_db: Path) -> None:
        """An existing registry is kept; the message says how to replace it."""
        before = snapshot(demo_db)
        result = run("--db", demo_db, "demo", "--workers", "40")
        assert result.code == 1
        assert "--force" in result.err
        assert snapshot(demo_db) == before

    def test_force_keeps_the_old_registry(self, run: Run, tmp_path: Path) -> None:
        """--force renames the old registry aside rather than deleting it."""
        db = tmp_path / "reg"
        assert run("--db", db, "init").code == 0
        result = run("--db", db, "demo", "--workers", "40", "--force")
        assert result.code == 0, result.err
        kept = [p for p in tmp_path.iterdir() if p.name.startswith("reg.replaced-")]
        assert len(kept) == 1 and (kept[0] / "registry.json").is_file()
        assert str(kept[0]) in result.out

    @pytest.mark.parametrize(
        ("args", "option"),
        [
            (["--workers", "many"], "--workers"),
            (["--workers", "3"], "--workers"),
            (["--today", "2026-02-30"], "--today"),
        ],
    )
    def test_bad_values_name_the_option(self, run: Run, tmp_path: Path, args: list[str], option: str) -> None:
        """A bad number or date exits 1 naming the option, and creates nothing."""
        db = tmp_path / "reg"
        result = run("--db", db, "demo", *args)
        assert result.code == 1
        assert option in result.err
        assert not (db / "registry.json").exists()


class TestApp:
    def test_no_registry_suggests_init_and_demo(self, run: Run, tmp_path: Path) -> None:
        """With no subcommand and no registry, nothing is created and both commands are suggested."""
        db = tmp_path / "nothing"
        result = run("--db", db)
        assert result.code == 1
        assert "shegong --db" in result.err and " init" in result.err and " demo" in result.err
        assert not db.exists()

    def test_opens_the_app_with_the_options(
        self, run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The app gets the registry path, language and read-only flag."""
        calls: list[tuple[Path, str, bool]] = []
        fake = types.ModuleType("tui.app")

        def run_app(db_path: Path, *, lang: str, read_only: bool = False) -> None:
            calls.append((db_path, lang, read_only))

        fake.run_app = run_app  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "tui.app", fake)
        assert run("--db", demo_db, "--lang", "en", "--read-only").code == 0
        assert calls == [(demo_db, "en", True)]

    def test_a_broken_app_is_reported_not_raised(
        self, run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the app cannot be imported, a clear message and exit 1, no traceback."""
        monkeypatch.setitem(sys.modules, "tui.app", None)  # makes `import tui.app` fail
        result = run("--db", demo_db)
        assert result.code == 1
        assert "Traceback" not in result.err
        assert "shegong --help" in result.err


class TestOptions:
    def test_db_from_flag_then_environment_then_default(self) -> None:
        """--db wins over SHEGONG_DB, which wins over the per-user default."""
        assert resolve_db("/a", {"SHEGONG_DB": "/b"}) == Path("/a")
        assert resolve_db(None, {"SHEGONG_DB": "/b"}) == Path("/b")
        assert resolve_db(None, {}) == default_db_path()
        assert default_db_path().name == "registry" and default_db_path().parent.name == "shegong"

    def test_environment_registry_is_used(
        self, run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SHEGONG_DB points the commands at a registry."""
        monkeypatch.setenv("SHEGONG_DB", str(demo_db))
        assert run("community", "list", "--json").code == 0

    def test_language_from_flag_then_environment(self) -> None:
        assert resolve_language("en", {"SHEGONG_LANG": "zh"}) == "en"
        assert resolve_language(None, {"LANG": "en_US.UTF-8"}) == "en"
        assert resolve_language(None, {}) == "zh"

    def test_global_options_after_the_command(self, run: Run, demo_db: Path) -> None:
        """--db, --lang and --json are accepted after the subcommand too."""
        result = run("community", "list", "--db", demo_db, "--json", "--lang", "en")
        assert result.code == 0
        assert isinstance(orjson.loads(result.out), list)


class TestHelpAndUsage:
    def test_help_is_chinese_by_default(self, run: Run) -> None:
        result = run("--help")
        assert result.code == 0
        assert "用法" in result.out and "生成一个演示登记库" in result.out

    def test_help_in_english(self, run: Run) -> None:
        result = run("--lang", "en", "worker", "add", "--help")
        assert result.code == 0
        assert "usage:" in result.out and "--id-number" in result.out and "resident ID" in result.out

    @pytest.mark.parametrize(
        "argv",
        [
            ["frobnicate"],
            ["worker"],
            ["worker", "show"],
            ["--lang", "fr", "plugins"],
            ["worker", "list", "--bogus"],
        ],
    )
    def test_bad_usage_exits_2(self, run: Run, tmp_path: Path, argv: list[str]) -> None:
        result = run("--db", tmp_path, *argv)
        assert result.code == 2
        assert "用法" in result.err
        assert "Traceback" not in result.err

    def test_usage_errors_in_english(self, run: Run, tmp_path: Path) -> None:
        result = run("--lang", "en", "--db", tmp_path, "worker", "show")
        assert result.code == 2
        assert "usage:" in result.err and "required" in result.err
