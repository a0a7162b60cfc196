"""The validation report of an import: every bad row and field, and the errors file.

Each problem names the file, the row as Excel numbers it, the column header as the file spells it,
the value, what is wrong and how to fix it, so an operator can correct the sheet without asking.
The errors file holds the bad rows' original cells plus a column saying what is wrong; once the
cells are corrected it can be imported as it is (the extra columns are ignored).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import attrs

from core.i18n import Message, msg, t
from core.tabular.headers import HeaderMatch
from core.tabular.reading import RawRow
from core.tabular.writing import Sheet, is_csv, write_book


@attrs.frozen
class Problem:
    """One thing wrong; `row` is None for the file as a whole (a missing column, no header)."""

    file: str
    row: int | None
    column: str  # the header as the file spells it (or as the template would, if it is missing)
    value: str
    problem: Message
    fix: Message
    field: str = ""

    def render(self, lang: str | None = None) -> str:
        args = {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value if self.value != "" else t("tabular.report.blank", lang),
            "problem": self.problem.render(lang),
            "fix": self.fix.render(lang),
        }
        if self.row is None:
            return t("tabular.report.file_line", lang, **args)
        return t("tabular.report.line", lang, **args)

    def brief(self, lang: str | None = None) -> str:
        """The text of the errors file's column: the column, what is wrong and how to fix it."""
        return t(
            "tabular.report.brief",
            lang,
            column=self.column,
            problem=self.problem.render(lang),
            fix=self.fix.render(lang),
        )


@attrs.frozen
class ImportResult:
    """What an import did (or would have done): counts, every problem, and the errors file."""

    kind: str  # "workers" or "communities"
    path: Path
    rows: int  # data rows read (blank rows and the template's example row not counted)
    added: int
    updated: int
    unchanged: int
    bad: int  # rows refused
    problems: tuple[Problem, ...]
    report_path: Path | None  # the errors file, if one was written
    written: bool  # whether the registry was changed
    refused: bool = False  # nothing imported because of the problems (no `skip_bad`, or the file is wrong)
    ignored_columns: tuple[str, ...] = ()
    examples_skipped: int = 0
    report_error: Message | None = None  # why the errors file could not be written
    warnings: tuple[Problem, ...] = ()  # worth a look but not wrong (a region code never seen)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, lang: str | None = None) -> Message:
        if self.refused and not self.problems and self.warnings:
            return msg("records.import.held", file=self.path.name, count=len(self.warnings))
        if self.refused:
            return msg(
                "tabular.report.refused",
                file=self.path.name,
                bad=self.bad,
                rows=self.rows,
                count=len(self.problems),
            )
        return msg(
            "tabular.report.summary",
            file=self.path.name,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            bad=self.bad,
        )


def render_report(result: ImportResult, lang: str | None = None) -> str:
    """The summary, every problem one per line, ignored columns and the errors file, as text."""
    lines = [result.summary(lang).render(lang)]
    lines.extend(p.render(lang) for p in result.problems)
    lines.extend(t("records.import.warning", lang, line=p.render(lang)) for p in result.warnings)
    if result.ignored_columns:
        lines.append(t("tabular.report.ignored", lang, columns="、".join(result.ignored_columns)))
    if result.examples_skipped:
        lines.append(t("tabular.report.example_skipped", lang, count=result.examples_skipped))
    if result.report_path is not None:
        lines.append(t("tabular.report.errors_file", lang, path=str(result.report_path)))
    if result.report_error is not None:
        lines.append(result.report_error.render(lang))
    return "\n".join(lines)


def errors_path(source: Path) -> Path:
    """`名单.xlsx` → `名单.errors.xlsx` (`.csv` stays `.csv`), next to the input."""
    suffix = ".csv" if is_csv(source) else ".xlsx"
    return source.with_name(f"{source.stem}.errors{suffix}")


def write_errors_file(
    source: Path,
    header: HeaderMatch,
    header_cells: Sequence[object],
    rows: Sequence[RawRow],
    problems: Sequence[Problem],
    lang: str | None = None,
) -> Path | None:
    """Write the bad rows (original cells, then the errors and the source row number); None when
    no row is bad (problems with the file as a whole have no row to copy)."""
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for p in problems:
        if p.row is not None:
            by_row[p.row].append(p)
    if not by_row:
        return None
    width = max(header.width, len(header_cells))
    headers = [("" if c is None else str(c)) for c in header_cells[:width]]
    headers += [""] * (width - len(headers))
    headers += [t("tabular.col.errors", lang), t("tabular.col.source_row", lang)]
    text = frozenset(pos for pos, col in header.positions.items() if col.is_text)

    def body() -> list[list[object]]:
        out: list[list[object]] = []
        for row in rows:
            found = by_row.get(row.number)
            if not found:
                continue
            cells = list(row.cells[:width]) + [None] * (width - len(row.cells[:width]))
            cells.append("\n".join(p.brief(lang) for p in found))
            cells.append(row.number)
            out.append(cells)
        return out

    target = errors_path(source)
    widths = [14] * width + [60, 8]
    sheet = Sheet(
        t("tabular.sheet.errors", lang), headers, body(), text, widths=widths, wrap=frozenset({width})
    )
    write_book(target, [sheet])
    return target
