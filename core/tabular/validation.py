"""What both imports share: locating the header, parsing each row's cells, the file-level checks,
duplicates within the file, progress, and putting the result together.

The workers and communities imports only add their own cross-field checks and how a row becomes
(or changes) a record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from core.i18n import Message, msg
from core.tabular.cells import CellError, display
from core.tabular.errors import TabularError
from core.tabular.headers import Column, HeaderMatch, find_header
from core.tabular.reading import RawRow, Table
from core.tabular.report import ImportResult, Problem, write_errors_file
from core.tabular.writing import PROGRESS_EVERY
from core.text_fields import visible

Progress = Callable[[int, int], None]


class RowError(Exception):
    """A row that cannot become a record: raised by the builders, reported against `field`."""

    def __init__(self, field: str, problem: Message, fix: Message) -> None:
        super().__init__(problem.key)
        self.field, self.problem, self.fix = field, problem, fix


@attrs.frozen
class RowContext:
    """Everything a row check needs besides the row: the file, the language and the header."""

    file: str
    lang: str
    header: HeaderMatch
    columns: Sequence[Column]
    indexes: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)  # field → choice index
    # (position, column, parser) for every column of the header, worked out once per file
    plan: tuple[tuple[int, Column, Callable[[object], Any]], ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        plan = tuple(
            (pos, col, col.parser(self.indexes.get(col.field), self.lang))
            for pos, col in self.header.positions.items()
        )
        object.__setattr__(self, "plan", plan)

    def header_of(self, field: str) -> str:
        found = self.header.texts.get(field)
        if found is not None:
            return found
        for col in self.columns:
            if col.field == field:
                return col.header(self.lang)
        return field

    def problem(self, row: int | None, field: str, value: object, problem: Message, fix: Message) -> Problem:
        shown = visible(display(value), multiline=True)  # a bad cell is quoted, never run on a terminal
        return Problem(self.file, row, self.header_of(field), shown, problem, fix, field)


@attrs.frozen
class ParsedRow:
    number: int
    values: dict[str, Any]  # field → parsed value, for non-blank cells that parsed
    raw: dict[str, object]  # field → the cell as read


def parse_cells(row: RawRow, ctx: RowContext) -> tuple[ParsedRow, list[Problem]]:
    """Parse every known cell; a blank required cell or an unparsable one is a problem."""
    values: dict[str, Any] = {}
    raw: dict[str, object] = {}
    problems: list[Problem] = []
    cells = row.cells
    width = len(cells)
    for pos, col, parse in ctx.plan:
        cell = cells[pos] if pos < width else None
        raw[col.field] = cell
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if col.required:
                problems.append(
                    ctx.problem(
                        row.number,
                        col.field,
                        cell,
                        msg("tabular.problem.required"),
                        msg("tabular.fix.required", column=ctx.header_of(col.field)),
                    )
                )
            continue
        try:
            values[col.field] = parse(cell)
        except CellError as exc:
            problems.append(ctx.problem(row.number, col.field, cell, exc.problem, exc.fix))
    return ParsedRow(row.number, values, raw), problems


@attrs.frozen
class Sheet:
    """The file read and its header found, or the problems that stop the import at once."""

    table: Table
    header: HeaderMatch | None
    header_cells: tuple[object, ...]
    data: list[RawRow]
    problems: list[Problem]


def locate(table: Table, columns: Sequence[Column], lang: str) -> Sheet:
    """Find the header row and check that every required column is there exactly once."""
    file = table.path.name
    header = find_header(((r.number, r.cells) for r in table.rows), columns)
    if header is None:
        required = "、".join(c.header(lang) for c in columns if c.required)
        problem = Problem(
            file,
            None,
            "",
            "",
            msg("tabular.problem.no_header"),
            msg("tabular.fix.no_header", columns=required),
        )
        return Sheet(table, None, (), [], [problem])
    problems: list[Problem] = []
    for col, names in header.repeated:
        problems.append(
            Problem(
                file,
                header.row,
                "、".join(names),
                "",
                msg("tabular.problem.repeated_column", names="、".join(names)),
                msg("tabular.fix.repeated_column"),
                col.field,
            )
        )
    for col in columns:
        if col.required and col.field not in header.texts:
            problems.append(
                Problem(
                    file,
                    None,
                    col.header(lang),
                    "",
                    msg("tabular.problem.missing_column", column=col.header(lang)),
                    msg("tabular.fix.missing_column", zh=col.zh, en=col.en),
                    col.field,
                )
            )
    header_cells: tuple[object, ...] = ()
    data: list[RawRow] = []
    for r in table.rows:
        if r.number == header.row:
            header_cells = r.cells
        elif r.number > header.row:
            data.append(r)
    return Sheet(table, header, header_cells, data, problems)


def duplicates(
    rows: Iterable[ParsedRow], field: str, ctx: RowContext, key: Callable[[Any], str] = str
) -> list[Problem]:
    """Every row whose `field` value another row of the file also has, naming the other rows."""
    seen: dict[str, list[ParsedRow]] = defaultdict(list)
    for r in rows:
        if field in r.values:
            seen[key(r.values[field])].append(r)
    out: list[Problem] = []
    for group in seen.values():
        if len(group) < 2:
            continue
        for r in group:
            others = "、".join(str(o.number) for o in group if o is not r)
            out.append(
                ctx.problem(
                    r.number,
                    field,
                    r.raw.get(field),
                    msg("tabular.problem.duplicate_in_file", rows=others),
                    msg("tabular.fix.duplicate_in_file"),
                )
            )
    return out


class Ticker:
    """Calls `progress(done, total)` at least every `PROGRESS_EVERY` steps, and at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, n: int = 1) -> None:
        before = self.done
        self.done += n
        if self.progress is not None and self.done // PROGRESS_EVERY != before // PROGRESS_EVERY:
            self.progress(min(self.done, self.total), self.total)

    def mark(self, done: int) -> None:
        self.done = done
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)


def refused(
    kind: str, path: Path, rows: int, problems: Sequence[Problem], sheet: Sheet | None
) -> ImportResult:
    """Nothing written because the file as a whole is wrong."""
    ignored = sheet.header.unknown if sheet is not None and sheet.header is not None else ()
    return ImportResult(
        kind=kind,
        path=path,
        rows=rows,
        added=0,
        updated=0,
        unchanged=0,
        bad=rows,
        problems=tuple(problems),
        report_path=None,
        written=False,
        refused=True,
        ignored_columns=ignored,
    )


def sorted_problems(problems: Iterable[Problem], columns: Sequence[Column]) -> list[Problem]:
    """File-level first, then by row, then in the order of the template's columns."""
    order = {c.field: i for i, c in enumerate(columns)}
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0, order.get(p.field, 99)))


def errors_file(sheet: Sheet, problems: Sequence[Problem], lang: str) -> tuple[Path | None, Message | None]:
    """Write the errors file next to the input; a folder that cannot be written to does not stop
    the import's report, it is reported with it."""
    assert sheet.header is not None
    if not problems:
        return None, None
    try:
        path = write_errors_file(
            sheet.table.path, sheet.header, sheet.header_cells, sheet.data, problems, lang
        )
    except TabularError as exc:
        return None, exc.message
    return path, None
