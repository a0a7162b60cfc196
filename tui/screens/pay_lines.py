"""One worker's lines in a payroll run, each with the file and article it comes from.

Opened from the payroll screen's worker list; shows the run's stored lines (so a closed month
shows what was paid), the reason when the worker could not be computed, and what a recomputation
would change for this worker. `o` opens the worker's record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Static

from core.i18n import t
from tui.bindings import key
from tui.labels import fmt_money, paren, yes_no
from tui.messages import OpenWorker, RowHighlighted
from tui.payroll_view import difference_rows, error_text, line_label, line_labels
from tui.screens.base import ShegongScreen
from tui.widgets.detail_pane import DetailPane
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from core.payroll import WorkerPay
    from tui.payroll_view import PayrollView


class PayLinesScreen(ShegongScreen[None]):
    """A worker's pay lines: item, amount, whether paid in cash, document and article."""

    TITLE_KEY = "ui.payroll.lines_title"
    HELP_KEY = "ui.payroll.lines_help"

    BINDINGS: ClassVar[list[BindingType]] = [
        key("o", "open_worker", "payroll.open_worker"),
    ]

    def __init__(self, worker: WorkerPay, community_name: str, view: PayrollView) -> None:
        super().__init__(classes="pay-lines")
        self.worker = worker
        self.community_name = community_name
        self.view = view

    def compose(self) -> ComposeResult:
        w = self.worker
        community = f"{self.community_name}{paren(w.community_id)}" if self.community_name else w.community_id
        if w.error:
            heading = t("ui.payroll.lines_heading_failed", name=w.name, id=w.worker_id, community=community)
        else:
            heading = t(
                "ui.payroll.lines_heading",
                name=w.name,
                id=w.worker_id,
                community=community,
                total=fmt_money(w.total),
            )
        yield Header()
        yield Static(
            heading,
            id="lines-heading",
            markup=False,
        )

        def c(name: str, max_width: int, *, flex: bool = False, right: bool = False) -> Column:
            return Column(
                name,
                t(f"ui.payroll.col.{name}"),
                max_width=max_width,
                flex=flex,
                min_width=6,
                align="right" if right else "left",
            )

        yield VirtualTable(
            [
                c("item", 20, flex=True),
                c("amount", 12, right=True),
                c("cash", 6),
                c("document", 24),
                c("article", 16),
            ],
            id="lines-table",
            empty_text=error_text(w) if w.error else t("ui.payroll.no_lines"),
        )
        yield DetailPane(id="lines-detail")
        yield Footer()

    def on_mount(self) -> None:
        w = self.worker
        table = self.query_one("#lines-table", VirtualTable)
        lexicon = self.shegong.lexicon
        table.set_data(
            [
                (
                    line_label(line.label_key, line.code),
                    fmt_money(line.amount),
                    yes_no(line.cash),
                    lexicon.document(line.citation),
                    lexicon.titled(line.citation).clause,
                )
                for line in w.lines
            ]
        )
        table.focus()
        self._show(0)

    def _detail(self, position: int) -> str:
        w = self.worker
        parts: list[str] = []
        if w.error:
            parts.append(t("ui.payroll.cannot_compute", reason=error_text(w)))
        elif 0 <= position < len(w.lines):
            line = w.lines[position]
            parts.append(
                t(
                    "ui.cite.pay_line",
                    item=line_label(line.label_key, line.code),
                    amount=fmt_money(line.amount),
                    cite=self.shegong.lexicon.cite(line.citation),
                )
            )
        changes = [d for d in self.view.differences if d.worker_id == w.worker_id]
        if changes:
            labels = line_labels(self.view.run, self.view.fresh)
            parts.append(t("ui.payroll.worker_changes", count=len(changes)))
            parts += [
                f"  {row[2]}: {row[3]} → {row[4]} ({row[5]})" for row in difference_rows(changes, labels)
            ]
        return "\n".join(parts)

    def _show(self, position: int) -> None:
        self.query_one("#lines-detail", DetailPane).show(self._detail(position))

    def on_row_highlighted(self, event: RowHighlighted) -> None:
        self._show(event.position)

    def action_open_worker(self) -> None:
        self.post_message(OpenWorker(self.worker.worker_id))
