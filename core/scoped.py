"""A `Repository` that shows and changes only what one operator's grant allows.

It wraps any registry (on disk or in memory): lists hold only records in the operator's scope;
reading a record outside it, and any change outside it or by a viewer, raises `AccessDenied`
and is written to the audit trail. The CLI, the TUI and `core.open_scoped` all go through it, so
the rules live here once. Workflow documents (payroll runs, assessment rounds) are keyed
`<what>@<scope>`; a document is in scope when its whole scope lies inside the grant.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NoReturn

from core.access import Grant, grant_for, refusal, role_label
from core.errors import AccessDenied, DuplicateRecord, NotFound, ShegongError, ValidationError
from core.i18n import Message, msg
from core.model import Community, Worker
from core.privacy import mask_change, mask_field
from core.registry_config import RegistryConfig, config_of
from core.repository import Change, Repository, WorkerQuery
from core.scope import Scope
from core.summary import WorkerSummary, worker_summaries, workers_by_id_number

SAFETY_COPIES = frozenset({"checkpoint"})
"""Extras core itself calls before a risky change any operator may make (an import, a round
close): the copy stays on the server, readable by the registry's owner group only, and rotates
apart from an admin's backups (`backup`, admins only), so an operator cannot push those out."""


class DuplicateOutsideScope(DuplicateRecord):
    """The value is already registered on a record outside the operator's scope: refused like
    any duplicate, but without naming that record (its id, name or place)."""

    def __init__(self, kind: str, field: str, value: object) -> None:
        self.kind, self.field, self.value = kind, field, value
        self.existing = msg("access.duplicate.elsewhere")
        shown = mask_field(field, value) if isinstance(value, str) else value
        ShegongError.__init__(
            self,
            msg("access.duplicate.outside_scope", kind=msg(f"kind.{kind}"), field=field, value=shown),
        )


class ScopedRepository:
    """A registry as `grant` sees it; implements `core.repository.Repository`.

    The registry it wraps is private: no public attribute or method hands it back (the extras an
    admin may use are forwarded, not returned as the registry's own bound methods)."""

    def __init__(self, inner: Repository, grant: Grant) -> None:
        self._inner = inner
        self.grant = grant
        self.path = inner.path
        self.user = inner.user  # the name the audit trail records: the login

    def config(self) -> RegistryConfig:
        """The wrapped registry's settings: every operator's rules read its parameter overrides."""
        return config_of(self._inner)

    def __enter__(self) -> ScopedRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        """The wrapped registry's own extras (backups, checks, refresh, …) work on the whole
        registry, so only an admin over all of it gets them; anyone else is refused and audited."""
        if name.startswith("_") or name == "grant":
            raise AttributeError(name)
        value = getattr(self._inner, name)
        g = self.grant
        if not (name in SAFETY_COPIES and g.may_change) and not (g.may_manage and g.everything):
            problem = msg("access.denied.manage", login=g.login, role=role_label(g.role))
            raise refusal(
                self._inner, problem, login=g.login, action=name, kind="registry", key=self.path, grant=g
            )
        return _forwarded(name, value) if callable(value) else value

    def __repr__(self) -> str:
        return f"ScopedRepository({self._inner!r}, {self.grant.login!r}, {self.grant.role.value})"

    # --- refusing ---------------------------------------------------------------------------

    def _deny(self, action: str, kind: str, key: object) -> NoReturn:
        g = self.grant
        if action != "read" and not g.may_change:
            problem = msg(
                "access.denied.role", login=g.login, role=role_label(g.role), kind=_kind(kind), key=key
            )
        else:
            problem = msg(
                "access.denied.scope", login=g.login, kind=_kind(kind), key=key, scope=g.describe() or "-"
            )
        raise refusal(self._inner, problem, login=g.login, action=action, kind=kind, key=key, grant=g)

    def refuse(self, problem: Message, action: str, kind: str = "registry", key: object = "") -> AccessDenied:
        """An `AccessDenied` for a refusal a command decides itself (e.g. granting more than one's
        own scope), written to the audit trail like every other."""
        g = self.grant
        return refusal(self._inner, problem, login=g.login, action=action, kind=kind, key=key, grant=g)

    def _may_change(self, kind: str, key: object) -> None:
        if not self.grant.may_change:
            self._deny("change", kind, key)

    def require(self, action: str, kind: str = "registry", key: object = "") -> None:
        """Refuse (and audit) `change`, `reveal`, `export_full` or `manage` unless the role allows it
        (a command asks before it starts, so a viewer's import is refused before any row is read)."""
        g = self.grant
        allowed = {
            "change": g.may_change,
            "reveal": g.may_reveal,
            "export_full": g.may_export_full,
            "manage": g.may_manage,
        }
        if not allowed[action]:
            problem = msg(f"access.denied.{action}", login=g.login, role=role_label(g.role))
            where = key or self.path
            raise refusal(self._inner, problem, login=g.login, action=action, kind=kind, key=where, grant=g)

    # --- what is in scope -------------------------------------------------------------------

    def _community_visible(self, community_id: str) -> bool:
        if self.grant.everything:
            return True
        try:
            return self.grant.sees(self._inner.get_community(community_id))
        except NotFound:
            return False

    def _visible_ids(self) -> set[str]:
        return {c.id for c in self._inner.communities() if self.grant.sees(c)}

    def _document_visible(self, key: str) -> bool:
        if self.grant.everything:
            return True
        _, at, text = key.rpartition("@")
        if not at:
            return False  # a document of the whole registry
        try:
            scope = Scope.parse(text)
        except ValidationError:
            return False
        community = None
        if scope.community is not None:
            try:
                community = self._inner.get_community(scope.community)
            except NotFound:
                return False
        return self.grant.covers(scope, community)

    @contextlib.contextmanager
    def _naming_nothing_outside(self) -> Iterator[None]:
        """A duplicate held by a record outside the scope is refused as `DuplicateOutsideScope`
        (raised outside the `except`, so not even its context names that record)."""
        hidden: DuplicateRecord | None = None
        try:
            yield
        except DuplicateRecord as exc:
            if not self._outside(exc):
                raise
            hidden = exc
        if hidden is not None:
            kind, field, value = hidden.kind, hidden.field, hidden.value
            del hidden
            raise DuplicateOutsideScope(kind, field, value)

    def _outside(self, exc: DuplicateRecord) -> bool:
        if self.grant.everything:
            return False
        if exc.kind == "community" and isinstance(exc.existing, str):
            return not self._community_visible(exc.existing)
        if exc.kind == "worker" and isinstance(exc.existing, int):
            try:
                return not self._community_visible(self._inner.get_worker(exc.existing).community_id)
            except NotFound:
                return True
        return False

    def _check_worker(self, worker: Worker, action: str) -> None:
        if not self._community_visible(worker.community_id):
            self._deny(action, "worker", worker.id or worker.name)

    # --- communities ------------------------------------------------------------------------

    def get_community(self, community_id: str) -> Community:
        community = self._inner.get_community(community_id)
        if not self.grant.sees(community):
            self._deny("read", "community", community_id)
        return community

    def communities(
        self,
        *,
        street: str | None = None,
        district: str | None = None,
        jurisdiction: str | None = None,
    ) -> list[Community]:
        found = self._inner.communities(street=street, district=district, jurisdiction=jurisdiction)
        return [c for c in found if self.grant.sees(c)]

    def add_community(self, community: Community) -> Community:
        self._may_change("community", community.id)
        if not self.grant.sees(community):
            self._deny("change", "community", community.id)
        with self._naming_nothing_outside():
            return self._inner.add_community(community)

    def update_community(self, community: Community) -> Community:
        self._may_change("community", community.id)
        current = self._inner.get_community(community.id)
        if not (self.grant.sees(current) and self.grant.sees(community)):
            self._deny("change", "community", community.id)
        with self._naming_nothing_outside():
            return self._inner.update_community(community)

    def delete_community(self, community_id: str, revision: int) -> None:
        self._may_change("community", community_id)
        if not self.grant.sees(self._inner.get_community(community_id)):
            self._deny("change", "community", community_id)
        self._inner.delete_community(community_id, revision)

    # --- workers ----------------------------------------------------------------------------

    def add_worker(self, worker: Worker) -> Worker:
        self._may_change("worker", worker.name)
        self._check_worker(worker, "change")
        with self._naming_nothing_outside():
            return self._inner.add_worker(worker)

    def add_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        for worker in workers:  # every one is checked before any is written
            self._may_change("worker", worker.name)
            self._check_worker(worker, "change")
        with self._naming_nothing_outside():
            return self._inner.add_workers(workers)

    def get_worker(self, worker_id: int) -> Worker:
        worker = self._inner.get_worker(worker_id)
        self._check_worker(worker, "read")
        return worker

    def update_worker(self, worker: Worker) -> Worker:
        self._check_update(worker)
        with self._naming_nothing_outside():
            return self._inner.update_worker(worker)

    def update_workers(self, workers: Sequence[Worker]) -> list[Worker]:
        for worker in workers:
            self._check_update(worker)
        with self._naming_nothing_outside():
            return self._inner.update_workers(workers)

    def _check_update(self, worker: Worker) -> None:
        self._may_change("worker", worker.id)
        self._check_worker(self._inner.get_worker(worker.id), "change")  # where it is now
        self._check_worker(worker, "change")  # and where it would go

    def delete_worker(self, worker_id: int, revision: int) -> None:
        self._may_change("worker", worker_id)
        self._check_worker(self._inner.get_worker(worker_id), "change")
        self._inner.delete_worker(worker_id, revision)

    def workers(self, query: WorkerQuery | None = None) -> list[Worker]:
        found = self._inner.workers(query)
        if self.grant.everything:
            return found
        visible = self._visible_ids()
        return [w for w in found if w.community_id in visible]

    def find_worker_by_id_number(self, id_number: str) -> Worker | None:
        worker = self._inner.find_worker_by_id_number(id_number)
        if worker is None or not self._community_visible(worker.community_id):
            return None
        return worker

    def count_workers(self) -> int:
        return self._inner.count_workers() if self.grant.everything else len(self.workers())

    def worker_summaries(self, limit: int | None = None) -> list[WorkerSummary]:
        """The roster's fast listing (`core.summary`), of the workers in scope only."""
        if self.grant.everything:
            return worker_summaries(self._inner, limit)
        visible = self._visible_ids()
        found = [s for s in worker_summaries(self._inner) if s.community_id in visible]
        return found if limit is None else found[:limit]

    def find_workers_by_id_numbers(self, id_numbers: Iterable[str]) -> dict[str, Worker]:
        """An import's lookup of existing workers (`core.summary`), those in scope only: a match
        outside it is then refused as an addition, as `find_worker_by_id_number` would be."""
        found = workers_by_id_number(self._inner, id_numbers)
        if self.grant.everything:
            return found
        visible = self._visible_ids()
        return {k: w for k, w in found.items() if w.community_id in visible}

    # --- history ----------------------------------------------------------------------------

    def changes(
        self,
        *,
        kind: str | None = None,
        key: str | None = None,
        since: str | None = None,
    ) -> list[Change]:
        """The audit entries on records in scope, with personal numbers masked (a log is read
        far more often than it is needed in full; the files keep every value)."""
        found = self._inner.changes(kind=kind, key=key, since=since)
        if not self.grant.everything:
            visible = self._visible_ids()
            found = [c for c in found if self._change_visible(c, visible)]
        return [_masked(c) for c in found]

    def _change_visible(self, change: Change, visible: set[str]) -> bool:
        if change.kind == "community":
            return change.key in visible
        if change.kind == "worker":
            homes = {d.get("community_id") for d in (change.before, change.after) if isinstance(d, dict)}
            if not homes and change.key.isdigit():
                try:
                    homes = {self._inner.get_worker(int(change.key)).community_id}
                except NotFound:
                    return False
            return bool(homes) and homes <= visible
        return self._document_visible(change.key)

    def record_event(self, action: str, kind: str, key: str, note: str = "", after: Any = None) -> None:
        self._may_change(kind, key)
        if kind == "worker" and key.isdigit():
            self._check_worker(self._inner.get_worker(int(key)), "change")
        elif kind == "community":
            if not self._community_visible(key):
                self._deny("change", kind, key)
        elif kind == "operators":  # `shegong operators` records who it granted what
            if not self.grant.may_manage:
                self._deny("manage", kind, key)
        elif kind != "worker" and not self._document_visible(key):
            self._deny("change", kind, key)
        self._inner.record_event(action, kind, key, note, after)

    # --- documents --------------------------------------------------------------------------

    def save_document(self, kind: str, key: str, data: Any) -> None:
        self._may_change(kind, key)
        if not self._document_visible(key):
            self._deny("change", kind, key)
        self._inner.save_document(kind, key, data)

    def load_document(self, kind: str, key: str) -> Any | None:
        if not self._document_visible(key):
            self._deny("read", kind, key)
        return self._inner.load_document(kind, key)

    def list_documents(self, kind: str) -> list[str]:
        return [k for k in self._inner.list_documents(kind) if self._document_visible(k)]

    def close(self) -> None:
        self._inner.close()


def _forwarded(name: str, method: Any) -> Any:
    """`method` (the registry's own, bound to it) as a plain function: its `__self__` would
    otherwise lead back to the unscoped registry."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    forward.__doc__ = getattr(method, "__doc__", None)
    return forward


def _kind(kind: str) -> Any:
    return msg(f"kind.{kind}") if kind in ("worker", "community", "registry") else kind


def _masked(change: Change) -> Change:
    import attrs

    before, after = mask_change(change.before, change.after)
    return attrs.evolve(change, before=before, after=after)


def scoped(
    inner: Repository, login: str | None = None, env: dict[str, str] | None = None
) -> ScopedRepository:
    """`inner` seen by `login` (the registry's user by default); `AccessDenied` if they have no
    access at all (also written to the audit trail)."""
    return ScopedRepository(inner, grant_for(inner, login or inner.user, env))


def open_scoped(
    path: str | os.PathLike[str],
    *,
    login: str | None = None,
    create: bool = False,
    backup_on_open: bool = False,
) -> ScopedRepository:
    """Open the registry in `path` as `login` (the OS login by default) would see it.

    The login is also the name the audit trail records. Raises what `core.backends.open_registry`
    raises, and `AccessDenied` when the operators file gives `login` no access.
    """
    from core.backends import open_registry

    inner = open_registry(path, user=login, create=create, backup_on_open=backup_on_open)
    try:
        return scoped(inner, login or inner.user)
    except BaseException:
        inner.close()
        raise


def grant_of(registry: object) -> Grant | None:
    """The grant a registry is seen through; None for a registry opened without one (trusted)."""
    return registry.grant if isinstance(registry, ScopedRepository) else None


def may_reveal(registry: object) -> bool:
    """Whether full ID and phone numbers may be shown for `registry`'s operator."""
    grant = grant_of(registry)
    return grant is None or grant.may_reveal


def require(registry: object, action: str, kind: str = "registry", key: object = "") -> None:
    """Refuse `reveal`, `export_full` or `manage` (audited) unless the operator's role allows it."""
    if isinstance(registry, ScopedRepository):
        registry.require(action, kind, key)
