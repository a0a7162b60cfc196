"""Files shegong writes outside the registry's shards (params.toml, exports with or without
`--full-ids`, an import's errors file, templates) hold personal data: each is 0640 inside the
registry and 0600 outside it whatever the umask, and a symbolic link planted at the destination
is refused with a clear message, the file it points at left as it was.

Every command runs as a real process started with umask 000, on real files and real links.
"""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ENTRY = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
VICTIM = "an operator's own file: must not change\n"


def shegong(cwd: Path, *argv: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SUDO_USER", "SHEGONG_DB")}
    env["SHEGONG_LANG"] = "zh"
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *map(str, argv)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        umask=0,
        timeout=600,
        check=False,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo registry made with umask 000 (its params.toml is written by `demo`)."""
    root = tmp_path_factory.mktemp("written")
    done = shegong(root, "--db", root / "reg", "demo", "--workers", 40, "--seed", 3)
    assert done.returncode == 0, done.stderr
    return root / "reg"


def bad_import(folder: Path, reg: Path) -> Path:
    """A workers sheet from the template with one row whose resident ID is wrong."""
    source = folder / "bad.csv"
    assert shegong(folder, "--db", reg, "template", "workers", source).returncode == 0
    with source.open(encoding="utf-8-sig", newline="") as f:
        header, example = list(csv.reader(f))[:2]
    row = list(example)
    row[header.index("姓名")] = "错号人"
    row[header.index("身份证号")] = "110108198001010000"
    with source.open("a", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerow(row)
    return source


WRITERS: dict[str, Sequence[str]] = {
    "roster.csv": ("export", "roster"),
    "roster.xlsx": ("export", "roster"),
    "full.csv": ("export", "roster", "--full-ids"),
    "full.xlsx": ("export", "roster", "--full-ids"),
    "forecast.csv": ("export", "forecast", "--months", "600"),
    "alerts.xlsx": ("export", "alerts"),
    "template.xlsx": ("template", "workers"),
    "template.csv": ("template", "communities"),
}


def test_params_toml_is_private_to_the_registry_whatever_the_umask(demo: Path) -> None:
    assert mode(demo / "params.toml") == 0o640


@pytest.mark.parametrize("name", list(WRITERS))
def test_each_written_file_is_owner_only_whatever_the_umask(demo: Path, tmp_path: Path, name: str) -> None:
    command, what, *extra = WRITERS[name]
    target = tmp_path / name
    done = shegong(tmp_path, "--db", demo, command, what, target, *extra)
    assert done.returncode == 0, done.stderr
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temp file left behind


def test_an_import_errors_file_is_owner_only(demo: Path, tmp_path: Path) -> None:
    source = bad_import(tmp_path, demo)
    done = shegong(tmp_path, "--db", demo, "import", "workers", source)
    errors = tmp_path / "bad.errors.csv"
    assert done.returncode != 0 and errors.exists(), done.stderr
    assert mode(errors) == 0o600
    assert "110108198001010000" in errors.read_text(encoding="utf-8-sig")  # the full ID: why 0600


def _planted(folder: Path, name: str) -> tuple[Path, Path]:
    victim = folder / "victim.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    link = folder / name
    link.symlink_to(victim)
    return victim, link


def _refused(done: subprocess.CompletedProcess[str], victim: Path, link: Path) -> None:
    assert "Traceback" not in done.stderr
    assert "符号链接" in done.stderr and link.name in done.stderr, done.stderr
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert link.is_symlink() and os.readlink(link) == str(victim)


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_planted_link_at_an_output_is_refused(demo: Path, tmp_path: Path, name: str) -> None:
    command, what, *extra = WRITERS[name]
    victim, link = _planted(tmp_path, name)
    done = shegong(tmp_path, "--db", demo, command, what, link, *extra, "--force")
    assert done.returncode != 0
    _refused(done, victim, link)


def test_a_planted_link_at_the_errors_file_is_refused(demo: Path, tmp_path: Path) -> None:
    """The attack of issue 12: a crafted row's note went through the link into another file."""
    source = bad_import(tmp_path, demo)
    victim, link = _planted(tmp_path, "bad.errors.csv")
    done = shegong(tmp_path, "--db", demo, "import", "workers", source)
    assert done.returncode != 0
    _refused(done, victim, link)


def test_a_planted_link_at_params_toml_is_refused(tmp_path: Path) -> None:
    reg = tmp_path / "reg"
    reg.mkdir()
    victim, link = _planted(tmp_path, "reg/params.toml")
    done = shegong(tmp_path, "--db", reg, "demo", "--workers", 40, "--seed", 3)
    _refused(done, victim, link)
