"""A table that draws only the rows on screen, so 100,000 workers cost what 20 do.

Textual's DataTable builds a row object per row (about 3 s to mount 10,000 rows). This one keeps
the rows as plain tuples of text and implements the Line API: `render_line(y)` formats the one
row at screen line `y`. Filtering and sorting only recompute a list of row numbers (`index`)
against lower-case haystacks and sort keys prepared once, so a keystroke in a filter never builds
or removes a widget. Columns are sized in terminal cells (`rich.cells.cell_len`), so Chinese
double-width text lines up, and text too long for its column is cut with an ellipsis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.bindings import key, translate_bindings
from tui.messages import RowHighlighted, RowSelected

ELLIPSIS = "…"
SORT_UP = "↑"
SORT_DOWN = "↓"
# Measuring every cell of a huge table costs about a second per 400,000 cells; past this many
# cells the widths come from an even sample (a longer cell is cut with an ellipsis, not lost).
MEASURE_ALL_CELLS = 200_000


@dataclass(frozen=True)
class Column:
    """One column: a `flex` column takes the table's spare width, and (if `shrink`) gives up its
    own, down to `min_width`, so the table fits without scrolling sideways."""

    key: str
    label: str
    min_width: int = 2
    max_width: int = 30
    align: Literal["left", "right"] = "left"
    flex: bool = False
    shrink: bool = True


def fit(text: str, width: int, align: Literal["left", "right"] = "left") -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis; never half a wide character."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        text, length = _truncate(text, width - 1)
        text += ELLIPSIS
        length += 1
    pad = " " * (width - length)
    return text + pad if align == "left" else pad + text


def _truncate(text: str, limit: int) -> tuple[str, int]:
    """The longest start of `text` within `limit` cells, and its width."""
    total = 0
    for i, char in enumerate(text):
        size = get_character_cell_size(char)
        if total + size > limit:
            return text[:i], total
        total += size
    return text, total


def measure(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Natural column widths in cells: the widest cell or label (+1 for a sort mark), clamped."""
    count = len(rows)
    cells = count * max(1, len(columns))
    step = max(1, cells // MEASURE_ALL_CELLS) if cells > MEASURE_ALL_CELLS else 1
    widths = []
    for i, column in enumerate(columns):
        widest = cell_len(column.label) + 1
        for r in range(0, count, step):
            row = rows[r]
            if i < len(row):
                n = cell_len(row[i])
                if n > widest:
                    widest = n
        widths.append(max(column.min_width, min(column.max_width, widest)))
    return widths


class VirtualTable(ScrollView, can_focus=True):
    """Rows of text with a cursor, a fixed header, filtering and sorting; no widget per row."""

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .virtual-table--odd {
            background: $surface-lighten-1;
        }
        & > .virtual-table--empty {
            color: $text-muted;
            text-style: italic;
        }
        &:focus {
            background-tint: $foreground 3%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
        "virtual-table--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        key("up", "cursor_up", "table.up", show=False),
        key("down", "cursor_down", "table.down", show=False),
        key("pageup", "page_up", "table.page_up", show=False),
        key("pagedown", "page_down", "table.page_down", show=False),
        key("home", "first", "table.first", show=False),
        key("end", "last", "table.last", show=False),
        key("left", "scroll_left", "table.left", show=False),
        key("right", "scroll_right", "table.right", show=False),
        key("enter", "select", "table.select", show=False),
    ]

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        empty_text: str = "",
        select_text: str | None = None,
        show_header: bool = True,
        zebra: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        if select_text is not None:
            self._show_select(select_text)
        self.empty_text = empty_text
        self.show_header = show_header
        self.zebra = zebra
        self._columns: list[Column] = list(columns)
        self._rows: Sequence[Sequence[str]] = ()
        self._keys: Sequence[Hashable] = ()
        self._row_of_key: dict[Hashable, int] | None = None
        self._haystacks: Sequence[str] | None = None
        self._sort_keys: Mapping[int, Sequence[Any]] = {}
        self._natural: list[int] = measure(self._columns, ())
        self._order: list[int] = []
        self._orders: dict[int, list[int]] = {}
        self._index: list[int] = []
        self._filter = ""
        self._sort: tuple[int, bool] | None = None
        self._widths_cache: tuple[int, list[int]] | None = None
        self._frame_styles: dict[str, Style] = {}
        self.cursor_row = 0
        self.rendered_rows: set[int] = set()
        """Row numbers `render_line` has drawn since the data was set (for tests and profiling)."""

    def _show_select(self, text: str) -> None:
        for bindings in self._bindings.key_to_bindings.values():
            for i, binding in enumerate(bindings):
                if binding.id == "table.select":
                    bindings[i] = dataclasses.replace(binding, description=text, show=True)

    # --- data -----------------------------------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def set_columns(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        self._natural = measure(self._columns, self._rows)
        self._widths_cache = None
        self._update_virtual_size()
        self.refresh()

    def set_data(
        self,
        rows: Sequence[Sequence[str]],
        *,
        keys: Sequence[Hashable] | None = None,
        haystacks: Sequence[str] | None = None,
        sort_keys: Mapping[int, Sequence[Any]] | None = None,
        widths: Sequence[int] | None = None,
        keep_cursor: bool = True,
    ) -> None:
        """Replace every row. `haystacks` are lower-case search texts, one per row; `sort_keys`
        maps a column to one key per row (the cell text otherwise); `widths` skips measuring."""
        current = self.cursor_key if keep_cursor else None
        self._rows = rows
        self._keys = keys if keys is not None else range(len(rows))
        self._row_of_key = None
        self._haystacks = haystacks
        self._sort_keys = dict(sort_keys or {})
        self._natural = list(widths) if widths is not None else measure(self._columns, rows)
        self._widths_cache = None
        self._orders.clear()
        self.rendered_rows.clear()
        self._order = self._sorted_order()
        self._index = self._filtered(self._order, self._filter)
        self._after_index_change(current)

    def update_row(
        self,
        row_number: int,
        cells: Sequence[str],
        *,
        haystack: str | None = None,
        sort_keys: Mapping[int, Any] | None = None,
    ) -> None:
        """Change one row in place (after an edit): re-sorts and re-filters, keeps the cursor."""
        current = self.cursor_key
        if isinstance(self._rows, list):
            self._rows[row_number] = tuple(cells)
        else:
            rows = list(self._rows)
            rows[row_number] = tuple(cells)
            self._rows = rows
        if haystack is not None and self._haystacks is not None:
            haystacks = self._haystacks if isinstance(self._haystacks, list) else list(self._haystacks)
            haystacks[row_number] = haystack
            self._haystacks = haystacks
        for index, value in (sort_keys or {}).items():
            if index in self._sort_keys:
                keys = self._sort_keys[index]
                keys = keys if isinstance(keys, list) else list(keys)
                keys[row_number] = value
                self._sort_keys = {**self._sort_keys, index: keys}
        for i, cell in enumerate(cells):
            if i < len(self._natural) and i < len(self._columns):
                limit = self._columns[i].max_width
                self._natural[i] = max(self._natural[i], min(limit, cell_len(cell)))
        self._widths_cache = None
        self._orders.clear()
        self._order = self._sorted_order()
        self._index = self._filtered(self._order, self._filter)
        self._after_index_change(current)

    @property
    def total_count(self) -> int:
        return len(self._rows)

    @property
    def row_count(self) -> int:
        """Rows that pass the filter."""
        return len(self._index)

    @property
    def index(self) -> list[int]:
        """Row numbers shown, in order (a copy)."""
        return list(self._index)

    def row(self, row_number: int) -> Sequence[str]:
        return self._rows[row_number]

    def key_at(self, position: int) -> Hashable:
        return self._keys[self._index[position]]

    @property
    def cursor_key(self) -> Hashable | None:
        if not self._index:
            return None
        return self._keys[self._index[min(self.cursor_row, len(self._index) - 1)]]

    @property
    def visible_keys(self) -> list[Hashable]:
        return [self._keys[i] for i in self._index]

    # --- filter and sort -----------------------------------------------------------------------

    @property
    def filter_text(self) -> str:
        return self._filter

    def apply_filter(self, text: str) -> int:
        """Show the rows whose haystack holds every word of `text`; returns how many."""
        text = text.lower().strip()
        current = self.cursor_key
        # Typing one more character only narrows: search the rows shown, not all of them.
        narrowing = bool(self._filter) and text.startswith(self._filter)
        base = self._index if narrowing else self._order
        self._filter = text
        self._index = self._filtered(base, text)
        self._after_index_change(current)
        return len(self._index)

    def _filtered(self, base: list[int], text: str) -> list[int]:
        terms = text.split()
        hay = self._haystacks
        if not terms or hay is None:
            return list(base)
        if len(terms) == 1:
            term = terms[0]
            return [i for i in base if term in hay[i]]
        return [i for i in base if all(term in hay[i] for term in terms)]

    @property
    def sort_state(self) -> tuple[int, bool] | None:
        """(column, descending) or None for the data's own order."""
        return self._sort

    def sort_by(self, column: int | None, descending: bool = False) -> None:
        current = self.cursor_key
        self._sort = None if column is None else (column, descending)
        self._order = self._sorted_order()
        self._index = self._filtered(self._order, self._filter)
        self._after_index_change(current)

    def _sorted_order(self) -> list[int]:
        count = len(self._rows)
        if self._sort is None:
            return list(range(count))
        column, descending = self._sort
        ascending = self._orders.get(column)
        if ascending is None:
            values = self._sort_keys.get(column)
            if values is None:
                rows = self._rows
                values = [row[column] if column < len(row) else "" for row in rows]
            ascending = sorted(range(count), key=values.__getitem__)
            self._orders[column] = ascending
        return ascending[::-1] if descending else list(ascending)

    def _after_index_change(self, keep_key: Hashable | None) -> None:
        position = 0
        if keep_key is not None and self._index:
            try:
                row_number = self._row_number_of(keep_key)
                position = self._index.index(row_number)
            except ValueError:
                position = 0
        self._update_virtual_size()
        self.cursor_row = position
        if self.is_mounted:
            if position == 0:
                self.scroll_to(y=0, animate=False)
            else:
                self._scroll_cursor_into_view()
        self.refresh()
        if self._index:
            self.post_message(RowHighlighted(self, self._keys[self._index[position]], position))

    def _row_number_of(self, row_key: Hashable) -> int:
        """The row holding `row_key` (ValueError if none): a dict built on first use."""
        keys = self._keys
        if isinstance(keys, range):
            if isinstance(row_key, int) and row_key in keys:
                return row_key
            raise ValueError(row_key)
        if self._row_of_key is None:
            self._row_of_key = {k: i for i, k in enumerate(keys)}
        try:
            return self._row_of_key[row_key]
        except KeyError:
            raise ValueError(row_key) from None

    def move_to_key(self, row_key: Hashable) -> bool:
        """Put the cursor on the row with `row_key` if it is shown."""
        try:
            position = self._index.index(self._row_number_of(row_key))
        except ValueError:
            return False
        self.move_cursor(position)
        return True

    # --- geometry -------------------------------------------------------------------------------

    @property
    def _header_height(self) -> int:
        return 1 if self.show_header else 0

    @property
    def body_height(self) -> int:
        """Rows of data that fit on screen."""
        return max(1, self.scrollable_content_region.height - self._header_height)

    def _widths(self, available: int) -> list[int]:
        cached = self._widths_cache
        if cached is not None and cached[0] == available:
            return cached[1]
        widths = list(self._natural)
        flex = [i for i, c in enumerate(self._columns) if c.flex]
        if flex and widths:
            used = sum(widths) + len(widths) + 1
            spare = available - used
            first = flex[0]
            if spare > 0 or self._columns[first].shrink:
                widths[first] = max(self._columns[first].min_width, widths[first] + spare)
        self._widths_cache = (available, widths)
        return widths

    def _line_width(self, widths: Sequence[int]) -> int:
        return sum(widths) + len(widths) + 1 if widths else 0

    def _update_virtual_size(self) -> None:
        width = self._line_width(self._widths(max(1, self.scrollable_content_region.width)))
        size = Size(width, len(self._index) + self._header_height)
        if size == self.virtual_size:
            return
        self.virtual_size = size
        styles = self.styles
        if (styles.width is not None and styles.width.is_auto) or (
            styles.height is not None and styles.height.is_auto
        ):
            self.refresh(layout=True)  # sized by its content: the parent must lay it out again

    def on_resize(self, event: events.Resize) -> None:
        self._widths_cache = None
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    # --- cursor ---------------------------------------------------------------------------------

    def move_cursor(self, position: int) -> None:
        count = len(self._index)
        if count == 0:
            self.cursor_row = 0
            return
        position = max(0, min(position, count - 1))
        old = self.cursor_row
        self.cursor_row = position
        self._scroll_cursor_into_view()
        # A row's line in the virtual canvas is its position plus the header line above it.
        header = self._header_height
        self.refresh_line(old + header)
        self.refresh_line(position + header)
        if old != position:
            self.post_message(RowHighlighted(self, self._keys[self._index[position]], position))

    def _scroll_cursor_into_view(self) -> None:
        body = self.body_height
        top = round(self.scroll_y)
        if self.cursor_row < top:
            top = self.cursor_row
        elif self.cursor_row >= top + body:
            top = self.cursor_row - body + 1
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self.body_height)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self.body_height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._index) - 1)

    def action_scroll_left(self) -> None:
        self.scroll_to(x=max(0, round(self.scroll_x) - 8), animate=False)

    def action_scroll_right(self) -> None:
        self.scroll_to(x=min(self.max_scroll_x, round(self.scroll_x) + 8), animate=False)

    def action_select(self) -> None:
        if self._index:
            position = min(self.cursor_row, len(self._index) - 1)
            self.post_message(RowSelected(self, self._keys[self._index[position]], position))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        position = round(self.scroll_y) + offset.y - self._header_height
        if offset.y < self._header_height or not 0 <= position < len(self._index):
            return
        self.move_cursor(position)
        if event.chain >= 2:
            self.action_select()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.refresh()

    # --- rendering ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Resolve the component styles once per paint, not once per line.
        self._frame_styles = {
            name: self.get_component_rich_style(name, partial=True) for name in self.COMPONENT_CLASSES
        }
        return super().render_lines(crop)

    def _style(self, name: str) -> Style:
        style = self._frame_styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._frame_styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_x)
        scroll_y = round(self.scroll_y)
        base = self.rich_style
        widths = self._widths(max(1, width))
        line_width = max(self._line_width(widths), scroll_x + width)
        header = self._header_height
        if y < header:
            text = self._header_text(widths)
            style = base + self._style("virtual-table--header")
        else:
            position = scroll_y + y - header
            if position >= len(self._index):
                if position == 0 and self.empty_text:
                    empty = fit(" " + self.empty_text, line_width)
                    strip = Strip([Segment(empty, base + self._style("virtual-table--empty"))])
                    return strip.crop_extend(scroll_x, scroll_x + width, base)
                return Strip.blank(width, base)
            row_number = self._index[position]
            self.rendered_rows.add(row_number)
            text = self._row_text(self._rows[row_number], widths)
            style = base
            if position == self.cursor_row:
                style = base + self._style("virtual-table--cursor")
            elif self.zebra and position % 2:
                style = base + self._style("virtual-table--odd")
        text = fit(text, line_width)
        return Strip([Segment(text, style)], line_width).crop_extend(scroll_x, scroll_x + width, base)

    def _row_text(self, row: Sequence[str], widths: Sequence[int]) -> str:
        columns = self._columns
        parts = [fit(row[i] if i < len(row) else "", w, columns[i].align) for i, w in enumerate(widths)]
        return " " + " ".join(parts)

    def _header_text(self, widths: Sequence[int]) -> str:
        parts = []
        for i, (column, w) in enumerate(zip(self._columns, widths, strict=False)):
            label = column.label
            if self._sort is not None and self._sort[0] == i:
                label = fit(label, w - 1, column.align).rstrip() + (SORT_DOWN if self._sort[1] else SORT_UP)
            parts.append(fit(label, w, column.align))
        return " " + " ".join(parts)
