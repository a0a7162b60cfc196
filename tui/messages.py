"""Custom messages: what background workers report back, and what screens ask of the app.

Workers running in threads never touch widgets; they post one of these and the screen's handler,
on the event loop, updates what is shown (harlequin's pattern).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.screens.dashboard import DashboardData
    from tui.screens.roster import RosterData
    from tui.screens.worker_detail import WorkerRules
    from tui.widgets.virtual_table import VirtualTable


@dataclass
class OpenWorker(Message):
    """Ask the app to open a worker's detail screen."""

    worker_id: int


@dataclass
class RosterLoaded(Message):
    """The roster's rows, haystacks and sort keys, built off the event loop."""

    data: RosterData


@dataclass
class LoadFailed(Message):
    """A background load failed; `text` is already rendered for the operator."""

    text: str


@dataclass
class DashboardComputed(Message):
    data: DashboardData


@dataclass
class WorkerRulesComputed(Message):
    """This month's pay, the retirement date and the findings of one worker."""

    rules: WorkerRules


@dataclass
class RowHighlighted(Message):
    """The cursor of a `VirtualTable` moved to the row with `key` (at `position` in the view)."""

    table: VirtualTable
    key: Hashable
    position: int

    @property
    def control(self) -> VirtualTable:
        return self.table


@dataclass
class RowSelected(Message):
    """Enter (or a double click) on the row with `key` of a `VirtualTable`."""

    table: VirtualTable
    key: Hashable
    position: int

    @property
    def control(self) -> VirtualTable:
        return self.table
