"""A `VirtualTable` whose rows can carry a mark (a shortfall, a serious finding) drawn in colour.

The colour only repeats what a cell already says in words (缺 2, 严重), so a terminal with few
colours or none loses nothing; the highlighted row under the cursor keeps the cursor's colours.

It also sizes its canvas for the vertical scrollbar the rows are about to need: `VirtualTable`
measures the width before the scrollbar is shown, one cell too wide, and Textual then adds a
horizontal scrollbar that hides the last row of a small box.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual.geometry import Size
from textual.strip import Strip

from tui.widgets.virtual_table import VirtualTable

MARKS = ("error", "warning")


class MarkedTable(VirtualTable):
    """Rows whose row number is in `marks` are drawn in that mark's colour ("error", "warning")."""

    DEFAULT_CSS = """
    MarkedTable {
        & > .marked-table--error {
            color: $text-error;
            text-style: bold;
        }
        & > .marked-table--warning {
            color: $text-warning;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | {
        f"marked-table--{mark}" for mark in MARKS
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: Mapping[int, str] = {}
        """Row number (as given to `set_data`) → mark; set it before or with the data."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        header = self._header_height
        if y < header or not self.marks:
            return strip
        position = round(self.scroll_y) + y - header
        if position >= len(self._index) or position == self.cursor_row:
            return strip
        mark = self.marks.get(self._index[position])
        if mark is None:
            return strip
        return strip.apply_style(self._style(f"marked-table--{mark}"))

    def _update_virtual_size(self) -> None:
        region = self.scrollable_content_region
        available = region.width
        rows = len(self._index) + self._header_height
        if not self.show_vertical_scrollbar and rows > region.height and self.styles.overflow_y == "auto":
            available -= self.styles.scrollbar_size_vertical
        size = Size(self._line_width(self._widths(max(1, available))), rows)
        if size == self.virtual_size:
            return
        self.virtual_size = size
        styles = self.styles
        if (styles.width is not None and styles.width.is_auto) or (
            styles.height is not None and styles.height.is_auto
        ):
            self.refresh(layout=True)  # sized by its content: the parent must lay it out again
