"""The contract checks of the conformance kit, runnable without pytest.

Each check asks the jurisdiction's rules through `core.rules.Rules` (the path core itself uses,
so a result core would refuse is refused here too) about generated workers and communities, and
returns the problems it found, each naming the worker or community and the hook. A rule may refuse
to compute: a `MissingParameter` naming a parameter the chain declares and ships unset is the
contract's own way of saying "an operator must set this", so it is not a problem; a refusal naming
a parameter nobody declared is. When every sample is refused the check has tested nothing and
says so (`Untested`), so a green run always means something was computed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from core.cases import Case, case_files, load_cases
from core.conformance.generate import Vocabularies, births, community, id_number, population
from core.errors import MissingParameter, NoAnswer, PluginError, ShegongError
from core.hookspecs import JurisdictionInfo
from core.i18n import LANGUAGES, Message, catalog
from core.jurisdictions import ROOT_KEY, Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Sex, Worker
from core.payroll import compute_payroll
from core.proration import NOTICE as PRORATION_NOTICE
from core.results import (
    CENT,
    Citation,
    Consequence,
    ContractEntitlement,
    Eligibility,
    Finding,
    GradeProposal,
    LeaveEntitlement,
    Month,
    PayLine,
    PoolShare,
    Quota,
    Reason,
    RetirementDate,
    Severance,
    Severity,
    StaffingRequirement,
    TermLength,
)
from core.retirement import FLEXIBLE_RULE, NATIONAL_DECISION
from core.rules import Rules
from core.scope import Scope

TODAY = dt.date(2026, 11, 25)
# National texts any jurisdiction may cite without declaring them: the statutory retirement
# decision (RULES.md: it overrides every local text; core cites it itself), the national paid
# leave regulation and the residents' committee law the local texts build on, and the national
# daily-wage notice core's part-month rule cites (core.proration).
NATIONAL_DOCUMENTS = frozenset(
    {
        NATIONAL_DECISION.title,
        FLEXIBLE_RULE.title,
        PRORATION_NOTICE.title,
        "职工带薪年休假条例(国务院令第514号)",
        "企业职工带薪年休假实施办法(人力资源和社会保障部令第1号)",
        "中华人民共和国劳动合同法(2012修正)",
        "中华人民共和国城市居民委员会组织法(1989)",
        "中华人民共和国城市居民委员会组织法(2018修正)",
        "国家劳动总局、财政部关于国营企业职工请婚丧假和路程假问题的通知((80)劳总薪字29号)",
        "女职工劳动保护特别规定(国务院令第619号)",
    }
)


class Untested(Exception):
    """Every sample was refused (parameters unset): nothing was checked."""


@attrs.define
class Sample:
    """The generated population of one jurisdiction and the rules over it, built once per run."""

    jurisdictions: Jurisdictions
    key: str
    seed: int
    communities: list[Community]
    workers: list[Worker]
    today: dt.date = TODAY
    missing: set[str] = attrs.field(factory=set)  # parameters a refusal named, for `Untested`
    community_fields: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def info(self) -> JurisdictionInfo:
        return self.jurisdictions.info(self.key)

    @property
    def chain(self) -> list[JurisdictionInfo]:
        return [j.info for j in self.jurisdictions.chain(self.key)]

    @property
    def documents(self) -> set[str]:
        """What a figure may cite: the chain's declared documents (a seed file, or the title of a
        text with none, as `_citation_problem` names them) and the national rules core applies."""
        return {d.file or d.zh for info in self.chain for d in info.documents} | NATIONAL_DOCUMENTS

    def vocabularies(self) -> Vocabularies:
        return vocabularies(self.jurisdictions, self.key)

    def rules(self, communities: Sequence[Community] | None = None) -> Rules:
        """Fresh rules (no cache shared with an earlier call) over the sample's communities."""
        registry = MemoryRegistry(user="conformance")
        for c in self.communities if communities is None else communities:
            registry.add_community(c)
        return Rules(registry, self.jurisdictions, today=self.today)

    def workers_of(self, community_id: str) -> list[Worker]:
        return [w for w in self.workers if w.community_id == community_id]


def vocabularies(js: Jurisdictions, key: str) -> Vocabularies:
    chain = [j.info for j in js.chain(key)]
    return Vocabularies(
        posts=tuple(js.vocabulary(key, "posts").values()),
        grades=tuple(js.vocabulary(key, "grades").values()),
        certificates=tuple(js.vocabulary(key, "certificates").values()),
        periods=chain[0].assessment_periods,
    )


def build_sample(
    js: Jurisdictions,
    key: str,
    *,
    seed: int,
    communities: int = 4,
    per_community: int = 8,
    community_fields: Mapping[str, Any] | None = None,
) -> Sample:
    places, people = population(
        key, vocabularies(js, key), seed, communities, per_community, TODAY, community_fields
    )
    return Sample(js, key, seed, places, people, community_fields=community_fields or {})


# --- calling a rule ------------------------------------------------------------------------------


class Problems:
    """What went wrong, and how many samples actually computed (zero → `Untested`)."""

    def __init__(self, sample: Sample, hook: str) -> None:
        self.sample = sample
        self.hook_name = hook
        self.items: list[str] = []
        self.computed = 0
        self.refusals: set[str] = set()

    def add(self, subject: str, problem: str) -> None:
        self.items.append(f"{self.hook_name} [{subject}]: {problem}")

    def call(self, subject: str, fn: Callable[[], Any]) -> Any | None:
        """The result, or None when the rule refused in a way the contract allows."""
        try:
            result = fn()
        except PluginError as exc:
            self.add(subject, exc.reason)
            return None
        except MissingParameter as exc:
            if exc.name not in self.sample.jurisdictions.params(self.sample.key):
                self.add(subject, f"refused for parameter {exc.name!r}, which no parameter file declares")
            self.sample.missing.add(exc.name)
            return None
        except NoAnswer:
            return None
        except ShegongError as exc:
            self.refusals.add(exc.render("en"))
            return None  # a refusal with a message (unsupported period, unknown post): allowed
        self.computed += 1
        return result

    def done(self) -> list[str]:
        if not self.items and self.computed == 0:
            named = ", ".join(sorted(self.sample.missing)) or "none named"
            why = "; ".join(sorted(self.refusals)[:3])
            raise Untested(f"{self.hook_name}: every sample was refused ({why}); parameters named: {named}")
        return self.items


def _decimal_cents(value: Any) -> bool:
    return isinstance(value, Decimal) and value == value.quantize(CENT) and value >= 0


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _citation_problem(citation: Any, documents: set[str]) -> str | None:
    if (
        not isinstance(citation, Citation)
        or not (citation.document or citation.title)
        or not citation.article
    ):
        return "a figure without a citation (document + article)"
    named = citation.document or citation.title  # a national law has a title and no seed file
    if named not in documents:
        return f"cites {named!r}, not a document it declares ({', '.join(sorted(documents))})"
    return None


def _messages(value: Any) -> Iterator[Message]:
    """Every `Message` inside a result, its reasons and its message arguments."""
    if isinstance(value, Message):
        yield value
        for arg in value.args.values():
            yield from _messages(arg)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _messages(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _messages(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _messages(item)


def _reasons(value: Any) -> Iterator[Reason]:
    for reason in getattr(value, "reasons", ()):
        if isinstance(reason, Reason):
            yield reason


def _common(problems: Problems, subject: str, result: Any) -> None:
    """Cited reasons and messages every language can show, for any result."""
    items = result if isinstance(result, list) else [result]
    for item in items:
        for reason in _reasons(item):
            if reason.citation is not None:
                bad = _citation_problem(reason.citation, problems.sample.documents)
                if bad:
                    problems.add(subject, f"reason {reason.text.key!r} {bad}")
        for message in _messages(item):
            for lang in LANGUAGES:
                if message.key not in catalog(lang):
                    problems.add(subject, f"message {message.key!r} has no {lang} text")


def _twice(problems: Problems, subject: str, first: Any, again: Callable[[], Any]) -> None:
    second = problems.call(subject, again)
    if second != first:
        problems.add(subject, f"not deterministic: {first!r} then {second!r}")


# --- the checks ----------------------------------------------------------------------------------


@attrs.frozen
class Check:
    """One contract check; `hook_name` None: about the plugin's description and files."""

    name: str
    hook_name: str | None
    run: Callable[[Sample], list[str]]
    doc: str


def check_description(sample: Sample) -> list[str]:
    out = []
    info = sample.info
    if not info.documents:
        out.append("shegong_jurisdiction: no source documents; every figure must cite one")
    for kind in ("posts", "grades", "certificates"):
        codes = [v.code for v in getattr(info, kind)]
        if len(codes) != len(set(codes)):
            out.append(f"shegong_jurisdiction: duplicate {kind} codes {codes}")
        for v in getattr(info, kind):
            if not v.code or not v.zh or not v.en:
                out.append(f"shegong_jurisdiction: {kind} {v.code!r} needs a code, a zh and an en label")
    if info.quota_unit not in ("street", "community"):
        out.append(f"shegong_jurisdiction: quota_unit {info.quota_unit!r} is not street or community")
    for name in ("parameter_file", "catalog_dir", "cases_dir"):
        path = getattr(info, name)
        if path is not None and not Path(path).exists():
            out.append(f"shegong_jurisdiction: {name} {path} does not exist")
    if info.catalog_dir is not None:
        for lang in LANGUAGES:
            if not any((Path(info.catalog_dir) / lang).glob("*.toml")):
                out.append(f"shegong_jurisdiction: no {lang} catalog in {info.catalog_dir}/{lang}")
    return out


def check_parameters(sample: Sample) -> list[str]:
    """Every value the plugin's parameter file ships is cited to a document it declares."""
    out = []
    for name, spec in sorted(sample.jurisdictions.loaded(sample.key).specs.items()):
        if not spec.zh or not spec.en:
            out.append(f"parameter {name}: needs a zh and an en description")
        for value in spec.values:
            bad = _citation_problem(value.citation, sample.documents)
            if bad:
                out.append(f"parameter {name} (since {value.since}): {bad}")
    return out


def check_pay_lines(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_pay_lines")
    month = Month.of(sample.today)
    rules = sample.rules()
    registry = MemoryRegistry(user="conformance")
    for c in sample.communities:
        registry.add_community(c)
    registry.add_workers(sample.workers)
    run = compute_payroll(registry, sample.rules(), month, Scope())
    totals = {pay.name: pay for pay in run.workers}
    for w in sample.workers:
        subject = f"worker {w.id}"
        lines = p.call(subject, lambda w=w: rules.pay_lines(w, month))  # type: ignore[misc]
        if lines is None:
            continue
        codes = [line.code for line in lines]
        if len(codes) != len(set(codes)):
            p.add(subject, f"line codes repeat: {codes}")
        for line in lines:
            if not isinstance(line, PayLine) or not _decimal_cents(line.amount):
                p.add(subject, f"line {line.code!r}: amount {line.amount!r} is not Decimal yuan to the cent")
            if not isinstance(line.label, Message):
                p.add(subject, f"line {line.code!r}: label is not a translatable Message")
            bad = _citation_problem(line.citation, sample.documents)
            if bad:
                p.add(subject, f"line {line.code!r} {bad}")
        _common(p, subject, lines)
        expected = sum((line.amount for line in lines if line.cash), Decimal(0))
        pay = totals.get(w.name)
        if pay is not None and not pay.error and pay.total != expected:
            p.add(subject, f"payroll total {pay.total} is not the sum of the cash lines {expected}")
        _twice(p, subject, lines, lambda w=w: sample.rules().pay_lines(w, month))  # type: ignore[misc]
    return p.done()


def check_pool_shares(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_pool_shares")
    year = sample.today.year - 1
    rules = sample.rules()
    for c in sample.communities:
        subject = f"community {c.id}"
        workers = sample.workers_of(c.id)
        shares = p.call(subject, lambda c=c, ws=workers: rules.pool_shares(ws, year, c))  # type: ignore[misc]
        if shares is None:
            continue
        ids = {w.id for w in workers}
        for s in shares:
            if not isinstance(s, PoolShare) or not _decimal_cents(s.amount):
                p.add(subject, f"share {s.amount!r} is not Decimal yuan to the cent")
            if s.worker_id not in ids:
                p.add(subject, f"a share for worker {s.worker_id}, who is not in the unit")
            bad = _citation_problem(s.citation, sample.documents)
            if bad:
                p.add(subject, f"share of worker {s.worker_id} {bad}")
        pools = {s.inputs.get("pool") for s in shares}
        if shares and len(pools) == 1 and isinstance(next(iter(pools)), Decimal):
            pool = next(iter(pools))
            total = sum((s.amount for s in shares), Decimal(0))
            if total != pool:
                p.add(subject, f"shares add up to {total}, not the pool {pool}")
        _common(p, subject, shares)
        _twice(p, subject, shares, lambda c=c, ws=workers: sample.rules().pool_shares(ws, year, c))  # type: ignore[misc]
    return p.done()


def check_propose_grade(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_propose_grade")
    grades = {v.code for v in sample.vocabularies().grades}
    rules = sample.rules()
    year = sample.today.year - 1
    for period in sample.info.assessment_periods:
        for w in sample.workers:
            subject = f"worker {w.id} {period}"
            proposal = p.call(subject, lambda w=w, per=period: rules.propose_grade(w, year, per))  # type: ignore[misc]
            if proposal is None:
                continue
            if not isinstance(proposal, GradeProposal):
                p.add(subject, f"returned {type(proposal).__name__}")
                continue
            if proposal.grade is not None and proposal.grade not in grades:
                p.add(subject, f"grade {proposal.grade!r} is not one of the declared grades {sorted(grades)}")
            if proposal.score is not None and not isinstance(proposal.score, Decimal):
                p.add(subject, f"score {proposal.score!r} is not a Decimal")
            if not isinstance(proposal.forced, bool):
                p.add(subject, "forced is not a bool")
            _common(p, subject, proposal)
            _twice(p, subject, proposal, lambda w=w, per=period: sample.rules().propose_grade(w, year, per))  # type: ignore[misc]
    return p.done()


def check_grade_consequences(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_grade_consequences")
    rules = sample.rules()
    year = sample.today.year - 1
    grades = [v.code for v in sample.vocabularies().grades]
    for w in sample.workers[:12]:
        for grade in grades:
            for period in sample.info.assessment_periods:
                subject = f"worker {w.id} {grade} {period}"

                def ask(w: Worker = w, g: str = grade, per: str = period, r: Rules = rules) -> Any:
                    return r.grade_consequences(w, year, g, per)

                items = p.call(subject, ask)
                if items is None:
                    continue
                for c in items:
                    if not isinstance(c, Consequence) or not c.code:
                        p.add(subject, f"consequence {c!r} has no code")
                    bad = _citation_problem(c.citation, sample.documents)
                    if bad:
                        p.add(subject, f"consequence {c.code!r} {bad}")
                _common(p, subject, items)
                _twice(p, subject, items, lambda ask=ask: ask(r=sample.rules()))  # type: ignore[misc]
    return p.done()


def check_grade_quotas(sample: Sample) -> list[str]:
    """A quota never exceeds its unit: 0 <= limit <= headcount = the workers assessed."""
    p = Problems(sample, "shegong_grade_quotas")
    grades = {v.code for v in sample.vocabularies().grades}
    rules = sample.rules()
    year = sample.today.year - 1
    units: list[tuple[str, Community, list[Worker]]]
    if sample.info.quota_unit == "community":
        units = [(f"community:{c.id}", c, sample.workers_of(c.id)) for c in sample.communities]
    else:
        first = sample.communities[0]
        units = [(f"street:{first.district}/{first.street}", first, list(sample.workers))]
    for unit, c, workers in units:
        for size in sorted({0, 1, len(workers) // 2, len(workers)}):
            subject = f"{unit} with {size} workers"
            part = workers[:size]
            quotas = p.call(subject, lambda u=unit, ws=part, c=c: rules.grade_quotas(u, ws, year, c))  # type: ignore[misc]
            if quotas is None:
                continue
            for q in quotas:
                if not isinstance(q, Quota):
                    p.add(subject, f"returned {type(q).__name__}")
                    continue
                if not (_is_int(q.limit) and _is_int(q.headcount)):
                    p.add(subject, f"limit {q.limit!r} and headcount {q.headcount!r} must be ints")
                elif not 0 <= q.limit <= q.headcount:
                    p.add(subject, f"quota for {q.grade!r} allows {q.limit} of {q.headcount}")
                if q.headcount != size:
                    p.add(subject, f"quota for {q.grade!r} counts {q.headcount} people, not the {size} given")
                if q.grade not in grades:
                    p.add(subject, f"quota for {q.grade!r}, which is not a declared grade")
                bad = _citation_problem(q.citation, sample.documents)
                if bad:
                    p.add(subject, f"quota for {q.grade!r} {bad}")
            _common(p, subject, quotas)
            _twice(
                p,
                subject,
                quotas,
                lambda u=unit, ws=part, c=c: sample.rules().grade_quotas(u, ws, year, c),  # type: ignore[misc]
            )
    return p.done()


def check_retirement(sample: Sample) -> list[str]:
    """After birth, and never earlier for someone born later (same sex and posts)."""
    p = Problems(sample, "shegong_retirement")
    rules = sample.rules()
    for w in sample.workers:
        subject = f"worker {w.id}"
        r = p.call(subject, lambda w=w: rules.retirement(w))  # type: ignore[misc]
        if r is None:
            continue
        if not isinstance(r, RetirementDate) or not _is_date(r.date):
            p.add(subject, f"date {getattr(r, 'date', r)!r} is not a datetime.date")
            continue
        if r.date <= w.birth_date:
            p.add(subject, f"retires {r.date}, not after birth {w.birth_date}")
        if not (_is_int(r.age_years) and _is_int(r.age_months) and 0 <= r.age_months <= 11):
            p.add(subject, f"age {r.age_years!r}y{r.age_months!r}m is not whole years and 0-11 months")
        bad = _citation_problem(r.citation, sample.documents)
        if bad:
            p.add(subject, bad)
        _common(p, subject, r)
        _twice(p, subject, r, lambda w=w: sample.rules().retirement(w))  # type: ignore[misc]
    # The sweep: the same post history, only the birth date (and sex) moved, so a later birth
    # may never retire earlier. Service starts on a fixed day every sweep date allows.
    rng = random.Random(sample.seed)
    start = dt.date(2020, 1, 1)
    for template in sample.workers[:6]:
        for sex in (Sex.MALE, Sex.FEMALE):
            previous: tuple[dt.date, dt.date] | None = None
            for birth in births(rng, 30):
                subject = f"posts {list(template.posts_on(sample.today))} as {sex.value} born {birth}"
                person = Worker(
                    name=template.name,
                    sex=sex,
                    birth_date=birth,
                    id_number=id_number(birth, sex, template.id),
                    community_id=template.community_id,
                    service_start=start,
                    posts=tuple(attrs.evolve(t, start=start) for t in template.posts),
                    id=template.id,
                )
                r = p.call(subject, lambda person=person: rules.retirement(person))  # type: ignore[misc]
                if r is None or not isinstance(r, RetirementDate):
                    continue
                if previous is not None and r.date < previous[1]:
                    p.add(
                        subject,
                        f"retires {r.date}, before someone born earlier ({previous[0]}: {previous[1]})",
                    )
                previous = (birth, r.date)
    return p.done()


def check_annual_leave(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_annual_leave")
    rules = sample.rules()
    year = sample.today.year
    for w in sample.workers:
        subject = f"worker {w.id}"
        leave = p.call(subject, lambda w=w: rules.annual_leave(w, year))  # type: ignore[misc]
        if leave is None:
            continue
        if not isinstance(leave, LeaveEntitlement) or not _is_int(leave.days) or leave.days < 0:
            p.add(subject, f"days {getattr(leave, 'days', leave)!r} is not a whole number of days")
            continue
        bad = _citation_problem(leave.citation, sample.documents)
        if bad:
            p.add(subject, bad)
        _common(p, subject, leave)
        _twice(p, subject, leave, lambda w=w: sample.rules().annual_leave(w, year))  # type: ignore[misc]
    return p.done()


HOUSEHOLDS = (
    0,
    1,
    299,
    300,
    500,
    1000,
    1999,
    2000,
    2400,
    2999,
    3000,
    3001,
    3300,
    3500,
    4000,
    6000,
    9000,
    15000,
)


def check_staffing(sample: Sample) -> list[str]:
    """Whole numbers, minimum <= maximum, and never fewer posts for more households."""
    p = Problems(sample, "shegong_staffing")
    rules = sample.rules()
    for c in sample.communities:
        subject = f"community {c.id}"
        workers = sample.workers_of(c.id)
        req = p.call(subject, lambda c=c, ws=workers: rules.staffing(c, ws))  # type: ignore[misc]
        if req is None:
            continue
        for problem in _staffing_shape(req, sample.documents):
            p.add(subject, problem)
        _common(p, subject, req)
        _twice(p, subject, req, lambda c=c, ws=workers: sample.rules().staffing(c, ws))  # type: ignore[misc]
    rng = random.Random(sample.seed)
    for template in sample.communities[:3]:
        previous: tuple[int, StaffingRequirement] | None = None
        for households in HOUSEHOLDS:
            place = attrs.evolve(
                community(sample.key, rng, 0, households, sample.community_fields),
                id=template.id,
                households_registered=households,
                new_residents=template.new_residents,
                population=template.population,
            )
            subject = f"community {template.id} with {households} households"
            local = sample.rules([place])
            req = p.call(subject, lambda place=place, local=local: local.staffing(place, []))  # type: ignore[misc]
            if req is None or not isinstance(req, StaffingRequirement):
                continue
            if previous is not None:
                before_h, before = previous
                if req.minimum < before.minimum:
                    p.add(subject, f"needs at least {req.minimum}, fewer than {before.minimum} at {before_h}")
                if before.maximum is None and req.maximum is not None:
                    p.add(subject, f"a ceiling of {req.maximum} where {before_h} households had none")
                elif before.maximum is not None and req.maximum is not None and req.maximum < before.maximum:
                    p.add(subject, f"at most {req.maximum}, fewer than {before.maximum} at {before_h}")
            previous = (households, req)
    return p.done()


def _staffing_shape(req: Any, documents: set[str]) -> Iterable[str]:
    if not isinstance(req, StaffingRequirement):
        yield f"returned {type(req).__name__}"
        return
    if not _is_int(req.minimum) or (req.maximum is not None and not _is_int(req.maximum)):
        yield f"range {req.minimum!r}-{req.maximum!r} is not whole posts"
    for post, bounds in req.by_type.items():
        low, high = bounds
        if not _is_int(low) or low < 0 or (high is not None and (not _is_int(high) or high < low)):
            yield f"by_type[{post!r}] = {bounds!r} is not a range of whole posts"
    bad = _citation_problem(req.citation, documents)
    if bad:
        yield bad


def _finding_problems(found: Sequence[Any], subject_id: str, documents: set[str]) -> Iterable[str]:
    for f in found:
        if not isinstance(f, Finding):
            yield f"returned {type(f).__name__}"
            continue
        if not isinstance(f.severity, Severity):
            yield f"finding {f.code!r}: severity {f.severity!r} is not a Severity"
        if f.subject != subject_id:
            yield f"finding {f.code!r} is about {f.subject!r}, not {subject_id!r}"
        if f.due is not None and not _is_date(f.due):
            yield f"finding {f.code!r}: due {f.due!r} is not a datetime.date"
        if f.code != "cannot_compute":
            bad = _citation_problem(f.citation, documents)
            if bad:
                yield f"finding {f.code!r} {bad}"


def _examine(
    p: Problems,
    rules: Rules,
    subject: str,
    ask: Callable[[Rules], Any],
    shape: Callable[[Any], Iterable[str]],
) -> None:
    """Ask once; check the answer's shape, citations and messages; ask again with fresh rules."""
    result = p.call(subject, lambda: ask(rules))
    if result is None:
        return
    for problem in shape(result):
        p.add(subject, problem)
    _common(p, subject, result)
    _twice(p, subject, result, lambda: ask(p.sample.rules()))


def _check_findings(sample: Sample, hook: str, asks: Sequence[tuple[str, Callable[..., Any]]]) -> list[str]:
    """Findings about each subject ("worker:12", "community:x"): cited, well formed, about it."""
    p = Problems(sample, hook)
    rules = sample.rules()
    for subject, ask in asks:

        def shape(found: Any, subject: str = subject) -> Iterable[str]:
            return _finding_problems(found, subject, sample.documents)

        _examine(p, rules, subject, ask, shape)
    return p.done()


def check_worker_findings(sample: Sample) -> list[str]:
    asks = [(f"worker:{w.id}", lambda r, w=w: r.worker_findings(w, sample.today)) for w in sample.workers]
    return _check_findings(sample, "shegong_worker_findings", asks)


def check_community_findings(sample: Sample) -> list[str]:
    asks = [
        (
            f"community:{c.id}",
            lambda r, c=c: r.community_findings(c, sample.workers_of(c.id), sample.today),
        )
        for c in sample.communities
    ]
    return _check_findings(sample, "shegong_community_findings", asks)


def check_eligibility(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_eligibility")
    rules = sample.rules()
    posts = [v.code for v in sample.vocabularies().posts][:6]
    for w in sample.workers[:10]:
        for purpose in ("recruitment", "promotion"):
            for target in posts:
                subject = f"worker {w.id} {purpose} {target}"

                def ask(w: Worker = w, pur: str = purpose, tgt: str = target, r: Rules = rules) -> Any:
                    return r.eligibility(w, pur, tgt, sample.today)

                result = p.call(subject, ask)
                if result is None:
                    continue
                if not isinstance(result, Eligibility) or not isinstance(result.eligible, bool):
                    p.add(subject, f"returned {result!r}, not an Eligibility with a bool")
                    continue
                if (result.purpose, result.target) != (purpose, target):
                    p.add(subject, f"answers for {result.purpose}/{result.target}")
                _common(p, subject, result)
                _twice(p, subject, result, lambda ask=ask: ask(r=sample.rules()))  # type: ignore[misc]
    return p.done()


# --- labour law and family leave ------------------------------------------------------------------


def _cited_result(p: Problems, subject: str, result: Any, cls: type) -> bool:
    if not isinstance(result, cls):
        p.add(subject, f"returned {type(result).__name__}, not {cls.__name__}")
        return False
    bad = _citation_problem(getattr(result, "citation", None), p.sample.documents)
    if bad:
        p.add(subject, bad)
    _common(p, subject, result)
    return True


MONTHLY_PAYS = (Decimal("0"), Decimal("3000"), Decimal("8000.50"), Decimal("60000"))


def check_untaken_leave_pay(sample: Sample) -> list[str]:
    """Decimal to the cent; more untaken days never pay less."""
    p = Problems(sample, "shegong_untaken_leave_pay")
    rules = sample.rules()
    year = sample.today.year
    for w in sample.workers[:6]:
        for pay in MONTHLY_PAYS:
            previous: Decimal | None = None
            for days in (0, 1, 5, 15):
                subject = f"worker {w.id} {days} days on {pay}"
                line = p.call(subject, lambda w=w, d=days, m=pay: rules.untaken_leave_pay(w, year, d, m))  # type: ignore[misc]
                if line is None or not _cited_result(p, subject, line, PayLine):
                    continue
                if not _decimal_cents(line.amount):
                    p.add(subject, f"amount {line.amount!r} is not Decimal yuan to the cent")
                elif previous is not None and line.amount < previous:
                    p.add(subject, f"{line.amount} is less than {previous} for fewer days")
                previous = line.amount
    return p.done()


def check_contract_entitlement(sample: Sample) -> list[str]:
    """Due answers carry the day it arose, on or before the day asked; once due, still due later."""
    p = Problems(sample, "shegong_contract_entitlement")
    rules = sample.rules()
    later = sample.today.replace(year=sample.today.year + 1)
    for w in sample.workers:
        subject = f"worker {w.id}"
        now = p.call(subject, lambda w=w: rules.contract_entitlement(w, sample.today))  # type: ignore[misc]
        if now is None or not _cited_result(p, subject, now, ContractEntitlement):
            continue
        if not isinstance(now.due, bool):
            p.add(subject, f"due {now.due!r} is not a bool")
        elif now.due and (not _is_date(now.since) or now.since > sample.today):
            p.add(subject, f"due since {now.since!r}, not a day on or before {sample.today}")
        after = p.call(subject, lambda w=w: rules.contract_entitlement(w, later))  # type: ignore[misc]
        if now.due and isinstance(after, ContractEntitlement) and not after.due:
            p.add(subject, f"due on {sample.today} but not a year later")
        _twice(p, subject, now, lambda w=w: sample.rules().contract_entitlement(w, sample.today))  # type: ignore[misc]
    return p.done()


def check_severance(sample: Sample) -> list[str]:
    """Decimal to the cent, months in halves; a later end (longer service) never owes less."""
    p = Problems(sample, "shegong_severance")
    rules = sample.rules()
    ends = [sample.today.replace(month=1, day=1), sample.today.replace(month=6, day=30), sample.today]
    for w in sample.workers[:10]:
        for pay in MONTHLY_PAYS:
            previous: Decimal | None = None
            for end in ends:
                if end < w.service_start:
                    continue
                subject = f"worker {w.id} ending {end} on {pay}"
                owed = p.call(subject, lambda w=w, e=end, m=pay: rules.severance(w, e, m))  # type: ignore[misc]
                if owed is None or not _cited_result(p, subject, owed, Severance):
                    continue
                if not _decimal_cents(owed.amount):
                    p.add(subject, f"amount {owed.amount!r} is not Decimal yuan to the cent")
                elif previous is not None and owed.amount < previous:
                    p.add(subject, f"{owed.amount} is less than {previous} owed for shorter service")
                if not isinstance(owed.months, Decimal) or owed.months * 2 != int(owed.months * 2):
                    p.add(subject, f"months {owed.months!r} are not whole or half months")
                previous = owed.amount
    return p.done()


def check_committee_term(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_committee_term")
    rules = sample.rules()
    c = sample.communities[0]
    for start in (dt.date(2000, 1, 1), dt.date(2015, 6, 1), dt.date(2021, 1, 1), sample.today):
        subject = f"community {c.id} term from {start}"
        term = p.call(subject, lambda s=start: rules.committee_term(c, s))  # type: ignore[misc]
        if term is None or not _cited_result(p, subject, term, TermLength):
            continue
        if not _is_int(term.years) or term.years < 1:
            p.add(subject, f"{term.years!r} years is not a whole number of years")
    return p.done()


def _leave_shape(p: Problems, subject: str, leave: Any) -> None:
    if not _cited_result(p, subject, leave, LeaveEntitlement):
        return
    if not _is_int(leave.days) or leave.days < 0:
        p.add(subject, f"days {leave.days!r} is not a whole number of days")


def check_marriage_leave(sample: Sample) -> list[str]:
    p = Problems(sample, "shegong_marriage_leave")
    rules = sample.rules()
    for w in sample.workers:
        subject = f"worker {w.id}"
        leave = p.call(subject, lambda w=w: rules.marriage_leave(w, sample.today))  # type: ignore[misc]
        if leave is not None:
            _leave_shape(p, subject, leave)
    return p.done()


def check_maternity_leave(sample: Sample) -> list[str]:
    """Whole days; a difficult birth or another baby never gives fewer."""
    p = Problems(sample, "shegong_maternity_leave")
    rules = sample.rules()
    for w in sample.workers:
        previous: int | None = None
        for difficult, babies in ((False, 1), (True, 1), (True, 2), (True, 3)):
            subject = f"worker {w.id} difficult={difficult} babies={babies}"
            leave = p.call(
                subject,
                lambda w=w, d=difficult, b=babies: rules.maternity_leave(
                    w, sample.today, difficult=d, babies=b
                ),  # type: ignore[misc]
            )
            if leave is None:
                continue
            _leave_shape(p, subject, leave)
            if _is_int(leave.days) and previous is not None and leave.days < previous:
                p.add(subject, f"{leave.days} days, fewer than {previous} for an easier birth")
            previous = leave.days if _is_int(leave.days) else previous
    return p.done()


CHECKS: tuple[Check, ...] = (
    Check("description", None, check_description, "documents, vocabularies and files are declared"),
    Check("parameters", None, check_parameters, "every shipped parameter value is cited"),
    Check("pay_lines", "shegong_pay_lines", check_pay_lines, "Decimal to the cent, cited, sums, determinism"),
    Check("pool_shares", "shegong_pool_shares", check_pool_shares, "shares add up to the pool"),
    Check("propose_grade", "shegong_propose_grade", check_propose_grade, "declared grades, cited"),
    Check("grade_consequences", "shegong_grade_consequences", check_grade_consequences, "cited"),
    Check("grade_quotas", "shegong_grade_quotas", check_grade_quotas, "never more than the unit"),
    Check("retirement", "shegong_retirement", check_retirement, "after birth, monotone in birth date"),
    Check("annual_leave", "shegong_annual_leave", check_annual_leave, "whole days, cited"),
    Check("staffing", "shegong_staffing", check_staffing, "whole posts, monotone in households"),
    Check("worker_findings", "shegong_worker_findings", check_worker_findings, "cited, about the worker"),
    Check("community_findings", "shegong_community_findings", check_community_findings, "cited"),
    Check("eligibility", "shegong_eligibility", check_eligibility, "a yes or no with reasons"),
    Check("untaken_leave_pay", "shegong_untaken_leave_pay", check_untaken_leave_pay, "to the cent, grows"),
    Check(
        "contract_entitlement",
        "shegong_contract_entitlement",
        check_contract_entitlement,
        "dated when due, never undone",
    ),
    Check("severance", "shegong_severance", check_severance, "to the cent, never less for longer service"),
    Check("committee_term", "shegong_committee_term", check_committee_term, "whole years, cited"),
    Check("marriage_leave", "shegong_marriage_leave", check_marriage_leave, "whole days, cited"),
    Check(
        "maternity_leave", "shegong_maternity_leave", check_maternity_leave, "more babies, never fewer days"
    ),
)


def applicable(js: Jurisdictions, key: str) -> list[Check]:
    """The checks of every hook the jurisdiction's chain answers, and the description checks.

    The national root ends every chain but is checked in its own run (`--shegong-jurisdiction
    national`): a city's run checks the city's and its parents' hooks, not the law's again."""
    own = [j for j in js.chain(key) if j.info.key != ROOT_KEY or key == ROOT_KEY]
    return [c for c in CHECKS if c.hook_name is None or any(hasattr(j.plugin, c.hook_name) for j in own)]


def own_cases(js: Jurisdictions, key: str) -> list[Case]:
    """The cases the jurisdiction ships for itself (a shared folder holds its district's too)."""
    folder = js.info(key).cases_dir
    if folder is None:
        return []
    return [c for path in case_files([Path(folder)]) for c in load_cases(path) if c.jurisdiction == key]
