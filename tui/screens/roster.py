"""Every worker in one list, filtered as you type, sorted by any column, at 100,000 rows.

The rows, lower-case haystacks (name, pinyin initials, ID tail, community, post, status…) and
sort keys are built once, in a background thread; a keystroke in the filter only recomputes the
list of row numbers the `VirtualTable` shows. Resident IDs and phones are masked here.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import orjson
from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Label, Static

from core.bulk import collector_paused
from core.i18n import t
from core.model import Community, Status, Worker
from core.repository import Repository
from core.scoped import may_reveal
from core.summary import WorkerSummary, worker_summaries
from tui.bindings import key
from tui.labels import Lexicon, listing, mask_id, mask_phone, status_label
from tui.messages import LoadFailed, OpenWorker, RosterLoaded, RowSelected
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.widgets.virtual_table import Column, VirtualTable

# (key, label catalog key, max width, align)
COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("name", "ui.roster.col.name", 8, "left"),
    ("community", "ui.roster.col.community", 14, "left"),
    ("posts", "ui.roster.col.posts", 20, "left"),
    ("status", "ui.roster.col.status", 12, "left"),
    ("id_number", "ui.roster.col.id_number", 18, "left"),
    ("phone", "ui.roster.col.phone", 11, "left"),
    ("service", "ui.roster.col.service", 10, "left"),
    ("id", "ui.roster.col.id", 7, "right"),
)
SEPARATOR = "\x00"  # between fields of a haystack, so a filter never matches across two fields
_STATUS_ORDER = {s.value: i for i, s in enumerate(Status)}
FIRST_PAGE = 200  # rows shown while the rest of a big roster is still being prepared
_initials_cache: dict[str, str] = {}
_readings: dict[str, str] | None = None


def _pinyin_readings() -> dict[str, str]:
    """pypinyin's table of each character's readings (code point → "zhāng,zhàng"), read from
    its data file: importing pypinyin itself loads its phrase dictionary too, ~0.4 s of start-up
    the roster does not need (it reads names one character at a time)."""
    global _readings
    if _readings is None:
        table: dict[str, str] = {}
        spec = importlib.util.find_spec("pypinyin")
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            path = Path(folder) / "pinyin_dict.json"
            if path.is_file():
                table = orjson.loads(path.read_bytes())
                break
        _readings = table
    return _readings


def _initial(char: str) -> str:
    reading = _pinyin_readings().get(str(ord(char)))
    if reading is None:
        return char.lower()  # not a Chinese character: itself, as pypinyin leaves it
    return unicodedata.normalize("NFD", reading.split(",", 1)[0])[0].lower()  # zhāng → z, ǎ → a


def initials(name: str) -> str:
    """Pinyin initials (`张三` → `zs`): the first letter of each character's first reading, as
    `lazy_pinyin(char, style=FIRST_LETTER)` gives (the same for all 41,923 characters it knows),
    looked up once per character."""
    out = []
    for char in name:
        found = _initials_cache.get(char)
        if found is None:
            found = _initials_cache[char] = _initial(char)
        out.append(found)
    return "".join(out)


@dataclass(frozen=True)
class RosterData:
    rows: list[tuple[str, ...]]
    keys: list[int]
    haystacks: list[str]
    sort_keys: dict[int, list[Any]]
    widths: list[int]
    seconds: float
    partial: bool = False  # only the first page: the whole roster follows


@dataclass(frozen=True)
class RosterRow:
    cells: tuple[str, ...]
    haystack: str
    sort_keys: tuple[Any, ...]


class RowLabels:
    """The labels rows share (posts per jurisdiction, statuses, places), looked up once each:
    the catalog lookups were half the cost of a 50,000-row roster."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._posts: dict[tuple[tuple[str, ...], str | None], tuple[list[str], str]] = {}
        self._statuses: dict[Status, str] = {}
        self._places: dict[str, list[str]] = {}

    def posts(self, codes: tuple[str, ...], jurisdiction: str | None) -> tuple[list[str], str]:
        """The posts' labels (each once) and the listing of them."""
        found = self._posts.get((codes, jurisdiction))
        if found is None:
            labels = [self.lexicon.post(p, jurisdiction) for p in dict.fromkeys(codes)]
            found = self._posts[(codes, jurisdiction)] = (labels, listing(labels))
        return found

    def status(self, status: Status) -> str:
        found = self._statuses.get(status)
        if found is None:
            found = self._statuses[status] = status_label(status)
        return found

    def place(self, community: Community) -> list[str]:
        """Street, district and jurisdiction: what a filter finds a community's workers by."""
        found = self._places.get(community.id)
        if found is None:
            jurisdiction = self.lexicon.jurisdiction(community.jurisdiction)
            found = self._places[community.id] = [community.street, community.district, jurisdiction]
        return found


def roster_row(
    worker: Worker | WorkerSummary,
    community: Community | None,
    lexicon: Lexicon,
    today: dt.date,
    labels: RowLabels | None = None,
    *,
    reveal: bool = False,
) -> RosterRow:
    """One worker as cells, a lower-case haystack and one sort key per column.

    The cells are masked for everyone; only with `reveal` (a role that may see full numbers) can
    the filter find a worker by the ID's or phone's last digits, or a sort order by them: for a
    viewer either would tell the hidden digits one query at a time (core.privacy).
    """
    labels = labels or RowLabels(lexicon)
    jurisdiction = community.jurisdiction if community is not None else None
    posts, posts_text = labels.posts(worker.posts_on(today), jurisdiction)
    status = worker.status_on(today)
    community_name = community.name if community is not None else worker.community_id
    pinyin = initials(worker.name)
    tail = worker.id_number[-4:] if reveal else ""
    cells = (
        worker.name,
        community_name,
        posts_text,
        labels.status(status),
        mask_id(worker.id_number),
        mask_phone(worker.phone),
        worker.service_start.isoformat(),
        str(worker.id),
    )
    fields = [worker.name, pinyin, tail, community_name, worker.community_id, *posts, cells[3]]
    if community is not None:
        fields += labels.place(community)
    if worker.phone and reveal:
        fields.append(worker.phone[-4:])
    haystack = SEPARATOR.join(fields).lower()
    sort_keys = (
        (pinyin, worker.name),
        community_name,
        cells[2],
        _STATUS_ORDER.get(status.value, 99),
        tail,
        worker.phone if reveal else cells[5],
        worker.service_start,
        worker.id,
    )
    return RosterRow(cells, haystack, sort_keys)


def build_roster(
    workers: Iterable[Worker | WorkerSummary],
    communities: dict[str, Community],
    lexicon: Lexicon,
    today: dt.date,
    *,
    partial: bool = False,
    reveal: bool = False,
) -> RosterData:
    started = time.perf_counter()
    rows: list[tuple[str, ...]] = []
    keys: list[int] = []
    haystacks: list[str] = []
    columns: list[list[Any]] = [[] for _ in COLUMNS]
    widths = [cell_len(t(label)) + 1 for _, label, _, _ in COLUMNS]
    measured = range(4)  # name, community, posts, status; the other columns are ASCII
    labels = RowLabels(lexicon)
    with collector_paused():
        for worker in workers:
            row = roster_row(
                worker, communities.get(worker.community_id), lexicon, today, labels, reveal=reveal
            )
            cells = row.cells
            rows.append(cells)
            keys.append(worker.id)
            haystacks.append(row.haystack)
            for i, value in enumerate(row.sort_keys):
                columns[i].append(value)
            for i in measured:
                n = cell_len(cells[i])
                if n > widths[i]:
                    widths[i] = n
            for i in range(4, len(cells)):
                n = len(cells[i])
                if n > widths[i]:
                    widths[i] = n
    widths = [max(2, min(limit, w)) for w, (_, _, limit, _) in zip(widths, COLUMNS, strict=True)]
    return RosterData(
        rows=rows,
        keys=keys,
        haystacks=haystacks,
        sort_keys=dict(enumerate(columns)),
        widths=widths,
        seconds=time.perf_counter() - started,
        partial=partial,
    )


def load_roster(
    registry: Repository, lexicon: Lexicon, today: dt.date, *, limit: int | None = None
) -> RosterData:
    """The roster's rows from worker summaries (no whole `Worker` is built); with `limit`, only
    the first rows, marked `partial` if there may be more."""
    communities = {c.id: c for c in registry.communities()}
    workers = worker_summaries(registry, limit)
    partial = limit is not None and len(workers) >= limit
    return build_roster(workers, communities, lexicon, today, partial=partial, reveal=may_reveal(registry))


class RosterScreen(ShegongScreen[None]):
    """The list of all workers: `/` filters, `s` or 1-8 sorts, enter opens a worker."""

    TITLE_KEY = "ui.roster.title"
    HELP_KEY = "ui.roster.help"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("slash", "focus_filter", "roster.filter"),
        key("s", "next_sort", "roster.sort"),
        key("ctrl+r", "reload", "roster.reload", show=False),
        key("a", "add_worker", "roster.add"),
        key("down", "focus_table", "roster.to_table", show=False),
        *[
            key(str(i + 1), f"sort({i})", f"roster.sort_{i + 1}", show=False, text="roster.sort_n")
            for i in range(8)
        ],
    ]

    def __init__(self) -> None:
        super().__init__(id="roster")
        self.data: RosterData | None = None
        self._edits_seen = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="roster-filter-bar"):
            yield Label(t("ui.roster.filter_label"), id="roster-filter-label")
            yield Input(placeholder=t("ui.roster.filter_placeholder"), id="roster-filter", compact=True)
        yield VirtualTable(
            [
                # Posts take a wide terminal's spare width; at 80 columns the table scrolls instead.
                Column(
                    k,
                    t(label),
                    max_width=limit,
                    align="right" if align == "right" else "left",
                    flex=k == "posts",
                    shrink=False,
                )
                for k, label, limit, align in COLUMNS
            ],
            id="roster-table",
            empty_text=t("ui.common.loading"),
            select_text=t("ui.key.roster.open"),
        )
        yield Static("", id="roster-status", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#roster-table", VirtualTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#roster-filter", Input)

    def on_mount(self) -> None:
        self.shegong.roster_screen = self
        self._edits_seen = len(self.shegong.edited_workers)
        self.table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        pending = self.shegong.pending_roster_filter
        if pending is not None:
            self.shegong.pending_roster_filter = None
            self.set_filter(pending)
        edited = self.shegong.edited_workers
        if len(edited) != self._edits_seen:
            self.apply_edits(edited[self._edits_seen :])
            self._edits_seen = len(edited)

    # --- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="roster-load")
    def load(self) -> None:
        app = self.shegong
        try:
            # The first page first, so a big roster shows at once; then every row.
            first = load_roster(app.registry, app.lexicon, app.today, limit=FIRST_PAGE)
            if first.partial and self.data is None:
                self.post_message(RosterLoaded(first))
            data = load_roster(app.registry, app.lexicon, app.today) if first.partial else first
        except Exception as exc:  # say so on screen; the app keeps running
            self.post_message(LoadFailed(t("ui.roster.failed", reason=f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(RosterLoaded(data))

    def on_roster_loaded(self, message: RosterLoaded) -> None:
        data = message.data
        if data.partial and self.data is not None and not self.data.partial:
            return  # a reload's first page: the rows shown stay until the whole roster is ready
        self.data = data
        self.log.info(f"roster: {len(data.rows)} workers prepared in {data.seconds:.2f} s")
        table = self.table
        table.empty_text = t("ui.common.loading" if data.partial else "ui.roster.no_match")
        table.set_data(
            data.rows, keys=data.keys, haystacks=data.haystacks, sort_keys=data.sort_keys, widths=data.widths
        )
        table.apply_filter(self.filter_input.value)
        self._update_status()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.table.empty_text = message.text
        self.table.refresh()
        self.notify(message.text, severity="error", timeout=10)

    def apply_edits(self, worker_ids: list[int]) -> None:
        if self.data is None:
            return
        app = self.shegong
        for worker_id in sorted(set(worker_ids)):
            try:
                row_number = self.data.keys.index(worker_id)
                worker = app.registry.get_worker(worker_id)
                community = app.registry.get_community(worker.community_id)
            except Exception:
                continue  # deleted meanwhile: the next reload drops it
            row = roster_row(worker, community, app.lexicon, app.today, reveal=may_reveal(app.registry))
            self.table.update_row(
                row_number, row.cells, haystack=row.haystack, sort_keys=dict(enumerate(row.sort_keys))
            )
        self._update_status()

    # --- filter and sort ------------------------------------------------------------------------

    @on(Input.Changed, "#roster-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.apply_filter(event.value)
        self._update_status()

    @on(Input.Submitted, "#roster-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def set_filter(self, text: str) -> None:
        self.filter_input.value = text  # posts Input.Changed, which filters
        self.table.apply_filter(text)
        self._update_status()
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_sort(self, column: int) -> None:
        state = self.table.sort_state
        descending = state is not None and state[0] == column and not state[1]
        self.table.sort_by(column, descending)
        self._update_status()

    def action_next_sort(self) -> None:
        state = self.table.sort_state
        column = 0 if state is None else (state[0] + 1) % len(COLUMNS)
        self.table.sort_by(column)
        self._update_status()

    def action_add_worker(self) -> None:
        self.shegong.open_worker_form(None)

    def action_reload(self) -> None:
        self.table.empty_text = t("ui.common.loading")
        self.load()

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self.table.focus()
            return
        super().action_back()

    @on(RowSelected, "#roster-table")
    def _open(self, event: RowSelected) -> None:
        if isinstance(event.key, int):
            self.post_message(OpenWorker(event.key))

    def _update_status(self) -> None:
        table = self.table
        parts = [t("ui.roster.count", total=table.total_count, shown=table.row_count)]
        if self.data is not None and self.data.partial:
            parts.append(t("ui.common.loading"))
        state = table.sort_state
        if state is not None:
            label = t(COLUMNS[state[0]][1])
            parts.append(t("ui.roster.sorted_desc" if state[1] else "ui.roster.sorted", column=label))
        self.query_one("#roster-status", Static).update(" · ".join(parts))

    def palette_commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = [
            (t("ui.cmd.roster_filter"), t("ui.tip.roster.filter"), self.action_focus_filter),
            (t("ui.cmd.roster_clear"), t("ui.cmd.roster_clear_help"), lambda: self.set_filter("")),
            (t("ui.cmd.roster_reload"), t("ui.tip.roster.reload"), self.action_reload),
        ]
        for i, (_, label, _, _) in enumerate(COLUMNS):
            commands.append(
                (t("ui.cmd.roster_sort", column=t(label)), t("ui.tip.roster.sort_n"), _sorter(self, i))
            )
        return commands

    def find_workers(self, query: str, limit: int = 8) -> list[tuple[int, Sequence[str]]]:
        """Workers whose haystack holds every word of `query` (for the command palette)."""
        if self.data is None:
            return []
        terms = query.lower().split()
        out: list[tuple[int, Sequence[str]]] = []
        for i, hay in enumerate(self.data.haystacks):
            if terms and all(term in hay for term in terms):
                out.append((self.data.keys[i], self.data.rows[i]))
                if len(out) >= limit:
                    break
        return out


def _sorter(screen: RosterScreen, column: int) -> Any:
    return lambda: screen.action_sort(column)
