"""Fixtures for the command-line tests: `main()` called in-process, a demo registry built once."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.i18n import current_language, set_language
from tests.cli.helpers import Result, Run
from tui.cli import main

DEMO_WORKERS = 80
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Chinese unless a test asks otherwise, no registry from the environment, language restored."""
    for var in ("SHEGONG_DB", "SHEGONG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    before = current_language()
    yield
    set_language(before)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """`run("--db", path, "worker", "list")` → exit code, stdout, stderr."""

    def call(*argv: object) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo registry built once; tests get their own copy of it."""
    path = tmp_path_factory.mktemp("demo-template") / "registry"
    code = main(
        [
            "--db",
            str(path),
            "demo",
            "--workers",
            str(DEMO_WORKERS),
            "--seed",
            str(DEMO_SEED),
            "--today",
            dt.date.today().isoformat(),
        ]
    )
    assert code == 0
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "registry"
    shutil.copytree(demo_template, path, ignore=shutil.ignore_patterns(".lock"))
    return path
