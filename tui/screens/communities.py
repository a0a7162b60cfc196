"""Every community with its staffing: required (the jurisdiction's rule) against in post.

The staffing review runs in a background thread (`core.review.staffing_review`); a community
short of its requirement, as a whole or in one post type, is drawn in the error colour and says
so in words, one over it in the warning colour. Below the list, each street's totals; enter on a
street narrows the list to it, enter on a community opens it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType

from core.i18n import t
from core.repository import Repository
from core.review import CommunityStaffing, staffing_review, street_totals
from core.rules import Rules
from core.scope import Scope
from tui.bindings import key
from tui.cli.rules_cmds import community_gap, gap_text, required_text, type_rows
from tui.labels import EMPTY, Lexicon
from tui.messages import RowSelected
from tui.screens.base import PaletteCommand
from tui.screens.filtered import FilteredListScreen
from tui.screens.roster import SEPARATOR, initials
from tui.widgets.marked_table import MarkedTable
from tui.widgets.virtual_table import Column

# (key, max width, align)
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("name", 12, "left"),
    ("district", 8, "left"),
    ("street", 10, "left"),
    ("jurisdiction", 10, "left"),
    ("households", 6, "right"),
    ("population", 7, "right"),
    ("in_post", 4, "right"),
    ("required", 8, "right"),
    ("gap", 14, "left"),
)


def staffing_mark(row: CommunityStaffing, lexicon: Lexicon) -> str | None:
    """ "error" for a shortfall (whole or by type), "warning" for a surplus or no answer."""
    if row.requirement is None:
        return "warning"
    types = type_rows(row, lexicon)
    if row.shortfall or any(tr.shortfall for tr in types):
        return "error"
    if row.surplus or any(tr.surplus for tr in types):
        return "warning"
    return None


def required_cell(row: CommunityStaffing) -> str:
    req = row.requirement
    return required_text(req.minimum, req.maximum) if req is not None else t("cli.value.unknown")


def street_label(key: str) -> str:
    """`鹿城区/五马街道` as an operator reads it: `鹿城区 五马街道`."""
    return key.replace("/", " ")


@dataclass(frozen=True)
class CommunitiesData:
    staffing: dict[str, CommunityStaffing]
    rows: list[tuple[str, ...]]
    keys: list[str]
    haystacks: list[str]
    sort_keys: dict[int, list[Any]]
    marks: dict[int, str]
    streets: list[tuple[str, str, str, str]]
    street_keys: list[str]
    street_marks: dict[int, str]


def build_communities(rows: Sequence[CommunityStaffing], lexicon: Lexicon) -> CommunitiesData:
    """Cells, haystacks, sort keys and marks for each community, then the street totals."""
    cells: list[tuple[str, ...]] = []
    keys: list[str] = []
    haystacks: list[str] = []
    sort_columns: list[list[Any]] = [[] for _ in COLUMNS]
    marks: dict[int, str] = {}
    for i, row in enumerate(rows):
        c = row.community
        req = row.requirement
        jurisdiction = lexicon.jurisdiction(c.jurisdiction)
        gap = community_gap(row, lexicon)
        line = (
            c.name,
            c.district,
            c.street,
            jurisdiction,
            str(c.households_resident),
            str(c.population),
            str(row.in_post),
            required_cell(row),
            gap,
        )
        cells.append(line)
        keys.append(c.id)
        fields = [c.name, initials(c.name), c.id, c.district, c.street, jurisdiction, c.jurisdiction, gap]
        haystacks.append(SEPARATOR.join(fields).lower())
        values: tuple[Any, ...] = (
            (initials(c.name), c.name),
            c.district,
            c.street,
            jurisdiction,
            c.households_resident,
            c.population,
            row.in_post,
            req.minimum if req is not None else -1,
            # Worst first when sorted descending: the biggest shortfall, then by-type gaps.
            (row.shortfall, staffing_mark(row, lexicon) == "error", -row.surplus),
        )
        for column, value in enumerate(values):
            sort_columns[column].append(value)
        mark = staffing_mark(row, lexicon)
        if mark is not None:
            marks[i] = mark
    streets: list[tuple[str, str, str, str]] = []
    street_keys: list[str] = []
    street_marks: dict[int, str] = {}
    for i, (street, (present, low, high)) in enumerate(street_totals(list(rows)).items()):
        if low is None:
            required, gap = t("cli.value.unknown"), EMPTY
            street_marks[i] = "warning"
        else:
            shortfall = max(0, low - present)
            surplus = 0 if high is None else max(0, present - high)
            required, gap = required_text(low, high), gap_text(shortfall, surplus)
            if shortfall:
                street_marks[i] = "error"
            elif surplus:
                street_marks[i] = "warning"
        streets.append((street_label(street), str(present), required, gap))
        street_keys.append(street)
    return CommunitiesData(
        staffing={r.community.id: r for r in rows},
        rows=cells,
        keys=keys,
        haystacks=haystacks,
        sort_keys=dict(enumerate(sort_columns)),
        marks=marks,
        streets=streets,
        street_keys=street_keys,
        street_marks=street_marks,
    )


def load_communities(registry: Repository, rules: Rules, lexicon: Lexicon, today: dt.date) -> CommunitiesData:
    return build_communities(staffing_review(registry, rules, Scope(), today), lexicon)


class CommunitiesScreen(FilteredListScreen):
    """The communities with staffing required against in post; enter opens one."""

    TITLE_KEY = "ui.comm.title"
    HELP_KEY = "ui.comm.help"
    FILTER_PLACEHOLDER_KEY = "ui.comm.filter_placeholder"
    FAILED_KEY = "ui.comm.failed"

    CSS = (
        FilteredListScreen.CSS
        + """
    CommunitiesScreen #street-totals {
        height: auto;
        max-height: 7;
        border: round $primary-muted;
        border-title-color: $text;
        &:focus {
            border: round $accent;
        }
    }
    CommunitiesScreen.-tall #street-totals {
        max-height: 12;
    }
    """
    )
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (Textual declares it unannotated)

    BINDINGS: ClassVar[list[BindingType]] = [
        key("t", "focus_streets", "comm.streets"),
        key("a", "add_community", "comm.add"),
    ]

    def __init__(self) -> None:
        super().__init__(id="communities")

    def columns(self) -> list[Column]:
        return [
            Column(
                name,
                t(f"ui.comm.col.{name}"),
                max_width=limit,
                align="right" if align == "right" else "left",
                flex=name == "name",
                shrink=False,
            )
            for name, limit, align in COLUMNS
        ]

    def select_text(self) -> str:
        return t("ui.key.comm.open")

    def compose_below(self) -> ComposeResult:
        totals = MarkedTable(
            [
                Column("street", t("ui.comm.col.street_name"), max_width=30, flex=True),
                Column("in_post", t("ui.comm.col.in_post"), max_width=6, align="right"),
                Column("required", t("ui.comm.col.required"), max_width=8, align="right"),
                Column("gap", t("ui.comm.col.gap"), max_width=10),
            ],
            id="street-totals",
            empty_text=t("ui.common.computing"),
            select_text=t("ui.key.comm.filter_street"),
        )
        totals.border_title = t("ui.comm.streets")
        yield totals

    @property
    def streets(self) -> MarkedTable:
        return self.query_one("#street-totals", MarkedTable)

    def compute(self) -> CommunitiesData:
        app = self.shegong
        return load_communities(app.registry, app.rules, app.lexicon, app.today)

    def show_data(self, data: CommunitiesData) -> None:
        table = self.table
        table.empty_text = t("ui.comm.no_match")
        table.marks = data.marks
        table.set_data(data.rows, keys=data.keys, haystacks=data.haystacks, sort_keys=data.sort_keys)
        streets = self.streets
        streets.empty_text = t("ui.common.none")
        streets.marks = data.street_marks
        streets.set_data(data.streets, keys=data.street_keys)

    def status_parts(self) -> list[str]:
        data = self.data
        if not isinstance(data, CommunitiesData):
            return []
        short = sum(1 for mark in data.marks.values() if mark == "error")
        needed = sum(r.shortfall for r in data.staffing.values())
        unknown = sum(1 for r in data.staffing.values() if r.requirement is None)
        parts = [t("ui.comm.short_count", communities=short, people=needed)]
        if unknown:
            parts.append(t("ui.comm.unknown_count", count=unknown))
        return parts

    @on(RowSelected, "#list-table")
    def _open(self, event: RowSelected) -> None:
        if isinstance(event.key, str):
            self.open_community(event.key)

    @on(RowSelected, "#street-totals")
    def _filter_street(self, event: RowSelected) -> None:
        if isinstance(event.key, str):
            self.set_filter(event.key.split("/", 1)[-1])

    def open_community(self, community_id: str) -> None:
        from tui.screens.community_detail import CommunityDetailScreen

        staffing = self.data.staffing.get(community_id) if isinstance(self.data, CommunitiesData) else None
        self.app.push_screen(CommunityDetailScreen(community_id, staffing))

    def action_focus_streets(self) -> None:
        self.streets.focus()

    def action_add_community(self) -> None:
        """`a`: the community form, empty; the list reloads after a save to show the new row."""
        self.shegong.open_community_form(None, on_saved=self._reload_after_save)

    def _reload_after_save(self, _saved: object) -> None:
        self.load()

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (t("ui.cmd.comm_streets"), t("ui.tip.comm.streets"), self.action_focus_streets),
            *self.list_commands(),
        ]
