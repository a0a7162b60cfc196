"""Importing community workers from a spreadsheet: check every row, then write in one batch.

A row is matched to the registry by resident ID number: a new number is added, a known one is
compared and, if anything differs, updated (with the revision it was read at, so a concurrent edit
is refused rather than overwritten); an identical one is left alone, so importing the same file
twice changes nothing. On an existing worker a blank optional cell keeps what the registry holds.

The sheet is a flat view of a worker's history:
- 岗位 lists the posts held now. For a new worker they start on 任职开始日期 (or 参加社区工作时间);
  for a known worker, listing the posts already held changes nothing, and a different list needs
  任职开始日期: posts no longer listed end the day before it, newly listed ones start on it.
- 合同 and 证书 add a contract (matched on type and start) or certificate (matched on type), or
  correct the end date / registration date of the one that matches.
- 状态 records a status change from 状态日期 when it differs from the worker's status today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from core.errors import ShegongError, ValidationError
from core.i18n import LANGUAGES, catalog, current_language, msg, translate
from core.model import (
    Certificate,
    Community,
    Contract,
    ContractKind,
    Education,
    Entry,
    Hukou,
    PartyStatus,
    PostTerm,
    Sex,
    Status,
    StatusChange,
    Worker,
    trusted_load,
)
from core.record_checks import PostNames, new_problems
from core.repository import Repository
from core.resident_id import check_resident_id, region_warning
from core.storage.backups import checkpoint
from core.summary import workers_by_id_number
from core.tabular.errors import TabularError
from core.tabular.headers import POSTS, WORKER_COLUMNS
from core.tabular.reading import RawRow, read_table
from core.tabular.report import ImportResult, Problem
from core.tabular.templates import EXAMPLE_WORKER_ID
from core.tabular.validation import (
    ParsedRow,
    RowContext,
    RowError,
    Ticker,
    duplicates,
    errors_file,
    locate,
    parse_cells,
    refused,
    sorted_problems,
)

if TYPE_CHECKING:
    from core.hookspecs import Vocabulary

KIND = "workers"
_ID_FIXES = {
    "invalid.id_birth_mismatch": "tabular.fix.id_birth_mismatch",
    "invalid.id_sex_mismatch": "tabular.fix.id_sex_mismatch",
    "invalid.id_excel_number": "tabular.fix.id_numeric",
}
# Model check failures (core.model.Worker) → the column to report them against.
_MODEL_FIELDS = {
    "contract.end": "contract_end",
    "post.end": "post_start",
    "name": "name",
    "community_id": "community_id",
    "phone": "phone",
    "service_start": "service_start",
    "id_number": "id_number",
}


@attrs.frozen
class WorkerChecks:
    """What a worker row is checked against besides itself."""

    communities: Mapping[str, Community]
    today: dt.date


def worker_context(file: str, lang: str, header: Any, posts: Iterable[Vocabulary] = ()) -> RowContext:
    """The row context with each choice column's spellings. Posts: core's, those passed in (the
    jurisdictions' vocabularies) and any `post.<code>` a loaded catalog labels."""
    extra: list[tuple[str, tuple[str, ...]]] = [(v.code, (v.zh, v.en)) for v in posts]
    for lang in LANGUAGES:
        for key, label in catalog(lang).items():
            if key.startswith("post.") and key.count(".") == 1:
                extra.append((key[5:], (label,)))
    indexes: dict[str, Mapping[str, str]] = {}
    for col in WORKER_COLUMNS:
        if col.choices is not None:
            indexes[col.field] = col.choices.index(extra if col.choices is POSTS else ())
    return RowContext(file, lang, header, WORKER_COLUMNS, indexes)


# The import's text columns and the model attribute holding each: its validator (length limit, no
# control or bidi characters) is run here, since the worker is later built inside `trusted_load`.
_TEXT_ATTRIBUTES: dict[str, attrs.Attribute[Any]] = {
    "name": attrs.fields(Worker).name,
    "community_id": attrs.fields(Worker).community_id,
    "note": attrs.fields(Worker).note,
    "hukou_city": attrs.fields(Hukou).city,
}


def validate_worker_row(
    row: RawRow, ctx: RowContext, checks: WorkerChecks
) -> tuple[ParsedRow, list[Problem]]:
    """Parse one row and check it on its own: cells, the resident ID against 出生日期 and 性别, the
    community, and the fields that only make sense together. Never raises for bad input."""
    parsed, problems = parse_cells(row, ctx)
    v, n = parsed.values, row.number
    bad = {p.field for p in problems}

    def report(field: str, problem: Any, fix: Any) -> None:
        problems.append(ctx.problem(n, field, parsed.raw.get(field), problem, fix))

    for field, attribute in _TEXT_ATTRIBUTES.items():
        if field in v and attribute.validator is not None:
            try:
                attribute.validator(None, attribute, v[field])
            except ValidationError as exc:
                report(field, exc.problem, msg("tabular.fix.check_value"))
                del v[field]
        bad.add(field)

    if "id_number" in v:
        try:
            v["id_number"] = check_resident_id(
                v["id_number"],
                birth_date=None if "birth_date" in bad else v.get("birth_date"),
                sex=None if "sex" in bad else v.get("sex"),
            )
        except ValidationError as exc:
            report("id_number", exc.problem, msg(_ID_FIXES.get(exc.problem.key, "tabular.fix.id_number")))
            del v["id_number"]
        else:
            if "birth_date" not in v and "birth_date" not in bad:
                number = v["id_number"]
                v["birth_date"] = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if "community_id" in v and v["community_id"] not in checks.communities:
        report(
            "community_id",
            msg("tabular.problem.unknown_community", value=v["community_id"]),
            msg("tabular.fix.unknown_community"),
        )
    birth = v.get("birth_date")
    for field in ("service_start", "work_start"):
        if birth is not None and field in v and v[field] < birth:
            report(field, msg("tabular.problem.before_birth", birth=birth), msg("tabular.fix.date_order"))
    _pair(v, bad, report, ctx, "contract_kind", ("contract_start", "contract_end"), "contract_start")
    _pair(v, bad, report, ctx, "certificate", ("certificate_date",), "certificate_date")
    _pair(v, bad, report, ctx, "status", ("status_since",), None)
    _pair(v, bad, report, ctx, "posts", ("post_start",), None)
    if "contract_start" in v and "contract_end" in v and v["contract_end"] < v["contract_start"]:
        report(
            "contract_end",
            msg("tabular.problem.end_before_start", start=v["contract_start"]),
            msg("tabular.fix.date_order"),
        )
    return parsed, problems


def _pair(
    v: Mapping[str, Any],
    bad: set[str],
    report: Callable[[str, Any, Any], None],
    ctx: RowContext,
    head: str,
    details: tuple[str, ...],
    needed: str | None,
) -> None:
    """`head` (a type) and its `details` (dates) go together: a date without its type is refused,
    and so is a type without its `needed` date."""
    if head in bad:
        return
    if head not in v:
        given = [d for d in details if d in v]
        if given:
            report(
                head,
                msg("tabular.problem.detail_without_head", detail=ctx.header_of(given[0])),
                msg("tabular.fix.fill_head", column=ctx.header_of(head)),
            )
        return
    if needed is not None and needed not in v and needed not in bad:
        report(
            needed,
            msg("tabular.problem.required_with", head=ctx.header_of(head)),
            msg("tabular.fix.required_with", column=ctx.header_of(needed)),
        )


# --- from a row to a worker ----------------------------------------------------------------------


def build_worker(values: Mapping[str, Any], existing: Worker | None, today: dt.date) -> Worker:
    """The worker the row describes: a new one, or `existing` with the row's changes applied.

    Raises `RowError` naming the field when the row and the registry cannot be reconciled.
    """
    try:
        # `validate_worker_row` has run the model's checks on these values (resident ID against
        # birth date and sex, phone, service start after birth); running them again per worker
        # would double the import's largest cost. A test keeps the two in step.
        with trusted_load():
            if existing is None:
                return _new_worker(values)
            return _merged_worker(values, existing, today)
    except ValidationError as exc:
        field = _MODEL_FIELDS.get(exc.field, _MODEL_FIELDS.get(exc.field.split(".")[0], "id_number"))
        raise RowError(field, exc.problem, msg("tabular.fix.check_value")) from None


def _scalars(v: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, convert in (
        ("name", str),
        ("sex", Sex),
        ("birth_date", None),
        ("community_id", str),
        ("service_start", None),
        ("work_start", None),
        ("entry", Entry),
        ("education", Education),
        ("phone", str),
        ("party", PartyStatus),
        ("note", str),
    ):
        if field in v:
            out[field] = v[field] if convert is None else convert(v[field])
    return out


def _hukou(v: Mapping[str, Any], current: Hukou | None) -> Hukou | None:
    if "hukou_city" not in v and "hukou_kind" not in v:
        return current
    city = v.get("hukou_city") or (current.city if current is not None else None)
    if city is None:
        raise RowError("hukou_city", msg("tabular.problem.hukou_city_missing"), msg("tabular.fix.hukou_city"))
    urban = v["hukou_kind"] == "urban" if "hukou_kind" in v else (current.urban if current else True)
    return Hukou(city, urban)


def _new_worker(v: Mapping[str, Any]) -> Worker:
    fields = _scalars(v)
    service_start: dt.date = v["service_start"]
    start = v.get("post_start", service_start)
    posts = tuple(PostTerm(code, start) for code in v.get("posts", ()))
    contracts: tuple[Contract, ...] = ()
    if "contract_kind" in v:
        contracts = (Contract(ContractKind(v["contract_kind"]), v["contract_start"], v.get("contract_end")),)
    certificates: tuple[Certificate, ...] = ()
    if "certificate" in v:
        certificates = (Certificate(v["certificate"], v["certificate_date"]),)
    statuses: tuple[StatusChange, ...] = ()
    if "status" in v:
        status = Status(v["status"])
        since = v.get("status_since")
        if since is None and status not in (Status.ACTIVE, Status.PROBATION):
            raise RowError(
                "status_since",
                msg("tabular.problem.status_since_needed", status=msg(f"status.{status.value}")),
                msg("tabular.fix.status_since"),
            )
        if since is not None or status != Status.ACTIVE:
            statuses = (StatusChange(status, since or service_start),)
    return Worker(
        id_number=v["id_number"],
        hukou=_hukou(v, None),
        posts=posts,
        contracts=contracts,
        certificates=certificates,
        statuses=statuses,
        **fields,
    )


def held_posts(w: Worker, today: dt.date) -> list[PostTerm]:
    """The terms the sheet's 岗位 column stands for: not ended before `today` (future ones too)."""
    return [p for p in w.posts if p.end is None or p.end >= today]


def _merged_posts(v: Mapping[str, Any], w: Worker, today: dt.date) -> tuple[PostTerm, ...]:
    wanted: tuple[str, ...] = v["posts"]
    current = held_posts(w, today)
    held = {p.post for p in current}
    if set(wanted) == held:
        return w.posts
    start: dt.date | None = v.get("post_start")
    if start is None:
        listed = "、".join(POSTS.label(p) for p in sorted(held)) or "—"
        raise RowError(
            "post_start", msg("tabular.problem.post_start_needed", held=listed), msg("tabular.fix.post_start")
        )
    day_before = start - dt.timedelta(days=1)
    out: list[PostTerm] = []
    for term in w.posts:
        if term in current and term.post not in wanted and (term.end is None or term.end > day_before):
            if start <= term.start:
                raise RowError(
                    "post_start",
                    msg(
                        "tabular.problem.post_start_early",
                        post=msg(f"post.{term.post}"),
                        start=term.start,
                    ),
                    msg("tabular.fix.post_start_early"),
                )
            term = PostTerm(term.post, term.start, day_before)
        out.append(term)
    out.extend(PostTerm(code, start) for code in wanted if code not in held)
    return tuple(out)


def _merged_contracts(v: Mapping[str, Any], w: Worker) -> tuple[Contract, ...]:
    given = Contract(ContractKind(v["contract_kind"]), v["contract_start"], v.get("contract_end"))
    out = list(w.contracts)
    for i, c in enumerate(out):
        if c.kind == given.kind and c.start == given.start:
            if "contract_end" in v and c.end != given.end:
                out[i] = given
            return tuple(out)
    return (*out, given)


def _merged_certificates(v: Mapping[str, Any], w: Worker) -> tuple[Certificate, ...]:
    kind: str = v["certificate"]
    registered: dt.date = v["certificate_date"]
    out = list(w.certificates)
    for i, c in enumerate(out):
        if c.kind == kind:
            if c.registered != registered:
                out[i] = attrs.evolve(c, registered=registered)
            return tuple(out)
    return (*out, Certificate(kind, registered))


def _merged_statuses(v: Mapping[str, Any], w: Worker, today: dt.date) -> tuple[StatusChange, ...]:
    status = Status(v["status"])
    since: dt.date | None = v.get("status_since")
    if since is not None and any(s.status == status and s.since == since for s in w.statuses):
        return w.statuses
    if w.status_on(today) == status:
        return w.statuses
    if since is None:
        raise RowError(
            "status_since",
            msg(
                "tabular.problem.status_changed",
                status=msg(f"status.{status.value}"),
                current=msg(f"status.{w.status_on(today).value}"),
            ),
            msg("tabular.fix.status_since"),
        )
    return (*w.statuses, StatusChange(status, since))


def _merged_worker(v: Mapping[str, Any], w: Worker, today: dt.date) -> Worker:
    changes = _scalars(v)
    changes["hukou"] = _hukou(v, w.hukou)
    if "posts" in v:
        changes["posts"] = _merged_posts(v, w, today)
    if "contract_kind" in v:
        changes["contracts"] = _merged_contracts(v, w)
    if "certificate" in v:
        changes["certificates"] = _merged_certificates(v, w)
    if "status" in v:
        changes["statuses"] = _merged_statuses(v, w, today)
    same = all(getattr(w, k) == value for k, value in changes.items())
    return w if same else attrs.evolve(w, **changes)


# --- the import ----------------------------------------------------------------------------------


def _is_example(row: RawRow, id_position: int | None) -> bool:
    if id_position is None or id_position >= len(row.cells):
        return False
    cell = row.cells[id_position]
    return isinstance(cell, str) and cell.strip().upper() == EXAMPLE_WORKER_ID


def import_workers(
    registry: Repository,
    path: str | Path,
    *,
    skip_bad: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lang: str | None = None,
    today: dt.date | None = None,
    posts: Iterable[Vocabulary] = (),
    accept_unknown_region: bool = False,
    jurisdiction_posts: Mapping[str, PostNames] | None = None,
) -> ImportResult:
    """Import the workers of an .xlsx or .csv file into `registry`.

    Every row is checked first. Unless every row is good nothing is written (with `skip_bad`, the
    good rows are written and the bad ones copied to `<name>.errors.xlsx|csv` with the reasons);
    the errors file is written whenever a row is bad. The write is one `update_workers` batch and
    one `add_workers` batch, each all-or-nothing. `progress(done, total)` is called at least every
    500 rows: `total` is twice the number of rows (checking, then matching), and `done == total`
    once written. `posts` are the jurisdictions' own post codes and labels, accepted besides
    core's. A resident ID whose region code was never seen is a warning: listed, and the file
    held back unless `accept_unknown_region`. Each worker is also checked across fields
    (`core.record_checks`), its posts against `jurisdiction_posts` (jurisdiction → its posts) when
    given. Raises `TabularError` when the file cannot be read.
    """
    lang = lang or current_language()
    source = Path(path)
    day = today or dt.date.today()
    table = read_table(source, WORKER_COLUMNS)
    sheet = locate(table, WORKER_COLUMNS, lang)
    if sheet.header is None or sheet.problems:
        return refused(KIND, source, len(sheet.data), sheet.problems, sheet)
    ctx = worker_context(source.name, lang, sheet.header, posts)
    checks = WorkerChecks({c.id: c for c in registry.communities()}, day)
    id_position = next((p for p, c in sheet.header.positions.items() if c.field == "id_number"), None)
    data = [r for r in sheet.data if not _is_example(r, id_position)]
    examples = len(sheet.data) - len(data)
    ticker = Ticker(progress, 2 * len(data))

    parsed: list[ParsedRow] = []
    problems: list[Problem] = []
    for row in data:
        p, found = validate_worker_row(row, ctx, checks)
        parsed.append(p)
        problems.extend(found)
        ticker.step()
    problems.extend(duplicates(parsed, "id_number", ctx))
    ticker.mark(len(data))

    bad_rows = {p.row for p in problems}
    known = workers_by_id_number(
        registry, [p.values["id_number"] for p in parsed if p.number not in bad_rows]
    )
    to_add: list[Worker] = []
    to_update: list[Worker] = []
    unchanged = 0
    for p in parsed:
        ticker.step()
        if p.number in bad_rows:
            continue
        existing = known.get(p.values["id_number"])
        try:
            worker = build_worker(p.values, existing, day)
        except RowError as exc:
            problems.append(ctx.problem(p.number, exc.field, p.raw.get(exc.field), exc.problem, exc.fix))
            bad_rows.add(p.number)
            continue
        community = checks.communities[worker.community_id]
        allowed = None if jurisdiction_posts is None else jurisdiction_posts.get(community.jurisdiction)
        crossed = new_problems(worker, existing, today=day, posts=allowed)
        for cross in crossed:
            column = "posts" if cross.field.startswith("posts") else "service_start"
            fix = msg("records.fix.post" if column == "posts" else "records.fix.service_start")
            problems.append(ctx.problem(p.number, column, p.raw.get(column), cross.problem, fix))
        if crossed:
            bad_rows.add(p.number)
            continue
        if existing is None:
            to_add.append(worker)
        elif worker is existing or worker == existing:
            unchanged += 1
        else:
            to_update.append(worker)

    problems = sorted_problems(problems, WORKER_COLUMNS)
    report, report_error = errors_file(sheet, problems, lang)
    bad = len(bad_rows)
    warnings = region_warnings(parsed, bad_rows, ctx)
    refuse = (bool(problems) and not skip_bad) or (bool(warnings) and not accept_unknown_region)
    if not refuse:
        _write(registry, source, to_update, to_add)
        ticker.mark(2 * len(data))
    return ImportResult(
        kind=KIND,
        path=source,
        rows=len(data),
        added=0 if refuse else len(to_add),
        updated=0 if refuse else len(to_update),
        unchanged=0 if refuse else unchanged,
        bad=bad,
        problems=tuple(problems),
        report_path=report,
        report_error=report_error,
        written=not refuse and bool(to_add or to_update),
        refused=refuse,
        ignored_columns=sheet.header.unknown,
        examples_skipped=examples,
        warnings=warnings,
    )


def region_warnings(
    parsed: Iterable[ParsedRow], bad_rows: set[int | None], ctx: RowContext
) -> tuple[Problem, ...]:
    """A warning for each good row whose resident ID has a region code never seen (see
    `core.resident_id.region_warning`): not an error, but worth a look at the card."""
    out = []
    for p in parsed:
        number = p.values.get("id_number")
        warning = None if p.number in bad_rows or number is None else region_warning(number)
        if warning is not None:
            out.append(
                ctx.problem(
                    p.number, "id_number", p.raw.get("id_number"), warning, msg("records.fix.accept_region")
                )
            )
    return tuple(out)


def _write(registry: Repository, source: Path, to_update: list[Worker], to_add: list[Worker]) -> None:
    """Updates first: a stale revision refuses them before anything is added. If the adds then
    fail (someone added the same person meanwhile), say what was saved; importing the same file
    again is safe, the saved rows come back unchanged."""
    if to_update or to_add:
        checkpoint(registry, translate("backup.reason.import", file=source.name))
    if to_update:
        registry.update_workers(to_update)
    if to_add:
        try:
            registry.add_workers(to_add)
        except ShegongError as exc:
            raise TabularError(
                msg("tabular.file.interrupted", file=source.name, updated=len(to_update), reason=exc.message)
            ) from exc
    if to_update or to_add:
        registry.record_event(
            "import",
            "worker",
            source.name,
            note=f"added={len(to_add)} updated={len(to_update)}",
        )
