"""Import workers or communities from an .xlsx or .csv file: check every row first, show what is
wrong where (file, row, column, value, reason), and write only after the operator confirms.

The check writes nothing (`tui.import_check`); confirming runs the same import the CLI runs, with
the bad rows skipped if there are any (they go to `<name>.errors.xlsx|csv` next to the file, with
the reasons, ready to correct and import again). Cancelling writes nothing; read-only refuses.
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
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Select, Static

from core.errors import ShegongError, ValidationError
from core.i18n import t
from core.tabular import ImportResult, Problem
from tui.bindings import key
from tui.import_check import KINDS, check_import, locate_file, run_import
from tui.labels import EMPTY
from tui.messages import RowHighlighted
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.screens.confirm import ConfirmScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column, VirtualTable

KIND_LABELS = {"workers": "ui.import.kind.workers", "communities": "ui.import.kind.communities"}


@dataclass
class ImportProgress(Message):
    done: int
    total: int


@dataclass(frozen=True)
class Report:
    """The problems as the table shows them, each one's whole text, and notes about the file;
    rendered in the worker thread (a file of 50,000 bad rows has as many lines)."""

    rows: list[tuple[str, ...]]
    details: list[str]
    notes: str

    @classmethod
    def of(cls, result: ImportResult, lang: str) -> Report:
        rows: list[tuple[str, ...]] = [
            (
                p.file,
                EMPTY if p.row is None else str(p.row),
                p.column,
                p.value or EMPTY,
                p.problem.render(lang),
            )
            for p in result.problems
        ]
        notes = []
        if result.ignored_columns:
            notes.append(t("tabular.report.ignored", columns="、".join(result.ignored_columns)))
        if result.examples_skipped:
            notes.append(t("tabular.report.example_skipped", count=result.examples_skipped))
        # resident IDs with a region code never seen: importing after this check accepts them
        notes.extend(t("records.import.warning", line=p.render(lang)) for p in result.warnings)
        return cls(rows, [problem_detail(p, lang) for p in result.problems], "\n".join(notes))


@dataclass
class ImportChecked(Message):
    """The check of `kind` from `path` (nothing written)."""

    kind: str
    path: Path
    result: ImportResult
    report: Report


@dataclass
class ImportApplied(Message):
    result: ImportResult
    report: Report


@dataclass
class ImportRefused(Message):
    text: str


class ImportScreen(ShegongScreen[None]):
    """The file and what it holds at the top, the check's problems below; `a` imports."""

    TITLE_KEY = "ui.import.title"
    HELP_KEY = "ui.import.help"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+r", "check", "import.check"),
        key("a", "apply", "import.apply"),
        key("o", "focus_path", "import.path"),
        key("t", "toggle_kind", "import.kind"),
    ]

    def __init__(self) -> None:
        super().__init__(id="import")
        self.checked: ImportChecked | None = None
        self.applied: ImportResult | None = None
        self.busy = False
        self._details: list[str] = []
        self._notes = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="imp-form"):
            yield Label(t("ui.import.path_label"), classes="imp-label")
            yield Input(placeholder=t("ui.import.path_placeholder"), id="imp-path", compact=True)
            yield Label(t("ui.import.kind_label"), classes="imp-label")
            yield Select(
                [(t(KIND_LABELS[k]), k) for k in KINDS],
                value="workers",
                allow_blank=False,
                compact=True,
                id="imp-kind",
            )
        yield Static("", id="imp-error", classes="problem", markup=False)
        yield ProgressBar(id="imp-progress", show_eta=False)
        yield Static(t("ui.import.start", folder=str(Path.cwd())), id="imp-summary", markup=False)
        yield VirtualTable(
            [
                Column("file", t("ui.import.col.file"), max_width=16),
                Column("row", t("ui.import.col.row"), max_width=6, align="right"),
                Column("column", t("ui.import.col.column"), max_width=12),
                Column("value", t("ui.import.col.value"), max_width=20),
                Column("reason", t("ui.import.col.reason"), max_width=300, flex=True, min_width=10),
            ],
            id="imp-problems",
            empty_text=t("ui.import.nothing_checked"),
        )
        yield DetailPane(id="imp-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#imp-progress", ProgressBar).display = False
        self.query_one("#imp-error", Static).display = False
        self.query_one("#imp-detail", DetailPane).show("")
        self.path_input.focus()

    @property
    def path_input(self) -> Input:
        return self.query_one("#imp-path", Input)

    @property
    def kind(self) -> str:
        value = self.query_one("#imp-kind", Select).value
        return value if isinstance(value, str) else KINDS[0]

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#imp-problems", VirtualTable)

    # --- checking -------------------------------------------------------------------------------

    @on(Input.Submitted, "#imp-path")
    def _submitted(self) -> None:
        self.action_check()

    @on(Input.Changed, "#imp-path")
    @on(Select.Changed, "#imp-kind")
    def _changed(self) -> None:
        self._error("")

    def action_check(self) -> None:
        if self.busy:
            return
        path, problem = locate_file(self.path_input.value)
        if path is None:
            self._error(problem)
            self.path_input.focus()
            return
        self._error("")
        self.checked = None
        self.applied = None
        self._start(t("ui.import.checking", file=path.name))
        self.check(self.kind, path)

    @work(thread=True, exclusive=True, group="import")
    def check(self, kind: str, path: Path) -> None:
        app = self.shegong
        try:
            result = check_import(
                app.registry,
                app.jurisdictions,
                kind,
                path,
                lang=app.lang,
                today=app.today,
                progress=self._progress,
            )
        except Exception as exc:
            self.post_message(ImportRefused(_failure(exc)))
            return
        self.post_message(ImportChecked(kind, path, result, Report.of(result, app.lang)))

    def _progress(self, done: int, total: int) -> None:
        self.post_message(ImportProgress(done, total))

    def on_import_progress(self, message: ImportProgress) -> None:
        if self.busy:
            self.query_one("#imp-progress", ProgressBar).update(total=message.total, progress=message.done)

    def on_import_checked(self, message: ImportChecked) -> None:
        self._stop()
        self.checked = message
        self._show_problems(message.report)
        self._summary(self._check_text(message))
        self.table.focus()

    def _check_text(self, checked: ImportChecked) -> str:
        result = checked.result
        name = checked.path.name
        what = t(KIND_LABELS[checked.kind])
        if result.refused:
            return t("ui.import.cannot", file=name, count=len(result.problems))
        counts = t("ui.import.counts", added=result.added, updated=result.updated, unchanged=result.unchanged)
        if not result.problems:
            if not result.added and not result.updated:
                return t("ui.import.nothing_new", file=name, rows=result.rows, what=what, counts=counts)
            return t("ui.import.all_good", file=name, rows=result.rows, what=what, counts=counts)
        if result.bad >= result.rows:
            return t("ui.import.all_bad", file=name, rows=result.rows, count=len(result.problems))
        return t(
            "ui.import.some_bad",
            file=name,
            rows=result.rows,
            bad=result.bad,
            count=len(result.problems),
            good=result.rows - result.bad,
            counts=counts,
        )

    def _show_problems(self, report: Report) -> None:
        table = self.table
        table.empty_text = t("ui.import.no_problems")
        table.set_data(report.rows, keep_cursor=False)
        self._details = report.details
        self._notes = report.notes
        self._detail(0)

    @on(RowHighlighted, "#imp-problems")
    def _highlighted(self, event: RowHighlighted) -> None:
        self._detail(event.position)

    def _detail(self, position: int) -> None:
        details = self._details
        text = details[position] if 0 <= position < len(details) else ""
        self.query_one("#imp-detail", DetailPane).show("\n".join(x for x in (text, self._notes) if x))

    # --- applying -------------------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.busy:
            return
        checked = self.checked
        if (
            checked is None
            or checked.path != locate_file(self.path_input.value)[0]
            or checked.kind != self.kind
        ):
            self.notify(t("ui.import.check_first"), severity="warning")
            return
        if self.shegong.refuse_if_read_only():
            return
        result = checked.result
        if result.refused:
            self._refuse(t("ui.import.cannot", file=checked.path.name, count=len(result.problems)))
            return
        if not result.added and not result.updated:
            self.notify(t("ui.import.nothing_to_do"), severity="warning")
            return
        counts = t("ui.import.counts", added=result.added, updated=result.updated, unchanged=result.unchanged)
        question = t("ui.import.confirm", file=checked.path.name, counts=counts)
        if result.bad:
            from core.tabular.report import errors_path

            question += "\n" + t(
                "ui.import.confirm_skip", bad=result.bad, errors=errors_path(checked.path).name
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(t("ui.import.importing", file=checked.path.name))
                self.apply(checked.kind, checked.path, bool(result.bad))

        yes = t("ui.import.yes_skip") if result.bad else t("ui.import.yes")
        self.app.push_screen(ConfirmScreen(question, yes=yes), answered)

    @work(thread=True, exclusive=True, group="import")
    def apply(self, kind: str, path: Path, skip_bad: bool) -> None:
        app = self.shegong
        try:
            result = run_import(
                app.registry,
                app.jurisdictions,
                kind,
                path,
                skip_bad=skip_bad,
                lang=app.lang,
                today=app.today,
                progress=self._progress,
            )
        except Exception as exc:
            self.post_message(ImportRefused(_failure(exc)))
            return
        self.post_message(ImportApplied(result, Report.of(result, app.lang)))

    def on_import_applied(self, message: ImportApplied) -> None:
        self._stop()
        result = self.applied = message.result
        self.checked = None
        self._show_problems(message.report)
        lang = self.shegong.lang
        lines = [result.summary(lang).render(lang)]
        if result.report_path is not None:
            lines.append(t("tabular.report.errors_file", path=str(result.report_path)))
        if result.report_error is not None:
            lines.append(result.report_error.render(lang))
        text = "\n".join(lines)
        self._summary(text)
        self.notify(text, severity="warning" if result.refused else "information", timeout=10)
        if result.written:
            roster = self.shegong.roster_screen
            if roster is not None:
                roster.action_reload()

    def on_import_refused(self, message: ImportRefused) -> None:
        self._stop()
        self._refuse(message.text)

    # --- small helpers --------------------------------------------------------------------------

    def _start(self, text: str) -> None:
        self.busy = True
        bar = self.query_one("#imp-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._summary(text)

    def _stop(self) -> None:
        self.busy = False
        self.query_one("#imp-progress", ProgressBar).display = False

    def _summary(self, text: str) -> None:
        self.query_one("#imp-summary", Static).update(text)

    def _error(self, text: str) -> None:
        error = self.query_one("#imp-error", Static)
        error.update(text)
        error.display = bool(text)

    def _refuse(self, text: str) -> None:
        self._error(text)
        self.notify(text, severity="warning", timeout=12)

    def action_focus_path(self) -> None:
        self.path_input.focus()

    def action_toggle_kind(self) -> None:
        select = self.query_one("#imp-kind", Select)
        select.value = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]

    def action_back(self) -> None:
        if isinstance(self.focused, Input | Select) and self.checked is not None:
            self.table.focus()
            return
        super().action_back()

    def choose(self, kind: str) -> None:
        self.query_one("#imp-kind", Select).value = kind
        self.path_input.focus()

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (t("ui.cmd.import_check"), t("ui.tip.import.check"), self.action_check),
            (t("ui.cmd.import_apply"), t("ui.tip.import.apply"), self.action_apply),
            (t("ui.cmd.import_workers"), t("ui.cmd.import_kind_help"), lambda: self.choose("workers")),
            (
                t("ui.cmd.import_communities"),
                t("ui.cmd.import_kind_help"),
                lambda: self.choose("communities"),
            ),
        ]


def problem_detail(problem: Problem, lang: str) -> str:
    """Where, what is wrong and how to fix it, one per line (a wrapped one-liner breaks badly in
    Chinese, whose sentences have no spaces to wrap at)."""
    if problem.row is None:
        where = t("ui.import.where_file", file=problem.file, column=problem.column)
    else:
        value = problem.value if problem.value != "" else t("ui.import.blank")
        where = t("ui.import.where", file=problem.file, row=problem.row, column=problem.column, value=value)
    return "\n".join([where, problem.problem.render(lang), t("ui.import.fix", fix=problem.fix.render(lang))])


def _failure(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return exc.problem.render()
    if isinstance(exc, ShegongError):
        return exc.render()
    return t("ui.import.failed", reason=f"{type(exc).__name__}: {exc}")
