"""`shegong community add|show|list|edit`.

A community names the jurisdiction whose rules apply to its workers, so `add` and `edit` accept
only a jurisdiction that is loaded (`shegong plugins` lists them).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs

from core.errors import ValidationError
from core.i18n import msg, t
from core.model import IN_SERVICE, Community, CommunityKind
from core.repository import WorkerQuery
from tui.cli import values
from tui.cli.errors import Field
from tui.cli.labels import enum_label
from tui.cli.options import Session, parse_enum, parse_int
from tui.cli.output import format_fields, format_table, join, print_json, print_text

if TYPE_CHECKING:
    from tui.cli.parser import ShegongParser

FIELDS = {
    "id": Field("cli.field.community_id", "--id"),
    "name": Field("cli.field.community_name", "--name"),
    "street": Field("cli.field.street", "--street"),
    "district": Field("cli.field.district", "--district"),
    "city": Field("cli.field.city", "--city"),
    "jurisdiction": Field("cli.field.jurisdiction", "--jurisdiction"),
    "kind": Field("cli.field.community_kind", "--kind"),
    "households_resident": Field("cli.field.households_resident", "--households-resident"),
    "households_registered": Field("cli.field.households_registered", "--households-registered"),
    "population": Field("cli.field.population", "--population"),
    "new_residents": Field("cli.field.new_residents", "--new-residents"),
    "grid_count": Field("cli.field.grid_count", "--grid-count"),
    "office_area": Field("cli.field.office_area", "--office-area"),
    "target_ranks": Field("cli.field.target_ranks", "--target-rank"),
    "post_quotas": Field("cli.field.post_quotas", "--post-quota"),
    "revision": Field("cli.field.revision", "--revision"),
}
TEXT_FIELDS = ("name", "street", "district", "city")
COUNT_FIELDS = ("households_resident", "households_registered", "population", "new_residents", "grid_count")
REQUIRED = ("id", "name", "street", "district", "city", "jurisdiction")


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    from tui.cli.parser import ShegongParser

    group = subparsers.add_parser(
        "community", help=t("cli.community.help"), description=t("cli.community.description")
    )
    actions = group.add_subparsers(
        dest="action",
        required=True,
        title=t("cli.group.actions"),
        metavar="ACTION",
        parser_class=ShegongParser,
    )
    add = actions.add_parser("add", parents=[common], help=t("cli.community.add.help"))
    add.add_argument("--id", metavar="ID", help=t("cli.community.opt.id"))
    _field_options(add)
    add.set_defaults(handler=run_add, _parser=add)

    show = actions.add_parser("show", parents=[common], help=t("cli.community.show.help"))
    show.add_argument("id", metavar="ID", help=t("cli.community.opt.id"))
    show.set_defaults(handler=run_show)

    lister = actions.add_parser("list", parents=[common], help=t("cli.community.list.help"))
    lister.add_argument("--street", metavar="S", help=t("cli.opt.filter_street"))
    lister.add_argument("--district", metavar="D", help=t("cli.opt.filter_district"))
    lister.add_argument("--jurisdiction", metavar="J", help=t("cli.opt.filter_jurisdiction"))
    lister.set_defaults(handler=run_list)

    edit = actions.add_parser("edit", parents=[common], help=t("cli.community.edit.help"))
    edit.add_argument("id", metavar="ID", help=t("cli.community.opt.id"))
    _field_options(edit)
    edit.add_argument("--revision", type=values.revision, metavar="N", help=t("cli.community.opt.revision"))
    edit.set_defaults(handler=run_edit, _parser=edit)


def _field_options(parser: ShegongParser) -> None:
    for name in TEXT_FIELDS:
        parser.add_argument(f"--{name}", metavar="TEXT", help=t(f"cli.community.opt.{name}"))
    parser.add_argument("--jurisdiction", metavar="KEY", help=t("cli.community.opt.jurisdiction"))
    kinds = "|".join(k.value for k in CommunityKind)
    parser.add_argument("--kind", metavar=kinds, help=t("cli.community.opt.kind"))
    for name in COUNT_FIELDS:
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=values.count,
            metavar="N",
            help=t(f"cli.community.opt.{name}"),
        )
    parser.add_argument(
        "--office-area", type=values.office_area, metavar="M2", help=t("cli.community.opt.office_area")
    )
    parser.add_argument(
        "--target-rank",
        action="append",
        metavar="YEAR:RANK",
        help=t("cli.community.opt.target_rank"),
    )
    parser.add_argument(
        "--post-quota",
        action="append",
        metavar="POST_TYPE:COUNT",
        help=t("cli.community.opt.post_quota"),
    )


def _changes(args: argparse.Namespace, session: Session) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = getattr(args, name)
        if value is not None:
            changes[name] = value.strip()
    if args.jurisdiction is not None:
        key = args.jurisdiction.strip()
        known = session.jurisdictions().keys
        if key not in known:
            raise ValidationError(
                "jurisdiction", msg("cli.invalid.jurisdiction", value=key, known=join(known) or "-")
            )
        changes["jurisdiction"] = key
    if args.kind is not None:
        changes["kind"] = parse_enum(args.kind, CommunityKind, "kind")
    for name in COUNT_FIELDS:
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.office_area is not None:
        changes["office_area"] = args.office_area
    return changes


def _pairs(specs: list[str] | None, field: str, *, int_keys: bool) -> dict[Any, int]:
    """`2025:2` (year: rank) or `reserve_cadre:2` (post type: quota)."""
    out: dict[Any, int] = {}
    for spec in specs or []:
        key, sep, value = spec.partition(":")
        if not sep or not key.strip():
            raise ValidationError(field, msg("cli.invalid.pair", value=spec))
        parsed_key: Any = (
            parse_int(key, field, minimum=1949, maximum=values.LAST_YEAR) if int_keys else key.strip()
        )
        out[parsed_key] = parse_int(
            value, f"{field}[{key.strip()}]", minimum=1 if int_keys else 0, maximum=values.MAX_COUNT
        )
    return out


def run_add(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    missing = [f"--{name}" for name in REQUIRED if getattr(args, name) is None]
    if missing:
        args._parser.error(t("cli.error.required", options=", ".join(missing)))
    changes = _changes(args, session)
    community = Community(
        id=args.id.strip(),
        target_ranks=_pairs(args.target_rank, "target_ranks", int_keys=True),
        post_quotas=_pairs(args.post_quota, "post_quotas", int_keys=False),
        **changes,
    )
    stored = registry.add_community(community)
    return _report_saved(stored, session, "cli.community.added")


def run_edit(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry(write=True)
    current = registry.get_community(args.id)
    changes = _changes(args, session)
    if args.target_rank:
        changes["target_ranks"] = {
            **current.target_ranks,
            **_pairs(args.target_rank, "target_ranks", int_keys=True),
        }
    if args.post_quota:
        changes["post_quotas"] = {
            **current.post_quotas,
            **_pairs(args.post_quota, "post_quotas", int_keys=False),
        }
    if not changes:
        args._parser.error(t("cli.error.nothing_to_change"))
    if args.revision is not None:
        changes["revision"] = args.revision
    stored = registry.update_community(attrs.evolve(current, **changes))
    return _report_saved(stored, session, "cli.community.updated")


def run_show(args: argparse.Namespace, session: Session) -> int:
    session.fields = FIELDS
    registry = session.registry()
    community = registry.get_community(args.id)
    counts = _headcount(session, community.id)
    if session.json:
        print_json(document(community, counts))
        return 0
    fields = [
        (t("cli.field.community_id"), community.id),
        (t("cli.field.community_name"), community.name),
        (t("cli.field.area"), f"{community.city} {community.district} {community.street}"),
        (t("cli.field.jurisdiction"), _jurisdiction_name(session, community.jurisdiction)),
        (t("cli.field.community_kind"), enum_label(community.kind)),
        (t("cli.field.households_resident"), community.households_resident),
        (t("cli.field.households_registered"), community.households_registered),
        (t("cli.field.population"), community.population),
        (t("cli.field.new_residents"), community.new_residents),
        (t("cli.field.grid_count"), community.grid_count),
        (t("cli.field.office_area"), f"{community.office_area} m²"),
        (
            t("cli.field.target_ranks"),
            join(t("cli.value.rank", year=y, rank=r) for y, r in sorted(community.target_ranks.items()))
            or "-",
        ),
        (
            t("cli.field.post_quotas"),
            join(f"{k}={v}" for k, v in sorted(community.post_quotas.items())) or "-",
        ),
        (t("cli.field.workers_in_service"), t("cli.value.headcount", in_service=counts[0], total=counts[1])),
        (t("cli.field.revision"), community.revision),
    ]
    print_text(format_fields(fields))
    return 0


def run_list(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry()
    communities = registry.communities(
        street=args.street, district=args.district, jurisdiction=args.jurisdiction
    )
    today = dt.date.today()
    in_service: Counter[str] = Counter()
    for w in registry.workers():
        if w.status_on(today) in IN_SERVICE:
            in_service[w.community_id] += 1
    communities.sort(key=lambda c: (c.jurisdiction, c.district, c.street, c.id))
    if session.json:
        print_json([document(c, (in_service[c.id], None)) for c in communities])
        return 0
    headers = [
        "community_id",
        "community",
        "district",
        "street",
        "jurisdiction",
        "households",
        "population",
        "workers",
    ]
    rows = [
        (
            c.id,
            c.name,
            c.district,
            c.street,
            c.jurisdiction,
            c.households_resident,
            c.population,
            in_service[c.id],
        )
        for c in communities
    ]
    print_text(
        format_table([t(f"cli.col.{h}") for h in headers], rows)
        + "\n"
        + t("cli.community.count", count=len(rows))
    )
    return 0


def document(community: Community, counts: tuple[int, int | None]) -> dict[str, Any]:
    from core.convert import unstructure

    doc: dict[str, Any] = unstructure(community)
    doc["workers_in_service"] = counts[0]
    if counts[1] is not None:
        doc["workers_total"] = counts[1]
    return doc


def _headcount(session: Session, community_id: str) -> tuple[int, int]:
    workers = session.registry().workers(WorkerQuery(community=community_id))
    today = dt.date.today()
    return sum(1 for w in workers if w.status_on(today) in IN_SERVICE), len(workers)


def _jurisdiction_name(session: Session, key: str) -> str:
    js = session.jurisdictions()
    if key not in js.keys:
        return t("cli.value.jurisdiction_not_loaded", key=key)
    info = js.info(key)
    return f"{info.zh if session.lang == 'zh' else info.en}（{key}）"


def _report_saved(community: Community, session: Session, key: str) -> int:
    if session.json:
        print_json(document(community, _headcount(session, community.id)))
    else:
        print_text(t(key, id=community.id, name=community.name, revision=community.revision))
    return 0
