"""The installed `shegong` console script, run as an operator would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("shegong", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(SCRIPT is None, reason="the console script is not installed next to this Python")
def test_console_script(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHEGONG_")} | {"LANG": "C.UTF-8"}
    assert SCRIPT is not None
    plugins = subprocess.run(
        [SCRIPT, "--db", str(tmp_path / "x"), "plugins", "--json"], capture_output=True, text=True, env=env
    )
    assert plugins.returncode == 0, plugins.stderr
    assert json.loads(plugins.stdout)["jurisdictions"]

    missing = subprocess.run(
        [SCRIPT, "--db", str(tmp_path / "x"), "worker", "list"], capture_output=True, text=True, env=env
    )
    assert missing.returncode == 1
    assert "shegong --db" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "x").exists()
