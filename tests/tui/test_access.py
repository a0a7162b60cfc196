"""Privacy on the worker detail screen: who may reveal a full ID number, and who sees full phones.

The app is given the fixed registry seen through a grant (`core.scoped`), as `run_app` does.
"""

from __future__ import annotations

import pytest

from core.access import Grant, Role
from core.memory import MemoryRegistry
from core.privacy import mask_phone, mask_resident_id
from core.scope import Scope
from core.scoped import ScopedRepository
from tests.tui.conftest import MakeApp
from tests.tui.fixtures import TODAY, build_rules, fixed_clock
from tests.tui.test_app import SIZE, capture_notes, settle
from tui.app import ShegongApp
from tui.screens.worker_detail import WorkerDetailScreen

WORKER = 2


def profile_text(app: ShegongApp) -> str:
    screen = app.screen
    assert isinstance(screen, WorkerDetailScreen)
    assert screen.worker is not None
    return " ".join(value for _, value in screen._profile_rows(screen.worker))


@pytest.mark.parametrize("role", list(Role))
async def test_reveal_and_phone_by_role(registry: MemoryRegistry, role: Role) -> None:
    seen = ScopedRepository(registry, Grant("zhangwei", role, (Scope(),)))
    worker = registry.get_worker(WORKER)
    assert worker.phone  # the fixture gives everyone a phone
    with fixed_clock():
        app = ShegongApp(seen, rules=build_rules(registry), today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            notes = capture_notes(app)
            app.open_worker(WORKER)
            await settle(pilot)
            shown = profile_text(app)
            assert mask_resident_id(worker.id_number) in shown and worker.id_number not in shown
            phone = worker.phone if role is not Role.VIEWER else mask_phone(worker.phone)
            assert phone in shown
            await pilot.press("v")
            await settle(pilot)
            shown = profile_text(app)
            if role is Role.VIEWER:
                assert worker.id_number not in shown
                assert notes and "zhangwei" in notes[0]
                assert [c.action for c in registry.changes()][-1] == "denied"
            else:
                assert worker.id_number in shown and not notes
            # core.privacy: a viewer sees the birth year, never the date or the age beside it
            birth = worker.birth_date.isoformat()
            assert (birth not in shown) is (role is Role.VIEWER)


@pytest.mark.parametrize("role", list(Role))
def test_a_viewer_cannot_find_workers_by_hidden_digits(registry: MemoryRegistry, role: Role) -> None:
    """Filtering by the last digits of an ID or phone would tell a viewer the hidden digits one
    query at a time: only a role that may see full numbers can filter by them."""
    from tui.app import load_catalogs
    from tui.labels import Lexicon
    from tui.screens.roster import load_roster

    load_catalogs()
    seen = ScopedRepository(registry, Grant("zhangwei", role, (Scope(),)))
    data = load_roster(seen, Lexicon(build_rules(registry).jurisdictions), TODAY)
    worker = registry.get_worker(WORKER)
    hay = data.haystacks[data.keys.index(WORKER)]
    found = worker.id_number[-4:] in hay and worker.phone[-4:] in hay
    assert found is (role is not Role.VIEWER)


async def test_the_history_names_a_refusal_and_a_restore(make_app: MakeApp, registry: MemoryRegistry) -> None:
    """A refusal written to the trail (another operator tried this record out of scope) and a
    restore read as words in the history tab, not as the trail's action codes."""
    from tui.screens.worker_detail import WorkerDetailScreen
    from tui.widgets.virtual_table import VirtualTable

    registry.record_event("denied", "worker", "2", note="read; viewer; street:鹿城区/南汇街道")
    registry.record_event("restore", "worker", "2")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_worker(2)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, WorkerDetailScreen)
        history = detail.query_one("#history-table", VirtualTable)
        actions = [history.row(i)[2] for i in range(history.total_count)]
        assert actions[:2] == ["从备份恢复", "越权被拒"]
