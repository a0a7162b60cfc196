"""Registry errors that only the on-disk storage raises (the shared ones are in core.errors)."""

from __future__ import annotations

from core.errors import ShegongError
from core.i18n import msg


class RegistryTooNew(ShegongError):
    """The registry (or one file in it) was written by a newer program; opening it could lose data."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        self.path, self.found, self.supported = path, found, supported
        super().__init__(msg("storage.error.too_new", path=path, found=found, supported=supported))


class RegistryExists(ShegongError):
    """`init` was asked to create a registry where one already is."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(msg("storage.error.exists", path=path))


class RegistryNotEmpty(ShegongError):
    """`init` was pointed at a directory that holds other people's files."""

    def __init__(self, path: str, found: list[str]) -> None:
        self.path, self.found = path, found
        shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
        super().__init__(msg("storage.error.not_empty", path=path, found=shown))


class MigrationFailed(ShegongError):
    """Stored documents could not be carried to this program's schema; nothing was changed."""

    def __init__(self, path: str, detail: str, backup: str) -> None:
        self.path, self.detail, self.backup = path, detail, backup
        super().__init__(msg("storage.error.migration_failed", path=path, detail=detail, backup=backup))


class BackupUnusable(ShegongError):
    """`restore` was given a backup that does not exist or would bring back damaged files."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(msg("backup.error.unusable", path=path, reason=reason))
