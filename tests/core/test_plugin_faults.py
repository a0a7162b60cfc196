"""A plugin that raises or returns nonsense is contained: the call fails with `PluginError` naming
the plugin and the hook (readable in both languages), or, for findings, becomes a "cannot compute"
finding; a payroll run lists its workers with the reason; other jurisdictions keep working and give
the same answers as without it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from core.cases import make_community, make_worker
from core.errors import PluginError
from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, hookimpl
from core.i18n import msg
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community, Worker
from core.payroll import compute_payroll
from core.results import (
    Citation,
    LeaveEntitlement,
    Month,
    PayLine,
    PoolShare,
    Quota,
    RetirementDate,
    StaffingRequirement,
)
from core.rules import Rules
from core.scope import Scope
from tests.storage.figures import record
from tests.workflows.conftest import Toy

CITE = Citation("破坏办法.txt", "第一条")
MONTH = Month(2026, 11)
TODAY = dt.date(2026, 11, 25)


class Boom(RuntimeError):
    pass


def _raise() -> Any:
    raise Boom("plugin bug")


# hook → the nonsense it gives, each tried in turn
NONSENSE: dict[str, dict[str, Callable[[], Any]]] = {
    "shegong_pay_lines": {
        "raises": _raise,
        "text": lambda: "1000",
        "wrong_items": lambda: [1000, 2000],
        "negative_pay": lambda: [PayLine("base", msg("x"), Decimal("-1"), CITE)],
        "float_pay": lambda: [PayLine("base", msg("x"), 1000.0, CITE)],
        "nan_pay": lambda: [PayLine("base", msg("x"), Decimal("NaN"), CITE)],
        "no_citation": lambda: [PayLine("base", msg("x"), Decimal(1000), None)],
        "empty_citation": lambda: [PayLine("base", msg("x"), Decimal(1000), Citation("", ""))],
    },
    "shegong_annual_leave": {
        "raises": _raise,
        "text": lambda: "five",
        "negative": lambda: LeaveEntitlement(-3, CITE),
        "text_days": lambda: LeaveEntitlement("5", CITE),
    },
    "shegong_retirement": {
        "raises": _raise,
        "a_date": lambda: dt.date(2040, 1, 1),
        "before_birth": lambda: RetirementDate(dt.date(1900, 1, 1), 60, 0, msg("x"), CITE),
        "text_date": lambda: RetirementDate("2040-01-01", 60, 0, msg("x"), CITE),
    },
    "shegong_staffing": {
        "raises": _raise,
        "inverted": lambda: StaffingRequirement("c9", 5, 2, CITE),
        "negative": lambda: StaffingRequirement("c9", -1, None, CITE),
        "no_citation": lambda: StaffingRequirement("c9", 1, 2, None),
        "text_minimum": lambda: StaffingRequirement("c9", "3", None, CITE),
    },
    "shegong_propose_grade": {"raises": _raise, "text": lambda: "excellent", "none_list": lambda: [None]},
    "shegong_grade_quotas": {
        "raises": _raise,
        "over_headcount": lambda: [Quota("street:x", "excellent", 9, 1, CITE)],
        "no_citation": lambda: [Quota("street:x", "excellent", 0, 1, None)],
        "no_limit": lambda: [Quota("street:x", "excellent", None, 1, CITE)],
    },
    "shegong_pool_shares": {
        "raises": _raise,
        "negative": lambda: [PoolShare(1, Decimal("-5"), CITE)],
        "a_dict": lambda: {1: Decimal(5)},
        "text_amount": lambda: [PoolShare(1, "5", CITE)],
        "nan_amount": lambda: [PoolShare(1, Decimal("sNaN"), CITE)],
    },
    "shegong_worker_findings": {"raises": _raise, "text": lambda: "all fine"},
}
CASES = [(hook, kind) for hook, kinds in NONSENSE.items() for kind in kinds]


class Saboteur:
    """Answers one hook with nonsense; leaves every other hook unanswered."""

    def __init__(self, hook: str, answer: Callable[[], Any]) -> None:
        self.hook, self.answer = hook, answer

    def _give(self, hook: str) -> Any:
        return self.answer() if hook == self.hook else None

    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        return JurisdictionInfo(
            "sabotage", "破坏市", "Saboteur city", (SourceDocument(CITE.document, "破坏办法"),)
        )

    @hookimpl
    def shegong_pay_lines(self, worker: Worker, month: Month, ctx: RuleContext) -> Any:
        return self._give("shegong_pay_lines")

    @hookimpl
    def shegong_annual_leave(self, worker: Worker, year: int, ctx: RuleContext) -> Any:
        return self._give("shegong_annual_leave")

    @hookimpl
    def shegong_retirement(self, worker: Worker, ctx: RuleContext) -> Any:
        return self._give("shegong_retirement")

    @hookimpl
    def shegong_staffing(self, community: Community, workers: Any, ctx: RuleContext) -> Any:
        return self._give("shegong_staffing")

    @hookimpl
    def shegong_propose_grade(self, worker: Worker, year: int, period: str, ctx: RuleContext) -> Any:
        return self._give("shegong_propose_grade")

    @hookimpl
    def shegong_grade_quotas(self, unit: str, workers: Any, year: int, ctx: RuleContext) -> Any:
        return self._give("shegong_grade_quotas")

    @hookimpl
    def shegong_pool_shares(self, workers: Any, year: int, ctx: RuleContext) -> Any:
        return self._give("shegong_pool_shares")

    @hookimpl
    def shegong_worker_findings(self, worker: Worker, on: dt.date, ctx: RuleContext) -> Any:
        return self._give("shegong_worker_findings")


def _ask(rules: Rules, hook: str, worker: Worker, community: Community, workers: list[Worker]) -> Any:
    """The `Rules` call that reaches `hook`."""
    calls: dict[str, Callable[[], Any]] = {
        "shegong_pay_lines": lambda: rules.pay_lines(worker, MONTH),
        "shegong_annual_leave": lambda: rules.annual_leave(worker, 2026),
        "shegong_retirement": lambda: rules.retirement(worker),
        "shegong_staffing": lambda: rules.staffing(community, workers),
        "shegong_propose_grade": lambda: rules.propose_grade(worker, 2026),
        "shegong_grade_quotas": lambda: rules.grade_quotas("street:x", workers, 2026, community),
        "shegong_pool_shares": lambda: rules.pool_shares(workers, 2026, community),
        "shegong_worker_findings": lambda: rules.worker_findings(worker, TODAY),
    }
    return calls[hook]()


def _world(js: Jurisdictions) -> tuple[Rules, MemoryRegistry]:
    reg = MemoryRegistry(user="tester")
    reg.add_community(make_community("toy", {"id": "c1", "street": "东街道"}))
    reg.add_community(make_community("sabotage", {"id": "c9", "street": "西街道"}, 1))
    reg.add_workers([make_worker({"community_id": "c1"}, i, "c1") for i in range(2)])
    reg.add_workers([make_worker({"community_id": "c9"}, 10 + i, "c9") for i in range(2)])
    return Rules(reg, js, today=TODAY), reg


def _safely(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as exc:  # the good jurisdiction may itself not answer a hook: compare that too
        return type(exc).__name__


@pytest.mark.parametrize(("hook", "kind"), CASES)
def test_nonsense_is_contained_and_others_keep_working(hook: str, kind: str) -> None:
    js = Jurisdictions()
    js.register(Toy())
    assert js.register(Saboteur(hook, NONSENSE[hook][kind])) == "sabotage"
    rules, reg = _world(js)
    clean_js = Jurisdictions()
    clean_js.register(Toy())
    clean, _ = _world(clean_js)

    bad_workers = reg.workers()[2:]
    bad_community = reg.get_community("c9")
    if hook == "shegong_worker_findings":
        (finding,) = rules.worker_findings(bad_workers[0], TODAY)
        assert finding.code == "cannot_compute" and "sabotage" in finding.message.render("en")
    else:
        with pytest.raises(PluginError) as caught:
            _ask(rules, hook, bad_workers[0], bad_community, bad_workers)
        assert caught.value.plugin == "sabotage"
        assert hook in caught.value.reason
        assert "sabotage" in caught.value.render("zh") and "sabotage" in caught.value.render("en")

    good_workers = reg.workers()[:2]
    good_community = reg.get_community("c1")
    for w in good_workers:
        assert _safely(lambda w=w: _ask(rules, hook, w, good_community, good_workers)) == _safely(
            lambda w=w: _ask(clean, hook, w, good_community, good_workers)
        )
    run = compute_payroll(reg, rules, MONTH, Scope())
    pay = {p.worker_id: p for p in run.workers}
    assert all(not pay[w.id].error and pay[w.id].total == Decimal(1000) for w in good_workers)
    if hook == "shegong_pay_lines":
        assert all(pay[w.id].error and "sabotage" in pay[w.id].error["en"] for w in bad_workers)
    record("plugin_faults_contained")


def test_a_plugin_that_fails_to_load_leaves_the_others_loaded() -> None:
    class Broken(Saboteur):
        @hookimpl
        def shegong_jurisdiction(self) -> JurisdictionInfo:
            raise Boom("cannot load")

    js = Jurisdictions()
    js.register(Toy())
    assert js.register(Broken("", _raise)) is None
    assert js.keys == ["toy"] and "cannot load" in js.broken[0].error
    rules, reg = _world(js)
    assert rules.pay_lines(reg.workers()[0], MONTH)[0].amount == Decimal(1000)
    record("plugin_faults_contained")
