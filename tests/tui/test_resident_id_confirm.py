"""The worker form asks before saving a resident ID whose region code was never seen."""

from __future__ import annotations

from core.memory import MemoryRegistry
from tests.core.test_resident_ids_real import gb11643
from tests.tui.conftest import MakeApp
from tests.tui.test_app import settle, text_of
from tests.tui.test_forms import SIZE, choose, type_into
from tui.screens.confirm import ConfirmScreen
from tui.screens.worker_form import WorkerFormScreen

UNKNOWN = gb11643("11999919900315124")  # 119999: in no edition of the code table


class TestUnknownRegion:
    async def test_no_then_yes(self, make_app: MakeApp, registry: MemoryRegistry) -> None:
        """ctrl+s asks, naming the code; n keeps the form and saves nothing; y saves."""
        app = make_app()
        before = registry.count_workers()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, WorkerFormScreen)
            await pilot.press(*"梁晓雯", "tab")
            await type_into(pilot, "id_number", UNKNOWN)
            await choose(pilot, "community_id", "幸福里社区 (tc-001)")
            await type_into(pilot, "service_start", "20240301")
            await choose(pilot, "education", "本科")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert "119999" in text_of(app, "#confirm-question")
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, WorkerFormScreen)
            assert registry.count_workers() == before
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert registry.find_worker_by_id_number(UNKNOWN) is not None
