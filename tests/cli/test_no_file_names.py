"""No seed file's name reaches what a person reads: CLI text, explain, exports.

The source texts are cited in code and in `--json` by file name (`000_a0ecfbd89ce21d4d.txt`); a
person sees the document's own title and the article. These run the commands that show citations
over the demo registry, in both languages, and look for any seed file name in what they print or
write; the `--json` output must still carry the file as `source_file`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import Run

SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
MONTH = "2026-11"
YEAR = "2025"
COMMANDS = [
    ("pay", "--month", MONTH),
    ("explain", "--worker", "1", "--month", MONTH),
    ("explain", "--worker", "31", "--month", MONTH),
    ("retire", "--within", "24"),
    ("staffing",),
    ("grade", "--year", YEAR),
    ("findings",),
    ("forecast", "--months", "12"),
    ("alerts",),
    ("plugins",),
    ("review", "staffing"),
    ("payroll", "run", "--month", MONTH, "--save"),
    ("payroll", "show", "--month", MONTH),
    ("payroll", "pools", "--year", YEAR),
    ("round", "open", "--year", YEAR, "--scope", "all"),
    ("round", "show", "--year", YEAR),
]
EXPORTS = [
    ("payroll", "payroll.xlsx", "--month", MONTH),
    ("round", "round.xlsx", "--year", YEAR),
    ("staffing", "staffing.xlsx"),
    ("staffing", "staffing.csv"),
    ("forecast", "forecast.xlsx", "--months", "12"),
    ("forecast", "forecast.csv", "--months", "12"),
    ("alerts", "alerts.xlsx"),
    ("alerts", "alerts.csv"),
]


def _text_of(path: Path) -> str:
    if path.suffix == ".csv":
        return path.read_text(encoding="utf-8-sig")
    with zipfile.ZipFile(path) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_output_or_export_names_a_seed_file(
    run: Run, demo_db: Path, tmp_path: Path, lang: str
) -> None:
    """Every command that shows citations, and every export, names documents by title only."""
    shown = []
    for argv in COMMANDS:
        result = run("--db", demo_db, "--lang", lang, *argv)
        assert result.code == 0, (argv, result.err)
        shown.append((argv, result.out + result.err))
    for kind, name, *rest in EXPORTS:
        target = tmp_path / f"{lang}-{name}"
        result = run("--db", demo_db, "--lang", lang, "export", kind, target, *rest)
        assert result.code == 0, (kind, result.err)
        shown.append((("export", kind, name), _text_of(target)))
    assert sum("〔" in text for _, text in shown) >= 8  # the citations are there to be looked at
    leaked = [(argv, SEED_FILE.findall(text)[:3]) for argv, text in shown if SEED_FILE.search(text)]
    assert not leaked


def test_json_keeps_the_file_beside_the_title(run: Run, demo_db: Path) -> None:
    """`--json` still says which seed file, as `document` and `source_file`, and the title."""
    result = run("--db", demo_db, "--json", "pay", "--month", MONTH, "--community", "sy-sh-001")
    assert result.code == 0, result.err
    data = orjson.loads(result.out)
    citations = [line["citation"] for w in data for line in w["lines"]]
    assert citations
    for c in citations:
        assert c["source_file"] == c["document"] == "000_a0ecfbd89ce21d4d.txt"
        assert c["document_title"] == "沈阳市社区工作者管理办法"
        assert c["article"].startswith("第五篇 ") and c["text"].startswith("《沈阳市社区工作者管理办法》第")
