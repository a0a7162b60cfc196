"""Helpers shared by the command-line tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import attrs


@attrs.frozen
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def snapshot(path: Path, *, audit: bool = True) -> dict[str, str]:
    """Every file's content hash, to show a refused command changed nothing (the lock file and
    any kept conflict aside; `audit=False` for refusals the audit trail records)."""
    skipped = {"conflicts"} | (set() if audit else {"audit"})
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name != ".lock" and not skipped & set(p.relative_to(path).parts)
    }
