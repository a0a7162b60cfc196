"""Run the shegong conformance kit on this plugin as part of its own test suite.

Equivalent to `pytest --shegong-jurisdiction jilin`; kept here so `pytest` alone checks the
contract. It runs the kit in a fresh interpreter so the kit's own collection is untouched.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_jilin_passes_the_conformance_kit(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--shegong-jurisdiction", "jilin"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
