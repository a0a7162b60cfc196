"""The one place the command line opens or creates a registry on disk (tests swap these two).

An existing registry is opened as the operator sees it (`core.scoped`): every command goes
through the access checks of the registry's operators file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.repository import Repository


def open_registry(path: Path, login: str | None = None) -> Repository:
    from core.scoped import open_scoped

    return open_scoped(path, login=login)


def init_registry(path: Path) -> Repository:
    from core.registry import init_registry as init_on_disk

    return init_on_disk(path)
