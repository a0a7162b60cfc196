"""Named points on the write path where tests inject failures or crashes.

Production code calls `point(step, path)` at each step of a durable write; with no hook installed
that is one empty-list check. A test appends a hook that raises `OSError` (a failing disk) or calls
`os._exit` (the process killed at that instant) and then checks what is left on disk.

Steps of one atomic file write, in order:
  before_write                  nothing written yet (raising here is a failing `write`)
  after_write_before_fsync      data written, not flushed (raising here is a failing `fsync`)
  after_fsync_before_replace    temp file durable, live file still the old one
  after_replace_before_dirsync  live file replaced, directory entry not yet flushed
  after_dirsync                 the write is complete
Registry steps:
  counter_bumped    worker ids reserved in registry.json, shard not yet written
  journal_written   a multi-file change is in the journal, no file applied yet
  between_shards    some files of a multi-file change applied, not all
  journal_applied   every file applied, journal not yet removed
  before_audit / before_audit_fsync / after_audit   around the audit append
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable

Hook = Callable[[str, str], None]

WRITE_STEPS = (
    "before_write",
    "after_write_before_fsync",
    "after_fsync_before_replace",
    "after_replace_before_dirsync",
    "after_dirsync",
)
REGISTRY_STEPS = (
    "counter_bumped",
    "journal_written",
    "between_shards",
    "journal_applied",
    "before_audit",
    "before_audit_fsync",
    "after_audit",
)

hooks: list[Hook] = []


def point(step: str, path: str | os.PathLike[str] = "") -> None:
    """Run every installed hook for `step` on `path` (a hook may raise or end the process)."""
    if hooks:
        for hook in list(hooks):
            hook(step, os.fspath(path))


def crash_at(step: str, *, name: str = "", nth: int = 1, code: int = 1) -> Hook:
    """A hook that ends the process the `nth` time `step` is reached on a path containing `name`."""
    seen = 0

    def hook(at: str, path: str) -> None:
        nonlocal seen
        if at == step and name in path:
            seen += 1
            if seen == nth:
                os._exit(code)

    return hook


def fail_at(step: str, *, name: str = "", error: int = errno.ENOSPC, times: int = 1, skip: int = 0) -> Hook:
    """A hook raising `OSError(error)` at `step` on paths containing `name`: it lets the first
    `skip` matches pass, then fails `times` times (a negative `times` fails every time after)."""
    passed, left = 0, times

    def hook(at: str, path: str) -> None:
        nonlocal passed, left
        if at != step or name not in path:
            return
        if passed < skip:
            passed += 1
            return
        if left != 0:
            left -= 1
            raise OSError(error, os.strerror(error), path)

    return hook
