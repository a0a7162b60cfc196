"""Opening the forms, showing a saved edit everywhere it appears, and undoing the last edit.

The app's `open_worker_form`, `open_community_form` and `ctrl+z` come here, so the app itself only
names them. Every write goes through the registry's ordinary add, update and delete, with their
revision checks and audit entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.errors import NotFound, ShegongError, StaleRevision
from core.i18n import t
from core.model import Community, Worker
from tui.forms.community_form import CommunityFormContext
from tui.forms.undo import Edit, Record, describe, undo
from tui.forms.worker_form import WorkerFormContext
from tui.screens.community_form import CommunityFormScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.worker_detail import WorkerDetailScreen
from tui.screens.worker_form import WorkerFormScreen

if TYPE_CHECKING:
    from tui.app import ShegongApp

OnSaved = Callable[[Record], None]


def open_worker_form(app: ShegongApp, worker_id: int | None) -> None:
    """The form for a new worker (`None`) or for worker `worker_id`."""
    if app.refuse_if_read_only():
        return
    worker: Worker | None = None
    if worker_id is not None:
        try:
            worker = app.registry.get_worker(worker_id)
        except NotFound as exc:
            app.notify(exc.render(), severity="error")
            return
    context = WorkerFormContext(app.registry.communities(), app.lexicon, app.today)
    added = worker is None

    def saved(record: Record | None) -> None:
        if record is not None:
            show_saved(app, record, added=added)

    app.push_screen(WorkerFormScreen(worker, context), saved)


def open_community_form(app: ShegongApp, community_id: str | None, on_saved: OnSaved | None = None) -> None:
    """The form for a new community (`None`) or for community `community_id`; `on_saved` lets the
    screen that opened it show the result."""
    if app.refuse_if_read_only():
        return
    community: Community | None = None
    if community_id is not None:
        try:
            community = app.registry.get_community(community_id)
        except NotFound as exc:
            app.notify(exc.render(), severity="error")
            return
    existing = [c.id for c in app.registry.communities()]
    context = CommunityFormContext(existing, app.jurisdictions.keys, app.lexicon)

    def saved(record: Record | None) -> None:
        if record is not None:
            show_saved(app, record, added=community is None)
            if on_saved is not None:
                on_saved(record)

    app.push_screen(CommunityFormScreen(community, context), saved)


def show_saved(app: ShegongApp, record: Record, *, added: bool) -> None:
    """Bring the screens showing `record` up to date: the worker's detail, the roster's row (the
    whole roster when a worker was added or removed, or a community renamed)."""
    if isinstance(record, Worker):
        app.note_worker_saved(record.id)
        for screen in app.screen_stack:
            if isinstance(screen, WorkerDetailScreen) and screen.worker_id == record.id:
                screen.load()
    if (added or isinstance(record, Community)) and app.roster_screen is not None:
        app.roster_screen.action_reload()
    app.refresh_bindings()


def ask_undo(app: ShegongApp) -> None:
    """`ctrl+z`: say what will be undone, and undo it if the operator agrees."""
    if not app.form_edits:
        app.notify(t("ui.undo.nothing"))
        return
    if app.refuse_if_read_only():
        return
    edit = app.form_edits[-1]

    def answered(yes: bool | None) -> None:
        if yes:
            _undo(app, edit)

    app.push_screen(ConfirmScreen(describe(edit), yes=t("ui.undo.yes")), answered)


def _undo(app: ShegongApp, edit: Edit) -> None:
    try:
        restored = undo(app.registry, edit)
    except StaleRevision as exc:
        app.notify(t("ui.undo.stale", who=exc.changed_by, when=exc.changed_at), severity="error", timeout=10)
        return
    except ShegongError as exc:
        app.notify(t("ui.undo.refused", reason=exc.render()), severity="error", timeout=10)
        return
    app.form_edits.remove(edit)
    app.notify(t("ui.undo.done", name=edit.after.name))
    show_saved(app, restored if restored is not None else edit.after, added=restored is None)
