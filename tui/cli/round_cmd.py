"""`shegong round open|show|decide|close|list`: the assessment round, kept in the registry.

`open` proposes every worker's grade and saves the round; `decide` records the panel's grade for
one worker, refused over the unit's quota with the places left; `close` shows what follows from
each grade and, once confirmed, writes every grade into the workers' records at once. A round is
named by its year, period and scope; with no scope option, the one round of that year and period
is meant when there is only one.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from core.assessment import (
    ROUND_KIND,
    Round,
    close_round,
    decide,
    load_round,
    open_round,
    over_quota,
    save_round,
)
from core.errors import ShegongError, ValidationError
from core.i18n import msg, t
from core.model import Assessment, Period, Worker
from core.scope import Scope, describe_scope
from core.scope import describe_scope_text as scope_text_label
from core.storage.layout import display_time
from tui.cli import values
from tui.cli.options import Session
from tui.cli.output import format_table, join, print_json, print_text
from tui.cli.rules_cmds import (
    FIELDS,
    add_scope_options,
    assessment_rules,
    cite,
    confirm,
    fit,
    grade_code,
    grade_label,
    names_line,
    parse_period,
    render_round,
    round_data,
    scope_given,
    scope_of,
    unit_label,
)

if TYPE_CHECKING:
    from core.rules import Rules
    from tui.cli.parser import ShegongParser


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    group = subparsers.add_parser("round", help=t("cli.round.help"), description=t("cli.round.description"))
    actions = group.add_subparsers(
        dest="action",
        required=True,
        title=t("cli.group.actions"),
        metavar="ACTION",
        parser_class=ShegongParser,
    )

    def which(parser: ShegongParser) -> None:
        parser.add_argument("--year", required=True, type=values.year, metavar="YYYY", help=t("cli.opt.year"))
        parser.add_argument("--period", metavar="half_year|year_end", help=t("cli.opt.period"))
        add_scope_options(parser)

    opener = actions.add_parser("open", parents=[common], help=t("cli.round.open.help"))
    which(opener)
    opener.add_argument("--replace", action="store_true", help=t("cli.round.opt.replace"))
    opener.add_argument("--brief", action="store_true", help=t("cli.opt.brief"))
    opener.set_defaults(handler=run_open)

    show = actions.add_parser("show", parents=[common], help=t("cli.round.show.help"))
    which(show)
    show.add_argument("--brief", action="store_true", help=t("cli.opt.brief"))
    show.set_defaults(handler=run_show)

    decider = actions.add_parser("decide", parents=[common], help=t("cli.round.decide.help"))
    which(decider)
    decider.add_argument(
        "--worker", required=True, type=values.record_id, metavar="ID", help=t("cli.opt.worker")
    )
    decider.add_argument("--grade", required=True, metavar="GRADE", help=t("cli.round.opt.grade"))
    decider.set_defaults(handler=run_decide)

    closer = actions.add_parser("close", parents=[common], help=t("cli.round.close.help"))
    which(closer)
    closer.add_argument("--yes", action="store_true", help=t("cli.opt.yes"))
    closer.set_defaults(handler=run_close)

    lister = actions.add_parser("list", parents=[common], help=t("cli.round.list.help"))
    lister.set_defaults(handler=run_list)


# --- handlers ----------------------------------------------------------------------------------


def run_open(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    year, period = args.year, parse_period(args.period)
    scope = scope_of(args, session)
    existing = load_round(registry, year, period, str(scope))
    if existing is not None and not existing.closed and not args.replace:
        decided = sum(1 for e in existing.entries if e.decided is not None)
        raise ValidationError(
            "round",
            msg("cli.round.exists", key=_name(existing), decided=decided, show=_command("show", existing)),
        )
    r = save_round(registry, open_round(registry, assessment_rules(session), year, scope, period))
    if session.json:
        print_json(round_data(r, session))
        return 0
    title = t("cli.round.opened", name=_name(r))
    print_text(render_round(r, session, reasons=not args.brief, title=title) + "\n" + _next_steps(r))
    return 0


def run_show(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    r = _find(args, session)
    if session.json:
        print_json(round_data(r, session))
        return 0
    print_text(render_round(r, session, reasons=not args.brief, title=_title(r)))
    return 0


def run_decide(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    r = _find(args, session)
    worker_id = args.worker
    entry = next((e for e in r.entries if e.worker_id == worker_id), None)
    if entry is None:
        raise ValidationError("worker", msg("cli.round.not_in_round", id=worker_id, name=_name(r)))
    grade = grade_code(args.grade, entry.jurisdiction, session)
    try:
        decided = decide(r, worker_id, grade)
    except ValidationError as exc:
        if exc.problem.key == "round.over_quota":
            raise _over_quota(r, entry.unit, entry.jurisdiction, grade, session) from None
        raise
    updated = save_round(registry, decided)
    if session.json:
        print_json(round_data(updated, session))
        return 0
    lexicon = session.lexicon()
    out = [
        t(
            "cli.round.recorded",
            name=entry.name,
            id=worker_id,
            grade=grade_label(grade, entry.jurisdiction, lexicon),
        )
    ]
    communities = {c.id: c for c in registry.communities()}
    for q in updated.quotas:
        if q.unit == entry.unit and q.grade == grade:
            out.append(
                t(
                    "cli.round.quota_after",
                    unit=unit_label(q.unit, communities),
                    grade=grade_label(q.grade, entry.jurisdiction, lexicon),
                    limit=q.limit,
                    used=q.used,
                    left=q.left,
                )
            )
    print_text("\n".join(out))
    return 0


def run_close(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    rules = session.rules()
    r = _find(args, session)
    _check_closable(r, session)
    if not args.yes and not session.json:
        print_text(
            _title(r)
            + "\n\n"
            + t("cli.round.preview")
            + "\n"
            + _consequences(r, _preview(r, rules, session), session)
        )
    counts = Counter(e.grade for e in r.entries)
    lexicon = session.lexicon()
    jurisdiction = {e.grade: e.jurisdiction for e in r.entries}
    grades = join(
        t("cli.value.count_of", label=grade_label(g, jurisdiction[g], lexicon), count=n)
        for g, n in counts.items()
    )
    confirm(t("cli.round.close_question", name=_name(r), count=len(r.entries), grades=grades), yes=args.yes)
    closed = close_round(registry, rules, r)
    if session.json:
        print_json(round_data(closed, session))
        return 0
    out = []
    if args.yes:
        out += [_title(closed), "", _consequences(closed, closed.consequences, session)]
    out.append(t("cli.round.closed", name=_name(closed), count=len(closed.entries)))
    print_text("\n".join(out))
    return 0


def run_list(args: argparse.Namespace, session: Session) -> int:
    rounds = _all_rounds(session)
    if session.json:
        print_json(
            [
                {
                    "year": r.year, "period": r.period, "scope": r.scope, "workers": len(r.entries),
                    "graded": sum(1 for e in r.entries if e.grade is not None),
                    "decided": sum(1 for e in r.entries if e.decided is not None),
                    "closed": r.closed, "opened_at": r.opened_at, "closed_at": r.closed_at or None,
                }
                for r in rounds
            ]
        )  # fmt: skip
        return 0
    if not rounds:
        print_text(t("cli.round.none"))
        return 0
    rows = [
        (
            r.year,
            t(f"ui.enum.period.{r.period}"),
            scope_text_label(r.scope),
            len(r.entries),
            sum(1 for e in r.entries if e.decided is not None),
            sum(1 for e in r.entries if e.grade is None),
            t("cli.round.state_closed", who=r.closed_by, when=display_time(r.closed_at)[:16])
            if r.closed
            else t("cli.round.state_open", who=r.opened_by, when=display_time(r.opened_at)[:16]),
        )
        for r in rounds
    ]
    headers = ["year", "period", "scope", "workers", "decided", "ungraded", "state"]
    print_text(format_table([t(f"cli.col.{h}") for h in headers], rows))
    return 0


# --- finding and describing a round --------------------------------------------------------------


def _all_rounds(session: Session) -> list[Round]:
    registry = session.registry()
    out = []
    for key in registry.list_documents(ROUND_KIND):
        head, _, scope = key.partition("@")
        year, _, period = head.partition("-")
        r = load_round(registry, int(year), period, scope)
        if r is not None:
            out.append(r)
    return sorted(out, key=lambda r: (r.year, r.period, r.scope), reverse=True)


def _find(args: argparse.Namespace, session: Session) -> Round:
    """The round the options name; with no scope option, the only round of that year and period."""
    registry = session.registry()
    session.jurisdictions()  # the plugins' catalogs, for grade names
    year, period = args.year, parse_period(args.period)
    if scope_given(args):
        scope = scope_of(args, session)
        found = load_round(registry, year, period, str(scope))
        if found is not None:
            return found
        wanted = describe_scope(scope)
    else:
        found = load_round(registry, year, period, "all")
        if found is not None:
            return found
        same = [r for r in _all_rounds(session) if r.year == year and r.period == period]
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            raise ValidationError(
                "round",
                msg("cli.round.which", choices=join(scope_text_label(r.scope) for r in same)),
            )
        wanted = describe_scope(Scope())
    others = join(_name(r) for r in _all_rounds(session)) or "-"
    raise ValidationError(
        "round",
        msg(
            "cli.round.not_found",
            year=year,
            period=t(f"ui.enum.period.{period}"),
            scope=wanted,
            others=others,
        ),
    )


def _name(r: Round) -> str:
    return t(
        "cli.round.name", year=r.year, period=t(f"ui.enum.period.{r.period}"), scope=scope_text_label(r.scope)
    )


def _title(r: Round) -> str:
    if r.closed:
        return t("cli.round.title_closed", name=_name(r), who=r.closed_by, when=display_time(r.closed_at))
    return t("cli.round.title_open", name=_name(r), who=r.opened_by, when=display_time(r.opened_at))


def _command(action: str, r: Round) -> str:
    scope = Scope.parse(r.scope)
    if scope.community:
        where = f" --community {scope.community}"
    elif scope.street:
        where = f" --street {scope.district}/{scope.street}"
    elif scope.district:
        where = f" --district {scope.district}"
    else:
        where = ""
    return f"shegong round {action} --year {r.year} --period {r.period}{where}"


def _next_steps(r: Round) -> str:
    return t(
        "cli.round.next_steps",
        decide=_command("decide", r) + " --worker ID --grade G",
        close=_command("close", r),
    )


def _over_quota(r: Round, unit: str, jurisdiction: str, grade: str, session: Session) -> ValidationError:
    """Core's refusal in the operator's words: the unit by name, the places taken and by whom."""
    communities = {c.id: c for c in session.registry().communities()}
    lexicon = session.lexicon()
    q = next(q for q in r.quotas if q.unit == unit and q.grade == grade)
    holders = [
        t("cli.value.name_id", name=e.name, id=e.worker_id)
        for e in r.entries
        if e.unit == unit and e.grade == grade
    ]
    return ValidationError(
        "grade",
        msg(
            "cli.round.over_quota",
            unit=unit_label(unit, communities),
            grade=grade_label(grade, jurisdiction, lexicon),
            limit=q.limit,
            headcount=q.headcount,
            used=q.used,
            left=max(q.left, 0),
            holders=names_line(holders) or "-",
            cite=q.cited,
        ),
    )


def _check_closable(r: Round, session: Session) -> None:
    """The refusals `close_round` would make, made before asking for a confirmation."""
    if r.closed:
        raise ValidationError("round", msg("round.closed", key=r.key))
    communities = {c.id: c for c in session.registry().communities()}
    lexicon = session.lexicon()
    over = over_quota(r)
    if over:
        q = over[0]
        j = next(e.jurisdiction for e in r.entries if e.unit == q.unit)
        raise ValidationError(
            "grade",
            msg(
                "cli.round.close_over_quota",
                unit=unit_label(q.unit, communities),
                grade=grade_label(q.grade, j, lexicon),
                limit=q.limit,
                used=q.used,
                cite=q.cited,
            ),
        )
    ungraded = [e for e in r.entries if e.grade is None]
    if ungraded:
        names = [t("cli.value.name_id", name=e.name, id=e.worker_id) for e in ungraded]
        raise ValidationError(
            "grade",
            msg(
                "cli.round.close_ungraded",
                count=len(ungraded),
                names=names_line(names),
                decide=_command("decide", r) + " --worker ID --grade G",
            ),
        )


def _with_grade(worker: Worker, r: Round, grade: str, panel: bool) -> Worker:
    """The worker as closing will save them (mirrors `core.assessment.close_round`), so the
    consequences previewed are those that closing records (a run of 优秀 counts this year)."""
    period = Period(r.period)
    kept = tuple(a for a in worker.assessments if not (a.year == r.year and a.period == period))
    old = next((a for a in worker.assessments if a.year == r.year and a.period == period), None)
    record = (
        attrs.evolve(old, grade=grade, panel=panel) if old else Assessment(r.year, period, grade, panel=panel)
    )
    return attrs.evolve(worker, assessments=(*kept, record))


def _preview(r: Round, rules: Rules, session: Session) -> dict[str, tuple[Mapping[str, Any], ...]]:
    from core.i18n import LANGUAGES
    from core.report import to_data

    registry = session.registry()
    out: dict[str, tuple[Mapping[str, Any], ...]] = {}
    for e in r.entries:
        assert e.grade is not None
        worker = _with_grade(registry.get_worker(e.worker_id), r, e.grade, e.decided is not None)
        try:
            items = rules.grade_consequences(worker, r.year, e.grade, r.period)
        except ShegongError as exc:
            out[str(e.worker_id)] = ({lang: exc.render(lang) for lang in LANGUAGES},)
            continue
        if items:
            out[str(e.worker_id)] = tuple({lang: to_data(c, lang) for lang in LANGUAGES} for c in items)
    return out


def _consequences(r: Round, by_worker: Mapping[str, tuple[Mapping[str, Any], ...]], session: Session) -> str:
    """What follows from each grade, per worker, with the article it comes from."""
    r_entries = {e.worker_id: e for e in r.entries}
    lexicon = session.lexicon()
    lines: list[str] = []
    for wid, items in by_worker.items():
        e = r_entries.get(int(wid))
        name = e.name if e else wid
        grade = grade_label(e.grade, e.jurisdiction, lexicon) if e and e.grade else ""
        lines.append(f"  {t('cli.value.name_id', name=name, id=wid)}  {grade}".rstrip())
        for item in items:
            rendered = item.get(session.lang, "")
            if isinstance(rendered, Mapping):
                lines.extend(
                    fit(f"      → {rendered.get('text', '')}", cite(rendered.get("citation")), "        ")
                )
            else:
                lines.append(f"      → {rendered}")
    return "\n".join(lines) if lines else "  " + t("cli.round.no_consequences")
