"""The rules coverage table stays true: every row names code that exists and cases that exist.

Each plugin's README holds the table "RULES.md rule → implemented by → tested by". A backticked
`module.name` in the implemented-by column must resolve in the plugin package (or be one of its
parameters); every quoted case name in the tested-by column must be a case the plugin ships
("…" stands for an elided part); every `test_…` named must exist under tests/.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

from core.cases import case_files, load_cases

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p.parent for p in (ROOT / "plugins").glob("*/README.md"))
TEST_NAMES = {
    m.group(1)
    for path in (ROOT / "tests").rglob("test_*.py")
    for m in re.finditer(r"def (test_\w+)", path.read_text(encoding="utf-8"))
}


def _rows(readme: Path) -> list[tuple[str, str, str]]:
    """(rule, implemented by, tested by) for each row of the coverage table(s)."""
    rows: list[tuple[str, str, str]] = []
    header: list[str] | None = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(line) <= set("|-: "):
            continue
        impl = next((i for i, h in enumerate(header) if "implemented" in h), None)
        tested = next((i for i, h in enumerate(header) if "test" in h or h.startswith("cases")), None)
        if impl is None or tested is None or len(cells) != len(header):
            continue
        rows.append((cells[0], cells[impl], cells[tested]))
    return rows


def _parameters(package: Path) -> set[str]:
    names: set[str] = set()
    for path in package.glob("*params.toml"):
        names |= set(tomllib.loads(path.read_text(encoding="utf-8")).get("params", {}))
    return names


def _case_names(package: Path) -> list[str]:
    return [c.name for path in case_files([package / "cases"]) for c in load_cases(path)]


def _resolves(package: str, dotted: str) -> bool:
    module, _, attr = dotted.rpartition(".")
    if not module:
        return False
    try:
        mod = importlib.import_module(f"plugins.{package}.{module}")
    except ImportError:
        return False
    return hasattr(mod, attr.split("(")[0])


def _matches(quoted: str, names: list[str]) -> bool:
    parts = [re.escape(p.strip()) for p in re.split(r"…|\.\.\.", quoted) if p.strip()]
    if not parts:
        return True
    pattern = re.compile(".*".join(parts), re.S)
    return any(pattern.search(n) for n in names)


@pytest.mark.parametrize("package", PLUGINS, ids=[p.name for p in PLUGINS])
def test_coverage_table_names_real_code_and_real_cases(package: Path) -> None:
    rows = _rows(package / "README.md")
    assert rows, f"{package.name}/README.md has no coverage table"
    params = _parameters(package)
    cases = _case_names(package)
    problems: list[str] = []
    for rule, impl, tested in rows:
        refs = re.findall(r"`([A-Za-z_][\w.]*)`", impl)
        code = [r for r in refs if r not in params and "." in r]
        if not code and "not implemented" not in impl.lower() and "→" not in impl:
            problems.append(f"{rule[:50]}: no implementing function named")
        problems.extend(
            f"{rule[:50]}: `{r}` does not resolve in plugins.{package.name}"
            for r in code
            if not _resolves(package.name, r)
        )
        quoted = re.findall(r"\"([^\"]+)\"", tested)
        named_tests = re.findall(r"`(test_\w+?)\*?`", tested)
        for q in quoted:
            if not _matches(q, cases):
                problems.append(f"{rule[:50]}: no case named like {q!r}")
        for name in named_tests:
            if not any(t.startswith(name) for t in TEST_NAMES):
                problems.append(f"{rule[:50]}: no test named {name!r}")
        if not quoted and not named_tests and not re.search(r"\ball\b|\bevery\b|\d+ cases", tested):
            problems.append(f"{rule[:50]}: no test named")
    assert problems == []
