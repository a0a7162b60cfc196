"""`shegong pay|retire|staffing|grade|findings|explain`: what the rules say, figure by figure.

Every figure is printed with the document and article it rests on, so an operator can check it
against the text; a worker or community the rules cannot compute is listed with the reason (the
parameter to set), never left out. The helpers under "shared" (scope options, a month, a year, a
period, citations and footnotes, confirmation) serve the workflow commands too (`payroll`,
`round`, `review`, exports), so every command names a street or a month the same way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from core.errors import MissingParameter, ShegongError, ValidationError
from core.i18n import Message, msg, t
from core.model import IN_SERVICE, Community, Period, Post, Worker, add_months
from core.privacy import hide_birth_dates, shown_to
from core.report import to_data
from core.results import Citation, Finding, Month, PayLine, Reason, RetirementDate, Severity, shown_data
from core.rules import Rules
from core.scope import Scope, describe_scope
from core.scoped import may_reveal
from tui.cli import values
from tui.cli.errors import Field
from tui.cli.labels import enum_label, label_or
from tui.cli.options import CliError, Session, parse_enum
from tui.cli.output import cell_width, format_fields, format_table, join, pad, print_json, print_text
from tui.labels import has_key

if TYPE_CHECKING:
    from core.assessment import Round
    from core.review import CommunityStaffing
    from tui.cli.labels import Lexicon
    from tui.cli.parser import ShegongParser

# How the options of these commands are named when a value is refused.
FIELDS = {
    "month": Field("cli.field.month", "--month"),
    "year": Field("cli.field.year", "--year"),
    "period": Field("cli.field.period", "--period"),
    "worker": Field("cli.field.worker_id", "--worker"),
    "community": Field("cli.field.community", "--community"),
    "street": Field("cli.field.street", "--street"),
    "district": Field("cli.field.district", "--district"),
    "scope": Field("cli.field.scope", "--scope"),
    "on": Field("cli.field.on", "--on"),
    "within": Field("cli.field.within", "--within"),
    "months": Field("cli.field.months", "--months"),
    "severity": Field("cli.field.severity", "--severity"),
    "grade": Field("cli.field.grade", "--grade"),
    "round": Field("cli.field.round", "--year / --period"),
}
NAMES_SHOWN = 8  # names listed in one line before "… and N more"
WIDTH = 80  # the terminal an operator is assumed to have


# --- the command line ---------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    pay = subparsers.add_parser(
        "pay", parents=[common], help=t("cli.pay.help"), description=t("cli.pay.description")
    )
    pay.add_argument("--month", required=True, type=values.month, metavar="YYYY-MM", help=t("cli.opt.month"))
    add_worker_option(pay)
    add_scope_options(pay)
    pay.set_defaults(handler=run_pay, _parser=pay)

    retire = subparsers.add_parser(
        "retire", parents=[common], help=t("cli.retire.help"), description=t("cli.retire.description")
    )
    which = retire.add_mutually_exclusive_group(required=True)
    which.add_argument("--worker", type=values.record_id, metavar="ID", help=t("cli.opt.worker"))
    which.add_argument("--within", type=values.months, metavar="MONTHS", help=t("cli.retire.opt.within"))
    add_scope_options(retire)
    add_on_option(retire)
    retire.set_defaults(handler=run_retire, _parser=retire)

    staffing = subparsers.add_parser(
        "staffing", parents=[common], help=t("cli.staffing.help"), description=t("cli.staffing.description")
    )
    add_scope_options(staffing)
    add_on_option(staffing)
    staffing.set_defaults(handler=run_staffing)

    grade = subparsers.add_parser(
        "grade", parents=[common], help=t("cli.grade.help"), description=t("cli.grade.description")
    )
    grade.add_argument("--year", required=True, type=values.year, metavar="YYYY", help=t("cli.opt.year"))
    grade.add_argument("--period", metavar="half_year|year_end", help=t("cli.opt.period"))
    grade.add_argument("--brief", action="store_true", help=t("cli.opt.brief"))
    add_scope_options(grade)
    grade.set_defaults(handler=run_grade)

    findings = subparsers.add_parser(
        "findings", parents=[common], help=t("cli.findings.help"), description=t("cli.findings.description")
    )
    add_worker_option(findings)
    add_scope_options(findings)
    add_on_option(findings)
    findings.add_argument("--severity", metavar="info|warning|error", help=t("cli.findings.opt.severity"))
    findings.set_defaults(handler=run_findings, _parser=findings)

    explain = subparsers.add_parser(
        "explain", parents=[common], help=t("cli.explain.help"), description=t("cli.explain.description")
    )
    explain.add_argument(
        "--worker", required=True, type=values.record_id, metavar="ID", help=t("cli.opt.worker")
    )
    explain.add_argument("--month", type=values.month, metavar="YYYY-MM", help=t("cli.explain.opt.month"))
    explain.set_defaults(handler=run_explain)


# --- shared: options and the values they take ---------------------------------------------------


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """`--community`, `--street`, `--district` or `--scope`: at most one; none is everything."""
    group = parser.add_argument_group(t("cli.group.scope"), t("cli.group.scope_description"))
    one = group.add_mutually_exclusive_group()
    one.add_argument("--community", metavar="ID", help=t("cli.opt.scope_community"))
    one.add_argument("--street", metavar="DISTRICT/STREET", help=t("cli.opt.scope_street"))
    one.add_argument("--district", metavar="D", help=t("cli.opt.scope_district"))
    one.add_argument("--scope", metavar="TEXT", help=t("cli.opt.scope"))


def add_worker_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--worker", type=values.record_id, metavar="ID", help=t("cli.opt.worker_instead"))


def add_on_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--on", type=values.date, metavar="DATE", help=t("cli.opt.on"))


def scope_given(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) for name in ("community", "street", "district", "scope"))


def worker_or_scope(args: argparse.Namespace) -> None:
    """`--worker` names one person; a scope as well would be ignored, so it is bad usage."""
    if getattr(args, "worker", None) and scope_given(args):
        args._parser.error(t("cli.error.worker_and_scope"))


def scope_of(args: argparse.Namespace, session: Session) -> Scope:
    """The scope the options name, checked against the registry's communities: a typo in a
    street's name is refused with the names that exist, not answered with an empty list."""
    communities = session.registry().communities()
    if args.scope:
        scope, field = Scope.parse(args.scope), "scope"
    elif args.community:
        scope, field = Scope(community=args.community.strip()), "community"
    elif args.street:
        scope, field = _street_scope(args.street, communities), "street"
    elif args.district:
        scope, field = Scope(district=args.district.strip()), "district"
    else:
        return Scope()
    if any(scope.contains(c) for c in communities):
        return scope
    if scope.community:
        known = sorted(c.id for c in communities)
    elif scope.street:
        known = sorted({f"{c.district}/{c.street}" for c in communities})
    else:
        known = sorted({c.district for c in communities})
    raise ValidationError(
        field, msg("cli.invalid.scope_empty", scope=describe_scope(scope), known=_few(known) or "-")
    )


def _street_scope(text: str, communities: Sequence[Community]) -> Scope:
    """`区/街道`; a street name alone is enough when only one district has a street of that name."""
    text = text.strip()
    if "/" in text:
        district, street = (part.strip() for part in text.split("/", 1))
        return Scope(district=district, street=street)
    districts = sorted({c.district for c in communities if c.street == text})
    if len(districts) == 1:
        return Scope(district=districts[0], street=text)
    if len(districts) > 1:
        raise ValidationError(
            "street",
            msg("cli.invalid.street_ambiguous", street=text, choices=join(f"{d}/{text}" for d in districts)),
        )
    return Scope(district="", street=text)  # matches nothing: refused with the known streets


def _few(items: Sequence[str], limit: int = 20) -> str:
    shown = join(items[:limit])
    return shown + (t("cli.value.and_more", count=len(items) - limit) if len(items) > limit else "")


def parse_month(text: str, field: str = "month") -> Month:
    """`2026-11`, `202611`, `2026/11` or `2026年11月`, within `values`' range."""
    return values.month_in_range(text, field)


def parse_period(text: str | None) -> str:
    """`half_year` or `year_end` (半年 / 年终); the year-end round unless told otherwise."""
    return str(parse_enum(text, Period, "period")) if text else str(Period.YEAR_END)


def parse_on(args: argparse.Namespace) -> dt.date:
    day: dt.date | None = getattr(args, "on", None)
    return day or dt.date.today()


def parse_severity(text: str) -> Severity:
    wanted = text.strip().lower()
    for s in Severity:
        if wanted in {
            s.value,
            t(f"severity.{s.value}", "zh").lower(),
            t(f"severity.{s.value}", "en").lower(),
        }:
            return s
    allowed = join(t("cli.value.code", code=s.value, label=t(f"severity.{s.value}")) for s in Severity)
    raise ValidationError("severity", msg("cli.invalid.choice", value=text, allowed=allowed))


def get_worker(session: Session, worker_id: int) -> Worker:
    """The worker an option names; `values.record_id` has read the number."""
    return session.registry().get_worker(worker_id)


def confirm(question: str, *, yes: bool) -> None:
    """Ask on stderr, read the answer from stdin; anything but yes (or no terminal) refuses."""
    if yes:
        return
    print(f"{question}\n{t('cli.confirm.prompt')}", end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except (EOFError, OSError):
        print(file=sys.stderr)
        answer = ""
    if answer.strip().lower() not in {"y", "yes", "是", "确认", "确定"}:
        raise CliError(msg("cli.confirm.declined"))


# --- shared: figures, citations, names ----------------------------------------------------------


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def cite(citation: Citation | Mapping[str, Any] | str | None) -> str:
    """`〔《北京市社区工作者管理办法(试行)…》第五条(一)1〕`: the document by its own title and the
    article; the seed file's name is for `--json` only. A string is already rendered (a quota's)."""
    if citation is None or citation == "":
        return ""
    if isinstance(citation, Mapping):
        return f"〔{shown_data(citation).strip()}〕"
    text = citation.shown() if isinstance(citation, Citation) else str(citation)
    return f"〔{text.strip()}〕"


def fit(head: str, citation: str, indent: str = "      ") -> list[str]:
    """`head  〔citation〕` on one line when it fits the terminal's 80 columns, else the citation
    on a line of its own below, so the article never ends up split across two lines."""
    if not citation:
        return [head.rstrip()]
    if cell_width(head) + 2 + cell_width(citation) <= WIDTH:
        return [f"{head}  {citation}"]
    return [head.rstrip(), indent + citation]


class Notes:
    """Footnotes for a table: a long citation (and the rule it carries) printed once below the
    table, with `[1]` in the row, so a list of sixty retirements stays within 80 columns."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def mark(self, *parts: str) -> str:
        text = "  ".join(p for p in parts if p)
        if not text:
            return ""
        number = self._numbers.setdefault(text, len(self._numbers) + 1)
        return f"[{number}]"

    def render(self) -> str:
        if not self._numbers:
            return ""
        lines = [t("cli.notes.title")]
        for text, n in self._numbers.items():
            body, _, citation = text.rpartition("  ") if text.endswith("〕") else (text, "", "")
            lines.extend(fit(f"  [{n}] {body}", citation, "      ") if body else [f"  [{n}] {text}"])
        return "\n".join(lines)


def aligned(rows: Iterable[Sequence[str]], *, right: Iterable[int] = (), indent: str = "  ") -> list[str]:
    """Rows without a header, columns padded by cell width (`right`: columns aligned right)."""
    body = [list(r) for r in rows]
    if not body:
        return []
    used = [i for i in range(len(body[0])) if any(r[i] for r in body)]  # drop a column empty in every row
    right_set = {used.index(i) for i in right if i in used}
    body = [[r[i] for i in used] for r in body]
    widths = [max(cell_width(r[i]) for r in body) for i in range(len(body[0]))]
    out = []
    for r in body:
        cells = [
            " " * (w - cell_width(c)) + c if i in right_set else pad(c, w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def names_line(names: Sequence[str]) -> str:
    shown = join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += t("cli.value.and_more_people", count=len(names) - NAMES_SHOWN)
    return shown


def jurisdiction_name(lexicon: Lexicon, key: str) -> str:
    return lexicon.jurisdiction(key)


def street_label(district: str, street: str) -> str:
    return t("scope.street", district=district, street=street)


def unit_label(unit: str, communities: Mapping[str, Community]) -> str:
    """A quota unit (`street:沈河区/五里河街道`, `community:ng-hlx-001`) as an operator names it."""
    kind, _, value = unit.partition(":")
    if kind == "street" and "/" in value:
        district, street = value.split("/", 1)
        return street_label(district, street)
    if kind == "community":
        c = communities.get(value)
        return t("cli.value.community", name=c.name, id=c.id) if c else value
    return unit


def reason_lines(reasons: Iterable[Reason], lang: str, indent: str = "    ") -> list[str]:
    return [
        line
        for r in reasons
        for line in fit(f"{indent}· {r.text.render(lang)}", cite(r.citation), indent + "  ")
    ]


def error_text(error: ShegongError | Message | None, jurisdiction: str, rule: str, lexicon: Lexicon) -> str:
    """Why a rule could not run; "no such rule in this jurisdiction" in an operator's words."""
    if error is None:
        return ""
    message = error.message if isinstance(error, ShegongError) else error
    if message.key == "error.no_answer":
        return t(f"cli.no_rule.{rule}", jurisdiction=jurisdiction_name(lexicon, jurisdiction))
    return message.render()


def missing_parameter(error: ShegongError) -> str | None:
    if isinstance(error, MissingParameter):
        return f"{error.name} [{error.detail}]" if error.detail else error.name
    return None


def type_label(code: str, jurisdiction: str, lexicon: Lexicon) -> str:
    """A staffing type: a post (协警), a plugin's group of posts (两委) or the code itself."""
    label = lexicon.post(code, jurisdiction)
    if label != code:
        return label
    try:
        chain = [j.info.key for j in lexicon.jurisdictions.chain(jurisdiction)]
    except ShegongError:
        chain = [jurisdiction]
    for key in chain:  # a plugin names its groups `<key>.type.<code>` (ningguo.type.liangwei)
        if has_key(f"{key}.type.{code}"):
            return t(f"{key}.type.{code}")
    return label_or(f"cli.staffing.type.{code}", code)


# --- pay ---------------------------------------------------------------------------------------------


@attrs.frozen
class WorkerPayView:
    """One worker's month: the rules' lines, or why they could not be computed."""

    worker: Worker
    community: Community
    lines: tuple[PayLine, ...] = ()
    error: ShegongError | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.cash), Decimal(0))

    def data(self, lang: str) -> dict[str, Any]:
        c = self.community
        return {
            "worker_id": self.worker.id,
            "name": self.worker.name,
            "community": c.id,
            "community_name": c.name,
            "street": c.street,
            "district": c.district,
            "jurisdiction": c.jurisdiction,
            "lines": [
                {
                    "code": line.code,
                    "label": line.label.render(lang),
                    "amount": str(line.amount),
                    "citation": to_data(line.citation, lang),
                    "inputs": to_data(line.inputs, lang),
                    "cash": line.cash,
                }
                for line in self.lines
            ],
            "total": None if self.error else str(self.total),
            "error": self.error.render(lang) if self.error else None,
            "missing_parameter": missing_parameter(self.error) if self.error else None,
        }


def compute_pay(session: Session, month: Month, workers: Sequence[Worker]) -> list[WorkerPayView]:
    registry = session.registry()
    rules = session.rules()
    communities = {c.id: c for c in registry.communities()}
    out = []
    for w in workers:
        community = communities.get(w.community_id) or registry.get_community(w.community_id)
        try:
            out.append(WorkerPayView(w, community, tuple(rules.pay_lines(w, month))))
        except ShegongError as exc:
            out.append(WorkerPayView(w, community, error=exc))
    return out


def run_pay(args: argparse.Namespace, session: Session) -> int:
    from core.payroll import payable

    session.fields = FIELDS
    worker_or_scope(args)
    month = args.month
    if args.worker:
        workers = [get_worker(session, args.worker)]
    else:
        scope = scope_of(args, session)
        workers = [w for w in session.registry().workers(scope.query()) if payable(w, month)]
    views = compute_pay(session, month, workers)
    if session.json:
        print_json([v.data(session.lang) for v in views])
        return 0
    print_text(render_pay(views, month, session.lexicon()))
    return 0


def render_pay(views: Sequence[WorkerPayView], month: Month, lexicon: Lexicon) -> str:
    blocks = [t("cli.pay.title", month=str(month))]
    for v in views:
        blocks.append("\n".join([worker_heading(v.worker, v.community, lexicon), *pay_block(v)]))
    blocks.append(pay_summary(views))
    return "\n\n".join(blocks)


def worker_heading(worker: Worker, community: Community, lexicon: Lexicon) -> str:
    return t(
        "cli.value.worker_heading",
        name=worker.name,
        id=worker.id,
        community=community.name,
        community_id=community.id,
        jurisdiction=jurisdiction_name(lexicon, community.jurisdiction),
    )


def pay_block(v: WorkerPayView) -> list[str]:
    if v.error is not None:
        return ["  " + t("cli.pay.cannot_compute", reason=v.error.render())]
    return pay_rows(
        [(line.label.render(), line.amount, line.cash, cite(line.citation)) for line in v.lines], v.total
    )


def pay_rows(lines: Sequence[tuple[str, Decimal, bool, str]], total: Decimal) -> list[str]:
    """Label, amount (right-aligned) and citation per line, then the cash total; an amount that is
    not paid in cash (insurance contributions, reimbursed budgets) is starred and not summed."""
    if not lines:
        return ["  " + t("cli.pay.no_lines")]
    starred = not all(cash for _, _, cash, _ in lines)
    pad_star = " " if starred else ""  # keeps the decimal points of starred amounts in line
    rows = [(label, money(amount) + (pad_star if cash else "*")) for label, amount, cash, _ in lines]
    rows.append((t("cli.pay.total"), money(total) + pad_star))
    body = aligned(rows, right=[1])
    width = max(cell_width(b) for b in body)
    out = []
    for line, (_, _, _, citation) in zip(body, lines, strict=False):
        out.extend(fit(pad(line, width), citation, "      "))  # a long article below, the rest in line
    out.append(body[-1])
    if starred:
        out.append("  " + t("cli.pay.not_cash"))
    return out


def pay_summary(views: Sequence[WorkerPayView]) -> str:
    failed = [v for v in views if v.error is not None]
    total = sum((v.total for v in views if v.error is None), Decimal(0))
    key = "cli.pay.summary_failed" if failed else "cli.pay.summary"
    lines = [t(key, workers=len(views), total=money(total), failed=len(failed))]
    by_street: dict[tuple[str, str], list[WorkerPayView]] = defaultdict(list)
    for v in views:
        by_street[(v.community.district, v.community.street)].append(v)
    if len(by_street) > 1:
        rows = [
            (
                street_label(d, s),
                len(vs),
                money(sum((v.total for v in vs if v.error is None), Decimal(0))),
                sum(1 for v in vs if v.error) or "",
            )
            for (d, s), vs in sorted(by_street.items())
        ]
        headers = [t("cli.col.street"), t("cli.col.workers"), t("cli.col.cash_total")]
        headers += [t("cli.col.failed")] if failed else []
        lines += ["", format_table(headers, [r[: len(headers)] for r in rows])]
    if failed:
        lines += ["", t("cli.pay.failed_title", count=len(failed)), *failure_groups(failed)]
    return "\n".join(lines)


def failure_groups(failed: Sequence[WorkerPayView]) -> list[str]:
    """Workers who could not be computed, grouped by reason: one line per missing parameter."""
    groups: dict[str, list[str]] = defaultdict(list)
    for v in failed:
        assert v.error is not None
        groups[v.error.render()].append(t("cli.value.name_id", name=v.worker.name, id=v.worker.id))
    out = []
    for reason, names in groups.items():
        out.append(f"  · {reason}")
        out.append("    " + t("cli.value.who", count=len(names), names=names_line(names)))
    return out


# --- retirement ----------------------------------------------------------------------------------


def retirement_data(
    worker: Worker, community: Community, r: RetirementDate | None, error: str | None, lang: str
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "worker_id": worker.id,
        "name": worker.name,
        "community": community.id,
        "jurisdiction": community.jurisdiction,
        "birth_date": worker.birth_date.isoformat(),
    }
    if r is None:
        return base | {"date": None, "error": error}
    result: dict[str, Any] = to_data(r, lang)
    return base | result | {"error": None}


def run_retire(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry()
    rules = session.rules()
    lexicon = session.lexicon()
    if args.worker:
        worker_or_scope(args)
        worker = get_worker(session, args.worker)
        community = registry.get_community(worker.community_id)
        r = rules.retirement(worker)  # a refusal here names the parameter: exit 1
        # A viewer sees numbers masked, so the birth date as its year and the retirement date
        # (which gives the birth day away) as its month: core.privacy says why.
        full = may_reveal(registry)
        data: Any
        if session.json:
            data = retirement_data(worker, community, r, None, session.lang)
            print_json(data if full else hide_birth_dates(data, worker.birth_date))
        else:
            data = render_retirement(worker, community, r, lexicon, session.lang, full=full)
            print_text(data if full else hide_birth_dates(data, worker.birth_date))
        return 0
    months = args.within
    today = parse_on(args)
    until = add_months(today, months)
    scope = scope_of(args, session)
    communities = {c.id: c for c in registry.communities()}
    found: list[tuple[Worker, Community, RetirementDate | None, str | None]] = []
    for w in registry.workers(scope.query()):
        if w.status_on(today) not in IN_SERVICE:
            continue
        c = communities[w.community_id]
        try:
            r = rules.retirement(w)
        except ShegongError as exc:
            found.append((w, c, None, exc.render()))
            continue
        if today <= r.date <= until:
            found.append((w, c, r, None))
    found.sort(key=lambda x: (x[2] is None, x[2].date if x[2] else dt.date.max, x[0].id))
    full = may_reveal(registry)

    def shown(w: Worker, data: Any) -> Any:
        return data if full else hide_birth_dates(data, w.birth_date)

    if session.json:
        print_json([shown(w, retirement_data(w, c, r, e, session.lang)) for w, c, r, e in found])
        return 0
    notes = Notes()
    rows = [
        (
            shown(w, r.date),
            w.id,
            w.name,
            c.name,
            t("cli.value.age", years=r.age_years, months=r.age_months),
            notes.mark(shown(w, r.rule.render()), cite(r.citation)),
        )
        for w, c, r, _ in found
        if r is not None
    ]
    headers = ["retire_date", "id", "worker_name", "community", "retire_age", "basis"]
    out = [
        t("cli.retire.within_title", scope=describe_scope(scope), start=today, end=until, count=len(rows)),
        format_table([t(f"cli.col.{h}") for h in headers], rows),
    ]
    if notes.render():
        out += ["", notes.render()]
    failed = [(w, e) for w, _, r, e in found if r is None]
    if failed:
        out += ["", t("cli.retire.failed_title", count=len(failed))]
        out += [f"  · {t('cli.value.name_id', name=w.name, id=w.id)}：{e}" for w, e in failed]
    print_text("\n".join(out))
    return 0


def render_retirement(
    worker: Worker,
    community: Community,
    r: RetirementDate,
    lexicon: Lexicon,
    lang: str,
    *,
    full: bool = True,
) -> str:
    """One worker's retirement; without `full`, months left are counted by month only (counted to
    the day they would tell the retirement day, hence the birth day)."""
    today = dt.date.today()
    fields = [
        (t("cli.field.birth_date"), worker.birth_date),
        (t("cli.field.retire_date"), r.date),
        (t("cli.field.retire_age"), t("cli.value.age", years=r.age_years, months=r.age_months)),
        (t("cli.field.rule"), r.rule.render()),
        (t("cli.field.citation"), cite(r.citation)),
    ]
    if r.date >= today:
        fields.append(
            (
                t("cli.field.months_left"),
                t("cli.value.months_left", months=_months_between(today, r.date, by_day=full)),
            )
        )
    out = [worker_heading(worker, community, lexicon), format_fields(fields)]
    if r.reasons:
        out += [t("cli.field.reasons"), *reason_lines(r.reasons, lang)]
    return "\n".join(out)


def _months_between(start: dt.date, end: dt.date, *, by_day: bool = True) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if by_day and end.day < start.day else 0)


# --- staffing ------------------------------------------------------------------------------------


@attrs.frozen
class TypeRow:
    code: str
    label: str
    in_post: int | None  # None: a group of posts the plugin did not count (core cannot)
    minimum: int
    maximum: int | None

    @property
    def shortfall(self) -> int:
        return 0 if self.in_post is None else max(0, self.minimum - self.in_post)

    @property
    def surplus(self) -> int:
        if self.in_post is None or self.maximum is None:
            return 0
        return max(0, self.in_post - self.maximum)

    @property
    def gap(self) -> str:
        return t("cli.value.unknown") if self.in_post is None else gap_text(self.shortfall, self.surplus)


def type_rows(row: CommunityStaffing, lexicon: Lexicon) -> list[TypeRow]:
    """Required against in post per type. A plugin's own count wins; otherwise holders of the post
    code are counted, and a type that is no post code (a group such as 两委) is left unknown
    rather than shown as nobody."""
    req = row.requirement
    if req is None:
        return []
    j = row.community.jurisdiction
    try:
        posts = {str(code) for code in lexicon.jurisdictions.vocabulary(j, "posts")}
    except ShegongError:
        posts = set()
    posts |= {p.value for p in Post}
    out = []
    for code, (lo, hi) in req.by_type.items():
        counted = req.in_post_by_type.get(code)
        if counted is None and code in posts:
            counted = row.by_type.get(code, 0)
        out.append(TypeRow(code, type_label(code, j, lexicon), counted, lo, hi))
    return out


def required_text(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return t("cli.value.at_least", n=minimum)
    if maximum == minimum:
        return str(minimum)
    return t("cli.value.range", low=minimum, high=maximum)


def gap_text(shortfall: int, surplus: int) -> str:
    if shortfall:
        return t("cli.value.short", n=shortfall)
    if surplus:
        return t("cli.value.over", n=surplus)
    return t("cli.value.ok")


def community_gap(row: CommunityStaffing, lexicon: Lexicon) -> str:
    """The whole community's gap, or a pointer to the per-type table when only a type is off."""
    if row.requirement is None:
        return t("cli.value.unknown")
    if row.shortfall or row.surplus:
        return gap_text(row.shortfall, row.surplus)
    types = type_rows(row, lexicon)
    if any(tr.shortfall for tr in types):
        return t("cli.value.type_short")
    if any(tr.surplus for tr in types):
        return t("cli.value.type_over")
    return t("cli.value.ok")


def out_of_line(row: CommunityStaffing, lexicon: Lexicon) -> bool:
    return bool(
        row.error is not None
        or row.shortfall
        or row.surplus
        or any(tr.shortfall or tr.surplus for tr in type_rows(row, lexicon))
    )


def staffing_data(rows: Sequence[CommunityStaffing], lexicon: Lexicon, lang: str) -> dict[str, Any]:
    from core.review import street_totals

    communities = []
    for r in rows:
        req = r.requirement
        communities.append(
            {
                "community_id": r.community.id,
                "name": r.community.name,
                "street": r.community.street,
                "district": r.community.district,
                "jurisdiction": r.community.jurisdiction,
                "in_post": r.in_post,
                "required": None if req is None else {"minimum": req.minimum, "maximum": req.maximum},
                "shortfall": r.shortfall,
                "surplus": r.surplus,
                "by_type": [
                    {
                        "type": tr.code,
                        "label": tr.label,
                        "in_post": tr.in_post,
                        "minimum": tr.minimum,
                        "maximum": tr.maximum,
                        "shortfall": tr.shortfall,
                        "surplus": tr.surplus,
                    }
                    for tr in type_rows(r, lexicon)
                ],
                "citation": to_data(req.citation, lang) if req else None,
                "reasons": to_data(req.reasons, lang) if req else [],
                "inputs": to_data(req.inputs, lang) if req else {},
                "error": error_text(r.error, r.community.jurisdiction, "staffing", lexicon) or None,
            }
        )
    streets = [
        {
            "district": key.split("/", 1)[0],
            "street": key.split("/", 1)[1],
            "in_post": in_post,
            "minimum": lo,
            "maximum": hi if lo is not None else None,
            "complete": lo is not None,
        }
        for key, (in_post, lo, hi) in street_totals(list(rows)).items()
    ]
    return {"communities": communities, "streets": streets}


def render_staffing(
    rows: Sequence[CommunityStaffing], lexicon: Lexicon, *, title: str, only_out_of_line: bool = False
) -> str:
    from core.review import street_totals

    shown = [r for r in rows if out_of_line(r, lexicon)] if only_out_of_line else list(rows)
    notes = Notes()
    table = [
        (
            r.community.id,
            r.community.name,
            r.in_post,
            required_text(r.requirement.minimum, r.requirement.maximum) if r.requirement else "-",
            community_gap(r, lexicon),
            notes.mark(cite(r.requirement.citation)) if r.requirement else "",
        )
        for r in shown
    ]
    headers = ["community_id", "community", "in_post", "required", "gap", "basis"]
    out = [title]
    if only_out_of_line and not shown:
        out.append(t("cli.review.staffing_all_ok", count=len(rows)))
    else:
        out.append(format_table([t(f"cli.col.{h}") for h in headers], table))
    typed = [(r, tr) for r in shown for tr in type_rows(r, lexicon)]
    if only_out_of_line:
        typed = [(r, tr) for r, tr in typed if tr.shortfall or tr.surplus]
    if typed:
        out += ["", t("cli.staffing.by_type_title")]
        out.append(
            format_table(
                [t(f"cli.col.{h}") for h in ("community_id", "type", "in_post", "required", "gap")],
                [
                    (r.community.id, tr.label, "-" if tr.in_post is None else tr.in_post,
                     required_text(tr.minimum, tr.maximum), tr.gap)
                    for r, tr in typed
                ],
            )
        )  # fmt: skip
    streets = [
        (
            street_label(*key.split("/", 1)),
            in_post,
            required_text(lo, hi) if lo is not None else t("cli.value.unknown"),
            gap_text(max(0, lo - in_post), 0 if hi is None else max(0, in_post - hi))
            if lo is not None
            else "-",
        )
        for key, (in_post, lo, hi) in street_totals(list(rows)).items()
    ]
    out += ["", t("cli.staffing.streets_title")]
    out.append(format_table([t(f"cli.col.{h}") for h in ("street", "in_post", "required", "gap")], streets))
    if notes.render():
        out += ["", notes.render()]
    errors = [r for r in rows if r.error is not None]
    if errors:
        out += ["", t("cli.staffing.errors_title", count=len(errors))]
        out += [
            f"  · {r.community.name}（{r.community.id}）："
            + error_text(r.error, r.community.jurisdiction, "staffing", lexicon)
            for r in errors
        ]
        if any(r.requirement is None for r in rows):
            out.append("  " + t("cli.staffing.unknown_street_note"))
    return "\n".join(out)


def render_community_staffing(row: CommunityStaffing, lexicon: Lexicon, lang: str) -> str:
    """One community in full: the requirement, each type, and the rule's reasons with citations."""
    c = row.community
    req = row.requirement
    fields: list[tuple[str, object]] = [
        (t("cli.field.community"), t("cli.value.community", name=c.name, id=c.id)),
        (t("cli.field.area"), f"{c.district}{c.street}"),
        (t("cli.field.jurisdiction"), jurisdiction_name(lexicon, c.jurisdiction)),
        (t("cli.field.in_post"), row.in_post),
    ]
    if req is None:
        fields.append((t("cli.field.required"), error_text(row.error, c.jurisdiction, "staffing", lexicon)))
        return format_fields(fields)
    fields += [
        (t("cli.field.required"), f"{required_text(req.minimum, req.maximum)}  {cite(req.citation)}"),
        (t("cli.field.gap"), gap_text(row.shortfall, row.surplus)),
    ]
    for tr in type_rows(row, lexicon):
        fields.append(
            (
                tr.label,
                t(
                    "cli.staffing.type_line",
                    in_post="-" if tr.in_post is None else tr.in_post,
                    required=required_text(tr.minimum, tr.maximum),
                    gap=tr.gap,
                ),
            )
        )
    out = [format_fields(fields)]
    if req.reasons:
        out += [t("cli.field.reasons"), *reason_lines(req.reasons, lang)]
    return "\n".join(out)


def run_staffing(args: argparse.Namespace, session: Session) -> int:
    from core.review import staffing_review

    session.fields = FIELDS
    on = parse_on(args)
    scope = scope_of(args, session)
    rows = staffing_review(session.registry(), session.rules(today=on), scope, on)
    lexicon = session.lexicon()
    if session.json:
        print_json(staffing_data(rows, lexicon, session.lang))
        return 0
    if scope.community and len(rows) == 1:
        print_text(render_community_staffing(rows[0], lexicon, session.lang))
        return 0
    title = t("cli.staffing.title", scope=describe_scope(scope), on=on)
    print_text(render_staffing(rows, lexicon, title=title))
    return 0


# --- grades ------------------------------------------------------------------------------------


def assessment_rules(session: Session) -> Rules:
    return session.rules()


def grade_label(code: str | None, jurisdiction: str, lexicon: Lexicon) -> str:
    return lexicon.grade(code, jurisdiction) if code else "-"


def round_data(r: Round, session: Session) -> dict[str, Any]:
    """A round in one language: entries with reasons, and quota use per unit."""
    lexicon = session.lexicon()
    lang = session.lang
    return {
        "year": r.year,
        "period": r.period,
        "scope": r.scope,
        "opened_at": r.opened_at,
        "opened_by": r.opened_by,
        "closed": r.closed,
        "closed_at": r.closed_at or None,
        "closed_by": r.closed_by or None,
        "entries": [
            {
                "worker_id": e.worker_id,
                "name": e.name,
                "unit": e.unit,
                "jurisdiction": e.jurisdiction,
                "proposed": e.proposed,
                "decided": e.decided,
                "grade": e.grade,
                "grade_label": grade_label(e.grade, e.jurisdiction, lexicon) if e.grade else None,
                "forced": e.forced,
                "reasons": [dict(reason.get(lang, {})) for reason in e.reasons],
                "error": e.error.get(lang) if e.error else None,
                "consequences": [dict(c.get(lang, c)) for c in r.consequences.get(str(e.worker_id), ())],
            }
            for e in r.entries
        ],
        "quotas": [
            {
                "unit": q.unit,
                "grade": q.grade,
                "limit": q.limit,
                "headcount": q.headcount,
                "used": q.used,
                "left": q.left,
                "citation": q.citation,
                "source_file": q.cited.document,
                "document_title": q.cited.title,
            }
            for q in r.quotas
        ],
    }


def render_round(r: Round, session: Session, *, reasons: bool = True, title: str = "") -> str:
    """Per unit: quota use, then each worker's proposed (and decided) grade with its reasons."""
    lexicon = session.lexicon()
    lang = session.lang
    rules = session.rules()
    communities = {c.id: c for c in session.registry().communities()}
    by_unit: dict[str, list[Any]] = defaultdict(list)
    for e in r.entries:
        by_unit[e.unit].append(e)
    out = [title] if title else []
    for unit, entries in sorted(by_unit.items()):
        j = entries[0].jurisdiction
        block = [t("cli.round.unit", unit=unit_label(unit, communities), count=len(entries))]
        quotas = [q for q in r.quotas if q.unit == unit]
        for q in quotas:
            text = t(
                "cli.round.quota",
                grade=grade_label(q.grade, j, lexicon),
                limit=q.limit,
                headcount=q.headcount,
                used=q.used,
                left=q.left,
                cite="",
            )
            block.extend(fit("  " + text.rstrip(), cite(q.cited), "    "))
        if not quotas:
            block.append("  " + t("cli.round.no_quota"))
        if not rules.jurisdictions.answers(j, "shegong_propose_grade"):
            block.append("  " + t("cli.no_rule.grade", jurisdiction=jurisdiction_name(lexicon, j)))
            block.append("  " + t("cli.round.decide_by_hand", count=len(entries)))
            out += ["", *block]
            continue
        id_width = max(len(str(e.worker_id)) for e in entries)
        name_width = max(cell_width(e.name) for e in entries)
        for e in entries:
            proposed = grade_label(e.proposed, j, lexicon) if e.proposed else t("cli.round.no_proposal")
            line = [
                f"  {e.worker_id:>{id_width}}",
                pad(e.name, name_width),
                pad(t("cli.round.proposed", grade=proposed), 14),
            ]
            if e.decided is not None:
                line.append(t("cli.round.decided", grade=grade_label(e.decided, j, lexicon)))
            if e.forced:
                line.append(t("cli.round.forced"))
            block.append("  ".join(line).rstrip())
            if e.error:
                block.append("      " + e.error.get(lang, ""))
            if reasons:
                for reason in e.reasons:
                    rendered = reason.get(lang, {})
                    text = rendered.get("text", "")
                    block.extend(fit(f"      · {text}", cite(rendered.get("citation")), "        "))
            for c in r.consequences.get(str(e.worker_id), ()):
                rendered = c.get(lang, c)
                text = rendered.get("text", "") if isinstance(rendered, Mapping) else str(rendered)
                citation = rendered.get("citation") if isinstance(rendered, Mapping) else None
                block.extend(fit(f"      → {text}", cite(citation), "        "))
        out += ["", *block]
    out += ["", round_summary(r)]
    return "\n".join(out).lstrip("\n")


def round_summary(r: Round) -> str:
    graded = sum(1 for e in r.entries if e.grade is not None)
    decided = sum(1 for e in r.entries if e.decided is not None)
    return t(
        "cli.round.summary",
        count=len(r.entries),
        graded=graded,
        decided=decided,
        ungraded=len(r.entries) - graded,
    )


def run_grade(args: argparse.Namespace, session: Session) -> int:
    from core.assessment import open_round

    session.fields = FIELDS
    year = args.year
    period = parse_period(args.period)
    scope = scope_of(args, session)
    r = open_round(session.registry(), assessment_rules(session), year, scope, period)
    if session.json:
        print_json(round_data(r, session))
        return 0
    title = t(
        "cli.grade.title",
        year=year,
        period=enum_label(Period(period)),
        scope=describe_scope(scope),
    )
    print_text(render_round(r, session, reasons=not args.brief, title=title))
    return 0


# --- findings ----------------------------------------------------------------------------------


def subject_label(subject: str, workers: Mapping[int, Worker], communities: Mapping[str, Community]) -> str:
    kind, _, key = subject.partition(":")
    if kind == "worker" and key.isdigit():
        w = workers.get(int(key))
        return t("cli.value.name_id", name=w.name, id=w.id) if w else subject
    if kind == "community":
        c = communities.get(key)
        return t("cli.value.community", name=c.name, id=c.id) if c else subject
    return subject


def findings_data(found: Sequence[Finding], session: Session) -> list[dict[str, Any]]:
    registry = session.registry()
    workers = {w.id: w for w in registry.workers()}
    communities = {c.id: c for c in registry.communities()}
    shown = shown_to(registry, workers.values())
    return [
        shown(f, to_data(f, session.lang)) | {"subject_name": subject_label(f.subject, workers, communities)}
        for f in found
    ]


def render_findings(found: Sequence[Finding], session: Session, *, title: str) -> str:
    registry = session.registry()
    workers = {w.id: w for w in registry.workers()}
    communities = {c.id: c for c in registry.communities()}
    shown = shown_to(registry, workers.values())
    out = [title]
    if not found:
        out.append(t("cli.findings.none"))
        return "\n".join(out)
    counts = {s: sum(1 for f in found if f.severity == s) for s in sorted(Severity, key=lambda s: -s.rank)}
    out.append(
        join(t("cli.findings.count", severity=t(f"severity.{s}"), count=n) for s, n in counts.items() if n)
    )
    for severity, count in counts.items():
        if not count:
            continue
        out += ["", t("cli.findings.group", severity=t(f"severity.{severity}"), count=count)]
        for f in (f for f in found if f.severity == severity):
            due = t("cli.findings.due", date=shown(f, f.due)) if f.due else ""
            head = "  ".join(p for p in (subject_label(f.subject, workers, communities), due) if p)
            out.append(f"  {head}")
            out.extend(fit(f"      {shown(f, f.message.render())}", cite(f.citation), "        "))
    return "\n".join(out)


def run_findings(args: argparse.Namespace, session: Session) -> int:
    from core.review import alerts

    session.fields = FIELDS
    worker_or_scope(args)
    on = parse_on(args)
    minimum = parse_severity(args.severity) if args.severity else Severity.INFO
    rules = session.rules(today=on)
    if args.worker:
        worker = get_worker(session, args.worker)
        found = sorted(
            rules.worker_findings(worker, on),
            key=lambda f: (-f.severity.rank, f.due or dt.date.max, f.code),
        )
        where = t("cli.value.name_id", name=worker.name, id=worker.id)
    else:
        scope = scope_of(args, session)
        found = alerts(session.registry(), rules, scope, on)
        where = describe_scope(scope)
    found = [f for f in found if f.severity.rank >= minimum.rank]
    if session.json:
        print_json(findings_data(found, session))
        return 0
    print_text(render_findings(found, session, title=t("cli.findings.title", scope=where, on=on)))
    return 0


# --- explain -----------------------------------------------------------------------------------


def run_explain(args: argparse.Namespace, session: Session) -> int:
    from core.explain import as_data, as_text, explain

    session.fields = FIELDS
    worker = get_worker(session, args.worker)
    month = args.month or Month.of(dt.date.today())
    trace = explain(session.rules(), worker, month)
    full = may_reveal(session.registry())  # a viewer: dates that give the birth date away, cut
    if session.json:
        data = as_data(trace, session.lang)
        print_json(data if full else hide_birth_dates(data, worker.birth_date))
    else:
        text = as_text(trace, session.lang)
        print_text(text if full else hide_birth_dates(text, worker.birth_date))
    return 0


def grade_code(text: str, jurisdiction: str, session: Session) -> str:
    """A grade by its code or its name in either language, among the jurisdiction's grades."""
    from core.model import Grade

    vocabulary = session.jurisdictions().vocabulary(jurisdiction, "grades")
    names: dict[str, set[str]] = {
        str(code): {str(code).lower(), v.zh.lower(), v.en.lower()} for code, v in vocabulary.items()
    }
    if not names:  # the jurisdiction names none: core's grades
        names = {g.value: enum_names_of_grade(g.value) for g in Grade}
    wanted = text.strip().lower()
    for code, known in names.items():
        if wanted in known:
            return code
    lexicon = session.lexicon()
    allowed = join(t("cli.value.code", code=code, label=lexicon.grade(code, jurisdiction)) for code in names)
    raise ValidationError("grade", msg("cli.invalid.grade", value=text, allowed=allowed))


def enum_names_of_grade(code: str) -> set[str]:
    return {code, t(f"grade.{code}", "zh").lower(), t(f"grade.{code}", "en").lower()}
