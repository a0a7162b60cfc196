"""The virtual table: cell-width layout, truncation, and drawing only the rows on screen."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui.messages import RowSelected
from tui.widgets.virtual_table import Column, VirtualTable, fit, measure

ROWS = 50_000


def _rows(n: int) -> list[tuple[str, str, str]]:
    communities = ("幸福里社区", "南塘社区", "锦绣花园社区居民委员会第一网格")
    return [(f"张{i}", communities[i % 3], str(i)) for i in range(n)]


class TableApp(App[None]):
    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[object] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(
            [
                Column("name", "姓名", max_width=8),
                Column("community", "社区", max_width=10),
                Column("n", "编号", align="right"),
            ],
            empty_text="无",
        )

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.set_data(
            self.rows,
            haystacks=["\x00".join(r).lower() for r in self.rows],
            sort_keys={2: [int(r[2]) for r in self.rows]},
        )
        table.focus()

    def on_row_selected(self, event: RowSelected) -> None:
        self.selected.append(event.key)


def _line(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


class TestFit:
    def test_pads_to_width_in_cells(self) -> None:
        """Chinese characters count two cells, so the padding is in cells, not characters."""
        assert fit("张三", 6) == "张三  "
        assert fit("12", 5, "right") == "   12"

    def test_cuts_with_an_ellipsis_never_half_a_character(self) -> None:
        """A cut lands before a wide character that would not fit, then the ellipsis, then padding."""
        cut = fit("锦绣花园社区", 8)
        assert cut == "锦绣花… "
        assert cell_len(cut) == 8
        assert fit("abcdef", 4) == "abc…"
        assert fit("abc", 1) == "…"

    def test_measure_counts_cells_and_clamps(self) -> None:
        """Widths fit the widest cell or label (+1 for a sort mark) within the column's limits."""
        columns = [Column("a", "名", max_width=6), Column("b", "b", min_width=4)]
        assert measure(columns, [("锦绣花园社区", "x")]) == [6, 4]


class TestLargeTable:
    async def test_only_visible_rows_are_drawn(self) -> None:
        """With 50,000 rows in an 80x24 terminal, only the rows on screen are ever rendered."""
        app = TableApp(_rows(ROWS))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.query_one(VirtualTable)
            assert table.total_count == ROWS
            assert table.rendered_rows and max(table.rendered_rows) < 24
            assert _line(table, 0).split() == ["姓名", "社区", "编号"]
            assert _line(table, 1).split()[0] == "张0"

    async def test_paging_draws_the_new_page_only(self) -> None:
        """Page down moves the cursor a screen and draws that screen, not the rows in between."""
        app = TableApp(_rows(ROWS))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.query_one(VirtualTable)
            table.rendered_rows.clear()
            await pilot.press("end")
            await pilot.pause()
            assert table.cursor_row == ROWS - 1
            assert table.rendered_rows and min(table.rendered_rows) > ROWS - 30
            assert _line(table, table.body_height).split()[0] == f"张{ROWS - 1}"

    async def test_filter_recomputes_the_index_and_keeps_the_widget(self) -> None:
        """Filtering changes which rows are shown; narrowing searches only the rows already shown."""
        app = TableApp(_rows(ROWS))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.query_one(VirtualTable)
            rows = app.rows
            assert table.apply_filter("南塘") == sum(1 for r in rows if r[1] == "南塘社区")
            expected = [i for i, r in enumerate(rows) if r[1] == "南塘社区" and "张4999" in r[0]]
            assert table.apply_filter("南塘 张4999") == len(expected)
            assert table.index == expected
            assert table.apply_filter("") == ROWS
            assert table.apply_filter("没有这个人") == 0
            await pilot.pause()
            assert _line(table, 1).strip() == "无"

    async def test_sort_by_key_and_reverse(self) -> None:
        """Sorting uses the given sort keys (numbers here), and reverses on request."""
        app = TableApp(_rows(1000))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.query_one(VirtualTable)
            table.sort_by(2, descending=True)
            await pilot.pause()
            assert table.visible_keys[:3] == [999, 998, 997]
            assert _line(table, 0).split()[-1] == "编号↓"

    async def test_enter_selects_the_cursor_row(self) -> None:
        """Enter posts RowSelected with the key of the row under the cursor."""
        app = TableApp(_rows(100))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            assert app.selected == [2]

    async def test_update_row_keeps_the_cursor_on_its_row(self) -> None:
        """Changing one row in place keeps the cursor on the same key."""
        app = TableApp(_rows(100))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("down", "down", "down")
            table = app.query_one(VirtualTable)
            table.update_row(3, ("李四", "南塘社区", "3"), haystack="李四\x00南塘社区")
            await pilot.pause()
            assert table.cursor_key == 3
            assert table.row(3)[0] == "李四"
