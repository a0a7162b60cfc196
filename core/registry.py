"""Opening the on-disk registry: the one entry point callers use (`core.storage` is its engine).

    with open_registry("/srv/shegong/registry") as registry:
        worker = registry.get_worker(17)

Several operators may open the same directory at once (over SSH, as different OS users); every
write is locked, durable when it returns, and refused with `StaleRevision` if it was based on an
out-of-date revision (the refused version is kept under `conflicts/`).
"""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import RegistryMissing
from core.storage.errors import RegistryExists
from core.storage.layout import META
from core.storage.lock import DEFAULT_TIMEOUT
from core.storage.registry import Registry, create_registry

__all__ = ["Registry", "init_registry", "open_registry"]


def open_registry(
    path: str | os.PathLike[str],
    *,
    user: str | None = None,
    create: bool = False,
    lock_timeout: float = DEFAULT_TIMEOUT,
    backup_on_open: bool = False,
) -> Registry:
    """Open the registry in directory `path`; with `create`, make an empty one if there is none.

    Raises `RegistryMissing` (no registry there), `RegistryCorrupt` (a file is damaged: it names
    the newest backup with a good copy), `RegistryTooNew`, `RegistryBusy` (lock timeout).
    `user` is the name recorded in the audit trail; by default the login of the real uid (under
    sudo as root or as the registry's owner, the operator `SUDO_USER` names; see `layout.identify`).
    `backup_on_open` makes a backup if one is due (see `core.storage.backups.due`): the app asks
    for it; one-shot commands, library callers and tests need not.
    """
    root = Path(path)
    if not (root / META).is_file():
        if not create:
            raise RegistryMissing(str(root.absolute()))
        try:
            return create_registry(root, user=user, lock_timeout=lock_timeout)
        except RegistryExists:
            pass  # another process created it meanwhile
    return Registry(root, user=user, lock_timeout=lock_timeout, backup_on_open=backup_on_open)


def init_registry(
    path: str | os.PathLike[str],
    *,
    user: str | None = None,
    lock_timeout: float = DEFAULT_TIMEOUT,
) -> Registry:
    """Create a new empty registry in `path` (missing or empty directory) and open it.

    Raises `RegistryExists` if there is a registry already, `RegistryNotEmpty` if the directory
    holds other files.
    """
    return create_registry(Path(path), user=user, lock_timeout=lock_timeout)
