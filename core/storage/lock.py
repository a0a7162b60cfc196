"""The one inter-process lock around every read-modify-write of a registry.

`filelock` uses `flock` on Unix, which the kernel drops when the holder dies, so a killed process
never leaves the registry locked. Waiting is bounded: after `timeout` seconds the caller gets
`RegistryBusy` naming the lock, never a hang. Within one process the lock is re-entrant and a
mutex keeps threads of the same `Registry` apart.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from core.errors import RegistryBusy, RegistryWriteFailed
from core.i18n import translate
from core.storage.files import describe

DEFAULT_TIMEOUT = 10.0
POLL_INTERVAL = 0.001
LOCK_MODE = 0o600
"""The owner's alone: `flock` needs only a descriptor, so a lock file the owner's group could
open (like every other file, 0640) would let anyone who may merely read the registry hold the
lock and stop every write. Readers need no lock (see `core.storage.registry`)."""


class LockDenied(RegistryWriteFailed):
    """The lock file cannot be opened for writing: this user may read the registry, not change it."""


class RegistryLock:
    def __init__(self, path: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._lock = filelock.FileLock(path, timeout=timeout, mode=LOCK_MODE, poll_interval=POLL_INTERVAL)
        self._mutex = threading.RLock()
        self._depth = 0

    def _owner_only(self) -> None:
        """Close a lock file an older version left open to the group (0640)."""
        with contextlib.suppress(OSError):
            if stat.S_IMODE(os.stat(self.path).st_mode) != LOCK_MODE:
                os.chmod(self.path, LOCK_MODE)

    @property
    def held(self) -> bool:
        return self._depth > 0

    @contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[bool]:
        """Hold the lock; yields True for the outermost hold (the one that must refresh state)."""
        wait = self.timeout if timeout is None else timeout
        if not self._mutex.acquire(timeout=max(wait, 0.0)):
            raise RegistryBusy(str(self.path), wait)
        try:
            if self._depth == 0:
                try:
                    self._lock.acquire(timeout=wait)
                except filelock.Timeout:
                    raise RegistryBusy(str(self.path), wait) from None
                except PermissionError as exc:
                    error = describe(exc)
                    raise LockDenied(
                        str(self.path), translate("storage.write.not_saved", error=error)
                    ) from exc
                self._owner_only()
            self._depth += 1
            try:
                yield self._depth == 1
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._lock.release()
        finally:
            self._mutex.release()
