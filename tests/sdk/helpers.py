"""Running pytest with the conformance kit in a fresh interpreter, as a plugin author would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def run_kit(
    folder: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`pytest -q ARGS` in `folder`; the kit is found through its `pytest11` entry point."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-rs", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def passed_without_skips(result: subprocess.CompletedProcess[str]) -> bool:
    """Exit 0 and every check computed: a skip means a check was left untested."""
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    return result.returncode == 0 and "passed" in summary and "skipped" not in summary
