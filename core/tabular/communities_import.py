"""Importing communities from a spreadsheet: every row checked first, then written.

A row is matched on 社区编号: a new one is added, a known one compared and updated if anything
differs (city-computed quotas and target ranks, which the sheet does not carry, are kept), an
identical one left alone. 适用规则 must name an installed jurisdiction (the keys or check passed in).
The registry adds and updates communities one at a time, so a failure half-way (a concurrent
edit) stops the import with a message naming what was saved; importing the file again is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import attrs

from core.errors import ShegongError, ValidationError
from core.i18n import current_language, msg, translate
from core.model import Community, CommunityKind
from core.repository import Repository
from core.storage.backups import checkpoint
from core.tabular.errors import TabularError
from core.tabular.headers import COMMUNITY_COLUMNS, HeaderMatch
from core.tabular.reading import RawRow, read_table
from core.tabular.report import ImportResult, Problem
from core.tabular.templates import EXAMPLE_COMMUNITY_ID, example_names
from core.tabular.validation import (
    ParsedRow,
    RowContext,
    Ticker,
    duplicates,
    errors_file,
    locate,
    parse_cells,
    refused,
    sorted_problems,
)

KIND = "communities"
Jurisdictions = Collection[str] | Callable[[str], bool]
_FIELDS = (
    "name",
    "street",
    "district",
    "city",
    "jurisdiction",
    "kind",
    "households_resident",
    "households_registered",
    "population",
    "new_residents",
    "grid_count",
    "office_area",
)


def community_context(file: str, lang: str, header: HeaderMatch) -> RowContext:
    indexes = {c.field: c.choices.index() for c in COMMUNITY_COLUMNS if c.choices is not None}
    return RowContext(file, lang, header, COMMUNITY_COLUMNS, indexes)


def _known(jurisdictions: Jurisdictions, key: str) -> bool:
    if callable(jurisdictions):
        return bool(jurisdictions(key))
    return key in jurisdictions


def validate_community_row(
    row: RawRow, ctx: RowContext, jurisdictions: Jurisdictions
) -> tuple[ParsedRow, list[Problem]]:
    """Parse one row and check its jurisdiction; never raises for bad input."""
    parsed, problems = parse_cells(row, ctx)
    key = parsed.values.get("jurisdiction")
    if key is not None and not _known(jurisdictions, key):
        known = "" if callable(jurisdictions) else "、".join(sorted(jurisdictions))
        problems.append(
            ctx.problem(
                row.number,
                "jurisdiction",
                parsed.raw.get("jurisdiction"),
                msg("tabular.problem.unknown_jurisdiction", value=key),
                msg("tabular.fix.unknown_jurisdiction", known=known or "—"),
            )
        )
    return parsed, problems


def build_community(values: Mapping[str, Any], existing: Community | None) -> Community:
    """The community the row describes, new or `existing` with the row's values (blank keeps)."""
    fields = {f: values[f] for f in _FIELDS if f in values}
    if "kind" in fields:
        fields["kind"] = CommunityKind(fields["kind"])
    if existing is None:
        return Community(id=values["id"], **fields)
    if all(getattr(existing, k) == v for k, v in fields.items()):
        return existing
    return attrs.evolve(existing, **fields)


def _is_example(row: ParsedRow) -> bool:
    return row.values.get("id") == EXAMPLE_COMMUNITY_ID and row.values.get("name") in example_names()


def import_communities(
    registry: Repository,
    path: str | Path,
    *,
    jurisdictions: Jurisdictions,
    skip_bad: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lang: str | None = None,
) -> ImportResult:
    """Import the communities of an .xlsx or .csv file into `registry`.

    `jurisdictions` is the set of installed jurisdiction keys, or a function saying whether a key
    is one. As for workers: nothing is written unless every row is good (with `skip_bad`, the good
    rows are), the bad rows go to `<name>.errors.xlsx|csv`, `progress(done, total)` is called at
    least every 500 rows. Raises `TabularError` when the file cannot be read.
    """
    lang = lang or current_language()
    source = Path(path)
    table = read_table(source, COMMUNITY_COLUMNS)
    sheet = locate(table, COMMUNITY_COLUMNS, lang)
    if sheet.header is None or sheet.problems:
        return refused(KIND, source, len(sheet.data), sheet.problems, sheet)
    ctx = community_context(source.name, lang, sheet.header)
    ticker = Ticker(progress, 2 * len(sheet.data))
    parsed: list[ParsedRow] = []
    problems: list[Problem] = []
    examples = 0
    for row in sheet.data:
        p, found = validate_community_row(row, ctx, jurisdictions)
        ticker.step()
        if _is_example(p):
            examples += 1
            continue
        parsed.append(p)
        problems.extend(found)
    problems.extend(duplicates(parsed, "id", ctx))
    ticker.mark(len(sheet.data))

    known = {c.id: c for c in registry.communities()}
    bad_rows = {p.row for p in problems}
    to_add: list[Community] = []
    to_update: list[Community] = []
    unchanged = 0
    for p in parsed:
        ticker.step()
        if p.number in bad_rows:
            continue
        existing = known.get(p.values["id"])
        try:
            community = build_community(p.values, existing)
        except ValidationError as exc:
            field = exc.field if exc.field in p.raw else "id"
            problems.append(
                ctx.problem(p.number, field, p.raw.get(field), exc.problem, msg("tabular.fix.check_value"))
            )
            bad_rows.add(p.number)
            continue
        if existing is None:
            to_add.append(community)
        elif community is existing:
            unchanged += 1
        else:
            to_update.append(community)

    problems = sorted_problems(problems, COMMUNITY_COLUMNS)
    report, report_error = errors_file(sheet, problems, lang)
    rows = len(parsed)
    refuse = bool(problems) and not skip_bad
    if not refuse:
        _write(registry, source, to_update, to_add)
        ticker.mark(2 * len(sheet.data))
    return ImportResult(
        kind=KIND,
        path=source,
        rows=rows,
        added=0 if refuse else len(to_add),
        updated=0 if refuse else len(to_update),
        unchanged=0 if refuse else unchanged,
        bad=len(bad_rows),
        problems=tuple(problems),
        report_path=report,
        report_error=report_error,
        written=not refuse and bool(to_add or to_update),
        refused=refuse,
        ignored_columns=sheet.header.unknown,
        examples_skipped=examples,
    )


def _write(registry: Repository, source: Path, to_update: list[Community], to_add: list[Community]) -> None:
    if to_update or to_add:
        checkpoint(registry, translate("backup.reason.import", file=source.name))
    saved = 0
    try:
        for community in to_update:
            registry.update_community(community)
            saved += 1
        for community in to_add:
            registry.add_community(community)
            saved += 1
    except ShegongError as exc:
        if saved == 0:
            raise
        raise TabularError(
            msg("tabular.file.interrupted_communities", file=source.name, saved=saved, reason=exc.message)
        ) from exc
    if to_update or to_add:
        registry.record_event(
            "import", "community", source.name, note=f"added={len(to_add)} updated={len(to_update)}"
        )
