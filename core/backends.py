"""Registry backends, found by entry point: `open_registry(location)` picks one by URL scheme.

    open_registry("/srv/shegong/registry")       # a plain path: the on-disk (TinyDB) registry
    open_registry("file:///srv/shegong/registry")  # the same
    open_registry("memory:")                      # a fresh registry in memory

A backend is an entry point in group `shegong.backends` naming a `Backend`: the URL schemes it
serves and how to open one of its locations. Core registers its own two in `pyproject.toml`; a
server database (PostgreSQL is next) adds its own entry point and must pass `tests/contract`.
Callers get a `core.repository.Repository` and nothing backend-specific; the operators' settings
come from `core.registry_config`, never from the location text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import attrs

from core.errors import ShegongError
from core.i18n import msg
from core.repository import Repository

GROUP = "shegong.backends"
FILE = "file"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")  # two letters at least: `C:\…` is a path


class Opener(Protocol):
    def __call__(
        self, location: str, *, user: str | None, create: bool, backup_on_open: bool
    ) -> Repository: ...


@attrs.frozen
class Backend:
    """What a `shegong.backends` entry point names.

    `open` gets the whole location (scheme included). `scratch` gives a fresh, empty location
    inside a temporary folder: the contract suite runs every backend on one of these.
    """

    schemes: tuple[str, ...]
    open: Opener
    scratch: Callable[[Path], str]


class UnknownBackend(ShegongError):
    def __init__(self, scheme: str, known: list[str]) -> None:
        self.scheme = scheme
        self.known = known
        super().__init__(msg("backends.unknown_scheme", scheme=scheme, known=", ".join(known) or "-"))


def scheme_of(location: str | os.PathLike[str]) -> str:
    """The URL scheme of `location`, lower case; `file` for a plain path."""
    if not isinstance(location, str):
        return FILE
    found = _SCHEME.match(location)
    return found.group(1).lower() if found else FILE


def registered() -> dict[str, Backend]:
    """Every installed backend by entry point name; one whose entry point fails to load is left
    out (a broken add-on must not stop the registry opening with the others)."""
    out: dict[str, Backend] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            backend = ep.load()
        except Exception:
            continue
        if isinstance(backend, Backend):
            out[ep.name] = backend
    return out


def installed() -> dict[str, Backend]:
    """Every installed backend by the URL scheme it serves (the first registered wins)."""
    out: dict[str, Backend] = {}
    for backend in registered().values():
        for scheme in backend.schemes:
            out.setdefault(scheme, backend)
    return out


def backend_for(location: str | os.PathLike[str]) -> Backend:
    """The backend serving `location`'s scheme, or `UnknownBackend` naming the installed ones."""
    scheme = scheme_of(location)
    backends = installed()
    if scheme not in backends:
        raise UnknownBackend(scheme, sorted(backends))
    return backends[scheme]


def open_registry(
    location: str | os.PathLike[str],
    *,
    user: str | None = None,
    create: bool = False,
    backup_on_open: bool = False,
) -> Repository:
    """Open the registry at `location` with the backend its scheme names (a plain path: on disk)."""
    return backend_for(location).open(
        os.fspath(location), user=user, create=create, backup_on_open=backup_on_open
    )


# --- core's own two -------------------------------------------------------------------------------


def file_path(location: str) -> Path:
    """The folder a `file:` location names: `file:///srv/x`, `file:/srv/x`, `file:x`, or a plain path."""
    if scheme_of(location) != FILE or not location.lower().startswith("file:"):
        return Path(location)
    parts = urlsplit(location)
    return Path(unquote(parts.path))


def _open_folder(location: str, *, user: str | None, create: bool, backup_on_open: bool) -> Repository:
    from core.registry import open_registry as open_folder

    return open_folder(file_path(location), user=user, create=create, backup_on_open=backup_on_open)


def _open_memory(location: str, *, user: str | None, create: bool, backup_on_open: bool) -> Repository:
    """A new, empty registry each time: nothing outlives the process."""
    from core.memory import MemoryRegistry

    return MemoryRegistry(user=user)


TINYDB = Backend((FILE,), _open_folder, lambda tmp: str(tmp / "registry"))
MEMORY = Backend(("memory",), _open_memory, lambda tmp: "memory:")
