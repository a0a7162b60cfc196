"""The communities list and a community's detail, walked with the keyboard at 80x24.

The test registry's communities have no households; `with_households` gives the five testcity
ones some, so the test jurisdiction's staffing rule (testcity_plugin.shegong_staffing, 第九条:
at least 5 workers, one per 300 resident households or part of 300, at most 3 more; one party
secretary and at least 2 grid workers) asks for different numbers in each.
"""

from __future__ import annotations

import attrs

from core.memory import MemoryRegistry
from tests.tui.conftest import MakeApp
from tests.tui.fixtures import build_registry, fixed_clock
from tests.tui.test_app import SIZE, settle
from tui.screens.communities import CommunitiesScreen
from tui.screens.community_detail import CommunityDetailScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.worker_detail import WorkerDetailScreen
from tui.widgets.marked_table import MarkedTable
from tui.widgets.virtual_table import VirtualTable

# Resident households and population per community.
HOUSEHOLDS = {
    "tc-001": (2400, 6100),
    "tc-002": (1200, 3300),
    "tc-003": (1800, 4800),
    "tc-004": (900, 2600),
    "tc-005": (3000, 8000),
}
NEEDED = 8  # columns: in post, needed, gap


def with_households(registry: MemoryRegistry) -> MemoryRegistry:
    with fixed_clock():
        for cid, (households, population) in HOUSEHOLDS.items():
            c = registry.get_community(cid)
            registry.update_community(attrs.evolve(c, households_resident=households, population=population))
    return registry


def staffed_registry() -> MemoryRegistry:
    return with_households(build_registry(40))


def cells(table: VirtualTable, row_key: object) -> tuple[str, ...]:
    assert table.move_to_key(row_key)
    return tuple(table.row(table.index[table.cursor_row]))


class TestCommunities:
    async def test_required_against_in_post_then_a_community_then_a_worker(self, make_app: MakeApp) -> None:
        """`c` → 幸福里社区 needs 8 and has 6 → enter → its workers → enter → the worker."""
        registry = staffed_registry()
        app = make_app(workers=registry)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CommunitiesScreen)
            table = screen.table
            assert table.total_count == 6
            # tc-001 幸福里社区: 2400 households / 300 = 8 workers (more than the floor of 5), at
            # most 8 + 3 = 11. In post (fixture workers 1..40 go round-robin to the six
            # communities, so tc-001 holds workers 1, 7, 13, 19, 25, 31, 37): worker 31 (index 30,
            # 30 % 23 == 7) retired 200 days ago, the other six are in post → 6, short by 2.
            row = cells(table, "tc-001")
            assert row[0] == "幸福里社区"
            assert row[4:7] == ("2400", "6100", "6")
            assert row[7] == "8–11"
            assert row[NEEDED] == "缺 2"
            assert table.marks[table.index[table.cursor_row]] == "error"
            # tc-003 锦绣花园社区: 1800 / 300 = 6 needed (6–9), 7 in post: enough in all, but
            # workers 9 and 33 are both party secretaries where the rule allows one → over by type.
            row = cells(table, "tc-003")
            assert row[6:] == ("7", "6–9", "类别超员")
            # The street totals: 五马街道 = tc-001 (8–11) + tc-002 (1200 households → the floor of
            # 5, 5–8) = 13–19 needed; in post 6 + 6 (tc-002: worker 8 retired) = 12, short by 1.
            streets = screen.query_one("#street-totals", MarkedTable)
            assert cells(streets, "鹿城区/五马街道")[1:] == ("12", "13–19", "缺 1")

            # Filter as you type: 永中 leaves one community.
            await pilot.press("slash", *"永中")
            assert table.row_count == 1 and table.visible_keys == ["tc-005"]
            await pilot.press("enter")  # back to the list
            assert table.has_focus
            await pilot.press("enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, CommunityDetailScreen)
            assert detail.community_id == "tc-005"
            # tc-005: 3000 / 300 = 10 needed (10–13); workers 5 (on probation), 11, 17, 23, 29, 35
            # are all in post → 6, short by 4; the article is 第九条 of the test city's document.
            heading = str(detail.query_one("#community-staffing").render())
            assert "10–13" in heading and "缺 4" in heading
            assert "《测试市社区工作者管理办法》第九条" in heading and "001_testcity.txt" not in heading
            people = detail.query_one("#community-workers", VirtualTable)
            assert set(people.visible_keys) == {5, 11, 17, 23, 29, 35}
            assert people.has_focus
            assert people.move_to_key(17)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, WorkerDetailScreen)
            assert app.screen.worker_id == 17
            await pilot.press("escape")
            assert app.screen is detail
            await pilot.press("escape")
            assert app.screen is screen
            await pilot.press("escape")
            assert isinstance(app.screen, DashboardScreen)

    async def test_by_post_type_and_an_unknown_jurisdiction(self, make_app: MakeApp) -> None:
        """A community's post types against the rule, and one whose rules are not loaded."""
        app = make_app(workers=staffed_registry())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CommunitiesScreen)
            # nw-001's jurisdiction "nowhere" is not loaded: no figure, said so, not hidden.
            row = cells(screen.table, "nw-001")
            assert row[7] == row[NEEDED] == "不详"
            screen.open_community("tc-002")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, CommunityDetailScreen)
            await pilot.press("right_square_bracket")
            types = detail.query_one("#community-types", MarkedTable)
            assert types.has_focus
            # tc-002's in-post workers: 2 and 26 residents' committee directors, 14 and 38 grid
            # workers, 20 staff, 32 party worker (8 retired): no party secretary (1 required),
            # two grid workers (at least 2).
            assert [tuple(types.row(i)) for i in range(types.total_count)] == [
                ("社区党组织书记", "0", "1", "缺 1"),
                ("专职网格员", "2", "≥2", "符合"),
            ]
            assert types.marks == {0: "error"}


class TestCommunityForms:
    async def test_add_from_the_list_and_edit_from_the_detail(self, make_app: MakeApp) -> None:
        """`a` on the list opens an empty community form; a saved community shows in the list at
        once. `e` on a community opens the form on its record, and a save shows the new figure."""
        from tests.tui.test_forms import choose, type_into
        from tui.screens.community_form import CommunityFormScreen

        registry = staffed_registry()
        app = make_app(workers=registry)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CommunitiesScreen)
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, CommunityFormScreen) and form.community is None
            for name, text in (
                ("id", "tc-009"),
                ("name", "新河社区"),
                ("street", "五马街道"),
                ("district", "鹿城区"),
                ("city", "测试市"),
            ):
                await type_into(pilot, name, text)
            await choose(pilot, "jurisdiction", form.specs(form.texts())["jurisdiction"].choices[0][1])
            await type_into(pilot, "households_resident", "900")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen
            # 900 households / 300 = 3, below the floor of 5: needs 5–8, none in post yet.
            assert cells(screen.table, "tc-009")[7] == "5–8"
            screen.open_community("tc-002")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, CommunityDetailScreen)
            await pilot.press("e")
            await pilot.pause()
            edit = app.screen
            assert isinstance(edit, CommunityFormScreen)
            assert edit.community is not None and edit.community.id == "tc-002"
            await type_into(pilot, "households_resident", "3000")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is detail
        assert registry.get_community("tc-002").households_resident == 3000
