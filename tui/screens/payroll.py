"""The month's payroll: pick a month and a scope, compute every worker's pay in the background,
see the totals by street and community, open a worker's lines with the article behind each,
see who could not be computed and why, save the run, close the month, export it to Excel.

A closed month is shown as it was closed; computing it again shows what would differ, never
replaces it (`core.payroll`). Saving and closing are refused in read-only mode, and closing is
refused while any worker could not be computed or the registry no longer gives the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from core.errors import ShegongError, ValidationError
from core.i18n import t
from core.payroll import PayrollRun, close_run, compare, compute_payroll, load_run, save_run
from core.results import Month
from core.scope import Scope
from core.storage.layout import display_time
from tui.bindings import key
from tui.labels import fmt_money
from tui.messages import RowHighlighted, RowSelected
from tui.payroll_view import (
    PayrollView,
    describe_scope,
    failure_groups,
    parse_month,
    parse_scope,
    scope_choices,
    whole_field,
)
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.path_prompt import PathPromptScreen
from tui.screens.pay_lines import PayLinesScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column, VirtualTable, measure

EMPTY_TEXT = {"failed": "ui.payroll.none_failed", "diff": "ui.payroll.no_difference"}

# (tab, title catalog key): the order `[` and `]` step through.
TABS: tuple[tuple[str, str], ...] = (
    ("streets", "ui.payroll.tab.streets"),
    ("communities", "ui.payroll.tab.communities"),
    ("workers", "ui.payroll.tab.workers"),
    ("failed", "ui.payroll.tab.failed"),
    ("diff", "ui.payroll.tab.diff"),
)


class Abandoned(Exception):
    """A newer computation replaced this one: stop at the next progress call."""


@dataclass
class PayrollProgress(Message):
    done: int
    total: int


@dataclass
class PayrollComputed(Message):
    view: PayrollView
    widths: dict[str, list[int]]


@dataclass
class PayrollStored(Message):
    """The run was saved or closed: the view with what the registry now holds."""

    view: PayrollView
    note: str
    widths: dict[str, list[int]]


@dataclass
class PayrollRefused(Message):
    """A computation, save, close or export could not be done; `text` says why."""

    text: str


class PayrollScreen(ShegongScreen[None]):
    """Month and scope at the top, the run's figures in tabs below."""

    TITLE_KEY = "ui.payroll.title"
    HELP_KEY = "ui.payroll.help"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+r", "compute", "payroll.compute"),
        key("s", "save", "payroll.save"),
        key("x", "close_month", "payroll.close"),
        key("e", "export", "payroll.export"),
        key("m", "focus_month", "payroll.month", show=False),
        key("right_square_bracket", "next_tab", "payroll.next_tab", show=False),
        key("left_square_bracket", "previous_tab", "payroll.previous_tab", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="payroll")
        self.view: PayrollView | None = None
        self.computing = False
        self._edits_seen = 0
        self.filter_label = ""
        self.columns = {tab: self._columns(tab) for tab, _ in TABS}

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        communities = self.shegong.registry.communities()
        yield Header()
        with Horizontal(id="pay-form"):
            yield Label(t("ui.payroll.month_label"), classes="pay-label")
            yield Input(
                str(Month.of(self.shegong.today)),
                placeholder="2026-11",
                id="pay-month",
                compact=True,
            )
            yield Label(t("ui.payroll.scope_label"), classes="pay-label")
            yield Input(
                "all",
                placeholder=t("ui.payroll.scope_placeholder"),
                id="pay-scope",
                compact=True,
                suggester=SuggestFromList(scope_choices(communities), case_sensitive=False),
            )
        yield Static("", id="pay-error", classes="problem", markup=False)
        yield ProgressBar(id="pay-progress", show_eta=False)
        yield Static(t("ui.payroll.start"), id="pay-summary", markup=False)
        with TabbedContent(id="pay-tabs"):
            for tab, title in TABS:
                with TabPane(t(title), id=f"pay-tab-{tab}"):
                    yield VirtualTable(
                        self.columns[tab],
                        id=f"pay-{tab}",
                        empty_text=t("ui.payroll.not_computed"),
                        select_text=t("ui.key.payroll.open") if tab != "diff" else None,
                    )
        yield DetailPane(id="pay-detail")
        yield Footer()

    def _columns(self, tab: str) -> list[Column]:
        def c(name: str, max_width: int = 12, *, flex: bool = False) -> Column:
            return Column(name, t(f"ui.payroll.col.{name}"), max_width=max_width, flex=flex, min_width=6)

        def n(name: str, max_width: int = 14) -> Column:
            return Column(name, t(f"ui.payroll.col.{name}"), max_width=max_width, align="right")

        columns: dict[str, list[Column]] = {
            "streets": [
                c("district"),
                c("street", 16, flex=True),
                n("workers", 8),
                n("failed", 7),
                n("total"),
            ],
            "communities": [
                c("community_id", 10),
                c("community", 16, flex=True),
                c("street"),
                n("workers", 8),
                n("failed", 7),
                n("total"),
            ],
            "workers": [n("id", 7), c("name", 10), c("community", 16, flex=True), n("total")],
            "failed": [n("id", 7), c("name", 10), c("community"), c("reason", 300, flex=True)],
            "diff": [
                n("id", 7),
                c("name", 10),
                c("item", 20, flex=True),
                n("before"),
                n("after"),
                n("change"),
            ],
        }
        return columns[tab]

    def on_screen_resume(self) -> None:
        """Records edited elsewhere since the figures were computed: say they may be out of date
        (closing checks again anyway)."""
        edited = len(self.shegong.edited_workers)
        if self.view is not None and edited != self._edits_seen:
            self._show_error(t("ui.payroll.edited_since"))
        self._edits_seen = edited

    def on_mount(self) -> None:
        self._edits_seen = len(self.shegong.edited_workers)
        self.query_one("#pay-progress", ProgressBar).display = False
        self.query_one("#pay-error", Static).display = False
        self.query_one("#pay-detail", DetailPane).show("")
        self.month_input.focus()

    @property
    def month_input(self) -> Input:
        return self.query_one("#pay-month", Input)

    @property
    def scope_input(self) -> Input:
        return self.query_one("#pay-scope", Input)

    def table(self, tab: str) -> VirtualTable:
        return self.query_one(f"#pay-{tab}", VirtualTable)

    # --- computing ------------------------------------------------------------------------------

    @on(Input.Submitted, "#pay-month, #pay-scope")
    def _submitted(self) -> None:
        self.action_compute()

    @on(Input.Changed, "#pay-month, #pay-scope")
    def _edited(self) -> None:
        self._show_error("")

    def _read_form(self) -> tuple[Month, Scope] | None:
        """The month and scope typed, or None with the reason shown under the inputs."""
        try:
            month = parse_month(self.month_input.value)
        except ValidationError as exc:
            self._show_error(exc.problem.render())
            self.month_input.focus()
            return None
        try:
            scope = parse_scope(self.scope_input.value, self.shegong.registry.communities())
        except ValidationError as exc:
            self._show_error(exc.problem.render())
            self.scope_input.focus()
            return None
        self._show_error("")
        return month, scope

    def action_compute(self) -> None:
        form = self._read_form()
        if form is None:
            return
        month, scope = form
        self.computing = True
        self._edits_seen = len(self.shegong.edited_workers)
        bar = self.query_one("#pay-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._summary(t("ui.payroll.computing", month=str(month), scope=self._scope_text(scope)))
        self.compute(month, scope)

    @work(thread=True, exclusive=True, group="payroll")
    def compute(self, month: Month, scope: Scope) -> None:
        app = self.shegong
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise Abandoned
            self.post_message(PayrollProgress(done, total))

        try:
            names = {c.id: c.name for c in app.registry.communities()}
            kept = load_run(app.registry, str(month), str(scope))
            fresh = compute_payroll(app.registry, app.rules, month, scope, progress=progress)
        except Abandoned:
            return
        except Exception as exc:  # the screen stays up and says what went wrong
            self.post_message(PayrollRefused(_failure(exc)))
            return
        differences = compare(kept, fresh) if kept is not None else []
        view = PayrollView(month, scope, fresh, kept, names, differences)
        self.post_message(PayrollComputed(view, self._widths(view)))

    def on_payroll_progress(self, message: PayrollProgress) -> None:
        if self.computing:
            self.query_one("#pay-progress", ProgressBar).update(total=message.total, progress=message.done)

    def _widths(self, view: PayrollView) -> dict[str, list[int]]:
        """Build the view's rows and measure its columns, in the worker thread: measuring the
        widest cells of 50,000 rows would pause the screen for a moment."""
        return {tab: measure(self.columns[tab], view.tables[tab].rows) for tab, _ in TABS}

    def on_payroll_computed(self, message: PayrollComputed) -> None:
        self._stop_progress()
        self.view = message.view
        self._fill(message.widths)
        if not isinstance(self.focused, VirtualTable):
            self._focus_tab()

    def on_payroll_refused(self, message: PayrollRefused) -> None:
        self._stop_progress()
        self._show_error(message.text)
        self.notify(message.text, severity="error", timeout=12)
        if self.view is not None:
            self._summary(self._summary_text(self.view))

    def _stop_progress(self) -> None:
        self.computing = False
        self.query_one("#pay-progress", ProgressBar).display = False

    # --- filling --------------------------------------------------------------------------------

    def _scope_text(self, scope: Scope) -> str:
        names = self.view.names if self.view is not None else {}
        if scope.community and scope.community not in names:
            names = {c.id: c.name for c in self.shegong.registry.communities()}
        return describe_scope(scope, names)

    def _fill(self, widths: dict[str, list[int]]) -> None:
        """Show the view's tables; their rows were built in the worker thread (`PayrollView.tables`)."""
        view = self.view
        assert view is not None
        tables = view.tables
        for tab, _ in TABS:
            data = tables[tab]
            table = self.table(tab)
            table.empty_text = t(EMPTY_TEXT.get(tab, "ui.payroll.no_workers"))
            table.set_data(data.rows, keys=data.keys, haystacks=data.haystacks, widths=widths.get(tab))
        if view.kept is None:
            self.table("diff").empty_text = t("ui.payroll.no_kept")
        tabs = self.query_one(TabbedContent)
        failed = len(tables["failed"].rows)
        tabs.get_tab("pay-tab-failed").label = t("ui.payroll.tab.failed_count", count=failed)
        tabs.get_tab("pay-tab-diff").label = t("ui.payroll.tab.diff_count", count=len(view.differences))
        self._summary(self._summary_text(view))
        self._update_detail()

    def _summary_text(self, view: PayrollView) -> str:
        run = view.run
        parts = [
            t(
                "ui.payroll.figures",
                month=run.month,
                scope=self._scope_text(view.scope),
                workers=len(run.workers),
                total=fmt_money(run.total),
            )
        ]
        if run.failed:
            parts.append(t("ui.payroll.failed_count", count=len(run.failed)))
        kept = view.kept
        if kept is None:
            parts.append(t("ui.payroll.state_fresh"))
        elif kept.closed:
            parts.append(t("ui.payroll.state_closed", who=kept.closed_by, when=display_time(kept.closed_at)))
        else:
            parts.append(
                t("ui.payroll.state_saved", who=kept.computed_by, when=display_time(kept.computed_at))
            )
        if kept is not None:
            if view.differences:
                parts.append(t("ui.payroll.differs", count=len(view.differences)))
            else:
                parts.append(t("ui.payroll.same"))
        if self.table("workers").filter_text:
            parts.append(t("ui.payroll.filtered", text=self.filter_label))
        return " · ".join(parts)

    def _summary(self, text: str) -> None:
        self.query_one("#pay-summary", Static).update(text)

    def _show_error(self, text: str) -> None:
        error = self.query_one("#pay-error", Static)
        error.update(text)
        error.display = bool(text)

    # --- moving around --------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        active = self.query_one(TabbedContent).active.removeprefix("pay-tab-")
        return active or TABS[0][0]

    def show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"pay-tab-{tab}"
        self._focus_tab()
        self._update_detail()

    def _focus_tab(self) -> None:
        self.table(self.active_tab).focus()

    def _step_tab(self, step: int) -> None:
        names = [tab for tab, _ in TABS]
        current = names.index(self.active_tab)
        self.show_tab(names[(current + step) % len(names)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def action_focus_month(self) -> None:
        self.month_input.focus()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        self._update_detail()

    @on(RowHighlighted)
    def _highlighted(self, event: RowHighlighted) -> None:
        if event.table.id == f"pay-{self.active_tab}":
            self._update_detail()

    def _update_detail(self) -> None:
        tab = self.active_tab
        details = self.view.tables[tab].details if self.view is not None else ()
        table = self.table(tab)
        position = table.cursor_row
        text = details[position] if table.row_count and 0 <= position < len(details) else ""
        self.query_one("#pay-detail", DetailPane).show(text)

    def action_back(self) -> None:
        if self.active_tab == "workers" and self.table("workers").filter_text:
            self.filter_workers("")
            return
        if isinstance(self.focused, Input) and self.view is not None:
            self._focus_tab()
            return
        super().action_back()

    @on(RowSelected, "#pay-streets, #pay-communities")
    def _to_workers(self, event: RowSelected) -> None:
        """A street's or community's row lists its workers."""
        if not isinstance(event.key, str):
            return
        names = self.view.names if self.view is not None else {}
        label = names.get(event.key, event.key)
        self.filter_workers(event.key, label)
        self.show_tab("workers")

    def filter_workers(self, key: str, label: str = "") -> None:
        """Show only the workers of one street (`district/street`) or community ("" shows all)."""
        self.filter_label = label or key
        self.table("workers").apply_filter(whole_field(key) if key else "")
        if self.view is not None:
            self._summary(self._summary_text(self.view))

    @on(RowSelected, "#pay-workers, #pay-failed")
    def _open_lines(self, event: RowSelected) -> None:
        if self.view is None:
            return
        found = next((w for w in self.view.run.workers if w.worker_id == event.key), None)
        if found is not None:
            self.app.push_screen(
                PayLinesScreen(found, self.view.names.get(found.community_id, ""), self.view)
            )

    # --- saving, closing, exporting -------------------------------------------------------------

    def _need_view(self) -> PayrollView | None:
        if self.view is None or self.computing:
            self.notify(t("ui.payroll.compute_first"), severity="warning")
            return None
        return self.view

    def action_save(self) -> None:
        view = self._need_view()
        if view is None or self.shegong.refuse_if_read_only():
            return
        if view.closed:
            self._refuse(self._closed_text(view))
            return
        if view.saved_as_is:
            self.notify(t("ui.payroll.nothing_to_save"))
            return
        self.store(view, close=False)

    def action_close_month(self) -> None:
        view = self._need_view()
        if view is None or self.shegong.refuse_if_read_only():
            return
        run = view.run
        if view.closed:
            self._refuse(self._closed_text(view))
            return
        if run.failed:
            reason = t("payroll.cannot_close_failed", month=run.month, count=len(run.failed))
            self._refuse("\n".join([reason, *failure_groups(run.failed)]))
            self.show_tab("failed")
            return
        question = t(
            "ui.payroll.close_question",
            month=run.month,
            scope=self._scope_text(view.scope),
            workers=len(run.workers),
            total=fmt_money(run.total),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.store(view, close=True)

        self.app.push_screen(ConfirmScreen(question, yes=t("ui.payroll.close_yes")), answered)

    def _closed_text(self, view: PayrollView) -> str:
        kept = view.kept
        assert kept is not None
        return t(
            "ui.payroll.already_closed",
            month=kept.month,
            who=kept.closed_by,
            when=display_time(kept.closed_at),
        )

    def _refuse(self, text: str) -> None:
        self._show_error(text)
        self.notify(text, severity="warning", timeout=12)

    @work(thread=True, exclusive=True, group="payroll-store")
    def store(self, view: PayrollView, close: bool) -> None:
        """Save the fresh run, or close it after checking the registry still gives its figures."""
        app = self.shegong
        run = view.fresh
        try:
            if close:
                again = compute_payroll(app.registry, app.rules, view.month, view.scope)
                changed = compare(run, again)
                if changed:
                    self.post_message(PayrollRefused(t("ui.payroll.stale", count=len(changed))))
                    return
                kept = close_run(app.registry, run)
                note = t("ui.payroll.closed_done", month=kept.month, total=fmt_money(kept.total))
            else:
                kept = save_run(app.registry, run)
                note = t("ui.payroll.saved_done", month=kept.month)
        except Exception as exc:
            self.post_message(PayrollRefused(_failure(exc)))
            return
        after = PayrollView(view.month, view.scope, run, kept, view.names, compare(kept, run))
        self.post_message(PayrollStored(after, note, self._widths(after)))

    def on_payroll_stored(self, message: PayrollStored) -> None:
        view = self.view
        if view is not None and message.view.fresh.key == view.fresh.key:
            self.view = message.view
            self._fill(message.widths)
        self._show_error("")
        self.notify(message.note)

    def action_export(self) -> None:
        view = self._need_view()
        if view is None:
            return
        run = view.run
        scope = view.scope
        suffix = "" if scope == Scope() else "-" + str(scope).split(":", 1)[1].replace("/", "-")
        default = f"payroll-{run.month}{suffix}.xlsx"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export(run, path, view.names)

        self.app.push_screen(
            PathPromptScreen(t("ui.payroll.export_question"), default, suffixes=(".xlsx",)), chosen
        )

    @work(thread=True, exclusive=True, group="payroll-export")
    def export(self, run: PayrollRun, path: Path, names: dict[str, str]) -> None:
        from core.tabular import export_payroll

        try:
            written = export_payroll(run, path, lang=self.shegong.lang, names=names)
        except Exception as exc:
            self.post_message(PayrollRefused(_failure(exc)))
            return
        self.app.call_from_thread(
            self.notify, t("ui.payroll.exported", count=len(run.workers), path=str(written)), timeout=10
        )

    # --- palette --------------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (t("ui.cmd.payroll_compute"), t("ui.tip.payroll.compute"), self.action_compute),
            (t("ui.cmd.payroll_save"), t("ui.tip.payroll.save"), self.action_save),
            (t("ui.cmd.payroll_close"), t("ui.tip.payroll.close"), self.action_close_month),
            (t("ui.cmd.payroll_export"), t("ui.tip.payroll.export"), self.action_export),
            (t("ui.cmd.payroll_failed"), t("ui.cmd.payroll_failed_help"), lambda: self.show_tab("failed")),
            (t("ui.cmd.payroll_diff"), t("ui.cmd.payroll_diff_help"), lambda: self.show_tab("diff")),
        ]


def _failure(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return exc.problem.render()
    if isinstance(exc, ShegongError):
        return exc.render()
    return t("ui.payroll.failed", reason=f"{type(exc).__name__}: {exc}")
