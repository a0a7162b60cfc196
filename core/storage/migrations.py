"""Schema migrations of stored documents, one function per kind and starting version.

`MIGRATIONS["worker"][0]` turns a version-0 worker document into a version-1 one, and so on; a
document is carried through every step up to `core.model.SCHEMA_VERSION`. A function receives the
document without its `_meta` and returns the new body (it may edit and return the same dict).
The real registry has only version 1 today, so the table is empty; tests register their own.

Registry-level steps live here too: `registry_id` gives a registry made before registries had an
id (which a restore checks a backup against) its own, on its next open for writing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from core.model import SCHEMA_VERSION

Migration = Callable[[dict[str, Any]], dict[str, Any]]
KINDS = ("worker", "community")

MIGRATIONS: dict[str, dict[int, Migration]] = {kind: {} for kind in KINDS}


class MigrationMissing(Exception):
    """No function is registered to take `kind` documents on from `version`."""

    def __init__(self, kind: str, version: int) -> None:
        super().__init__(f"no migration for {kind} documents from schema version {version}")
        self.kind = kind
        self.version = version


def register(kind: str, from_version: int) -> Callable[[Migration], Migration]:
    """Decorator: `@register("worker", 0)` on a function migrating version 0 to version 1."""

    def decorate(fn: Migration) -> Migration:
        MIGRATIONS[kind][from_version] = fn
        return fn

    return decorate


@contextmanager
def registered(kind: str, from_version: int, fn: Migration) -> Iterator[None]:
    """Register a migration for the duration of a block (tests)."""
    previous = MIGRATIONS[kind].get(from_version)
    MIGRATIONS[kind][from_version] = fn
    try:
        yield
    finally:
        if previous is None:
            MIGRATIONS[kind].pop(from_version, None)
        else:
            MIGRATIONS[kind][from_version] = previous


def migrate(kind: str, body: dict[str, Any], version: int, target: int = SCHEMA_VERSION) -> dict[str, Any]:
    """Carry a document body from `version` to `target`, one registered step at a time."""
    while version < target:
        step = MIGRATIONS[kind].get(version)
        if step is None:
            raise MigrationMissing(kind, version)
        body = step(body)
        version += 1
    return body


def new_registry_id() -> str:
    """A registry's identity for life: 32 random hex digits, never derived from a path or clock."""
    return uuid.uuid4().hex


def has_registry_id(meta: Mapping[str, Any]) -> bool:
    """Whether registry.json carries its id (an old registry has none until its next open)."""
    current = meta.get("registry_id")
    return isinstance(current, str) and bool(current)
