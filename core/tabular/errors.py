"""The one error of this package: a file that cannot be read or written as asked."""

from __future__ import annotations

from core.errors import ShegongError


class TabularError(ShegongError):
    """A spreadsheet cannot be read or written (missing, wrong format, damaged, a CSV asked for a
    multi-sheet export, an import interrupted by the registry); the message says what to do."""
