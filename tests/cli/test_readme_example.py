"""The README's Python example runs as written, so it stays true."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_starts_with_the_two_make_commands() -> None:
    first, second = README.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("make run ")
    assert second.startswith("make test ")


def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks()
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks[0], str(README), "exec"), {"__name__": "readme_example"})
    assert (tmp_path / "example-registry" / "registry.json").is_file()
    assert os.listdir(tmp_path) == ["example-registry"]
