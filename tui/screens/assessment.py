"""The assessment round (考核): every worker's proposed grade with its reasons, the panel's
decisions within each unit's quota, and closing the round with its consequences.

Core does the work: `open_round` proposes, `decide` records a grade or refuses it (over the
unit's quota, with the places left; lifting a forced grade), `save_round` keeps the progress and
`close_round` writes the grades into the workers' records and returns what follows from them.
This screen shows the round as a list (a `VirtualTable`, so a city's round filters as you type)
under a quota meter that follows the highlighted worker's unit, and keeps decisions in memory
until `ctrl+s` saves them; quitting or opening another round with unsaved decisions asks first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Static

from core.assessment import (
    Entry,
    Round,
    close_round,
    decide,
    load_round,
    over_quota,
    preview_consequences,
    save_round,
)
from core.errors import ShegongError, ValidationError
from core.i18n import t
from core.scope import Scope
from tui.bindings import key
from tui.labels import EMPTY, listing
from tui.messages import RowHighlighted, RowSelected
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.grade_picker import CLEAR, GradePickerScreen
from tui.screens.round_close import CloseRoundScreen, ConsequencesScreen
from tui.screens.round_open import OpenedRound, OpenRoundScreen
from tui.screens.round_texts import Place, RoundRows, RoundTexts, grades_of, round_name, unit_label
from tui.widgets.detail_pane import DetailPane
from tui.widgets.quota_meter import QuotaMeter
from tui.widgets.virtual_table import Column, VirtualTable

# (key, label catalog key, max width below WIDE, max width from WIDE on, align)
COLUMNS: tuple[tuple[str, str, int, int, str], ...] = (
    ("id", "ui.round.col.id", 5, 5, "right"),
    ("name", "ui.round.col.name", 8, 8, "left"),
    ("community", "ui.round.col.community", 6, 12, "left"),
    ("unit", "ui.round.col.unit", 8, 10, "left"),
    ("score", "ui.round.col.score", 5, 6, "right"),
    ("proposed", "ui.round.col.proposed", 11, 14, "left"),
    ("decided", "ui.round.col.decided", 11, 14, "left"),
    ("forced", "ui.round.col.forced", 4, 8, "left"),
    ("reason", "ui.round.col.reason", 200, 200, "left"),
)
WIDE = 110
"""From this many columns on, grades and communities are shown whole (English grades are long)."""
GRADE_KEYS = 9


def table_columns(width: int) -> list[Column]:
    """The list's columns for a terminal `width` columns wide: the reason takes what is left."""
    wide = width >= WIDE
    return [
        Column(
            k,
            t(label),
            max_width=max(wide_limit if wide else limit, cell_len(t(label)) if k == "forced" else 0),
            align="right" if align == "right" else "left",
            flex=k == "reason",
            min_width=8 if k == "reason" else 2,
            shrink=k == "reason",
        )
        for k, label, limit, wide_limit, align in COLUMNS
    ]


@dataclass
class RoundPrepared(Message):
    round: Round
    rows: RoundRows


@dataclass
class RoundWorkFailed(Message):
    text: str


@dataclass
class ClosePreviewed(Message):
    round: Round
    consequences: dict[str, tuple[Mapping[str, Any], ...]]


@dataclass
class RoundClosed(Message):
    round: Round


@dataclass
class RoundSaved(Message):
    round: Round


@dataclass
class SaveConflict(Message):
    """`round` was to be saved, but the registry holds `stored`, saved by another operator."""

    round: Round
    stored: Round


# --- the screen ----------------------------------------------------------------------------------


class AssessmentScreen(ShegongScreen[None]):
    """The round's workers under a quota meter: digits or `enter` decide, `x` closes the round."""

    TITLE_KEY = "ui.round.title"
    HELP_KEY = "ui.round.help"
    AUTO_FOCUS = "#round-table"

    DEFAULT_CSS = """
    AssessmentScreen {
        & #round-filter-bar {
            height: 1;
            padding: 0 1;
        }
        & #round-filter-label {
            width: auto;
            padding-right: 1;
            color: $text-muted;
        }
        & #round-filter {
            width: 1fr;
        }
        & #round-detail {
            max-height: 4;
        }
        & #round-message {
            height: auto;
            max-height: 4;
            padding: 0 1;
            color: $text;
            background: $boost;
        }
        & #round-message.-error {
            color: $error;
            text-style: bold;
        }
        & #round-keys {
            height: 1;
            padding: 0 1;
            background: $panel;
        }
        & #round-status {
            height: 1;
            padding: 0 1;
            color: $text-muted;
            background: $panel;
        }
        &.-tall #round-meter {
            max-height: 8;
        }
        &.-tall #round-detail {
            max-height: 8;
        }
    }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (Textual declares it unannotated)

    BINDINGS: ClassVar[list[BindingType]] = [
        key("slash", "focus_filter", "round.filter"),
        key("o", "open_round", "round.open"),
        *[
            key(str(i), f"grade({i})", f"round.grade_{i}", show=False, text="round.grade_n")
            for i in range(1, GRADE_KEYS + 1)
        ],
        key("0,delete", "clear_grade", "round.clear", show=False),
        key("ctrl+s", "save", "round.save"),
        key("x", "close_round", "round.close"),
        key("ctrl+r", "reload", "round.reload", show=False),
        key("down", "focus_table", "round.to_table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="assessment")
        self.round: Round | None = None
        self.saved: Round | None = None
        """The round as it is in the registry (None: not saved, e.g. opened read-only)."""
        self.rows: RoundRows | None = None
        self._row_number: dict[int, int] = {}
        self._position: dict[int, int] = {}
        """Where each worker's entry is in `round.entries` (deciding keeps the order)."""
        self._dirty = False
        self._graded = self._decided = 0
        self._texts: RoundTexts | None = None
        self._asked = False
        self._wide: bool | None = None
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="round-filter-bar"):
            yield Label(t("ui.round.filter_label"), id="round-filter-label")
            yield Input(placeholder=t("ui.round.filter_placeholder"), id="round-filter", compact=True)
        yield QuotaMeter(id="round-meter", empty_text=t("ui.round.meter.none"))
        yield VirtualTable(
            table_columns(self.app.size.width),
            id="round-table",
            empty_text=t("ui.round.no_round"),
            select_text=t("ui.key.round.pick"),
        )
        yield DetailPane(id="round-detail")
        yield Static("", id="round-message", markup=False)
        yield Static("", id="round-keys", markup=False)
        yield Static("", id="round-status", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#round-table", VirtualTable)

    @property
    def meter(self) -> QuotaMeter:
        return self.query_one("#round-meter", QuotaMeter)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#round-filter", Input)

    @property
    def texts(self) -> RoundTexts:
        if self._texts is None:
            communities = {c.id: c for c in self.shegong.registry.communities()}
            self._texts = RoundTexts(self.shegong.lexicon, communities)
        return self._texts

    @property
    def has_unsaved_changes(self) -> bool:
        return self.round is not None and not self.round.closed and self._dirty

    def on_mount(self) -> None:
        self.table.focus()
        self.query_one("#round-message", Static).display = False
        self._update_status()

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= WIDE
        if wide != self._wide:
            self._wide = wide
            self.table.set_columns(table_columns(event.size.width))

    def on_screen_resume(self) -> None:
        if self.round is None and not self._asked:
            self._asked = True
            self.call_after_refresh(self.action_open_round)

    # --- opening --------------------------------------------------------------------------------

    def action_open_round(self) -> None:
        if self.has_unsaved_changes:

            def answered(discard: bool | None) -> None:
                if discard:
                    self._push_open_form()

            self.app.push_screen(
                ConfirmScreen(t("ui.round.discard"), yes=t("ui.round.discard_yes")), answered
            )
            return
        self._push_open_form()

    def _push_open_form(self) -> None:
        current = self.round
        form = (
            OpenRoundScreen(current.year, current.period, current.scope if current.scope != "all" else "")
            if current is not None
            else OpenRoundScreen(self.shegong.today.year)
        )
        self.app.push_screen(form, self._opened)

    def _opened(self, opened: OpenedRound | None) -> None:
        if opened is None:
            return
        r = opened.round
        if opened.resumed:
            note = t("ui.round.resumed_closed" if r.closed else "ui.round.resumed", name=round_name(r))
        elif opened.saved:
            note = t("ui.round.opened", name=round_name(r), count=len(r.entries))
        else:
            note = t("ui.round.opened_read_only", name=round_name(r), count=len(r.entries))
        self.show_round(r, saved=r if opened.saved else None)
        self._say(note)

    def show_round(self, r: Round, *, saved: Round | None) -> None:
        """Show `r` (in a background thread: a city's round is tens of thousands of rows)."""
        self.round = r
        self.saved = saved
        self._dirty = False
        self._position = {e.worker_id: i for i, e in enumerate(r.entries)}
        self._count()
        self._texts = None  # community names as they are now
        self._say("")
        self.meter.set_rows(self.texts.meter(r))
        self.table.empty_text = t("ui.common.loading")
        self.table.set_data([])
        self._prepare(r)

    @work(thread=True, exclusive=True, group="round-prepare")
    def _prepare(self, r: Round) -> None:
        app = self.shegong
        try:
            scope = Scope.parse(r.scope)
            workers = {w.id: w for w in app.registry.workers(scope.query())}
            rows = self.texts.build(r, workers)
        except Exception as exc:  # say so on screen; the round itself is kept
            self.post_message(RoundWorkFailed(t("ui.round.failed", reason=f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(RoundPrepared(r, rows))

    def on_round_prepared(self, message: RoundPrepared) -> None:
        if message.round is not self.round:
            return  # another round was opened meanwhile
        self.rows = message.rows
        self._row_number = {k: i for i, k in enumerate(message.rows.keys)}
        table = self.table
        table.empty_text = t("ui.round.no_match") if message.rows.rows else t("ui.round.empty")
        table.set_data(message.rows.rows, keys=message.rows.keys, haystacks=message.rows.haystacks)
        table.apply_filter(self.filter_input.value)
        self.meter.set_rows(self.texts.meter(message.round))
        self.sub_title = f"{t(self.TITLE_KEY)} — {round_name(message.round)}"
        self._show_current()
        self._update_status()

    def on_round_work_failed(self, message: RoundWorkFailed) -> None:
        self._say(message.text, error=True)
        self.notify(message.text, severity="error", timeout=10)

    # --- the highlighted worker -----------------------------------------------------------------

    def current_entry(self) -> Entry | None:
        worker_id = self.table.cursor_key
        if self.round is None or not isinstance(worker_id, int):
            return None
        position = self._position.get(worker_id)
        return self.round.entries[position] if position is not None else None

    @on(RowHighlighted, "#round-table")
    def _highlighted(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        entry = self.current_entry()
        detail = self.query_one("#round-detail", DetailPane)
        if entry is None or self.round is None or self.rows is None:
            detail.show("")
            self.meter.set_current(None)
            self._update_status()
            return
        place = self.rows.places.get(entry.worker_id, Place(EMPTY, ""))
        detail.show(self.texts.detail(self.round, entry, place))
        self.meter.set_current(entry.unit)
        self._update_status()

    def grade_keys(self, jurisdiction: str) -> list[str]:
        return grades_of(self.shegong.lexicon, jurisdiction)[:GRADE_KEYS]

    # --- deciding -------------------------------------------------------------------------------

    def action_grade(self, number: int) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        grades = self.grade_keys(entry.jurisdiction)
        if number > len(grades):
            self._say(t("ui.round.no_such_key", number=number, count=len(grades)))
            return
        self.set_grade(entry, grades[number - 1])

    def action_clear_grade(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.set_grade(entry, None)

    @on(RowSelected, "#round-table")
    def _pick(self) -> None:
        entry = self.current_entry()
        if entry is None or self._refused():
            return
        grades = self.grade_keys(entry.jurisdiction)
        about = t(
            "ui.round.pick_about",
            proposed=self.texts.grade(entry.proposed, entry.jurisdiction),
            decided=self.texts.grade(entry.decided, entry.jurisdiction),
        )
        picker = GradePickerScreen(
            t("ui.round.pick_title", name=entry.name, id=entry.worker_id),
            about,
            [(g, self.texts.grade(g, entry.jurisdiction)) for g in grades],
            t("ui.round.clear_label"),
        )

        def picked(grade: str | None) -> None:
            if grade is not None:
                self.set_grade(entry, None if grade == CLEAR else grade)

        self.app.push_screen(picker, picked)

    def _refused(self) -> bool:
        """True (with the reason said) if no decision can be recorded now."""
        if self.shegong.refuse_if_read_only():
            return True
        if self.round is None:
            self._say(t("ui.round.none_open"))
            return True
        if self.round.closed:
            self._say(t("ui.round.is_closed", name=round_name(self.round)))
            return True
        return False

    def set_grade(self, entry: Entry, grade: str | None) -> None:
        """Record the panel's grade (None: clear it) through core, which may refuse it."""
        if self._refused() or self.round is None:
            return
        try:
            updated = decide(self.round, entry.worker_id, grade)
        except ValidationError as exc:
            text = self._refusal(exc, entry, grade)
            self._say(text, error=True)
            return
        self.round = updated
        self._dirty = True
        self._count()
        self._refresh_row(updated.entries[self._position[entry.worker_id]])
        self.meter.set_rows(self.texts.meter(updated))
        label = self.texts.grade(grade, entry.jurisdiction)
        self._say(
            t("ui.round.recorded", name=entry.name, grade=label)
            if grade is not None
            else t("ui.round.cleared", name=entry.name)
        )
        self._show_current()

    def _refusal(self, exc: ValidationError, entry: Entry, grade: str | None) -> str:
        """Core's refusal in the operator's words: over quota names the unit and the places left."""
        problem = exc.problem
        if problem.key != "round.over_quota" or self.round is None or grade is None:
            return problem.render()
        q = next((q for q in self.round.quotas if q.unit == entry.unit and q.grade == grade), None)
        holders = [e.name for e in self.round.entries if e.unit == entry.unit and e.grade == grade]
        citation = problem.args.get("cite") or (q.cited if q else None)
        return t(
            "ui.round.over_quota",
            unit=unit_label(entry.unit, self.texts.communities),
            grade=self.texts.grade(grade, entry.jurisdiction),
            limit=problem.args.get("limit", q.limit if q else 0),
            headcount=problem.args.get("headcount", q.headcount if q else 0),
            left=problem.args.get("left", 0),
            holders=listing(holders),
            cite=f"〔{self.shegong.lexicon.cite(citation)}〕",
        )

    def _refresh_row(self, entry: Entry) -> None:
        if self.rows is None:
            return
        row_number = self._row_number.get(entry.worker_id)
        if row_number is None:
            return
        cells, haystack = self.texts.row(entry, self.rows.places.get(entry.worker_id, Place(EMPTY, "")))
        self.table.update_row(row_number, cells, haystack=haystack)

    # --- saving and closing ---------------------------------------------------------------------

    def action_save(self) -> None:
        if self._refused() or self.round is None:
            return
        self._say(t("ui.round.saving"))
        self._store(self.round, check=True)

    @work(thread=True, exclusive=True, group="round-save")
    def _store(self, r: Round, *, check: bool) -> None:
        """Save `r` off the event loop (a city's round is a large document); with `check`, first
        make sure no other operator saved the round since it was loaded here."""
        registry = self.shegong.registry
        try:
            if check:
                stored = load_round(registry, r.year, r.period, r.scope)
                if stored is not None and self.saved is not None and stored not in (self.saved, r):
                    self.post_message(SaveConflict(r, stored))
                    return
            save_round(registry, r)
        except Exception as exc:
            reason = exc.render() if isinstance(exc, ShegongError) else f"{type(exc).__name__}: {exc}"
            self.post_message(RoundWorkFailed(t("ui.round.save_failed", reason=reason)))
            return
        self.post_message(RoundSaved(r))

    def on_round_saved(self, message: RoundSaved) -> None:
        r = message.round
        self.saved = r
        self._dirty = r is not self.round
        decided = sum(1 for e in r.entries if e.decided is not None)
        self._say(t("ui.round.saved", name=round_name(r), decided=decided))
        self._update_status()

    def on_save_conflict(self, message: SaveConflict) -> None:
        """Another operator saved this round since it was opened here: show both, then ask."""
        mine = {e.worker_id: e for e in message.round.entries}
        differ = []
        for theirs in message.stored.entries:
            own = mine.get(theirs.worker_id)
            if own is not None and own.decided != theirs.decided:
                differ.append(
                    t(
                        "ui.round.conflict.line",
                        name=own.name,
                        theirs=self.texts.grade(theirs.decided, own.jurisdiction),
                        mine=self.texts.grade(own.decided, own.jurisdiction),
                    )
                )
        question = t("ui.round.conflict.question", count=len(differ), lines="\n".join(differ[:8]) or EMPTY)
        self._say("")

        def answered(overwrite: bool | None) -> None:
            if overwrite and self.round is not None:
                self._store(self.round, check=False)

        self.app.push_screen(ConfirmScreen(question, yes=t("ui.round.conflict.yes")), answered)

    def action_close_round(self) -> None:
        if self._refused() or self.round is None:
            return
        r = self.round
        over = over_quota(r)
        if over:
            q = over[0]
            self._say(
                t(
                    "ui.round.close.over_quota",
                    unit=unit_label(q.unit, self.texts.communities),
                    grade=self.texts.grade(
                        q.grade, next(e.jurisdiction for e in r.entries if e.unit == q.unit)
                    ),
                    limit=q.limit,
                    used=q.used,
                ),
                error=True,
            )
            return
        ungraded = [e.name for e in r.entries if e.grade is None]
        if ungraded:
            self._say(
                t("ui.round.close.ungraded", count=len(ungraded), names=listing(ungraded[:8])), error=True
            )
            return
        self._say(t("ui.common.computing"))
        self._preview(r)

    @work(thread=True, exclusive=True, group="round-close")
    def _preview(self, r: Round) -> None:
        app = self.shegong
        try:
            found = preview_consequences(app.registry, app.rules, r)
        except Exception as exc:
            reason = exc.render() if isinstance(exc, ShegongError) else f"{type(exc).__name__}: {exc}"
            self.post_message(RoundWorkFailed(t("ui.round.close.failed", reason=reason)))
            return
        self.post_message(ClosePreviewed(r, found))

    def on_close_previewed(self, message: ClosePreviewed) -> None:
        r = message.round
        if r is not self.round:
            return
        self._say("")
        decided = sum(1 for e in r.entries if e.decided is not None)
        summary = t(
            "ui.round.close.summary",
            name=round_name(r),
            count=len(r.entries),
            grades=self.texts.grade_counts(r),
            decided=decided,
            proposed=len(r.entries) - decided,
            affected=len(message.consequences),
        )
        lines = self.texts.consequence_lines(r, message.consequences)

        def answered(yes: bool | None) -> None:
            if yes and self.round is r:
                self._close(r)

        self.app.push_screen(CloseRoundScreen(t("ui.round.close.title"), summary, lines), answered)

    @work(thread=True, exclusive=True, group="round-close")
    def _close(self, r: Round) -> None:
        app = self.shegong
        try:
            closed = close_round(app.registry, app.rules, r)
        except Exception as exc:
            reason = exc.render() if isinstance(exc, ShegongError) else f"{type(exc).__name__}: {exc}"
            self.post_message(RoundWorkFailed(t("ui.round.close.failed", reason=reason)))
            return
        self.post_message(RoundClosed(closed))

    def on_round_closed(self, message: RoundClosed) -> None:
        closed = message.round
        for e in closed.entries:
            self.shegong.note_worker_saved(e.worker_id)
        self.show_round(closed, saved=closed)
        summary = t(
            "ui.round.closed",
            name=round_name(closed),
            count=len(closed.entries),
            affected=len(closed.consequences),
        )
        self._say(summary)
        lines = self.texts.consequence_lines(closed, closed.consequences)
        self.app.push_screen(ConsequencesScreen(t("ui.round.close.result_title"), summary, lines))

    def action_reload(self) -> None:
        """Read the round again from the registry (another operator's saved decisions)."""
        r = self.round
        if r is None:
            return

        def reload(yes: bool | None = True) -> None:
            if not yes or r is None:
                return
            stored = load_round(self.shegong.registry, r.year, r.period, r.scope)
            if stored is None:
                self._say(t("ui.round.not_saved"))
                return
            self.show_round(stored, saved=stored)

        if self.has_unsaved_changes:
            self.app.push_screen(ConfirmScreen(t("ui.round.discard"), yes=t("ui.round.discard_yes")), reload)
        else:
            reload()

    # --- filter, messages, status ---------------------------------------------------------------

    @on(Input.Changed, "#round-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.apply_filter(event.value)
        self._show_current()

    @on(Input.Submitted, "#round-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def set_filter(self, text: str) -> None:
        self.filter_input.value = text
        self.table.apply_filter(text)
        self._show_current()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self.table.focus()
            return
        super().action_back()

    def _say(self, text: str, *, error: bool = False) -> None:
        """A line under the list: the last decision, or why it was refused (kept until the next)."""
        self.message = text
        line = self.query_one("#round-message", Static)
        line.update(text)
        line.set_class(error, "-error")
        line.display = bool(text)

    def _update_status(self) -> None:
        r = self.round
        status = self.query_one("#round-status", Static)
        if r is None:
            status.update(t("ui.round.status_none"))
            return
        parts = [
            t(
                "ui.round.status",
                count=len(r.entries),
                shown=self.table.row_count,
                decided=self._decided,
                ungraded=len(r.entries) - self._graded,
            )
        ]
        if r.closed:
            parts.append(t("ui.round.state.closed"))
        elif self.saved is None:
            parts.append(t("ui.round.state.not_saved"))
        elif self._dirty:
            parts.append(t("ui.round.state.unsaved"))
        status.update(" · ".join(parts))
        self._update_keys()

    def _count(self) -> None:
        """Count once per change of the round, not once per cursor move (a city has 50,000)."""
        entries = self.round.entries if self.round is not None else ()
        self._graded = sum(1 for e in entries if e.grade is not None)
        self._decided = sum(1 for e in entries if e.decided is not None)

    def _update_keys(self) -> None:
        """Which digit gives which grade, for the highlighted worker's jurisdiction."""
        line = self.query_one("#round-keys", Static)
        entry = self.current_entry()
        if entry is None or self.round is None or self.round.closed:
            line.display = False
            return
        keys = [
            f"{i} {self.texts.grade(g, entry.jurisdiction)}"
            for i, g in enumerate(self.grade_keys(entry.jurisdiction), 1)
        ]
        line.update(t("ui.round.keys", grades="  ".join(keys)))
        line.display = True

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (t("ui.round.cmd.open"), t("ui.tip.round.open"), self.action_open_round),
            (t("ui.round.cmd.save"), t("ui.tip.round.save"), self.action_save),
            (t("ui.round.cmd.close"), t("ui.tip.round.close"), self.action_close_round),
            (t("ui.round.cmd.filter"), t("ui.tip.round.filter"), self.action_focus_filter),
            (
                t("ui.round.cmd.clear_filter"),
                t("ui.round.cmd.clear_filter_help"),
                lambda: self.set_filter(""),
            ),
            (t("ui.round.cmd.reload"), t("ui.tip.round.reload"), self.action_reload),
        ]
