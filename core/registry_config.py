"""The operators' own settings a registry keeps beside its records: a capability, not a file path.

Who may do what (`operators.toml`, read by `core.access`) and the parameter overrides
(`params.toml`, read by `core.params`) live in the registry's folder on disk. A backend without a
folder (the in-memory one; a server database until it stores them) has none, and says so by
returning `NO_CONFIG`, rather than callers guessing from `registry.path` (once `":memory:"`).

A backend offers its settings by having a `config()` method (`Configured`); a registry without one
is treated as having none, so a wrapper or a test double need not know about settings at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from core.storage.layout import OPERATORS, PARAMS


class RegistryConfig(Protocol):
    """Where a registry's operators keep their settings; `None` for a setting it cannot hold."""

    @property
    def folder(self) -> Path | None:
        """The folder holding the registry's files, whose owner is the registry's owner."""
        ...

    def params_file(self) -> Path | None: ...

    def operators_file(self) -> Path | None: ...


@attrs.frozen
class FolderConfig:
    """Settings as files in the registry's folder (the on-disk registry)."""

    folder: Path

    def params_file(self) -> Path:
        return self.folder / PARAMS

    def operators_file(self) -> Path | None:
        """None while the folder itself is missing: there is nowhere to keep operators yet."""
        return self.folder / OPERATORS if self.folder.is_dir() else None


@attrs.frozen
class NoConfig:
    """A registry with nowhere to keep settings: no operators file (its user owns it), no overrides."""

    @property
    def folder(self) -> Path | None:
        return None

    def params_file(self) -> Path | None:
        return None

    def operators_file(self) -> Path | None:
        return None


NO_CONFIG = NoConfig()


@runtime_checkable
class Configured(Protocol):
    """A registry that can say where its settings are."""

    def config(self) -> RegistryConfig: ...


def config_of(registry: object) -> RegistryConfig:
    """`registry`'s settings; `NO_CONFIG` for a registry that keeps none."""
    return registry.config() if isinstance(registry, Configured) else NO_CONFIG
