"""Typed entry points to every jurisdiction rule; nothing else calls `pm.hook`.

Each function finds the subject's jurisdiction (through its community), builds the `RuleContext`
with that jurisdiction's parameters, asks the plugin chain, and checks what came back: a plugin
that returns the wrong type, a negative amount or an uncited figure is reported as a
`PluginError` naming it, so one bad plugin cannot put a wrong number on a payslip.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

from core.errors import NoAnswer, PluginError, ShegongError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.jurisdictions import Jurisdictions, default_jurisdictions
from core.model import IN_SERVICE, Community, Worker
from core.params import Parameters
from core.repository import CommunityLookup
from core.results import (
    Citation,
    Consequence,
    ContractEntitlement,
    Eligibility,
    Finding,
    GradeProposal,
    LeaveEntitlement,
    Month,
    PayLine,
    PoolShare,
    Quota,
    RetirementDate,
    Severance,
    Severity,
    StaffingRequirement,
    TermLength,
)
from core.retirement import national_retirement

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _contained(hook: str) -> Callable[[F], F]:
    """Checking a plugin's answer must not crash on values that cannot even be compared (text
    where a number belongs, a NaN amount): such an answer is that plugin's error like any other."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def checked(self: Rules, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (TypeError, ArithmeticError) as exc:
                community = next((a for a in args if isinstance(a, Community)), None)
                key = community.jurisdiction if community else self.community_of(args[0]).jurisdiction
                raise PluginError(key, f"{hook}: {type(exc).__name__}: {exc}") from None

        return cast(F, checked)

    return wrap


class Rules:
    """Rules for the communities of one registry, answered by the loaded jurisdictions."""

    def __init__(
        self,
        communities: CommunityLookup,
        jurisdictions: Jurisdictions | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        self.communities = communities
        self.jurisdictions = jurisdictions or default_jurisdictions()
        self.today = today
        self._street_cache: dict[tuple[str, str], list[Community]] = {}
        self._last_context: tuple[Community, RuleContext] | None = None

    # --- context ------------------------------------------------------------------------------

    def community_of(self, worker: Worker) -> Community:
        return self.communities.get_community(worker.community_id)

    def context(self, community: Community) -> RuleContext:
        """A city-wide run asks this for each of a community's workers in turn, with the same
        community object: the last context built for it is given again while the community
        object, its parameters and the day are the same."""
        params = self.jurisdictions.params(community.jurisdiction)
        today = self.today or dt.date.today()
        last = self._last_context
        if last is not None and last[0] is community and last[1].params is params and last[1].today == today:
            return last[1]
        ctx = self._build_context(community, params, today)
        self._last_context = (community, ctx)
        return ctx

    def _build_context(self, community: Community, params: Parameters, today: dt.date) -> RuleContext:
        key = (community.district, community.street)
        street = self._street_cache.get(key)
        if street is None:
            street = self.communities.communities(street=community.street, district=community.district)
            self._street_cache[key] = street
        return RuleContext(
            jurisdiction=community.jurisdiction,
            params=params,
            community=community,
            street_communities=tuple(street),
            today=today,
        )

    def forget_cached_communities(self) -> None:
        self._street_cache.clear()
        self._last_context = None

    def _worker_call(
        self, worker: Worker, hook: str, community: Community | None = None, **kwargs: Any
    ) -> tuple[Any, str]:
        """`community`, when the caller already holds the worker's, saves a registry look-up per
        worker of a city-wide run."""
        if community is None:
            community = self.community_of(worker)
        ctx = self.context(community)
        return self.jurisdictions.call(
            community.jurisdiction, hook, worker=worker, ctx=ctx, **kwargs
        ), community.jurisdiction

    # --- pay ----------------------------------------------------------------------------------

    @_contained("shegong_pay_lines")
    def pay_lines(self, worker: Worker, month: Month, community: Community | None = None) -> list[PayLine]:
        result, key = self._worker_call(worker, "shegong_pay_lines", community, month=month)
        lines = _list_of(result, PayLine, key, "shegong_pay_lines")
        for line in lines:
            if not isinstance(line.amount, Decimal) or line.amount < 0:
                raise PluginError(key, f"shegong_pay_lines: line {line.code!r} amount {line.amount!r}")
            _cited(line.citation, key, "shegong_pay_lines")
        return lines

    @_contained("shegong_pool_shares")
    def pool_shares(self, workers: Sequence[Worker], year: int, community: Community) -> list[PoolShare]:
        ctx = self.context(community)
        result = self.jurisdictions.call(
            community.jurisdiction, "shegong_pool_shares", workers=list(workers), year=year, ctx=ctx
        )
        shares = _list_of(result, PoolShare, community.jurisdiction, "shegong_pool_shares")
        for s in shares:
            if s.amount < 0:
                raise PluginError(community.jurisdiction, f"shegong_pool_shares: negative share {s.amount}")
            _cited(s.citation, community.jurisdiction, "shegong_pool_shares")
        return shares

    # --- assessment ---------------------------------------------------------------------------

    def propose_grade(
        self, worker: Worker, year: int, period: str = "year_end", community: Community | None = None
    ) -> GradeProposal:
        result, key = self._worker_call(worker, "shegong_propose_grade", community, year=year, period=period)
        return _one_of(result, GradeProposal, key, "shegong_propose_grade")

    def grade_consequences(
        self, worker: Worker, year: int, grade: str, period: str = "year_end"
    ) -> list[Consequence]:
        result, key = self._worker_call(
            worker, "shegong_grade_consequences", year=year, grade=grade, period=period
        )
        items = _list_of(result, Consequence, key, "shegong_grade_consequences")
        for c in items:
            _cited(c.citation, key, "shegong_grade_consequences")
        return items

    @_contained("shegong_grade_quotas")
    def grade_quotas(
        self, unit: str, workers: Sequence[Worker], year: int, community: Community
    ) -> list[Quota]:
        ctx = self.context(community)
        result = self.jurisdictions.call(
            community.jurisdiction,
            "shegong_grade_quotas",
            unit=unit,
            workers=list(workers),
            year=year,
            ctx=ctx,
        )
        quotas = _list_of(result, Quota, community.jurisdiction, "shegong_grade_quotas")
        for q in quotas:
            if q.limit < 0 or q.limit > q.headcount:
                raise PluginError(
                    community.jurisdiction,
                    f"shegong_grade_quotas: limit {q.limit} of {q.headcount}",
                )
            _cited(q.citation, community.jurisdiction, "shegong_grade_quotas")
        return quotas

    # --- retirement, leave, staffing ----------------------------------------------------------

    @_contained("shegong_retirement")
    def retirement(self, worker: Worker) -> RetirementDate:
        try:
            result, key = self._worker_call(worker, "shegong_retirement")
        except NoAnswer:
            return national_retirement(worker)
        date = _one_of(result, RetirementDate, key, "shegong_retirement")
        if date.date <= worker.birth_date:
            raise PluginError(key, f"shegong_retirement: {date.date} is not after birth {worker.birth_date}")
        return date

    @_contained("shegong_annual_leave")
    def annual_leave(self, worker: Worker, year: int) -> LeaveEntitlement:
        result, key = self._worker_call(worker, "shegong_annual_leave", year=year)
        leave = _one_of(result, LeaveEntitlement, key, "shegong_annual_leave")
        if leave.days < 0:
            raise PluginError(key, f"shegong_annual_leave: {leave.days} days")
        return leave

    @_contained("shegong_staffing")
    def staffing(self, community: Community, workers: Sequence[Worker]) -> StaffingRequirement:
        ctx = self.context(community)
        result = self.jurisdictions.call(
            community.jurisdiction,
            "shegong_staffing",
            community=community,
            workers=list(workers),
            ctx=ctx,
        )
        req = _one_of(result, StaffingRequirement, community.jurisdiction, "shegong_staffing")
        if req.minimum < 0 or (req.maximum is not None and req.maximum < req.minimum):
            raise PluginError(community.jurisdiction, f"shegong_staffing: range {req.minimum}-{req.maximum}")
        _cited(req.citation, community.jurisdiction, "shegong_staffing")
        return req

    # --- compliance and eligibility -----------------------------------------------------------

    def worker_findings(self, worker: Worker, on: dt.date) -> list[Finding]:
        """Findings for one worker; a rule that cannot run becomes a finding saying why.

        A jurisdiction whose texts set no compliance rule (no plugin in its chain answers) has no
        findings, not an error.
        """
        try:
            result, key = self._worker_call(worker, "shegong_worker_findings", on=on)
            found = _list_of(result, Finding, key, "shegong_worker_findings")
        except NoAnswer:
            found = []
        except ShegongError as exc:
            found = [_cannot_compute(f"worker:{worker.id}", exc)]
        return found + self._open_ended_findings(worker, on)

    def _open_ended_findings(self, worker: Worker, on: dt.date) -> list[Finding]:
        """劳动合同法 第十四条 under every local text: a worker in service whose fixed-term contract
        ends soon (the entitlement's `renewal`) and who may ask for an open-ended one at that
        renewal gets an info finding, due on the contract's end, saying since when."""
        try:
            community = self.community_of(worker)
            if not self.jurisdictions.answers(community.jurisdiction, "shegong_contract_entitlement"):
                return []
        except ShegongError:
            return []  # no community or jurisdiction: the local findings already say why
        if worker.status_on(on) not in IN_SERVICE:
            return []
        try:
            entitled = self.contract_entitlement(worker, on)
        except NoAnswer:
            return []
        except ShegongError as exc:
            return [_cannot_compute(f"worker:{worker.id}", exc)]
        if not entitled.due or entitled.renewal is None:
            return []
        return [
            Finding(
                code="open_ended_contract_due",
                severity=Severity.INFO,
                message=msg("finding.open_ended_contract_due", text=entitled.message),
                citation=entitled.citation,
                subject=f"worker:{worker.id}",
                due=entitled.renewal,
                inputs={"ground": entitled.ground, "since": entitled.since, **entitled.inputs},
            )
        ]

    def community_findings(
        self, community: Community, workers: Sequence[Worker], on: dt.date
    ) -> list[Finding]:
        """Findings about a community as a whole; none where the jurisdiction sets no such rule.

        A community whose jurisdiction is not loaded gets a "cannot compute" finding, as its
        workers do, instead of stopping a review of every community."""
        try:
            ctx = self.context(community)
            result = self.jurisdictions.call(
                community.jurisdiction,
                "shegong_community_findings",
                community=community,
                workers=list(workers),
                on=on,
                ctx=ctx,
            )
            return _list_of(result, Finding, community.jurisdiction, "shegong_community_findings")
        except NoAnswer:
            return []
        except ShegongError as exc:
            return [_cannot_compute(f"community:{community.id}", exc)]

    def eligibility(self, worker: Worker, purpose: str, target: str, on: dt.date) -> Eligibility:
        result, key = self._worker_call(worker, "shegong_eligibility", purpose=purpose, target=target, on=on)
        return _one_of(result, Eligibility, key, "shegong_eligibility")

    # --- labour law and family leave ----------------------------------------------------------

    @_contained("shegong_untaken_leave_pay")
    def untaken_leave_pay(self, worker: Worker, year: int, days: int, monthly_pay: Decimal) -> PayLine:
        """Extra pay owed for `days` of the year's leave not taken, on `monthly_pay`."""
        result, key = self._worker_call(
            worker, "shegong_untaken_leave_pay", year=year, days=days, monthly_pay=monthly_pay
        )
        line = _one_of(result, PayLine, key, "shegong_untaken_leave_pay")
        if not isinstance(line.amount, Decimal) or line.amount < 0:
            raise PluginError(key, f"shegong_untaken_leave_pay: amount {line.amount!r}")
        _cited(line.citation, key, "shegong_untaken_leave_pay")
        return line

    def contract_entitlement(self, worker: Worker, on: dt.date) -> ContractEntitlement:
        result, key = self._worker_call(worker, "shegong_contract_entitlement", on=on)
        entitled = _one_of(result, ContractEntitlement, key, "shegong_contract_entitlement")
        _cited(entitled.citation, key, "shegong_contract_entitlement")
        if entitled.due and entitled.since is None:
            raise PluginError(key, "shegong_contract_entitlement: due without the day it arose")
        return entitled

    @_contained("shegong_severance")
    def severance(self, worker: Worker, ended_on: dt.date, monthly_pay: Decimal) -> Severance:
        """What is owed if the worker's contract ends on `ended_on` on `monthly_pay` (the average of
        the 12 months before)."""
        result, key = self._worker_call(
            worker, "shegong_severance", ended_on=ended_on, monthly_pay=monthly_pay
        )
        owed = _one_of(result, Severance, key, "shegong_severance")
        if owed.amount < 0 or owed.months < 0:
            raise PluginError(key, f"shegong_severance: {owed.amount} for {owed.months} months")
        _cited(owed.citation, key, "shegong_severance")
        return owed

    def committee_term(self, community: Community, start: dt.date) -> TermLength:
        """How long a residents' committee term of `community` starting on `start` lasts."""
        ctx = self.context(community)
        result = self.jurisdictions.call(
            community.jurisdiction, "shegong_committee_term", start=start, ctx=ctx
        )
        term = _one_of(result, TermLength, community.jurisdiction, "shegong_committee_term")
        if not isinstance(term.years, int) or term.years < 1:
            raise PluginError(community.jurisdiction, f"shegong_committee_term: {term.years!r} years")
        _cited(term.citation, community.jurisdiction, "shegong_committee_term")
        return term

    @_contained("shegong_marriage_leave")
    def marriage_leave(self, worker: Worker, on: dt.date) -> LeaveEntitlement:
        result, key = self._worker_call(worker, "shegong_marriage_leave", on=on)
        return _leave_days(result, key, "shegong_marriage_leave")

    @_contained("shegong_maternity_leave")
    def maternity_leave(
        self, worker: Worker, on: dt.date, *, difficult: bool = False, babies: int = 1
    ) -> LeaveEntitlement:
        result, key = self._worker_call(
            worker, "shegong_maternity_leave", on=on, difficult=difficult, babies=babies
        )
        return _leave_days(result, key, "shegong_maternity_leave")


def _leave_days(result: Any, key: str, hook: str) -> LeaveEntitlement:
    leave = _one_of(result, LeaveEntitlement, key, hook)
    if leave.days < 0:
        raise PluginError(key, f"{hook}: {leave.days} days")
    _cited(leave.citation, key, hook)
    return leave


def _cannot_compute(subject: str, exc: ShegongError) -> Finding:
    return Finding(
        code="cannot_compute",
        severity=Severity.ERROR,
        message=msg("finding.cannot_compute", reason=exc.message),
        citation=None,
        subject=subject,
    )


def _one_of(result: Any, cls: type[T], key: str, hook: str) -> T:
    if not isinstance(result, cls):
        raise PluginError(key, f"{hook} returned {type(result).__name__}, expected {cls.__name__}")
    return result


def _list_of(result: Any, cls: type[T], key: str, hook: str) -> list[T]:
    if not isinstance(result, list | tuple) or not all(isinstance(r, cls) for r in result):
        raise PluginError(key, f"{hook} returned {type(result).__name__}, expected a list of {cls.__name__}")
    return list(result)


def _cited(citation: Any, key: str, hook: str) -> None:
    named = isinstance(citation, Citation) and bool(citation.document or citation.title)
    if not named or not citation.article:
        raise PluginError(key, f"{hook}: a figure without a citation (document + article)")
