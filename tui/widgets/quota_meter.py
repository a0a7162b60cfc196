"""How many places of each limited grade every unit has used, one line per unit and grade.

A round's quota (优秀 at most 20% of a street) is what an operator keeps an eye on while deciding,
so the meter stays on screen above the list: the unit of the worker under the cursor is marked
and scrolled into view, and a full unit (or one over its quota, after a jurisdiction's quota
changed) is coloured. Like `VirtualTable` it draws only the lines on screen (Line API), so a
city's hundred streets cost what three do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.i18n import t
from tui.widgets.virtual_table import fit

BAR_WIDTH = 10
BAR = "━"
CURRENT = "▶ "
UNIT_WIDTH = 18


@dataclass(frozen=True)
class MeterRow:
    """One limited grade of one unit: `used` of `limit` places taken, and the article."""

    unit: str
    unit_label: str
    grade_label: str
    used: int
    limit: int
    citation: str

    @property
    def state(self) -> str:
        if self.used > self.limit:
            return "over"
        return "full" if self.used == self.limit else "open"


def bar_cells(used: int, limit: int, width: int = BAR_WIDTH) -> int:
    """How many of the bar's cells are filled: a share of the places, never more than the bar."""
    if limit <= 0:
        return width if used else 0
    return min(width, (used * width + limit - 1) // limit)


class QuotaMeter(ScrollView, can_focus=False):
    """`unit  grade  ━━━━━━━━━━  used/limit  places left  〔article〕`, one line per quota."""

    DEFAULT_CSS = """
    QuotaMeter {
        height: auto;
        max-height: 4;
        background: $panel;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .quota-meter--current {
            text-style: bold;
        }
        & > .quota-meter--full {
            color: $warning;
        }
        & > .quota-meter--over {
            color: $error;
            text-style: bold;
        }
        & > .quota-meter--bar {
            color: $success;
        }
        & > .quota-meter--bar-empty {
            color: $foreground 25%;
        }
        & > .quota-meter--empty {
            color: $text-muted;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "quota-meter--current",
        "quota-meter--full",
        "quota-meter--over",
        "quota-meter--bar",
        "quota-meter--bar-empty",
        "quota-meter--empty",
    }

    def __init__(self, *, empty_text: str = "", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.empty_text = empty_text
        self.rows: list[MeterRow] = []
        self.current: str | None = None
        self._widths = (0, 0, 0)

    def set_rows(self, rows: Sequence[MeterRow]) -> None:
        self.rows = list(rows)
        unit = min(UNIT_WIDTH, max((cell_len(r.unit_label) for r in self.rows), default=0))
        grade = max((cell_len(r.grade_label) for r in self.rows), default=0)
        figures = max((len(f"{r.used}/{r.limit}") for r in self.rows), default=0)
        self._widths = (unit, grade, figures)
        self.virtual_size = Size(0, max(1, len(self.rows)))  # lines are cut to the width, never scrolled
        self.refresh(layout=True)
        self._show_current()

    def set_current(self, unit: str | None) -> None:
        """Mark the lines of `unit` (the highlighted worker's) and bring them into view."""
        if unit == self.current:
            return
        self.current = unit
        self._show_current()
        self.refresh()

    def _show_current(self) -> None:
        lines = [i for i, r in enumerate(self.rows) if r.unit == self.current]
        if not lines or not self.is_mounted:
            return
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if lines[0] < top or lines[-1] >= top + height:
            self.scroll_to(y=lines[0], animate=False)

    def line_text(self, row: MeterRow) -> tuple[str, str]:
        """The text before the bar and after it (tests read the meter through this)."""
        unit, grade, figures = self._widths
        marker = CURRENT if row.unit == self.current else "  "
        head = f"{marker}{fit(row.unit_label, unit)}  {fit(row.grade_label, grade)}  "
        if row.state == "over":
            state = t("ui.round.meter.over", over=row.used - row.limit)
        elif row.state == "full":
            state = t("ui.round.meter.full")
        else:
            state = t("ui.round.meter.left", left=row.limit - row.used)
        used = f"{row.used}/{row.limit}".rjust(figures)
        tail = f"  {used}  {state}  〔{row.citation}〕"
        return head, tail

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        position = round(self.scroll_y) + y
        if position >= len(self.rows):
            if position == 0 and self.empty_text:
                style = base + self.get_component_rich_style("quota-meter--empty", partial=True)
                return Strip([Segment(fit(" " + self.empty_text, width), style)], width)
            return Strip.blank(width, base)
        row = self.rows[position]
        style = base
        if row.state != "open":
            style += self.get_component_rich_style(f"quota-meter--{row.state}", partial=True)
        if row.unit == self.current:
            style += self.get_component_rich_style("quota-meter--current", partial=True)
        filled = bar_cells(row.used, row.limit)
        bar_style: Style = style + self.get_component_rich_style("quota-meter--bar", partial=True)
        if row.state != "open":
            bar_style = style
        empty_style = base + self.get_component_rich_style("quota-meter--bar-empty", partial=True)
        head, tail = self.line_text(row)
        segments = [
            Segment(head, style),
            Segment(BAR * filled, bar_style),
            Segment(BAR * (BAR_WIDTH - filled), empty_style),
            Segment(tail, style),
        ]
        return Strip(segments).crop_extend(0, width, base)
