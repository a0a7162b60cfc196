"""The worker form's fields and how the form's texts become a `Worker`, apart from any screen.

The form shows a worker's identity and profile, the post held now, the status now and the contract
in force (or the latest one). Lists such as trainings, assessments or certificates are kept as
they are; the form changes them only through these rules, so history is never rewritten by
accident:

- Post: the same start date with another post corrects the current term; a later start date ends
  the current term the day before and starts the new post on it; clearing the post ends the
  current term today.
- Status: a status other than the one in force is a new status change from 状态日期; the same
  status with another date corrects the date of the change in force.
- Contract: the same start date corrects the shown contract (type and end); another start date
  adds a new contract, keeping the old one; clearing every contract field removes the shown one.
- Sex and date of birth left blank are taken from the resident ID; typed ones must agree with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from core.errors import ValidationError
from core.i18n import msg, t
from core.model import (
    Community,
    Contract,
    ContractKind,
    Education,
    Entry,
    Hukou,
    PartyStatus,
    Post,
    PostTerm,
    Sex,
    Status,
    StatusChange,
    Worker,
)
from core.record_checks import PostNames, new_problems, posts_of
from tui.forms.fields import (
    Choices,
    FieldError,
    FieldSpec,
    choice_field,
    date_field,
    note_field,
    parse_all,
    phone_field,
    resident_id_field,
    text_field,
)
from tui.labels import Lexicon, enum_label, fmt_date, status_label

URBAN, RURAL = "urban", "rural"
IN_FORCE = (Status.ACTIVE, Status.PROBATION)

LABELS: dict[str, str] = {
    "name": "ui.form.label.name",
    "id_number": "ui.form.label.id_number",
    "sex": "ui.form.label.sex",
    "birth_date": "ui.form.label.birth_date",
    "phone": "ui.form.label.phone",
    "community_id": "ui.form.label.community_id",
    "post": "ui.form.label.post",
    "post_start": "ui.form.label.post_start",
    "status": "ui.form.label.status",
    "status_since": "ui.form.label.status_since",
    "service_start": "ui.form.label.service_start",
    "work_start": "ui.form.label.work_start",
    "entry": "ui.form.label.entry",
    "education": "ui.form.label.education",
    "party": "ui.form.label.party",
    "hukou_city": "ui.form.label.hukou_city",
    "hukou_kind": "ui.form.label.hukou_kind",
    "contract_kind": "ui.form.label.contract_kind",
    "contract_start": "ui.form.label.contract_start",
    "contract_end": "ui.form.label.contract_end",
    "note": "ui.form.label.note",
}
"""Every field of the form, in the order shown."""

# Model checks (core.model.Worker and its records) → the form field to show them at.
_MODEL_FIELDS = {
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "community_id": "community_id",
    "service_start": "service_start",
    "post": "post_start",
    "contract": "contract_end",
}


@attrs.frozen
class WorkerFormContext:
    """What the form checks against besides what was typed."""

    communities: Sequence[Community]
    lexicon: Lexicon
    today: dt.date

    def community(self, community_id: str) -> Community | None:
        for c in self.communities:
            if c.id == community_id:
                return c
        return None

    def post_choices(self, community_id: str, keep: str = "") -> Choices:
        """The posts the community's jurisdiction has (core's when it declares none, every one of
        core's when no community is chosen yet or its jurisdiction is not loaded), and `keep`
        (the post held now, even if its jurisdiction no longer names it)."""
        community = self.community(community_id)
        jurisdiction = community.jurisdiction if community is not None else None
        posts = self.posts_of(community)
        codes = list(posts) if posts is not None else [p.value for p in Post]
        if keep and keep not in codes:
            codes.append(keep)
        return [(code, self.lexicon.post(code, jurisdiction)) for code in codes]

    def posts_of(self, community: Community | None) -> PostNames | None:
        """What the community's jurisdiction has, as `core.record_checks` judges it."""
        if community is None:
            return None
        return posts_of(self.lexicon.jurisdictions, community.jurisdiction)


@attrs.frozen
class WorkerCheck:
    """The worker the form describes (None while anything is wrong) and each field's error."""

    worker: Worker | None
    errors: Mapping[str, FieldError]


def _enum_choices(values: Sequence[Any]) -> Choices:
    return [(v.value, enum_label(v)) for v in values]


def worker_specs(
    ctx: WorkerFormContext, texts: Mapping[str, str], base: Worker | None = None
) -> dict[str, FieldSpec]:
    """The fields, with the post choices of the community now chosen in `texts` (and the post
    `base` holds now, so an edit never loses a post no plugin names any more)."""
    communities = [(c.id, f"{c.name} ({c.id})") for c in ctx.communities]
    held = current_post(base, ctx.today) if base is not None else None
    posts = ctx.post_choices(texts.get("community_id", ""), held.post if held is not None else "")
    hukou = [(URBAN, t("ui.form.hukou.urban")), (RURAL, t("ui.form.hukou.rural"))]
    specs = [
        text_field("name", LABELS["name"], required=True),
        resident_id_field("id_number", LABELS["id_number"]),
        choice_field("sex", LABELS["sex"], _enum_choices(list(Sex))),
        date_field("birth_date", LABELS["birth_date"]),
        phone_field("phone", LABELS["phone"]),
        choice_field("community_id", LABELS["community_id"], communities, required=True),
        choice_field("post", LABELS["post"], posts),
        date_field("post_start", LABELS["post_start"]),
        choice_field(
            "status", LABELS["status"], [(s.value, status_label(s.value)) for s in Status], required=True
        ),
        date_field("status_since", LABELS["status_since"]),
        date_field("service_start", LABELS["service_start"], required=True),
        date_field("work_start", LABELS["work_start"]),
        choice_field("entry", LABELS["entry"], _enum_choices(list(Entry)), required=True),
        choice_field("education", LABELS["education"], _enum_choices(list(Education)), required=True),
        choice_field("party", LABELS["party"], _enum_choices(list(PartyStatus)), required=True),
        text_field("hukou_city", LABELS["hukou_city"]),
        choice_field("hukou_kind", LABELS["hukou_kind"], hukou),
        choice_field("contract_kind", LABELS["contract_kind"], _enum_choices(list(ContractKind))),
        date_field("contract_start", LABELS["contract_start"]),
        date_field("contract_end", LABELS["contract_end"]),
        note_field("note", LABELS["note"]),
    ]
    return {spec.name: spec for spec in specs}


# --- from a worker to the form's texts -------------------------------------------------------------


def current_post(worker: Worker, today: dt.date) -> PostTerm | None:
    """The term the form shows: of those covering today, the latest started."""
    covering = [p for p in worker.posts if p.covers(today)]
    return max(covering, key=lambda p: p.start) if covering else None


def shown_contract(worker: Worker, today: dt.date) -> Contract | None:
    """The contract in force today, else the latest started."""
    found = worker.contract_on(today)
    if found is None and worker.contracts:
        found = max(worker.contracts, key=lambda c: c.start)
    return found


def status_in_force(worker: Worker, today: dt.date) -> StatusChange | None:
    passed = [s for s in worker.statuses if s.since <= today]
    return max(passed, key=lambda s: s.since) if passed else None


def worker_texts(worker: Worker | None, today: dt.date) -> dict[str, str]:
    """The form's texts for `worker`, or a new worker's defaults."""
    if worker is None:
        texts = dict.fromkeys(LABELS, "")
        texts.update(status=Status.ACTIVE.value, entry=Entry.HIRED.value, party=PartyStatus.NONE.value)
        return texts
    post = current_post(worker, today)
    contract = shown_contract(worker, today)
    change = status_in_force(worker, today)
    hukou = worker.hukou
    return {
        "name": worker.name,
        "id_number": worker.id_number,
        "sex": worker.sex.value,
        "birth_date": worker.birth_date.isoformat(),
        "phone": worker.phone,
        "community_id": worker.community_id,
        "post": post.post if post is not None else "",
        "post_start": post.start.isoformat() if post is not None else "",
        "status": worker.status_on(today).value,
        "status_since": change.since.isoformat() if change is not None else "",
        "service_start": worker.service_start.isoformat(),
        "work_start": worker.work_start.isoformat() if worker.work_start else "",
        "entry": worker.entry.value,
        "education": worker.education.value,
        "party": worker.party.value,
        "hukou_city": hukou.city if hukou is not None else "",
        "hukou_kind": (URBAN if hukou.urban else RURAL) if hukou is not None else "",
        "contract_kind": contract.kind.value if contract is not None else "",
        "contract_start": contract.start.isoformat() if contract is not None else "",
        "contract_end": fmt_date(contract.end) if contract is not None and contract.end else "",
        "note": worker.note,
    }


def id_facts(number: str) -> tuple[Sex, dt.date]:
    """Sex and date of birth written in a checked resident ID (GB 11643: digits 7-14 and 17)."""
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return sex, dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


# --- from the form's texts to a worker -------------------------------------------------------------


class _Errors:
    def __init__(self, specs: Mapping[str, FieldSpec], errors: dict[str, FieldError]) -> None:
        self.specs = specs
        self.found = errors

    def add(self, field: str, problem: Any) -> None:
        if field not in self.found:
            self.found[field] = self.specs[field].error(problem)

    def ok(self, *fields: str) -> bool:
        return not any(f in self.found for f in fields)


def check_worker(texts: Mapping[str, str], base: Worker | None, ctx: WorkerFormContext) -> WorkerCheck:
    """The worker `texts` describe (a new one when `base` is None, else `base` changed), or every
    field's error. Never raises for anything typed."""
    specs = worker_specs(ctx, texts, base)
    values, found = parse_all(specs, texts)
    errors = _Errors(specs, found)
    v = values
    _check_identity(v, errors)
    birth = v.get("birth_date")
    for field in ("service_start", "work_start"):
        if birth is not None and v.get(field) is not None and v[field] < birth and errors.ok(field):
            errors.add(field, msg("tabular.problem.before_birth", birth=birth))
    if v.get("hukou_kind") is not None and v.get("hukou_city") is None and errors.ok("hukou_city"):
        errors.add("hukou_city", msg("tabular.problem.hukou_city_missing"))
    original = worker_texts(base, ctx.today) if base is not None else None
    posts = _posts(v, base, original, errors, ctx.today)
    statuses = _statuses(v, base, original, errors, ctx.today)
    contracts = _contracts(v, base, ctx.today, errors)
    if errors.found:
        return WorkerCheck(None, dict(errors.found))
    fields: dict[str, Any] = {
        "name": v["name"],
        "id_number": v["id_number"],
        "sex": Sex(v["sex"]),
        "birth_date": v["birth_date"],
        "phone": v["phone"] or "",
        "community_id": v["community_id"],
        "service_start": v["service_start"],
        "work_start": v["work_start"],
        "entry": Entry(v["entry"]),
        "education": Education(v["education"]),
        "party": PartyStatus(v["party"]),
        "hukou": Hukou(v["hukou_city"], v["hukou_kind"] != RURAL) if v["hukou_city"] else None,
        "note": v["note"] or "",
        "posts": posts,
        "statuses": statuses,
        "contracts": contracts,
    }
    try:
        worker = attrs.evolve(base, **fields) if base is not None else Worker(**fields)
    except ValidationError as exc:
        field = _MODEL_FIELDS.get(exc.field, _MODEL_FIELDS.get(exc.field.split(".")[0], "id_number"))
        errors.add(field, exc.problem)
        return WorkerCheck(None, dict(errors.found))
    allowed = ctx.posts_of(ctx.community(worker.community_id))
    for problem in new_problems(worker, base, today=ctx.today, posts=allowed):
        errors.add("post" if problem.field.startswith("posts") else "service_start", problem.problem)
    if errors.found:
        return WorkerCheck(None, dict(errors.found))
    return WorkerCheck(worker, {})


def _check_identity(v: dict[str, Any], errors: _Errors) -> None:
    """Sex and birth date: taken from the resident ID when blank, checked against it otherwise."""
    number = v.get("id_number")
    if number is None:
        return
    sex, birth = id_facts(number)
    if v.get("sex") is None and errors.ok("sex"):
        v["sex"] = sex.value
    elif v.get("sex") is not None and v["sex"] != sex.value:
        errors.add(
            "sex",
            msg(
                "invalid.id_sex_mismatch",
                value=number,
                id_sex=msg(f"sex.{sex.value}"),
                sex=msg(f"sex.{v['sex']}"),
            ),
        )
    if v.get("birth_date") is None and errors.ok("birth_date"):
        v["birth_date"] = birth
    elif v.get("birth_date") is not None and v["birth_date"] != birth:
        errors.add(
            "birth_date",
            msg("invalid.id_birth_mismatch", value=number, embedded=birth, birth=v["birth_date"]),
        )


def _posts(
    v: Mapping[str, Any],
    base: Worker | None,
    original: Mapping[str, str] | None,
    errors: _Errors,
    today: dt.date,
) -> tuple[PostTerm, ...]:
    code: str | None = v.get("post")
    start: dt.date | None = v.get("post_start")
    if not errors.ok("post", "post_start"):
        return base.posts if base is not None else ()
    if base is None or original is None:
        if code is None:
            if start is not None:
                errors.add("post", msg("ui.form.problem.date_without", field=t(LABELS["post_start"])))
            return ()
        start = start or v.get("service_start")
        return (PostTerm(code, start),) if start is not None else ()
    term = current_post(base, today)
    if code == (term.post if term else None) and start == (term.start if term else None):
        return base.posts
    if code is None:
        if term is None:
            errors.add("post", msg("ui.form.problem.date_without", field=t(LABELS["post_start"])))
            return base.posts
        return _replace(base.posts, term, PostTerm(term.post, term.start, max(today, term.start)))
    if start is None:
        errors.add("post_start", msg("ui.form.problem.required_with", field=t(LABELS["post"])))
        return base.posts
    if term is None:
        return (*base.posts, PostTerm(code, start))
    if start == term.start:
        return _replace(base.posts, term, PostTerm(code, start, term.end))
    if start < term.start:
        errors.add("post_start", msg("ui.form.problem.post_start_early", start=term.start))
        return base.posts
    if code == term.post:
        errors.add("post_start", msg("ui.form.problem.same_post_later", start=term.start))
        return base.posts
    ended = PostTerm(term.post, term.start, start - dt.timedelta(days=1))
    return (*_replace(base.posts, term, ended), PostTerm(code, start))


def _replace(items: tuple[Any, ...], old: Any, new: Any) -> tuple[Any, ...]:
    out = list(items)
    out[out.index(old)] = new
    return tuple(out)


def _statuses(
    v: Mapping[str, Any],
    base: Worker | None,
    original: Mapping[str, str] | None,
    errors: _Errors,
    today: dt.date,
) -> tuple[StatusChange, ...]:
    since: dt.date | None = v.get("status_since")
    if not errors.ok("status", "status_since"):
        return base.statuses if base is not None else ()
    status = Status(v["status"])
    if base is None or original is None:
        if since is None and status not in IN_FORCE:
            errors.add("status_since", msg("ui.form.problem.since_needed", status=status_label(status)))
            return ()
        if status == Status.ACTIVE and since is None:
            return ()
        start = since or v.get("service_start")
        return (StatusChange(status, start),) if start is not None else ()
    now = base.status_on(today)
    change = status_in_force(base, today)
    if status == now:
        if since == (change.since if change is not None else None):
            return base.statuses
        if change is not None and since is not None:
            return _replace(base.statuses, change, attrs.evolve(change, since=since))
        if since is None:
            errors.add("status_since", msg("ui.form.problem.blank"))
            return base.statuses
        return (*base.statuses, StatusChange(status, since))
    if since is None or (change is not None and since == change.since):
        errors.add("status_since", msg("ui.form.problem.since_needed", status=status_label(status)))
        return base.statuses
    return (*base.statuses, StatusChange(status, since))


def _contracts(
    v: Mapping[str, Any], base: Worker | None, today: dt.date, errors: _Errors
) -> tuple[Contract, ...]:
    kind: str | None = v.get("contract_kind")
    start: dt.date | None = v.get("contract_start")
    end: dt.date | None = v.get("contract_end")
    existing = base.contracts if base is not None else ()
    shown = shown_contract(base, today) if base is not None else None
    if not errors.ok("contract_kind", "contract_start", "contract_end"):
        return existing
    if kind is None:
        if start is not None or end is not None:
            errors.add("contract_kind", msg("ui.form.problem.dates_without_kind"))
            return existing
        return tuple(c for c in existing if c != shown)
    if start is None:
        errors.add("contract_start", msg("ui.form.problem.required_with", field=t(LABELS["contract_kind"])))
        return existing
    if end is not None and end < start:
        errors.add("contract_end", msg("tabular.problem.end_before_start", start=start))
        return existing
    contract = Contract(ContractKind(kind), start, end)
    if shown is not None and shown.start == start:
        return existing if shown == contract else _replace(existing, shown, contract)
    return (*existing, contract)
