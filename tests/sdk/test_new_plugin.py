"""`shegong new-plugin`: from nothing to a plugin that loads, passes the kit and computes a rule.

The generated package is made loadable the way `pip install` would make it, without a network
or a build: a `*.dist-info` folder holding the entry points its own `pyproject.toml` declares,
on `PYTHONPATH` beside the package. So the entry point tested is the one the author ships.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import Result, Run, snapshot
from tests.sdk.helpers import passed_without_skips, run_kit
from tui.cli import main

KEY = "testville"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: object) -> Result:
        capsys.readouterr()
        code = main(["--lang", "en", *(str(a) for a in argv)])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


def install_like_pip(package_dir: Path, site: Path) -> dict[str, str]:
    """A dist-info with the package's declared entry points; returns the environment to use it."""
    project = tomllib.loads((package_dir / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    groups = [
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items())
        for group, entries in project["entry-points"].items()
    ]
    (info / "entry_points.txt").write_text("\n".join(groups), encoding="utf-8")
    return {"PYTHONPATH": f"{package_dir}:{site}"}


def test_writes_a_package_with_the_entry_point(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    result = run("new-plugin", KEY, "--dir", target, "--json")
    assert result.code == 0, result.err
    files = {str(Path(f).relative_to(target)) for f in orjson.loads(result.out)["files"]}
    assert {
        "pyproject.toml",
        "README.md",
        "shegong_testville/plugin.py",
        "shegong_testville/rules.py",
        "shegong_testville/params.toml",
        "shegong_testville/locale/zh/testville.toml",
        "shegong_testville/locale/en/testville.toml",
        "shegong_testville/cases/staffing.toml",
        "tests/test_conformance.py",
    } <= files
    assert all((target / f).is_file() for f in files)
    project = tomllib.loads((target / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["shegong.jurisdictions"] == {KEY: "shegong_testville.plugin"}
    assert "第十条" in (target / "shegong_testville" / "rules.py").read_text(encoding="utf-8")


def test_a_district_key_extends_its_city(run: Run, tmp_path: Path) -> None:
    assert run("new-plugin", "beijing.testdistrict", "--dir", tmp_path / "d").code == 0
    plugin = (tmp_path / "d" / "shegong_beijing_testdistrict" / "plugin.py").read_text(encoding="utf-8")
    assert 'parent="beijing"' in plugin


@pytest.mark.parametrize("key", ["Bad Key", "1city", "city.", "a..b", "城市", "my-city"])
def test_an_invalid_key_is_refused_naming_it(run: Run, tmp_path: Path, key: str) -> None:
    result = run("new-plugin", key, "--dir", tmp_path / "pkg")
    assert result.code == 1
    assert f'"{key}" is not valid' in result.err
    assert not (tmp_path / "pkg").exists()


def test_a_taken_key_or_unknown_parent_is_refused(run: Run, tmp_path: Path) -> None:
    taken = run("new-plugin", "beijing", "--dir", tmp_path / "a")
    assert taken.code == 1 and "installed already" in taken.err
    orphan = run("new-plugin", "atlantis.east", "--dir", tmp_path / "b")
    assert orphan.code == 1 and '"atlantis", which is not installed' in orphan.err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_an_existing_directory_is_never_overwritten(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "README.md").write_text("mine", encoding="utf-8")
    before = snapshot(target)
    result = run("new-plugin", KEY, "--dir", target)
    assert result.code == 1 and str(target) in result.err and "--dir" in result.err
    assert snapshot(target) == before


def test_generated_plugin_is_lint_clean(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    assert run("new-plugin", KEY, "--dir", target).code == 0
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "--line-length", "110", str(target)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_from_new_plugin_to_a_plugin_that_loads_passes_the_kit_and_computes(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    assert run("new-plugin", KEY, "--dir", target).code == 0
    env = install_like_pip(target, tmp_path / "site")

    listed = subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; raise SystemExit(main(['plugins', '--json']))"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=tmp_path,
    )
    assert listed.returncode == 0, listed.stderr
    found = {j["key"]: j for j in orjson.loads(listed.stdout)["jurisdictions"]}
    assert found[KEY]["origin"] == f"{KEY} = shegong_testville.plugin"

    # `pytest` in the package: its own test (which runs the kit) and the kit's checks and cases.
    result = run_kit(target, "-v", "-v", "--shegong-jurisdiction", KEY, env=env)
    assert passed_without_skips(result), result.stdout + result.stderr
    assert "tests/test_conformance.py::test_passes_the_conformance_kit PASSED" in result.stdout
    assert f"shegong[{KEY}]::staffing PASSED" in result.stdout
    # The example rule computed: 2001 households need ceil(2001 / 400) = 6 workers (the case).
    assert f"shegong[{KEY}]::case::staffing.toml#2::2001 households need six workers PASSED" in result.stdout
