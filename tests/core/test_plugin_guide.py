"""The plugin guide documents every hook and every argument (datasette's test_docs habit)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HOOKS = [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("shegong_")]


def _section(text: str, hook: str) -> str:
    match = re.search(rf"^### `{hook}\(.*?(?=^### |\Z)", text, flags=re.M | re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_and_argument_is_documented(hook: str) -> None:
    section = _section(GUIDE.read_text(encoding="utf-8"), hook)
    assert section, f"{hook} is not in docs/plugins.md"
    for arg in inspect.signature(getattr(hookspecs, hook)).parameters:
        assert re.search(rf"\b{arg}\b", section), f"{hook}: argument {arg} undocumented"
    assert len(section.splitlines()) > 2, f"{hook} has no description"
