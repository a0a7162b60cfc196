"""The add and edit forms walked with the keyboard at 80x24: adding a worker with a mistyped ID,
finding them in the roster, editing, another operator saving first, undo, leaving unsaved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import attrs
from textual.pilot import Pilot
from textual.widgets import Input, Select

from core.memory import MemoryRegistry
from core.model import Sex
from core.resident_id import checksum_char
from tests.tui.conftest import MakeApp
from tests.tui.test_app import capture_notes, settle, text_of
from tui.app import ShegongApp
from tui.screens.community_form import CommunityFormScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictScreen
from tui.screens.roster import RosterScreen
from tui.screens.worker_detail import WorkerDetailScreen
from tui.screens.worker_form import WorkerFormScreen

SIZE = (80, 24)
# A woman born 1990-03-15 in region 110105: sequence 124 is even (GB 11643: digit 17 even = female).
FIRST17 = "110105" + "19900315" + "124"
GOOD_ID = FIRST17 + checksum_char(FIRST17)
# The same number with its check character changed: one wrong character, as a typo would make.
BAD_ID = FIRST17 + ("0" if GOOD_ID[-1] != "0" else "1")
NEW_NAME = "梁晓雯"


@contextmanager
def other_operator(registry: MemoryRegistry, name: str = "另一位操作员") -> Iterator[None]:
    """Writes made inside are stamped with another operator's login, as from another terminal."""
    me = registry.user
    registry.user = name
    try:
        yield
    finally:
        registry.user = me


async def type_into(pilot: Pilot[Any], field: str, text: str) -> None:
    """Focus the field (its text is selected, so typing replaces it), type, and leave with tab."""
    form = pilot.app.screen
    form.query_one(f"#field-{field}").focus()
    await pilot.pause()
    await pilot.press(*text) if text else await pilot.press("backspace")
    await pilot.press("tab")
    await pilot.pause()


async def choose(pilot: Pilot[Any], field: str, label: str) -> None:
    """Open the choice with enter, go down to `label`, take it with enter."""
    form = pilot.app.screen
    select = form.query_one(f"#field-{field}", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    labels = [str(label) for label, _ in select._options]
    values = [value for _, value in select._options]
    current = values.index(select.value) if select.value in values else 0
    steps = labels.index(label) - current
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press("enter")
    await pilot.pause()


def error_of(app: ShegongApp, field: str) -> str:
    return text_of(app, f"#error-{field}")


class TestAddWorker:
    async def test_add_with_a_bad_id_then_fixed_and_find_in_roster(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """r → a opens an empty form; a mistyped ID is named under the field as soon as it is
        left; fixed, it fills sex and birth date; 20261125 reads back as 2026-11-25; the saved
        worker is in the roster."""
        app = make_app()
        before = registry.count_workers()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await settle(pilot)
            roster = app.screen
            assert isinstance(roster, RosterScreen)
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, WorkerFormScreen)
            assert app.focused is form.query_one("#field-name")
            await pilot.press(*NEW_NAME, "tab")
            await pilot.press(*BAD_ID, "tab")
            await pilot.pause()
            message = error_of(app, "id_number")
            assert "身份证号" in message and "校验位" in message and "应为" in message
            await type_into(pilot, "id_number", GOOD_ID)
            assert error_of(app, "id_number") == ""
            texts = form.texts()
            assert texts["sex"] == Sex.FEMALE.value and texts["birth_date"] == "1990-03-15"
            await choose(pilot, "community_id", "幸福里社区 (tc-001)")
            await choose(pilot, "post", "专职网格员")
            await type_into(pilot, "service_start", "20240301")
            assert form.query_one("#field-service_start", Input).value == "2024-03-01"
            await choose(pilot, "education", "本科")
            await choose(pilot, "contract_kind", "劳动合同")
            await type_into(pilot, "contract_start", "20240301")
            await type_into(pilot, "contract_end", "20261125")
            assert form.query_one("#field-contract_end", Input).value == "2026-11-25"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is roster
            assert registry.count_workers() == before + 1
            added = registry.find_worker_by_id_number(GOOD_ID)
            assert added is not None and added.name == NEW_NAME
            assert added.birth_date == dt.date(1990, 3, 15) and added.sex == Sex.FEMALE
            assert [(p.post, p.start) for p in added.posts] == [("grid_worker", dt.date(2024, 3, 1))]
            assert added.contracts[0].end == dt.date(2026, 11, 25)
            assert added.statuses == ()  # active from the service start: nothing to record
            await pilot.press("slash", *NEW_NAME)
            await pilot.pause()
            assert roster.table.visible_keys == [added.id]

    async def test_saving_with_errors_names_every_wrong_field(self, make_app: MakeApp) -> None:
        """ctrl+s on an empty form shows the message under every required field and saves nothing."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker_form(None)
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, WorkerFormScreen)
            for field in ("name", "id_number", "community_id", "service_start", "education"):
                assert "必须填写" in error_of(app, field), field
            # required: name, ID, community, service start, education (entry, party, status have defaults)
            assert "5" in text_of(app, "#form-status")
            assert app.focused is app.screen.query_one("#field-name")

    async def test_an_id_already_registered_is_refused_at_the_field(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        taken = registry.get_worker(3)
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker_form(None)
            await pilot.pause()
            form = app.screen
            for name, text in (
                ("name", "重复"),
                ("id_number", taken.id_number),
                ("community_id", "tc-001"),
                ("service_start", "2024-03-01"),
                ("education", "bachelor"),
            ):
                form.set_text(name, text)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, WorkerFormScreen)
            assert f"编号 {taken.id}" in error_of(app, "id_number")


class TestEditWorker:
    async def test_edit_from_the_detail_and_the_history_shows_it(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """e on the detail opens the form on the worker; the saved change is in the history tab."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(2)
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, WorkerDetailScreen)
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, WorkerFormScreen)
            assert form.query_one("#field-name", Input).value == registry.get_worker(2).name
            await type_into(pilot, "hukou_city", "杭州市")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is detail
            history = [c.action for c in registry.changes(kind="worker", key="2")]
            assert history == ["add", "update"]
            assert registry.get_worker(2).hukou is not None
            assert registry.get_worker(2).hukou.city == "杭州市"  # type: ignore[union-attr]
            assert registry.get_worker(2).revision == 2

    async def test_a_post_change_ends_the_old_term(self, make_app: MakeApp, registry: MemoryRegistry) -> None:
        """Another post from a later date: the old term ends the day before, the new one starts."""
        app = make_app()
        old = registry.get_worker(4)
        (term,) = old.posts
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker_form(4)
            await pilot.pause()
            await choose(pilot, "post", "专职党务工作者")
            await pilot.press("ctrl+s")
            await pilot.pause()
            # the start date was left as it was: that is a correction of the current term
            assert [p.post for p in registry.get_worker(4).posts] == ["party_worker"]
            app.open_worker_form(4)
            await pilot.pause()
            await choose(pilot, "post", "专职网格员")
            await type_into(pilot, "post_start", "20260501")
            await pilot.press("ctrl+s")
            await pilot.pause()
        posts = registry.get_worker(4).posts
        assert [(p.post, p.start, p.end) for p in posts] == [
            ("party_worker", term.start, dt.date(2026, 4, 30)),
            ("grid_worker", dt.date(2026, 5, 1), None),
        ]

    async def test_esc_with_unsaved_changes_asks_first(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """esc with a change asks; n keeps the form and the text; esc then y leaves, nothing saved."""
        app = make_app()
        phone = registry.get_worker(2).phone
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(2)
            await settle(pilot)
            detail = app.screen
            await pilot.press("e")
            await pilot.pause()
            await type_into(pilot, "phone", "13800001111")
            assert app.has_unsaved_changes()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, WorkerFormScreen)
            assert app.screen.query_one("#field-phone", Input).value == "13800001111"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is detail
            assert registry.get_worker(2).phone == phone
            assert not app.has_unsaved_changes()

    async def test_esc_without_changes_leaves_at_once(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker_form(2)
            await pilot.pause()
            await pilot.press("tab", "tab", "escape")
            await pilot.pause()
            assert not isinstance(app.screen, WorkerFormScreen | ConfirmScreen)

    async def test_read_only_refuses_the_forms(self, make_app: MakeApp, registry: MemoryRegistry) -> None:
        app = make_app(read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            notes = capture_notes(app)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("a")
            app.open_community_form("tc-001")
            await pilot.pause()
            assert isinstance(app.screen, RosterScreen)
            assert len(notes) == 2 and all("只读" in n for n in notes)


class TestConflict:
    async def _edit_then_someone_saves(
        self, app: ShegongApp, pilot: Pilot[Any], registry: MemoryRegistry
    ) -> None:
        app.open_worker_form(2)
        await pilot.pause()
        await type_into(pilot, "phone", "13800002222")
        with other_operator(registry):
            registry.update_worker(attrs.evolve(registry.get_worker(2), note="另一位操作员的备注"))
        await pilot.press("ctrl+s")
        await pilot.pause()

    async def test_both_versions_shown_then_overwrite_with_mine(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """The conflict lists who saved, and marks exactly the fields that differ: their note,
        my phone. m saves mine on their revision (the form's fields as I typed them)."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await self._edit_then_someone_saves(app, pilot, registry)
            conflict = app.screen
            assert isinstance(conflict, ConflictScreen)
            assert "另一位操作员" in text_of(app, "#conflict-who")
            differing = {row.label: (row.theirs, row.yours) for row in conflict.rows if row.differs}
            phone_before = registry.get_worker(2).phone
            assert differing == {
                "电话": (phone_before, "13800002222"),
                "备注": ("另一位操作员的备注", "-"),
            }
            await pilot.press("m")
            await settle(pilot)
        saved = registry.get_worker(2)
        assert saved.phone == "13800002222" and saved.note == ""
        assert saved.revision == 3  # 1 loaded, 2 theirs, 3 mine on top

    async def test_keep_theirs_discards_mine(self, make_app: MakeApp, registry: MemoryRegistry) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await self._edit_then_someone_saves(app, pilot, registry)
            theirs = registry.get_worker(2)
            await pilot.press("t")
            await settle(pilot)
            assert not isinstance(app.screen, WorkerFormScreen | ConflictScreen)
            assert not app.has_unsaved_changes()
        assert registry.get_worker(2) == theirs

    async def test_back_to_editing_keeps_my_text_and_saves_on_theirs(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """e goes back with my phone and their note (a field I had left alone); the next save is
        based on their version and keeps both."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await self._edit_then_someone_saves(app, pilot, registry)
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, WorkerFormScreen)
            assert form.query_one("#field-phone", Input).value == "13800002222"
            assert form.query_one("#field-note", Input).value == "另一位操作员的备注"
            assert "对方的版本" in text_of(app, "#form-status")
            await pilot.press("ctrl+s")
            await settle(pilot)
        saved = registry.get_worker(2)
        assert (saved.phone, saved.note, saved.revision) == ("13800002222", "另一位操作员的备注", 3)


class TestUndo:
    async def test_undo_an_edit_restores_the_previous_version_as_a_new_revision(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """ctrl+z names the worker and the changed field; y saves the old version as revision 3,
        audited like any update."""
        app = make_app()
        original = registry.get_worker(2)
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker(2)
            await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            await type_into(pilot, "phone", "13800003333")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert registry.get_worker(2).phone == "13800003333"
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            question = text_of(app, "#confirm-question")
            assert original.name in question and "电话" in question
            await pilot.press("y")
            await settle(pilot)
        restored = registry.get_worker(2)
        assert restored.phone == original.phone and restored.revision == 3
        assert [c.action for c in registry.changes(kind="worker", key="2")][-2:] == ["update", "update"]
        assert app.form_edits == []

    async def test_undo_refused_when_someone_changed_the_record_since(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            notes = capture_notes(app)
            app.open_worker_form(2)
            await pilot.pause()
            await type_into(pilot, "phone", "13800004444")
            await pilot.press("ctrl+s")
            await settle(pilot)
            with other_operator(registry):
                registry.update_worker(attrs.evolve(registry.get_worker(2), note="后来的修改"))
            await pilot.press("ctrl+z", "y")
            await settle(pilot)
        assert registry.get_worker(2).note == "后来的修改"
        assert any("另一位操作员" in n for n in notes)

    async def test_undo_an_addition_removes_the_worker(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        before = registry.count_workers()
        async with app.run_test(size=SIZE) as pilot:
            app.open_worker_form(None)
            await pilot.pause()
            form = app.screen
            for name, text in (
                ("name", NEW_NAME),
                ("id_number", GOOD_ID),
                ("community_id", "tc-002"),
                ("service_start", "2024-03-01"),
                ("education", "bachelor"),
            ):
                form.set_text(name, text)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert registry.count_workers() == before + 1
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert NEW_NAME in text_of(app, "#confirm-question")
            await pilot.press("y")
            await settle(pilot)
        assert registry.count_workers() == before
        assert registry.find_worker_by_id_number(GOOD_ID) is None

    async def test_ctrl_z_is_in_the_footer_only_when_there_is_an_edit(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.check_action("undo", ()) is False
            app.open_worker_form(2)
            await pilot.pause()
            await type_into(pilot, "phone", "13800005555")
            assert app.check_action("undo", ()) is False  # a form with its own changes is open
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.check_action("undo", ()) is True


class TestCommunityForm:
    async def test_add_a_community_with_a_bad_count_then_fixed(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        """The palette's 新增社区 opens the form; a taken id and a count with letters are named;
        the area keeps its decimals exactly."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            commands = {title: callback for title, _, callback in app.palette_commands()}
            assert "新增人员" in commands
            commands["新增社区"]()
            await pilot.pause()
            form = app.screen
            assert isinstance(form, CommunityFormScreen)
            await pilot.press(*"tc-001", "tab")
            await pilot.pause()
            assert "已被另一个社区使用" in error_of(app, "id")
            await type_into(pilot, "id", "tc-009")
            for name, text in (
                ("name", "新河社区"),
                ("street", "五马街道"),
                ("district", "鹿城区"),
                ("city", "测试市"),
            ):
                await type_into(pilot, name, text)
            await choose(pilot, "jurisdiction", form.specs(form.texts())["jurisdiction"].choices[0][1])
            await type_into(pilot, "households_resident", "12a0")
            assert "不是整数" in error_of(app, "households_resident")
            await type_into(pilot, "households_resident", "1200")
            await type_into(pilot, "office_area", "350.25")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, CommunityFormScreen)
        added = registry.get_community("tc-009")
        assert added.households_resident == 1200 and added.office_area == Decimal("350.25")
        assert added.jurisdiction == "testcity"

    async def test_edit_a_community_keeps_its_id_and_conflicts_are_shown(
        self, make_app: MakeApp, registry: MemoryRegistry
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            app.open_community_form("nw-001")  # a jurisdiction that is not loaded: kept, not lost
            await pilot.pause()
            form = app.screen
            assert form.query_one("#field-id", Input).disabled
            assert form.texts()["jurisdiction"] == "nowhere"
            await type_into(pilot, "grid_count", "8")
            with other_operator(registry):
                registry.update_community(attrs.evolve(registry.get_community("nw-001"), population=5000))
            await pilot.press("ctrl+s")
            await pilot.pause()
            conflict = app.screen
            assert isinstance(conflict, ConflictScreen)
            assert {r.label for r in conflict.rows if r.differs} == {"网格数", "常住人口"}
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
        saved = registry.get_community("nw-001")
        # back to editing: my grid count, their population (a field I had left alone)
        assert (saved.grid_count, saved.population, saved.jurisdiction) == (8, 5000, "nowhere")
