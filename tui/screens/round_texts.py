"""How an assessment round reads on screen: a row per worker, the detail of one, the quota
meter's lines and the consequences of closing, in the operator's language.

A round keeps reasons and consequences as rendered data per language (so a saved round reads the
same tomorrow); these functions pick the operator's language and add the citation as the
document's title, article and file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.assessment import Entry, Round
from core.errors import ShegongError
from core.i18n import current_language, t
from core.model import Community, Grade, Period, Worker
from core.scope import describe_scope_text as stored_scope_label
from tui.labels import EMPTY, Lexicon, enum_label, listing, paren
from tui.screens.roster import initials
from tui.widgets.quota_meter import MeterRow

if TYPE_CHECKING:
    from core.results import Citation

SEPARATOR = "\x00"  # between fields of a haystack, so a filter never matches across two fields


@dataclass(frozen=True)
class Place:
    """What the round itself does not keep about a worker: their community and recorded scores."""

    community: str
    scores: str


def _rendered(item: Mapping[str, Any]) -> Mapping[str, Any] | str:
    """A stored reason or consequence in the operator's language (a dict, or an error's text)."""
    value = item.get(current_language()) or item.get("zh") or ""
    return value if isinstance(value, Mapping | str) else str(value)


def cite(lexicon: Lexicon, citation: Mapping[str, Any] | str | None) -> str:
    """`〔《title》article〕`: the document by its own title, never the file it is in."""
    if not citation:
        return ""
    return f"〔{lexicon.cite(citation)}〕"


def article_first(lexicon: Lexicon, citation: Citation) -> str:
    """`第二十八条 · 《title》`: a quota bar cut at 80 columns keeps the article."""
    titled = lexicon.titled(citation)
    title = titled.shown().removesuffix(titled.clause).rstrip(", ")
    return f"{titled.clause} · {title}" if titled.clause else title


def item_lines(lexicon: Lexicon, items: Sequence[Mapping[str, Any]], mark: str) -> list[str]:
    lines = []
    for item in items:
        rendered = _rendered(item)
        if isinstance(rendered, str):
            lines.append(f"{mark} {rendered}")
        else:
            lines.append(f"{mark} {rendered.get('text', '')}")
            citation = cite(lexicon, rendered.get("citation"))
            if citation:
                lines.append(f"  {citation}")
    return lines


def first_reason(entry: Entry) -> str:
    if entry.error:
        return entry.error.get(current_language()) or next(iter(entry.error.values()), "")
    for item in entry.reasons:
        rendered = _rendered(item)
        return rendered if isinstance(rendered, str) else str(rendered.get("text", ""))
    return ""


def unit_label(unit: str, communities: Mapping[str, Community], *, short: bool = False) -> str:
    """`street:鹿城区/五马街道` as 鹿城区五马街道 (or 五马街道), `community:id` as its name."""
    kind, _, value = unit.partition(":")
    if kind == "street" and "/" in value:
        district, street = value.split("/", 1)
        return street if short else t("scope.street", district=district, street=street)
    if kind == "community":
        c = communities.get(value)
        return c.name if c is not None else value
    return unit


def recorded_scores(worker: Worker, year: int, period: str) -> str:
    for a in worker.assessments:
        if a.year == year and a.period == period and a.scores:
            return listing([f"{name} {value}" for name, value in a.scores.items()])
    return ""


@dataclass(frozen=True)
class RoundRows:
    """The round as the table shows it: rows in unit order, their keys and search texts."""

    rows: list[tuple[str, ...]]
    keys: list[int]
    haystacks: list[str]
    places: dict[int, Place]


class RoundTexts:
    """Labels of one round's grades, units and workers, in the operator's language."""

    def __init__(self, lexicon: Lexicon, communities: Mapping[str, Community]) -> None:
        self.lexicon = lexicon
        self.communities = communities

    def grade(self, code: str | None, jurisdiction: str) -> str:
        return self.lexicon.grade(code, jurisdiction) if code else EMPTY

    def row(self, entry: Entry, place: Place) -> tuple[tuple[str, ...], str]:
        forced = t("ui.round.forced") if entry.forced else ""
        proposed = (
            self.grade(entry.proposed, entry.jurisdiction) if entry.proposed else t("ui.round.no_proposal")
        )
        cells = (
            str(entry.worker_id),
            entry.name,
            place.community,
            unit_label(entry.unit, self.communities, short=True),
            str(entry.score) if entry.score is not None else EMPTY,
            proposed,
            self.grade(entry.decided, entry.jurisdiction),
            forced,
            first_reason(entry),
        )
        unit = unit_label(entry.unit, self.communities)
        fields = [entry.name, initials(entry.name), str(entry.worker_id), place.community, unit, proposed]
        if entry.decided is not None:
            fields += [cells[6], t("ui.round.decided_word")]
        else:
            fields.append(t("ui.round.undecided_word"))
        if forced:
            fields.append(forced)
        return cells, SEPARATOR.join(fields).lower()

    def build(self, r: Round, workers: Mapping[int, Worker]) -> RoundRows:
        rows, keys, haystacks = [], [], []
        places: dict[int, Place] = {}
        for e in sorted(r.entries, key=lambda e: (e.unit, e.worker_id)):
            worker = workers.get(e.worker_id)
            community = self.communities.get(worker.community_id) if worker is not None else None
            place = Place(
                community.name if community is not None else EMPTY,
                recorded_scores(worker, r.year, r.period) if worker is not None else "",
            )
            places[e.worker_id] = place
            cells, haystack = self.row(e, place)
            rows.append(cells)
            keys.append(e.worker_id)
            haystacks.append(haystack)
        return RoundRows(rows, keys, haystacks, places)

    def meter(self, r: Round) -> list[MeterRow]:
        jurisdiction = {e.unit: e.jurisdiction for e in r.entries}
        return [
            MeterRow(
                q.unit,
                unit_label(q.unit, self.communities),
                self.grade(q.grade, jurisdiction.get(q.unit, "")),
                q.used,
                q.limit,
                article_first(self.lexicon, q.cited),
            )
            for q in r.quotas
        ]

    def detail(self, r: Round, entry: Entry, place: Place) -> str:
        head = t("ui.round.detail.head", name=entry.name, id=entry.worker_id, community=place.community)
        head += " · " + unit_label(entry.unit, self.communities)
        proposed = (
            self.grade(entry.proposed, entry.jurisdiction) if entry.proposed else t("ui.round.no_proposal")
        )
        if entry.forced:
            proposed += paren(t("ui.round.forced_long"))
        decided = self.grade(entry.decided, entry.jurisdiction)
        lines = [head, t("ui.round.detail.grades", proposed=proposed, decided=decided)]
        if entry.score is not None or place.scores:
            score = str(entry.score) if entry.score is not None else EMPTY
            lines.append(t("ui.round.detail.score", score=score, scores=place.scores or EMPTY))
        if entry.error:
            lines.append("  ! " + first_reason(entry))
        lines += ["  " + line for line in item_lines(self.lexicon, entry.reasons, "·")]
        consequences = r.consequences.get(str(entry.worker_id), ())
        if consequences:
            lines.append(t("ui.round.detail.consequences"))
            lines += ["  " + line for line in item_lines(self.lexicon, consequences, "→")]
        return "\n".join(lines)

    def consequence_lines(self, r: Round, found: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
        entries = {e.worker_id: e for e in r.entries}
        lines: list[str] = []
        for worker_id, items in found.items():
            e = entries.get(int(worker_id))
            if e is None:
                continue
            lines.append(
                t(
                    "ui.round.close.worker",
                    name=e.name,
                    id=e.worker_id,
                    grade=self.grade(e.grade, e.jurisdiction),
                )
            )
            lines += ["    " + line for line in item_lines(self.lexicon, items, "→")]
        return lines

    def grade_counts(self, r: Round) -> str:
        counts = Counter((e.grade, e.jurisdiction) for e in r.entries if e.grade is not None)
        merged: Counter[str] = Counter()
        for (grade, jurisdiction), n in counts.items():
            merged[self.grade(grade, jurisdiction)] += n
        return listing([t("ui.round.count_of", label=label, count=n) for label, n in merged.items()])


def grades_of(lexicon: Lexicon, jurisdiction: str) -> list[str]:
    """The grades a jurisdiction declares, best first; core's grades if it declares none."""
    try:
        declared = list(lexicon.jurisdictions.vocabulary(jurisdiction, "grades"))
    except ShegongError:
        declared = []
    return declared or [g.value for g in Grade]


def round_name(r: Round) -> str:
    return t(
        "ui.round.name", year=r.year, period=enum_label(Period(r.period)), scope=stored_scope_label(r.scope)
    )
