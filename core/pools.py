"""Yearly pools: Beijing's street bonus, Ningguo's performance pay, shared out per the plugin.

A pool is shared within a unit (a street's workers of one jurisdiction); the plugin's scheme
decides the shares and must account for every cent. Units that cannot be shared (a grade missing,
a parameter unset) are listed with the reason, and the other units are still computed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

import attrs

from core.convert import structure, unstructure
from core.errors import ShegongError
from core.i18n import LANGUAGES
from core.model import IN_SERVICE, Community, Worker
from core.repository import Repository
from core.results import Citation
from core.rules import Rules
from core.scope import Scope

POOL_KIND = "pool"


@attrs.frozen
class Share:
    worker_id: int
    name: str
    community_id: str
    amount: Decimal
    document: str
    article: str
    title: str = ""  # the document's own title; "" in runs stored before titles were kept
    title_en: str = ""

    @property
    def citation(self) -> Citation:
        return Citation(self.document, self.article, self.title, self.title_en)


@attrs.frozen
class UnitPool:
    unit: str  # "district/street"
    jurisdiction: str
    shares: tuple[Share, ...] = ()
    error: Mapping[str, str] = attrs.field(factory=dict)  # language → why it could not be shared

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.shares), Decimal(0))


@attrs.frozen
class PoolRun:
    year: int
    scope: str
    computed_at: str
    computed_by: str
    units: tuple[UnitPool, ...]

    @property
    def key(self) -> str:
        return f"{self.year}@{self.scope}"

    @property
    def total(self) -> Decimal:
        return sum((u.total for u in self.units), Decimal(0))


def _in_service_during(worker: Worker, year: int) -> bool:
    return any(worker.status_on(d) in IN_SERVICE for d in (dt.date(year, 1, 1), dt.date(year, 12, 31)))


def compute_pools(registry: Repository, rules: Rules, year: int, scope: Scope) -> PoolRun:
    """Every unit's pool for `year`; jurisdictions that have no pool are left out."""
    communities = {c.id: c for c in registry.communities() if scope.contains(c)}
    units: dict[tuple[str, str], list[Worker]] = defaultdict(list)
    first: dict[tuple[str, str], Community] = {}
    for worker in registry.workers(scope.query()):
        c = communities.get(worker.community_id)
        if c is None or not (_in_service_during(worker, year) or worker.reemployed_retiree):
            continue
        if not rules.jurisdictions.answers(c.jurisdiction, "shegong_pool_shares"):
            continue
        key = (c.jurisdiction, f"{c.district}/{c.street}")
        units[key].append(worker)
        first.setdefault(key, c)
    out = []
    for (jurisdiction, unit), workers in sorted(units.items()):
        try:
            shares = rules.pool_shares(workers, year, first[(jurisdiction, unit)])
        except ShegongError as exc:
            out.append(UnitPool(unit, jurisdiction, error={lang: exc.render(lang) for lang in LANGUAGES}))
            continue
        if not shares:
            continue
        names = {w.id: (w.name, w.community_id) for w in workers}
        out.append(
            UnitPool(
                unit,
                jurisdiction,
                tuple(
                    Share(
                        s.worker_id,
                        *names.get(s.worker_id, ("?", "?")),
                        s.amount,
                        s.citation.document,
                        s.citation.article,
                        s.citation.title,
                        s.citation.title_en,
                    )
                    for s in shares
                ),
            )
        )
    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    return PoolRun(year, str(scope), now, registry.user, tuple(out))


def save_pools(registry: Repository, run: PoolRun) -> None:
    registry.save_document(POOL_KIND, run.key, unstructure(run))


def load_pools(registry: Repository, year: int, scope: str) -> PoolRun | None:
    data = registry.load_document(POOL_KIND, f"{year}@{scope}")
    return None if data is None else structure(data, PoolRun, where=f"{POOL_KIND}/{year}@{scope}")
