"""The one place the command line opens or creates a registry on disk (tests swap these two)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.repository import Repository


def open_registry(path: Path) -> Repository:
    from core.registry import open_registry as open_on_disk

    return open_on_disk(path)


def init_registry(path: Path) -> Repository:
    from core.registry import init_registry as init_on_disk

    return init_on_disk(path)
