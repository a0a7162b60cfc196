"""One community: its record, what its jurisdiction requires it to staff (with the article that
says so) against who is in post, by post type, and its workers; enter on a worker opens them.

The staffing is recomputed for this community alone in a background thread, so the figures are
current even when the list that opened the screen was computed a while ago.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, Tabs

from core.errors import NotFound
from core.i18n import t
from core.model import Community, Worker
from core.repository import WorkerQuery
from core.review import CommunityStaffing, staffing_review
from core.scope import Scope
from tui.bindings import key
from tui.cli.rules_cmds import community_gap, error_text, required_text, type_rows
from tui.labels import EMPTY, Lexicon, enum_label, fmt_date, listing, mask_id, paren, status_label
from tui.messages import LoadFailed, OpenWorker, RowSelected
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.screens.communities import staffing_mark
from tui.widgets.marked_table import MarkedTable
from tui.widgets.virtual_table import Column, VirtualTable

TABS = ("workers", "staffing", "record")
_STATUS_ORDER = {"active": 0, "probation": 1}


@dataclass
class StaffingComputed(Message):
    community_id: str
    staffing: CommunityStaffing


def staffing_lines(row: CommunityStaffing, lexicon: Lexicon) -> list[str]:
    """The requirement in words: required, in post, the gap, the article, the rule's reasons."""
    req = row.requirement
    if req is None:
        reason = error_text(row.error, row.community.jurisdiction, "staffing", lexicon)
        return [t("ui.comm.detail.no_requirement", reason=reason or EMPTY)]
    lines = [
        t(
            "ui.comm.detail.requirement",
            required=required_text(req.minimum, req.maximum),
            in_post=row.in_post,
            gap=community_gap(row, lexicon),
        ),
        t("ui.cite.basis", cite=lexicon.cite(req.citation)),
    ]
    for step in req.reasons:
        line = "· " + step.text.render()
        if step.citation is not None:
            line += paren(lexicon.cite(step.citation))
        lines.append(line)
    return lines


def worker_row(worker: Worker, lexicon: Lexicon, jurisdiction: str, today: dt.date) -> tuple[str, ...]:
    contract = worker.contract_on(today)
    posts = [lexicon.post(p, jurisdiction) for p in dict.fromkeys(worker.posts_on(today))]
    return (
        worker.name,
        listing(posts),
        status_label(worker.status_on(today)),
        fmt_date(worker.service_start),
        fmt_date(contract.end) if contract is not None and contract.end else EMPTY,
        mask_id(worker.id_number),
        str(worker.id),
    )


class CommunityDetailScreen(ShegongScreen[None]):
    """A community's staffing, workers and record, in tabs; enter on a worker opens them."""

    TITLE_KEY = "ui.comm.detail.title"
    HELP_KEY = "ui.comm.detail.help"

    SCOPED_CSS = False
    CSS = """
    CommunityDetailScreen {
        & #community-heading {
            height: 1;
            padding: 0 1;
            text-style: bold;
        }
        & #community-staffing {
            height: auto;
            max-height: 4;
            padding: 0 1;
            background: $panel;
        }
        & #community-tabs, & #community-tabs ContentSwitcher {
            height: 1fr;
        }
        & #community-tabs TabPane {
            padding: 0;
            height: 1fr;
        }
        & VirtualTable, & VirtualTable:focus {
            border: none;
        }
        & #community-staffing.-short {
            color: $text-error;
        }
        & #community-reasons {
            height: auto;
            max-height: 40%;
            padding: 0 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("right_square_bracket", "next_tab", "comm.next_tab"),
        key("left_square_bracket", "previous_tab", "comm.previous_tab"),
        key("e", "edit_community", "comm.edit"),
        key("ctrl+r", "reload", "comm.reload", show=False),
    ]

    def __init__(self, community_id: str, staffing: CommunityStaffing | None = None) -> None:
        super().__init__(classes="community-detail")
        self.community_id = community_id
        self.community: Community | None = None
        self.staffing: CommunityStaffing | None = staffing
        self.people: list[Worker] = []

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.common.loading"), id="community-heading", markup=False)
        yield Static(t("ui.common.computing"), id="community-staffing", markup=False)
        with TabbedContent(id="community-tabs", initial="tab-workers"):
            with TabPane(t("ui.comm.detail.tab.workers"), id="tab-workers"):
                yield VirtualTable(
                    [
                        Column("name", t("ui.comm.detail.col.name"), max_width=8),
                        Column("posts", t("ui.comm.detail.col.posts"), max_width=20, flex=True, min_width=8),
                        Column("status", t("ui.comm.detail.col.status"), max_width=10),
                        Column("service", t("ui.comm.detail.col.service"), max_width=10),
                        Column("contract_end", t("ui.comm.detail.col.contract_end"), max_width=10),
                        Column("id_number", t("ui.comm.detail.col.id_number"), max_width=18),
                        Column("id", t("ui.comm.detail.col.id"), max_width=7, align="right"),
                    ],
                    id="community-workers",
                    empty_text=t("ui.common.loading"),
                    select_text=t("ui.key.comm.open_worker"),
                )
            with TabPane(t("ui.comm.detail.tab.staffing"), id="tab-staffing"):
                yield MarkedTable(
                    [
                        Column("type", t("ui.comm.detail.col.type"), max_width=20, flex=True, min_width=8),
                        Column("in_post", t("ui.comm.col.in_post"), max_width=6, align="right"),
                        Column("required", t("ui.comm.col.required"), max_width=8, align="right"),
                        Column("gap", t("ui.comm.col.gap"), max_width=10),
                    ],
                    id="community-types",
                    empty_text=t("ui.common.computing"),
                )
                with VerticalScroll(id="community-reasons"):
                    yield Static("", id="community-reasons-text", markup=False)
            with TabPane(t("ui.comm.detail.tab.record"), id="tab-record"):
                yield VirtualTable(
                    [
                        Column("field", t("ui.comm.detail.col.field"), max_width=20),
                        Column("value", t("ui.comm.detail.col.value"), max_width=200, flex=True, min_width=8),
                    ],
                    id="community-record",
                )
        yield Footer(compact=True)

    # --- loading --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.load()
        self.query_one("#community-workers", VirtualTable).focus()

    def load(self) -> None:
        app = self.shegong
        try:
            self.community = app.registry.get_community(self.community_id)
        except NotFound:
            self.notify(t("ui.comm.detail.gone", id=self.community_id), severity="error")
            self.dismiss()
            return
        self.people = self._workers()
        self._fill_record(self.community)
        self._fill_workers()
        if self.staffing is not None:
            self._fill_staffing(self.staffing)
        self.compute_staffing()

    def _workers(self) -> list[Worker]:
        """In post first (active, then on probation), then everyone else, each by number."""
        today = self.shegong.today
        found = self.shegong.registry.workers(WorkerQuery(community=self.community_id))
        return sorted(found, key=lambda w: (_STATUS_ORDER.get(w.status_on(today).value, 9), w.id))

    @work(thread=True, exclusive=True, group="community-staffing")
    def compute_staffing(self) -> None:
        app = self.shegong
        try:
            rows = staffing_review(app.registry, app.rules, Scope(community=self.community_id), app.today)
        except Exception as exc:  # the screen stays up and says why
            self.post_message(LoadFailed(t("ui.comm.failed", reason=f"{type(exc).__name__}: {exc}")))
            return
        for row in rows:
            self.post_message(StaffingComputed(self.community_id, row))

    def on_staffing_computed(self, message: StaffingComputed) -> None:
        if message.community_id == self.community_id:
            self._fill_staffing(message.staffing)

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one("#community-staffing", Static).update(message.text)

    # --- filling --------------------------------------------------------------------------------

    def _fill_record(self, c: Community) -> None:
        lex = self.shegong.lexicon
        heading = [c.name, f"{c.district} {c.street}", lex.jurisdiction(c.jurisdiction)]
        self.query_one("#community-heading", Static).update(" · ".join(heading))
        self.sub_title = t("ui.comm.detail.title_of", name=c.name)
        quotas = [f"{lex.post(post, c.jurisdiction)} {n}" for post, n in c.post_quotas.items()]
        ranks = [f"{year}: {rank}" for year, rank in sorted(c.target_ranks.items())]
        values: list[tuple[str, str]] = [
            ("id", c.id),
            ("name", c.name),
            ("street", c.street),
            ("district", c.district),
            ("city", c.city),
            ("jurisdiction", f"{lex.jurisdiction(c.jurisdiction)}{paren(c.jurisdiction)}"),
            ("kind", enum_label(c.kind)),
            ("households_resident", str(c.households_resident)),
            ("households_registered", str(c.households_registered)),
            ("population", str(c.population)),
            ("new_residents", str(c.new_residents)),
            ("grid_count", str(c.grid_count)),
            ("office_area", f"{c.office_area}"),
            ("post_quotas", listing(quotas)),
            ("target_ranks", listing(ranks)),
            ("revision", str(c.revision)),
        ]
        table = self.query_one("#community-record", VirtualTable)
        table.set_data([(t(f"ui.comm.field.{name}"), value) for name, value in values])

    def _fill_workers(self) -> None:
        app = self.shegong
        assert self.community is not None
        jurisdiction = self.community.jurisdiction
        table = self.query_one("#community-workers", VirtualTable)
        table.empty_text = t("ui.comm.detail.no_workers")
        table.set_data(
            [worker_row(w, app.lexicon, jurisdiction, app.today) for w in self.people],
            keys=[w.id for w in self.people],
        )

    def _fill_staffing(self, row: CommunityStaffing) -> None:
        self.staffing = row
        lex = self.shegong.lexicon
        lines = staffing_lines(row, lex)
        self.query_one("#community-staffing", Static).update("\n".join(lines[:2]))
        self.query_one("#community-reasons-text", Static).update("\n".join(lines[2:]))
        self.query_one("#community-reasons").display = len(lines) > 2
        types = type_rows(row, lex)
        table = self.query_one("#community-types", MarkedTable)
        table.empty_text = t("ui.comm.detail.no_types")
        table.marks = {
            i: "error" if tr.shortfall else "warning"
            for i, tr in enumerate(types)
            if tr.shortfall or tr.surplus or tr.in_post is None
        }
        table.set_data(
            [
                (
                    tr.label,
                    EMPTY if tr.in_post is None else str(tr.in_post),
                    required_text(tr.minimum, tr.maximum),
                    tr.gap,
                )
                for tr in types
            ]
        )
        mark = staffing_mark(row, lex)
        staffing = self.query_one("#community-staffing", Static)
        staffing.set_class(mark == "error", "-short")

    # --- actions --------------------------------------------------------------------------------

    @on(RowSelected, "#community-workers")
    def _open_worker(self, event: RowSelected) -> None:
        if isinstance(event.key, int):
            self.post_message(OpenWorker(event.key))

    def action_reload(self) -> None:
        self.load()

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [f"tab-{tab}" for tab in TABS]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        self.show_tab(TABS[(current + step) % len(TABS)])

    def show_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = f"tab-{tab}"
        if not isinstance(self.focused, Tabs):
            pane = tabs.get_pane(tabs.active)
            for widget in pane.query(VirtualTable):
                widget.focus()
                break

    def action_edit_community(self) -> None:
        """`e`: the community form on this record; after a save this screen reloads to show the
        new record and the requirement it now calls for."""
        if self.community is not None:
            self.shegong.open_community_form(self.community.id, on_saved=self._reload_after_save)

    def _reload_after_save(self, _saved: object) -> None:
        self.load()

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (
                t("ui.cmd.comm_tab", tab=t(f"ui.comm.detail.tab.{tab}")),
                t("ui.cmd.comm_tab_help"),
                _opener(self, tab),
            )
            for tab in TABS
        ]


def _opener(screen: CommunityDetailScreen, tab: str) -> Callable[[], None]:
    return lambda: screen.show_tab(tab)
