"""The architecture contract: core knows no jurisdiction and no screen; the TUI calls core only.

Like harlequin's import-hygiene test: import everything in a fresh interpreter and look at
`sys.modules`, and read every source file's imports so a lazy import cannot hide.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append(".".join(parts))
    return out


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in forbidden:
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def test_core_imports_no_screen_and_no_jurisdiction() -> None:
    assert _offenders("core", ("textual", "tui", "plugins")) == []


def test_plugins_import_no_screen() -> None:
    assert _offenders("plugins", ("textual", "tui")) == []


def test_tui_never_calls_a_plugin_directly() -> None:
    assert _offenders("tui", ("plugins",)) == []


def test_importing_core_and_plugins_loads_no_textual() -> None:
    """Import every core and plugin module in a fresh interpreter; textual must stay unloaded."""
    modules = _modules("core") + _modules("plugins")
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'tui'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(out.stdout) == []


def test_the_cli_module_does_not_load_textual() -> None:
    """`shegong plugins --json` must start fast: importing the CLI must not pull in Textual."""
    if not (ROOT / "tui" / "cli").exists():
        return
    code = "import sys, tui.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_only_core_wrappers_touch_the_hook_relay() -> None:
    """Nothing but core.jurisdictions dispatches hooks; everyone else goes through core.rules."""
    allowed = {ROOT / "core" / "jurisdictions.py"}
    bad = []
    for package in ("core", "plugins", "tui"):
        for path in (ROOT / package).rglob("*.py"):
            if path in allowed:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("hook", "subset_hook_caller"):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == []
