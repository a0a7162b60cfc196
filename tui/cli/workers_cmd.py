"""`shegong worker add|show|list|edit|history`.

Every value is checked before anything is saved: a refused command leaves the registry as it was.
Lists mask resident ID and phone numbers; `show` prints them in full. `show --json` prints the
stored document (plus a `derived` block), which `add --from-json` accepts back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from core.convert import structure, unstructure
from core.errors import NotFound, UnknownJurisdiction, ValidationError
from core.i18n import msg, t
from core.model import (
    IN_SERVICE,
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
    age_on,
)
from core.privacy import hide_birth_dates, mask_birth, mask_document, mask_field, mask_resident_id
from core.record_checks import check_record, posts_of
from core.repository import WorkerQuery
from core.resident_id import check_resident_id, region_warning
from core.scoped import may_reveal
from core.storage.layout import display_time
from tui.cli import values
from tui.cli.errors import Field
from tui.cli.labels import enum_label, label_or, mask_phone
from tui.cli.options import Session, parse_date, parse_enum
from tui.cli.output import format_fields, format_table, join, print_json, print_text

if TYPE_CHECKING:
    from core.hookspecs import Vocabulary
    from core.model import Community
    from core.repository import Repository
    from tui.cli.parser import ShegongParser

FIELDS = {
    "id": Field("cli.field.worker_id", "ID"),
    "name": Field("cli.field.name", "--name"),
    "sex": Field("cli.field.sex", "--sex"),
    "birth_date": Field("cli.field.birth_date", "--birth-date"),
    "id_number": Field("cli.field.id_number", "--id-number"),
    "community_id": Field("cli.field.community", "--community"),
    "service_start": Field("cli.field.service_start", "--service-start"),
    "entry": Field("cli.field.entry", "--entry"),
    "education": Field("cli.field.education", "--education"),
    "phone": Field("cli.field.phone", "--phone"),
    "hukou": Field("cli.field.hukou", "--hukou-city"),
    "party": Field("cli.field.party", "--party"),
    "posts": Field("cli.field.posts", "--post"),
    "end_post": Field("cli.field.end_post", "--end-post"),
    "statuses": Field("cli.field.status", "--status"),
    "revision": Field("cli.field.revision", "--revision"),
    "from_json": Field("cli.field.from_json", "--from-json"),
    "note": Field("cli.field.note", "--note"),
}
REQUIRED: tuple[tuple[str, str], ...] = (("name", "--name"), ("id_number", "--id-number"))
REQUIRED += (("community", "--community"), ("service_start", "--service-start"))
DERIVED = "derived"  # the block `show --json` adds to the stored document


# --- the command line -------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    group = subparsers.add_parser(
        "worker", help=t("cli.worker.help"), description=t("cli.worker.description")
    )
    actions = group.add_subparsers(
        dest="action",
        required=True,
        title=t("cli.group.actions"),
        metavar="ACTION",
        parser_class=ShegongParser,
    )

    add = actions.add_parser("add", parents=[common], help=t("cli.worker.add.help"))
    _scalar_options(add)
    add.add_argument("--post", action="append", metavar="POST[:FROM[:TO]]", help=t("cli.worker.opt.post"))
    add.add_argument("--from-json", metavar="FILE", help=t("cli.worker.opt.from_json"))
    add.set_defaults(handler=run_add, _parser=add)

    show = actions.add_parser("show", parents=[common], help=t("cli.worker.show.help"))
    show.add_argument("id", type=values.record_id, metavar="ID", help=t("cli.worker.opt.id"))
    show.set_defaults(handler=run_show)

    lister = actions.add_parser("list", parents=[common], help=t("cli.worker.list.help"))
    lister.add_argument("--community", metavar="C", help=t("cli.worker.opt.filter_community"))
    lister.add_argument("--street", metavar="S", help=t("cli.opt.filter_street"))
    lister.add_argument("--district", metavar="D", help=t("cli.opt.filter_district"))
    lister.add_argument("--jurisdiction", metavar="J", help=t("cli.opt.filter_jurisdiction"))
    lister.add_argument("--status", metavar="STATUS", help=t("cli.worker.opt.filter_status"))
    lister.set_defaults(handler=run_list)

    edit = actions.add_parser("edit", parents=[common], help=t("cli.worker.edit.help"))
    edit.add_argument("id", type=values.record_id, metavar="ID", help=t("cli.worker.opt.id"))
    _scalar_options(edit)
    edit.add_argument(
        "--post", action="append", metavar="POST[:FROM[:TO]]", help=t("cli.worker.opt.add_post")
    )
    edit.add_argument("--end-post", action="append", metavar="POST:TO", help=t("cli.worker.opt.end_post"))
    edit.add_argument(
        "--status", dest="new_status", metavar="STATUS[:SINCE[:REASON]]", help=t("cli.worker.opt.status")
    )
    edit.add_argument("--revision", type=values.revision, metavar="N", help=t("cli.worker.opt.revision"))
    edit.set_defaults(handler=run_edit, _parser=edit)

    history = actions.add_parser("history", parents=[common], help=t("cli.worker.history.help"))
    history.add_argument("id", type=values.record_id, metavar="ID", help=t("cli.worker.opt.id"))
    history.set_defaults(handler=run_history)


def _scalar_options(parser: ShegongParser) -> None:
    date = "DATE"
    parser.add_argument("--name", metavar="NAME", help=t("cli.worker.opt.name"))
    parser.add_argument("--sex", metavar="male|female", help=t("cli.worker.opt.sex"))
    parser.add_argument("--birth-date", type=values.date, metavar=date, help=t("cli.worker.opt.birth_date"))
    parser.add_argument("--id-number", metavar="ID_NUMBER", help=t("cli.worker.opt.id_number"))
    parser.add_argument("--community", metavar="COMMUNITY", help=t("cli.worker.opt.community"))
    parser.add_argument(
        "--service-start", type=values.date, metavar=date, help=t("cli.worker.opt.service_start")
    )
    parser.add_argument("--entry", metavar="elected|hired", help=t("cli.worker.opt.entry"))
    parser.add_argument(
        "--education",
        metavar="EDUCATION",
        help=t("cli.worker.opt.education", choices=_codes(Education)),
    )
    parser.add_argument("--phone", metavar="PHONE", help=t("cli.worker.opt.phone"))
    parser.add_argument("--hukou-city", metavar="CITY", help=t("cli.worker.opt.hukou_city"))
    urban = parser.add_mutually_exclusive_group()
    urban.add_argument(
        "--rural", dest="rural", action="store_true", default=None, help=t("cli.worker.opt.rural")
    )
    urban.add_argument("--urban", dest="rural", action="store_false", help=t("cli.worker.opt.urban"))
    parser.add_argument("--party", metavar="member|probationary|none", help=t("cli.worker.opt.party"))
    parser.add_argument("--note", metavar="TEXT", help=t("cli.worker.opt.note"))
    parser.add_argument(
        "--accept-unknown-region", action="store_true", help=t("records.cli.opt.accept_region")
    )


def _codes(enum: Any) -> str:
    return " / ".join(m.value for m in enum)


# --- handlers ----------------------------------------------------------------------------------


def run_add(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    if args.from_json:
        worker = _from_json(Path(args.from_json))
        worker = _apply(worker, _scalar_changes(args))
    else:
        missing = [option for dest, option in REQUIRED if getattr(args, dest) is None]
        if missing:
            args._parser.error(t("cli.error.required", options=", ".join(missing)))
        worker = _new_worker(args)
    community = _community_of(registry, worker.community_id)
    vocabulary = _posts_vocabulary(session, community)
    for i, term in enumerate(worker.posts):  # from --from-json
        _post_code(term.post, vocabulary, f"posts[{i}]")
    worker = attrs.evolve(worker, posts=worker.posts + _new_posts(args.post, worker, vocabulary))
    check_record(
        worker, None, today=dt.date.today(), posts=posts_of(session.jurisdictions(), community.jurisdiction)
    )
    _accept_region(worker, None, args)
    stored = registry.add_worker(worker)
    return _report_saved(stored, session, "cli.worker.added")


def run_show(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry()
    worker = registry.get_worker(args.id)
    community = registry.get_community(worker.community_id)
    full = may_reveal(registry)  # a viewer sees the numbers masked here as everywhere else
    if session.json:
        data = document(worker, community, session)
        # A dated record can end on a birth-derived day (retirement): core.privacy cuts such dates.
        print_json(data if full else hide_birth_dates(mask_document(data), worker.birth_date))
    else:
        text = describe(worker, community, session, full=full)
        if not full:  # a number typed into a note is masked too
            for field in ("id_number", "phone"):
                value = getattr(worker, field)
                text = text.replace(value, mask_field(field, value)) if value else text
            text = hide_birth_dates(text, worker.birth_date)
        print_text(text)
    return 0


def run_list(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS | {"status": Field("cli.field.status", "--status")}
    registry = session.registry()
    status = parse_enum(args.status, Status, "status") if args.status else None
    query = WorkerQuery(
        community=args.community,
        street=args.street,
        district=args.district,
        jurisdiction=args.jurisdiction,
        status=status,
    )
    communities = {c.id: c for c in registry.communities()}
    workers = registry.workers(query)
    today = dt.date.today()
    rows: list[dict[str, Any]] = []
    lexicon = session.lexicon()
    for w in workers:
        community = communities.get(w.community_id)
        jurisdiction = community.jurisdiction if community else None
        rows.append(
            {
                "id": w.id,
                "name": w.name,
                "sex": w.sex,
                "birth_year": w.birth_date.year,  # with a masked ID, never the date or the age
                "id_number": mask_resident_id(w.id_number),
                "phone": mask_phone(w.phone),
                "community_id": w.community_id,
                "community": community.name if community else "",
                "posts": list(w.posts_on(today)),
                "post_names": [lexicon.post(p, jurisdiction) for p in w.posts_on(today)],
                "status": w.status_on(today),
                "revision": w.revision,
            }
        )
    if session.json:
        print_json(rows)
        return 0
    headers = ["id", "worker_name", "sex", "birth_year", "id_number", "phone", "community", "posts", "status"]
    table = format_table(
        [t(f"cli.col.{h}") for h in headers],
        (
            (
                r["id"],
                r["name"],
                enum_label(r["sex"]),
                r["birth_year"],
                r["id_number"],
                r["phone"],
                r["community"],
                join(r["post_names"]),
                enum_label(r["status"]),
            )
            for r in rows
        ),
    )
    print_text(table + "\n" + t("cli.worker.count", count=len(rows)))
    return 0


def run_edit(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    current = registry.get_worker(args.id)
    changes = _scalar_changes(args)
    if not changes and not args.post and not args.end_post and not args.new_status:
        args._parser.error(t("cli.error.nothing_to_change"))
    worker = _apply(current, changes)
    if args.revision is not None:
        worker = attrs.evolve(worker, revision=args.revision)
    community = _community_of(registry, worker.community_id)
    vocabulary = _posts_vocabulary(session, community)
    posts = _end_posts(worker.posts, args.end_post or [], vocabulary)
    worker = attrs.evolve(worker, posts=posts + _new_posts(args.post, worker, vocabulary))
    if args.new_status:
        worker = attrs.evolve(worker, statuses=(*worker.statuses, _status_change(args.new_status)))
    check_record(
        worker,
        current,
        today=dt.date.today(),
        posts=posts_of(session.jurisdictions(), community.jurisdiction),
    )
    _accept_region(worker, current, args)
    stored = registry.update_worker(worker)
    return _report_saved(stored, session, "cli.worker.updated")


def run_history(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry()
    worker_id = args.id
    changes = registry.changes(kind="worker", key=str(worker_id))
    if not changes:
        registry.get_worker(worker_id)  # NotFound for an id never used
    if session.json:
        if not may_reveal(registry):
            birth = registry.get_worker(worker_id).birth_date
            print_json([hide_birth_dates(unstructure(c), birth) for c in changes])
        else:
            print_json(changes)
        return 0
    rows = [
        (
            display_time(c.at),
            c.user,
            label_or(f"cli.action.{c.action}", c.action),
            c.revision,
            join(changed_fields(c.before, c.after)),
            c.note,
        )
        for c in changes
    ]
    headers = ["at", "user", "action", "revision", "changed", "note"]
    print_text(format_table([t(f"cli.col.{h}") for h in headers], rows))
    return 0


# --- building and checking a worker -------------------------------------------------------------


def _scalar_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The model fields the options set; options not given change nothing."""
    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name.strip()
    if args.sex is not None:
        changes["sex"] = parse_enum(args.sex, Sex, "sex")
    if args.birth_date is not None:
        changes["birth_date"] = args.birth_date
    if args.id_number is not None:
        changes["id_number"] = check_resident_id(args.id_number)
    if args.community is not None:
        changes["community_id"] = args.community.strip()
    if args.service_start is not None:
        changes["service_start"] = args.service_start
    if args.entry is not None:
        changes["entry"] = parse_enum(args.entry, Entry, "entry")
    if args.education is not None:
        changes["education"] = parse_enum(args.education, Education, "education")
    if args.phone is not None:
        changes["phone"] = args.phone.strip()
    if args.party is not None:
        changes["party"] = parse_enum(args.party, PartyStatus, "party")
    if args.note is not None:
        changes["note"] = args.note
    if args.hukou_city is not None or args.rural is not None:
        changes["hukou"] = (args.hukou_city, args.rural)  # resolved against the worker in `_apply`
    return changes


def _apply(worker: Worker, changes: dict[str, Any]) -> Worker:
    changes = dict(changes)
    hukou = changes.pop("hukou", None)
    if hukou is not None:
        city, rural = hukou
        old = worker.hukou
        city = (city or (old.city if old else "")).strip()
        if not city:
            raise ValidationError("hukou", msg("cli.invalid.hukou_city"))
        urban = (old.urban if old else True) if rural is None else not rural
        changes["hukou"] = Hukou(city, urban=urban)
    return attrs.evolve(worker, **changes)


def _new_worker(args: argparse.Namespace) -> Worker:
    changes = _scalar_changes(args)
    number = changes["id_number"]
    # 出生日期 and 性别 are written in the resident ID; typed ones must agree with it
    changes.setdefault("birth_date", dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])))
    changes.setdefault("sex", Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE)
    hukou = changes.pop("hukou", None)
    worker = Worker(**changes)
    return _apply(worker, {"hukou": hukou}) if hukou is not None else worker


def _from_json(path: Path) -> Worker:
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ValidationError("from_json", msg("cli.invalid.json", path=path, detail=str(exc))) from None
    if not isinstance(data, dict):
        raise ValidationError("from_json", msg("cli.invalid.json_object", path=path))
    for key in ("id", "revision", DERIVED):
        data.pop(key, None)
    return structure(data, Worker, where=path.name)


def _community_of(registry: Repository, community_id: str) -> Community:
    try:
        return registry.get_community(community_id)
    except NotFound:
        known = sorted(c.id for c in registry.communities())
        raise ValidationError(
            "community_id",
            msg("cli.invalid.unknown_community", id=community_id, known=join(known[:20]) or "-"),
        ) from None


def _posts_vocabulary(session: Session, community: Community) -> dict[str, Vocabulary]:
    try:
        return session.jurisdictions().vocabulary(community.jurisdiction, "posts")
    except UnknownJurisdiction:
        return {}


def _post_code(text: str, vocabulary: Mapping[str, Vocabulary], field: str) -> str:
    """A post by its code or its name in either language, among the jurisdiction's posts (core's
    when the jurisdiction names none)."""
    if vocabulary:
        names = {code: (v.zh, v.en) for code, v in vocabulary.items()}
    else:
        names = {p.value: (t(f"post.{p.value}", "zh"), t(f"post.{p.value}", "en")) for p in Post}
    wanted = text.strip().lower()
    for code, labels in names.items():
        if wanted in {code.lower(), *(label.lower() for label in labels)}:
            return code
    allowed = join(t("cli.value.code", code=code, label=labels[0]) for code, labels in names.items())
    raise ValidationError(field, msg("cli.invalid.post", value=text, allowed=allowed))


def _new_posts(
    specs: list[str] | None, worker: Worker, vocabulary: Mapping[str, Vocabulary]
) -> tuple[PostTerm, ...]:
    """`POST[:FROM[:TO]]`; FROM defaults to the service start."""
    out = []
    for i, spec in enumerate(specs or []):
        field = f"posts[{len(worker.posts) + i}]"
        post, _, dates = spec.partition(":")
        start_text, _, end_text = dates.partition(":")
        code = _post_code(post, vocabulary, field)
        start = parse_date(start_text, f"{field}.start") if start_text else worker.service_start
        end = parse_date(end_text, f"{field}.end") if end_text else None
        out.append(PostTerm(code, start, end))
    return tuple(out)


def _end_posts(
    posts: tuple[PostTerm, ...], specs: list[str], vocabulary: Mapping[str, Vocabulary]
) -> tuple[PostTerm, ...]:
    """`POST:DATE` ends the open term of that post on DATE."""
    result = list(posts)
    for spec in specs:
        post, _, day_text = spec.partition(":")
        if not day_text:
            raise ValidationError("end_post", msg("cli.invalid.end_post", value=spec))
        code = _post_code(post, vocabulary, "end_post")
        day = parse_date(day_text, "end_post")
        open_terms = [i for i, p in enumerate(result) if p.end is None and p.post == code]
        if not open_terms:
            held = join(p.post for p in result if p.end is None) or "-"
            raise ValidationError("end_post", msg("cli.invalid.no_open_post", post=post, held=held))
        for i in open_terms:
            result[i] = PostTerm(result[i].post, result[i].start, day)
    return tuple(result)


def _accept_region(worker: Worker, before: Worker | None, args: argparse.Namespace) -> None:
    """A resident ID whose region code was never seen is saved once the operator confirms it
    (`--accept-unknown-region`, or yes at the prompt); an unchanged stored number is not asked again."""
    if args.accept_unknown_region or (before is not None and before.id_number == worker.id_number):
        return
    warning = region_warning(worker.id_number)
    if warning is None:
        return
    print(t("records.cli.confirm_region", warning=warning.render()), end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except (EOFError, OSError):
        print(file=sys.stderr)
        answer = ""
    if answer.strip().lower() not in {"y", "yes", "是", "确认", "确定"}:
        raise ValidationError("id_number", msg("records.cli.region_declined", warning=warning))


def _status_change(spec: str) -> StatusChange:
    """`STATUS[:SINCE[:REASON]]`; SINCE defaults to today."""
    status_text, _, rest = spec.partition(":")
    since_text, _, reason = rest.partition(":")
    status = parse_enum(status_text, Status, "statuses")
    since = parse_date(since_text, "statuses") if since_text else dt.date.today()
    return StatusChange(status, since, reason)


# --- showing ---------------------------------------------------------------------------------


def document(worker: Worker, community: Community, session: Session) -> dict[str, Any]:
    today = dt.date.today()
    doc: dict[str, Any] = unstructure(worker)
    doc[DERIVED] = {
        "status": worker.status_on(today),
        "age": age_on(worker.birth_date, today),
        "posts_today": list(worker.posts_on(today)),
        "community": {
            "name": community.name,
            "street": community.street,
            "district": community.district,
            "city": community.city,
            "jurisdiction": community.jurisdiction,
        },
    }
    return doc


def describe(worker: Worker, community: Community, session: Session, *, full: bool = True) -> str:
    """The worker as text; without `full`, numbers masked and the birth date cut to the year."""
    today = dt.date.today()
    lexicon = session.lexicon()
    key = community.jurisdiction

    def post(code: str) -> str:
        return lexicon.post(code, key)

    def when(day: dt.date | None) -> str:
        return day.isoformat() if day else t("cli.value.open")

    hukou = worker.hukou
    fields = [
        (t("cli.field.worker_id"), worker.id),
        (t("cli.field.name"), worker.name),
        (t("cli.field.sex"), enum_label(worker.sex)),
        (
            t("cli.field.birth_date"),
            t("cli.value.birth", date=worker.birth_date, age=age_on(worker.birth_date, today))
            if full
            else t("privacy.birth_year", year=mask_birth(worker.birth_date)),
        ),
        (t("cli.field.id_number"), worker.id_number if full else mask_resident_id(worker.id_number)),
        (
            t("cli.field.community"),
            f"{community.name}（{community.id}，{community.district}{community.street}）",
        ),
        (t("cli.field.jurisdiction"), community.jurisdiction),
        (t("cli.field.service_start"), worker.service_start),
        (t("cli.field.entry"), enum_label(worker.entry)),
        (t("cli.field.education"), enum_label(worker.education)),
        (t("cli.field.phone"), (worker.phone if full else mask_phone(worker.phone)) or "-"),
        (
            t("cli.field.hukou"),
            t("cli.value.hukou_urban" if hukou.urban else "cli.value.hukou_rural", city=hukou.city)
            if hukou
            else "-",
        ),
        (t("cli.field.party"), enum_label(worker.party)),
        (t("cli.field.status"), enum_label(worker.status_on(today))),
        (t("cli.field.posts_today"), join(post(p) for p in worker.posts_on(today)) or "-"),
        (t("cli.field.revision"), worker.revision),
    ]
    if worker.note:
        fields.append((t("cli.field.note"), worker.note))
    sections = [format_fields(fields)]

    def section(title: str, headers: list[str], rows: list[tuple[object, ...]]) -> None:
        if rows:
            sections.append(f"\n{t(title)}\n" + format_table([t(h) for h in headers], rows))

    section(
        "cli.section.posts",
        ["cli.col.post", "cli.col.start", "cli.col.end"],
        [(post(p.post), p.start, when(p.end)) for p in sorted(worker.posts, key=lambda p: p.start)],
    )
    section(
        "cli.section.contracts",
        ["cli.col.kind", "cli.col.start", "cli.col.end"],
        [(enum_label(c.kind), c.start, when(c.end)) for c in sorted(worker.contracts, key=lambda c: c.start)],
    )
    section(
        "cli.section.certificates",
        ["cli.col.kind", "cli.col.registered", "cli.col.number"],
        [
            (
                c.name or lexicon.certificate(c.kind, key),
                c.registered,
                c.number,
            )
            for c in worker.certificates
        ],
    )
    section(
        "cli.section.assessments",
        ["cli.col.year", "cli.col.period", "cli.col.grade", "cli.col.scores"],
        [
            (
                a.year,
                enum_label(a.period),
                lexicon.grade(a.grade, key) if a.grade else "-",
                " ".join(f"{k}={v}" for k, v in a.scores.items()),
            )
            for a in sorted(worker.assessments, key=lambda a: (a.year, a.period != "half_year"))
        ],
    )
    section(
        "cli.section.trainings",
        [
            "cli.col.start",
            "cli.col.end",
            "cli.col.kind",
            "cli.col.level",
            "cli.col.hours",
            "cli.col.passed",
            "cli.col.title",
        ],
        [
            (
                tr.start,
                tr.end,
                enum_label(tr.kind),
                enum_label(tr.level),
                tr.hours if tr.hours is not None else "-",
                "-" if tr.passed is None else t("cli.value.yes" if tr.passed else "cli.value.no"),
                tr.title,
            )
            for tr in worker.trainings
        ],
    )
    section(
        "cli.section.absences",
        ["cli.col.start", "cli.col.end", "cli.col.kind", "cli.col.days", "cli.col.note"],
        [(a.start, a.end, enum_label(a.kind), a.days, a.note) for a in worker.absences],
    )
    section(
        "cli.section.statuses",
        ["cli.col.since", "cli.col.status", "cli.col.reason"],
        [(s.since, enum_label(s.status), s.reason) for s in sorted(worker.statuses, key=lambda s: s.since)],
    )
    section(
        "cli.section.awards",
        ["cli.col.date", "cli.col.title", "cli.col.level"],
        [(a.date, a.title, a.level) for a in worker.awards],
    )
    section(
        "cli.section.secondments",
        ["cli.col.start", "cli.col.end", "cli.col.to", "cli.col.approved"],
        [
            (s.start, when(s.end), s.to, t("cli.value.yes" if s.approved else "cli.value.no"))
            for s in worker.secondments
        ],
    )
    section(
        "cli.section.decisions",
        ["cli.col.kind", "cli.col.date", "cli.col.appealed", "cli.col.answered", "cli.col.note"],
        [
            (d.kind, d.decided_on, d.appealed_on or "-", d.answered_on or "-", d.note)
            for d in worker.decisions
        ],
    )
    if worker.health_checks:
        sections.append(f"\n{t('cli.section.health_checks')}\n" + join(str(d) for d in worker.health_checks))
    in_service = worker.status_on(today) in IN_SERVICE
    if not in_service:
        sections.append("\n" + t("cli.worker.not_in_service"))
    return "\n".join(sections)


def changed_fields(before: Any, after: Any) -> list[str]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    keys = sorted(set(before) | set(after))
    return [k for k in keys if k != "revision" and before.get(k) != after.get(k)]


def _report_saved(worker: Worker, session: Session, key: str) -> int:
    if session.json:
        community = session.registry().get_community(worker.community_id)
        print_json(document(worker, community, session))
    else:
        print_text(t(key, id=worker.id, name=worker.name, revision=worker.revision))
    return 0
