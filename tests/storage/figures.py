"""Counts the reliability tests add up as they run, for the README's figures.

With `SHEGONG_FIGURES=<file>` set, `record("kills_survived", 3)` appends one JSON line to that file
(one small `O_APPEND` write, so parallel test workers do not mix lines); unset, it does nothing.
`python -m tests.storage.figures <file>` sums the lines into the table the README shows. Every
count is recorded after the assertions about it passed, so a figure is never larger than what was
checked.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ENV = "SHEGONG_FIGURES"

LABELS = {
    "crash_points": "writers killed at a named step of a write (deterministic)",
    "random_kills": "writers killed by SIGKILL at random moments during heavy writes",
    "acknowledged_writes_checked": "acknowledged writes found intact after a kill or fault",
    "concurrent_edits": "edits applied by concurrent processes, totals exact",
    "lock_holders_killed": "lock holders killed while others waited",
    "busy_refusals": "busy locks reported as RegistryBusy instead of hanging",
    "faults_injected": "I/O faults injected (ENOSPC, EIO, EROFS, EACCES on write and fsync)",
    "permission_denials": "writes refused by real file permissions (as a non-root user)",
    "identity_forgeries_refused": "forged USER, LOGNAME, SUDO_USER or SUDO_UID that did not change who ran",
    "audit_failures_refused": "changes refused because their audit entry could not be written",
    "audit_kills_survived": "writers killed between a change and its audit entry: both kept or neither",
    "lock_squats_refused": "a read-only group member trying to hold the lock or read half a change",
    "scope_leaks_closed": "duplicate refusals and API handles checked for records outside the scope",
    "corrupt_files_detected": "damaged files detected, never overwritten",
    "rollbacks_detected": "files put back to an older copy, detected by shegong check",
    "restores_interrupted": "restores killed part way, then finished, undone or kept unwritable",
    "backup_attacks_withstood": "backup attacks withstood (operator purge, wrong clock, foreign backup)",
    "plugin_faults_contained": "plugin faults contained (raise, wrong type, negative pay, no citation)",
    "inputs_fuzzed": "fuzzed inputs to import and form validators, none crashed",
    "lost_writes": "acknowledged writes lost",
}


def record(figure: str, count: int = 1) -> None:
    path = os.environ.get(ENV)
    if not path or count == 0:
        return
    line = json.dumps({"figure": figure, "count": count}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def counted(hook: Callable[[str, str], None]) -> Callable[[str, str], None]:
    """A fault hook (`core.storage.faults.fail_at`) that counts each fault it injects."""

    def wrapper(step: str, path: str) -> None:
        try:
            hook(step, path)
        except OSError:
            record("faults_injected")
            raise

    return wrapper


def totals(path: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        with_count = json.loads(line)
        found[with_count["figure"]] += int(with_count["count"])
    return found


def table(found: Counter[str]) -> str:
    rows = [f"| {LABELS[key]} | {found.get(key, 0):,} |" for key in LABELS]
    return "\n".join(["| what was tried | count |", "| --- | ---: |", *rows])


if __name__ == "__main__":
    print(table(totals(Path(sys.argv[1] if len(sys.argv) > 1 else ".reliability.jsonl"))))
