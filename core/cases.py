"""Rule cases as data (OpenFisca style): named inputs and the expected output, run by one test.

A plugin ships `cases/<rule>.toml` files; each expected number is worked by hand from the source
document in a comment beside the case. The same runner serves our test suite and the conformance
kit a third-party plugin runs.

    # 000 第四篇 第五条(一)2: 960 start + 3 qualifying years × 50 = 1110
    [[case]]
    name = "正职 with three qualifying years"
    jurisdiction = "beijing"
    rule = "pay_lines"                # see RULES below
    period = "2026-11"                # a month, a year (2026) or a day (2026-11-25) as the rule needs
    worker = { sex = "male", birth_date = 1975-03-02, service_start = 2022-06-01 }
    community = { households_resident = 2400 }
    params = { "pay.bonus.per_head" = "4000" }   # overrides for this case only
    [case.expect]
    lines = { base = "720.00", seniority_allowance = "1110.00" }

Worker and community tables use the stored-document field names (`core.model`); omitted fields
take plain defaults, and `id_number` is generated from birth date and sex when omitted. Rules that
take more than the subject read it from `args`: `monthly_pay` (untaken leave pay, severance),
`days` (untaken leave pay), `difficult` and `babies` (maternity leave); a severance ends on the
case's day, a committee term starts on it. `workers`
(a list) gives several workers for quota, pool and staffing rules; `headcount = N` adds N plain
workers. `expect.error = "MissingParameter"` (with optional `expect.parameter`) expects a refusal. An
eligibility case may name message keys its reasons must (`expect.reasons`) or must not
(`expect.no_reasons`) hold, e.g. a condition to review rather than a refusal.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from core.convert import structure
from core.errors import MissingParameter, ShegongError
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Worker
from core.params import EPOCH, Override
from core.resident_id import checksum_char
from core.results import Month
from core.rules import Rules

RULES = (
    "pay_lines",
    "pool_shares",
    "propose_grade",
    "grade_consequences",
    "grade_quotas",
    "retirement",
    "annual_leave",
    "staffing",
    "worker_findings",
    "community_findings",
    "eligibility",
    "untaken_leave_pay",
    "contract_entitlement",
    "severance",
    "committee_term",
    "marriage_leave",
    "maternity_leave",
)
CASE_COMMUNITY = "case-community"


@attrs.frozen
class Case:
    name: str
    jurisdiction: str
    rule: str
    period: str
    worker: Mapping[str, Any]
    workers: tuple[Mapping[str, Any], ...]
    headcount: int
    community: Mapping[str, Any]
    communities: tuple[Mapping[str, Any], ...]
    params: Mapping[str, Any]
    args: Mapping[str, Any]
    expect: Mapping[str, Any]
    source: str  # "file.toml#3"


def load_cases(path: Path) -> list[Case]:
    with path.open("rb") as f:
        data = tomllib.load(f)
    out = []
    for i, raw in enumerate(data.get("case", []), start=1):
        where = f"{path.name}#{i}"
        rule = raw.get("rule", path.stem)
        if rule not in RULES:
            raise ValueError(f"{where}: unknown rule {rule!r}; expected one of {', '.join(RULES)}")
        if "expect" not in raw or "name" not in raw:
            raise ValueError(f"{where}: a case needs `name` and `expect`")
        out.append(
            Case(
                name=str(raw["name"]),
                jurisdiction=str(raw.get("jurisdiction", data.get("jurisdiction", ""))),
                rule=rule,
                period=str(raw.get("period", "")),
                worker=raw.get("worker", {}),
                workers=tuple(raw.get("workers", ())),
                headcount=int(raw.get("headcount", 0)),
                community=raw.get("community", {}),
                communities=tuple(raw.get("communities", ())),
                params=raw.get("params", {}),
                args=raw.get("args", {}),
                expect=raw["expect"],
                source=where,
            )
        )
    return out


def case_files(folders: Iterable[Path]) -> list[Path]:
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.toml"))


def _plain(value: Any) -> Any:
    """TOML dates and numbers into the stored-document form the converter reads."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def make_community(jurisdiction: str, fields: Mapping[str, Any], index: int = 0) -> Community:
    doc: dict[str, Any] = {
        "id": CASE_COMMUNITY if index == 0 else f"{CASE_COMMUNITY}-{index}",
        "name": f"测试社区{index}",
        "street": "测试街道",
        "district": "测试区",
        "city": "测试市",
        "jurisdiction": jurisdiction,
    }
    doc.update(_plain(dict(fields)))
    return structure(doc, Community, where="case community")


def make_worker(fields: Mapping[str, Any], index: int = 0, community_id: str = CASE_COMMUNITY) -> Worker:
    doc: dict[str, Any] = {
        "name": f"测试{index}",
        "sex": "male",
        "birth_date": "1980-01-01",
        "community_id": community_id,
        "service_start": "2010-01-01",
        "id": index + 1,
    }
    doc.update(_plain(dict(fields)))
    if "id_number" not in doc:
        birth = doc["birth_date"].replace("-", "")
        seq = 10 + 2 * (index % 40) + (1 if doc["sex"] == "male" else 0)
        first17 = f"110108{birth}{seq:03d}"
        doc["id_number"] = first17 + checksum_char(first17)
    return structure(doc, Worker, where=f"case worker {index}")


def _period_date(period: str) -> dt.date:
    if len(period) == 10:
        return dt.date.fromisoformat(period)
    if len(period) == 7:
        return Month.parse(period).last_day
    return dt.date(int(period), 12, 31)


@contextmanager
def _case_parameters(case: Case, jurisdictions: Jurisdictions) -> Iterator[None]:
    overrides = [
        Override(case.jurisdiction, name, value, EPOCH, "case", case.source, i)
        for i, (name, value) in enumerate(case.params.items())
    ]
    jurisdictions.set_overrides(overrides)
    try:
        yield
    finally:
        jurisdictions.set_overrides([])


def compute_case(case: Case, jurisdictions: Jurisdictions) -> Any:
    """The rule's result for the case's inputs (or the domain error it raises), uncompared.

    For checks over every case's output, e.g. that every message renders in both languages.
    """
    with _case_parameters(case, jurisdictions):
        return _compute(case, jurisdictions)


def run_case(case: Case, jurisdictions: Jurisdictions) -> list[str]:
    """Run one case; the returned list names every mismatch (empty when the case passes)."""
    expect = case.expect
    try:
        result = compute_case(case, jurisdictions)
    except ShegongError as exc:
        wanted = expect.get("error")
        if wanted is None:
            return [f"raised {type(exc).__name__}: {exc}"]
        problems = [] if type(exc).__name__ == wanted else [f"raised {type(exc).__name__}, expected {wanted}"]
        if "parameter" in expect and (
            not isinstance(exc, MissingParameter) or exc.name != expect["parameter"]
        ):
            problems.append(
                f"missing parameter {getattr(exc, 'name', None)!r}, expected {expect['parameter']!r}"
            )
        return problems
    if "error" in expect:
        return [f"expected {expect['error']}, got {result!r}"]
    return _compare(case.rule, result, expect)


def _compute(case: Case, jurisdictions: Jurisdictions) -> Any:
    community = make_community(case.jurisdiction, case.community)
    others = [make_community(case.jurisdiction, c, i + 1) for i, c in enumerate(case.communities)]
    day = _period_date(case.period) if case.period else dt.date(2026, 11, 25)
    lookup = MemoryRegistry(user="cases")
    for c in (community, *others):
        lookup.add_community(c)
    rules = Rules(lookup, jurisdictions, today=day)
    worker = make_worker(case.worker)
    workers = [
        make_worker(w, i + 1, w.get("community_id", CASE_COMMUNITY)) for i, w in enumerate(case.workers)
    ]
    workers += [make_worker({}, len(workers) + i + 1) for i in range(case.headcount)]
    return _call(case, rules, worker, workers, community, day)


def _call(
    case: Case,
    rules: Rules,
    worker: Worker,
    workers: list[Worker],
    community: Community,
    day: dt.date,
) -> Any:
    args = dict(case.args)
    match case.rule:
        case "pay_lines":
            return rules.pay_lines(worker, Month.parse(case.period))
        case "pool_shares":
            return rules.pool_shares(workers, int(case.period), community)
        case "propose_grade":
            return rules.propose_grade(worker, int(case.period[:4]), args.get("period", "year_end"))
        case "grade_consequences":
            return rules.grade_consequences(
                worker, int(case.period[:4]), str(args["grade"]), str(args.get("period", "year_end"))
            )
        case "grade_quotas":
            return rules.grade_quotas(
                str(args.get("unit", f"community:{community.id}")),
                workers,
                int(case.period),
                community,
            )
        case "retirement":
            return rules.retirement(worker)
        case "annual_leave":
            return rules.annual_leave(worker, int(case.period[:4]))
        case "staffing":
            return rules.staffing(community, workers)
        case "worker_findings":
            return rules.worker_findings(worker, day)
        case "community_findings":
            return rules.community_findings(community, workers, day)
        case "eligibility":
            return rules.eligibility(worker, str(args["purpose"]), str(args["target"]), day)
        case "untaken_leave_pay":
            return rules.untaken_leave_pay(
                worker, int(case.period[:4]), int(args["days"]), Decimal(str(args["monthly_pay"]))
            )
        case "contract_entitlement":
            return rules.contract_entitlement(worker, day)
        case "severance":
            return rules.severance(worker, day, Decimal(str(args["monthly_pay"])))
        case "committee_term":
            return rules.committee_term(community, day)
        case "marriage_leave":
            return rules.marriage_leave(worker, day)
        case "maternity_leave":
            return rules.maternity_leave(
                worker, day, difficult=bool(args.get("difficult", False)), babies=int(args.get("babies", 1))
            )
    raise ValueError(case.rule)


def _compare(rule: str, result: Any, expect: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []

    def check(label: str, got: Any, wanted: Any) -> None:
        if wanted == "none":  # TOML has no null: "none" stands for an open end
            wanted = None
        if isinstance(wanted, str) and isinstance(got, Decimal):
            wanted = Decimal(wanted)
        if isinstance(wanted, float):
            wanted = Decimal(str(wanted))
        if got != wanted:
            problems.append(f"{label}: got {got!r}, expected {wanted!r}")

    if rule == "pay_lines":
        got_lines = {line.code: line.amount for line in result}
        if "lines" in expect:
            wanted = {k: Decimal(str(v)) for k, v in expect["lines"].items()}
            if got_lines != wanted:
                problems.append(f"lines: got {got_lines}, expected {wanted}")
        if "total" in expect:
            check(
                "total",
                sum((line.amount for line in result if line.cash), Decimal(0)),
                expect["total"],
            )
    elif rule == "pool_shares":
        if "shares" in expect:
            check("shares", [s.amount for s in result], [Decimal(str(v)) for v in expect["shares"]])
        if "total" in expect:
            check("total", sum((s.amount for s in result), Decimal(0)), expect["total"])
    elif rule == "propose_grade":
        for key in ("grade", "forced", "score"):
            if key in expect:
                check(key, getattr(result, key), expect[key])
    elif rule in ("grade_consequences", "worker_findings", "community_findings"):
        codes = [item.code for item in result]
        if "codes" in expect:
            check("codes", sorted(codes), sorted(expect["codes"]))
        for code in expect.get("includes", ()):
            if code not in codes:
                problems.append(f"missing {code!r} in {codes}")
        for code in expect.get("excludes", ()):
            if code in codes:
                problems.append(f"unexpected {code!r} in {codes}")
    elif rule == "grade_quotas":
        by_grade = {q.grade: q.limit for q in result}
        for grade, limit in expect.get("limits", {}).items():
            check(f"limit[{grade}]", by_grade.get(grade), limit)
        if expect.get("none"):
            check("quotas", result, [])
    elif rule == "retirement":
        if "date" in expect:
            check("date", result.date, expect["date"])
        if "age" in expect:
            check("age", f"{result.age_years}y{result.age_months}m", expect["age"])
    elif rule in ("annual_leave", "marriage_leave", "maternity_leave"):
        check("days", result.days, expect["days"])
    elif rule == "untaken_leave_pay":
        check("amount", result.amount, expect["amount"])
    elif rule == "contract_entitlement":
        for key in ("due", "since", "ground"):
            if key in expect:
                check(key, getattr(result, key), expect[key])
    elif rule == "severance":
        for key in ("amount", "months", "month_pay", "capped"):
            if key in expect:
                check(key, getattr(result, key), expect[key])
    elif rule == "committee_term":
        check("years", result.years, expect["years"])
    elif rule == "staffing":
        for key in ("minimum", "maximum"):
            if key in expect:
                check(key, getattr(result, key), expect[key])
        for post, rng in expect.get("by_type", {}).items():
            bounds = [None if v == "none" else v for v in rng]
            check(f"by_type[{post}]", list(result.by_type.get(post, ())), bounds)
    elif rule == "eligibility":
        check("eligible", result.eligible, expect["eligible"])
        keys = [r.text.key for r in result.reasons]
        for key in expect.get("reasons", ()):
            if key not in keys:
                problems.append(f"missing reason {key!r} in {keys}")
        for key in expect.get("no_reasons", ()):
            if key in keys:
                problems.append(f"unexpected reason {key!r} in {keys}")
    return problems
