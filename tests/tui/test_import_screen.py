"""The import screen walked with the keyboard at 80x24: a file with mistakes is checked (nothing
written), the operator sees each row, column and reason, fixes the file, imports it, and the
worker is in the registry; bad rows can be skipped into the errors file; cancelling writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from core.memory import MemoryRegistry
from core.resident_id import checksum_char
from core.tabular.headers import WORKER_COLUMNS
from tests.tui.conftest import MakeApp
from tests.tui.test_app import capture_notes, settle, text_of
from tui.import_check import CheckOnly, locate_file
from tui.screens.confirm import ConfirmScreen
from tui.screens.import_file import ImportScreen

SIZE = (80, 24)
FIELDS = [c.field for c in WORKER_COLUMNS if c.importable]
HEADERS = [c.zh for c in WORKER_COLUMNS if c.importable]


def resident_id(birth: str, seq: int) -> str:
    """A valid number for a woman (even sequence) born on `birth` (YYYYMMDD), region 330302."""
    first17 = f"330302{birth}{2 * seq:03d}"
    return first17 + checksum_char(first17)


NEW_ID = resident_id("19900402", 7)
OTHER_ID = resident_id("19910515", 8)


def worker_row(**changes: Any) -> list[str]:
    values = {
        "name": "陈晓雨",
        "sex": "女",
        "birth_date": "1990-04-02",
        "id_number": NEW_ID,
        "community_id": "tc-002",
        "service_start": "2019-03-01",
        "entry": "招聘",
        "education": "本科",
        "phone": "13900001111",
        "party": "群众",
        "posts": "专职工作人员",
        "status": "在岗",
    }
    values.update(changes)
    return [values.get(f, "") for f in FIELDS]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


async def open_import(pilot: Pilot[Any]) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def check(pilot: Pilot[Any], screen: ImportScreen, path: str) -> None:
    screen.path_input.focus()
    screen.path_input.value = path
    await pilot.press("enter")
    await settle(pilot)


def problems(screen: ImportScreen) -> list[tuple[str, ...]]:
    return [tuple(screen.table.row(i)) for i in screen.table.index]


class TestImportWalk:
    async def test_errors_shown_then_fixed_file_imported(
        self, make_app: MakeApp, registry: MemoryRegistry, tmp_path: Path
    ) -> None:
        # The row names a community that does not exist and an education level that is not one.
        path = write_csv(tmp_path / "新人.csv", [worker_row(community_id="tc-999", education="大学")])
        app = make_app()
        before = registry.count_workers()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot)
            assert screen.path_input.has_focus
            await check(pilot, screen, str(path))
            found = problems(screen)
            # Row 2: the first data row under the header, as Excel numbers it.
            assert {(r[0], r[1], r[2], r[3]) for r in found} == {
                ("新人.csv", "2", "社区编号", "tc-999"),
                ("新人.csv", "2", "学历", "大学"),
            }
            assert any("tc-999" in r[4] for r in found)
            assert "1" in text_of(app, "#imp-summary")
            # Nothing written by the check: no worker, no errors file.
            assert registry.count_workers() == before
            assert not (tmp_path / "新人.errors.csv").exists()
            # Nothing good to import: `a` says so and asks nothing.
            notes = capture_notes(app)
            await pilot.press("a")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen) and len(notes) == 1

            write_csv(path, [worker_row()])  # the operator corrects the file
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert problems(screen) == []
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            added = registry.find_worker_by_id_number(NEW_ID)
            assert added is not None and added.name == "陈晓雨" and added.community_id == "tc-002"
            assert added.birth_date == dt.date(1990, 4, 2)
            assert registry.count_workers() == before + 1

    async def test_skip_bad_rows_writes_the_good_and_the_errors_file(
        self, make_app: MakeApp, registry: MemoryRegistry, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "名单.csv",
            [worker_row(), worker_row(name="错行", id_number=OTHER_ID, birth_date="1991-13-15")],
        )
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot)
            await check(pilot, screen, str(path))
            assert [(r[1], r[2]) for r in problems(screen)] == [("3", "出生日期")]
            # Cancel: nothing is written, not even the errors file.
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await settle(pilot)
            assert registry.find_worker_by_id_number(NEW_ID) is None
            assert not (tmp_path / "名单.errors.csv").exists()
            # Confirm: the good row is written, the bad one goes to the errors file.
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert registry.find_worker_by_id_number(NEW_ID) is not None
            assert registry.find_worker_by_id_number(OTHER_ID) is None
            errors = (tmp_path / "名单.errors.csv").read_text(encoding="utf-8-sig")
            assert "错行" in errors and "陈晓雨" not in errors
            assert "名单.errors.csv" in text_of(app, "#imp-summary")

    async def test_missing_file_and_wrong_kind_of_file(
        self, make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
        app = make_app(lang="en")
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot)
            await check(pilot, screen, "nowhere.csv")
            error = text_of(app, "#imp-error")
            assert "not found" in error and str(tmp_path / "nowhere.csv") in error
            assert screen.checked is None
            await check(pilot, screen, "notes.txt")
            assert ".xlsx" in text_of(app, "#imp-error")
            # A relative path is read from the folder the app started in.
            write_csv(tmp_path / "ok.csv", [worker_row()])
            await check(pilot, screen, "ok.csv")
            assert screen.checked is not None and screen.checked.result.added == 1

    async def test_read_only_refuses_to_import(
        self, make_app: MakeApp, registry: MemoryRegistry, tmp_path: Path
    ) -> None:
        path = write_csv(tmp_path / "a.csv", [worker_row()])
        app = make_app(read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot)
            await check(pilot, screen, str(path))
            notes = capture_notes(app)
            await pilot.press("a")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen) and len(notes) == 1
            assert registry.find_worker_by_id_number(NEW_ID) is None

    async def test_communities_kind(
        self, make_app: MakeApp, registry: MemoryRegistry, tmp_path: Path
    ) -> None:
        from core.tabular.headers import COMMUNITY_COLUMNS

        headers = [c.zh for c in COMMUNITY_COLUMNS if c.importable]
        fields = [c.field for c in COMMUNITY_COLUMNS if c.importable]
        values = {
            "id": "tc-006",
            "name": "新城社区",
            "street": "永中街道",
            "district": "龙湾区",
            "city": "测试市",
            "jurisdiction": "testcity",
        }
        path = tmp_path / "社区.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(headers)
            writer.writerow([values.get(x, "") for x in fields])
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot)
            screen.table.focus()
            await pilot.press("t")  # workers → communities
            assert screen.kind == "communities"
            await check(pilot, screen, str(path))
            assert problems(screen) == []
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert registry.get_community("tc-006").name == "新城社区"


def test_check_only_registry_reads_through_and_writes_nothing(registry: MemoryRegistry) -> None:
    view = CheckOnly(registry)
    worker = registry.get_worker(2)
    assert view.workers() == registry.workers() and view.get_community("tc-001") == registry.get_community(
        "tc-001"
    )
    view.update_worker(worker)
    view.add_workers([worker])
    view.delete_worker(2, worker.revision)
    view.record_event("import", "worker", "x")
    assert registry.get_worker(2) == worker and registry.changes(key="x") == []


def test_locate_file_says_what_is_wrong(tmp_path: Path) -> None:
    assert locate_file("", tmp_path)[0] is None
    assert locate_file("missing.xlsx", tmp_path) == (None, locate_file("missing.xlsx", tmp_path)[1])
    assert str(tmp_path / "missing.xlsx") in locate_file("missing.xlsx", tmp_path)[1]
    assert locate_file(".", tmp_path)[0] is None
    (tmp_path / "a.xlsx").write_bytes(b"")
    assert locate_file("a.xlsx", tmp_path) == (tmp_path / "a.xlsx", "")


async def test_the_palette_opens_the_import_for_communities(make_app: MakeApp) -> None:
    """The palette lists the import from any screen; on it, "import communities" picks the kind."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {title: run for title, _, run in app.palette_commands()}
        commands["打开导入"]()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        commands = {title: run for title, _, run in app.palette_commands()}
        commands["导入社区"]()
        await pilot.pause()
        assert screen.kind == "communities" and screen.path_input.has_focus
