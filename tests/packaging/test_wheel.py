"""The package as installed from its wheel, not from the source tree.

The editable install used for development reads catalogs, styles, templates, parameter files and
plugin cases straight from the source tree, so a file left out of the wheel's package data goes
unnoticed until someone installs the release. Here the wheel is built from the sources, installed
into a fresh virtual environment (dependencies from the usual package index), and the installed
`shegong` builds a demo registry, runs a payroll, lists the plugins and starts the app headless,
all from a folder outside the source tree so nothing is imported from it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("core", "tui", "plugins", "pyproject.toml", "README.md")
MONTH = "2026-11"
DISTRICT = "沈河区"  # a demo district (Shenyang) whose payroll computes with the demo's parameters
JURISDICTIONS = ("beijing", "beijing.haidian", "jiulongpo", "ningguo", "shenyang", "wenzhou")

HEADLESS = """
import asyncio, sys
from core import rules_for
from core.scoped import open_scoped
from tui.app import ShegongApp

async def main() -> None:
    registry = open_scoped(sys.argv[1])
    app = ShegongApp(registry, lang="zh", rules=rules_for(registry))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        data = app.screen.data
        print(type(app.screen).__name__, data.total if data is not None else None)
    registry.close()

asyncio.run(main())
"""


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the installed environment's bin folder, a work folder outside the sources, its environment)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", source, cwd=work)
    (wheel,) = (work / "dist").glob("shegong-*.whl")
    run(sys.executable, "-m", "venv", "--without-pip", work / "venv", cwd=work)
    python = work / "venv" / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel, cwd=work)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SHEGONG", "VIRTUAL_ENV"))}
    env["HOME"] = str(work / "home")
    return work / "venv" / "bin", work, env


def test_the_installed_package_works(venv: tuple[Path, Path, dict[str, str]]) -> None:
    """One test, so parallel runs build the wheel once."""
    bin_dir, work, env = venv
    where = run(
        bin_dir / "python", "-c", "import core, tui, plugins; print(core.__file__)", cwd=work, env=env
    )
    assert Path(where.stdout.strip()).is_relative_to(work / "venv")  # not the sources, not editable

    shegong = bin_dir / "shegong"
    db = work / "demo"

    demo = json.loads(run(shegong, "--db", db, "demo", "--workers", "60", "--json", cwd=work, env=env).stdout)
    assert demo["workers"] == 60
    assert (db / "params.toml").is_file()  # the demo's parameter values, from the plugins' own files

    pay = run(
        shegong,
        "--db",
        db,
        "payroll",
        "run",
        "--month",
        MONTH,
        "--district",
        DISTRICT,
        "--json",
        cwd=work,
        env=env,
    )
    data = json.loads(pay.stdout)
    assert data["summary"]["failed"] == 0 and data["workers"]
    assert all(line["citation"]["article"] for w in data["workers"] for line in w["lines"])

    listed = json.loads(run(shegong, "--db", db, "plugins", "--json", cwd=work, env=env).stdout)
    assert listed["broken"] == []
    loaded = {j["key"]: j for j in listed["jurisdictions"]}
    assert set(JURISDICTIONS) <= set(loaded)
    for key in JURISDICTIONS:  # titles from each plugin's catalogs, in both languages
        assert loaded[key]["zh"] and loaded[key]["en"] and loaded[key]["documents"]

    table = run(shegong, "--db", db, "--lang", "en", "plugins", cwd=work, env=env).stdout
    assert "Documents" in table  # the English catalog is installed too

    started = run(bin_dir / "python", "-c", HEADLESS, db, cwd=work, env=env).stdout.split()
    assert started == ["DashboardScreen", "60"]
