"""`shegong plugins`: which jurisdictions are loaded, what documents they implement, which of
their parameters still need a number, and which plugins failed to load and why.

It needs no registry; if one exists at `--db`, its parameter overrides are counted as set.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.errors import ShegongError
from core.i18n import t
from core.jurisdictions import ROOT_KEY
from tui.cli.options import Session
from tui.cli.output import format_table, print_json, print_text

if TYPE_CHECKING:
    from core.jurisdictions import Jurisdictions
    from tui.cli.parser import ShegongParser


def register(subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser) -> None:
    parser = subparsers.add_parser(
        "plugins", parents=[common], help=t("cli.plugins.help"), description=t("cli.plugins.description")
    )
    parser.set_defaults(handler=run)


def describe(js: Jurisdictions, lang: str) -> dict[str, Any]:
    jurisdictions = []
    for key in js.keys:
        loaded = js.loaded(key)
        info = loaded.info
        entry: dict[str, Any] = {
            "key": key,
            "zh": info.zh,
            "en": info.en,
            "parent": info.parent,
            "origin": loaded.origin,
            "documents": [
                {"file": d.file, "title": d.zh, "title_en": d.en, "parts": list(d.parts)}
                for d in info.documents
            ],
        }
        try:
            # The national root's parameters are listed once, under `national`, not under every key.
            specs = [s for s in js.params(key) if s.jurisdiction != ROOT_KEY or key == ROOT_KEY]
        except ShegongError as exc:  # a bad override in the registry's params.toml
            entry.update(parameters=None, unset=None, unset_names=[], error=exc.render(lang))
        else:
            unset = [s.name for s in specs if not s.values]
            entry.update(parameters=len(specs), unset=len(unset), unset_names=unset, error=None)
        jurisdictions.append(entry)
    broken = [{"name": b.name, "error": b.error} for b in js.broken]
    return {"jurisdictions": jurisdictions, "broken": broken}


def run(args: argparse.Namespace, session: Session) -> int:
    data = describe(session.jurisdictions(), session.lang)
    if session.json:
        print_json(data)
        return 0
    name_of, title_of = ("zh", "title") if session.lang == "zh" else ("en", "title_en")
    headers = [
        t("cli.col.key"),
        t("cli.col.name"),
        t("cli.col.parent"),
        t("cli.col.parameters"),
        t("cli.col.unset"),
        t("cli.col.documents"),
    ]
    rows: list[tuple[object, ...]] = []
    for j in data["jurisdictions"]:
        # a document by its own title; the seed file is in --json only
        titles = [d[title_of] or d["title"] for d in j["documents"]]
        docs = [f"《{x}》" if session.lang == "zh" else x for x in titles] or ["-"]  # as Citation.shown
        params = "?" if j["parameters"] is None else j["parameters"]
        unset = j["error"] or j["unset"]
        rows.append((j["key"], j[name_of] or j["zh"], j["parent"] or "-", params, unset, docs[0]))
        rows.extend(("", "", "", "", "", doc) for doc in docs[1:])
    lines = [format_table(headers, rows)]
    if data["broken"]:
        lines += ["", t("cli.plugins.broken", count=len(data["broken"]))]
        lines += [f"  {b['name']}: {b['error']}" for b in data["broken"]]
    print_text("\n".join(lines))
    return 0
