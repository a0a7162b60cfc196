"""劳动合同法 第十四条: when an open-ended labour contract is due on the worker's request.

"劳动者提出或者同意续订、订立劳动合同的，除劳动者提出订立固定期限劳动合同外，应当订立无固定期限
劳动合同：（一）劳动者在该用人单位连续工作满十年的；……（三）连续订立二次固定期限劳动合同，且劳动者没有
本法第三十九条和第四十条第一项、第二项规定的情形，续订劳动合同的。"

- Ten years (`national.contract.open_ended_years`): continuous service is counted from the start of
  community service; 满 includes the bound, so the day ten years on is the day it is due.
- Two fixed terms (`national.contract.fixed_terms`): fixed-term labour contracts, each starting by
  the day after the previous one ended; the entitlement arises at the renewal after the second,
  the day after it ends. The 第三十九条 / 第四十条 exceptions (misconduct, incapacity) are the
  employer's to show and are not in the registry: the reasons say so.
- The finding core makes of it waits for the renewal: the current fixed-term contract ends within
  `national.contract.notice_days` (a product setting, 90) — the entitlement holds all along, but
  it is asked for at a renewal. A renewal already on file silences it.
- Only contracts of the kinds in `national.contract.kinds` (Reading: `labour`; a service agreement
  or an elected term is not a labour contract) bring the law into play: a worker who never had one
  gets "not due", with the reason.
"""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Contract, Worker, add_months
from core.results import ContractEntitlement, Reason
from plugins.national.common import contract_law

DAY = dt.timedelta(days=1)


def contract_kinds(ctx: RuleContext, on: dt.date) -> set[str]:
    raw = ctx.params.value("national.contract.kinds", on)
    return {str(k) for k in raw} if isinstance(raw, list) else set()


def two_terms_end(contracts: list[Contract], terms: int) -> dt.date | None:
    """The end of the first unbroken run of `terms` fixed terms (each starting by the day after
    the one before ended): the renewal after it is the first one owed as open-ended."""
    fixed = sorted((c for c in contracts if c.end is not None), key=lambda c: c.start)
    run: list[Contract] = []
    for c in fixed:
        if run and c.start > (run[-1].end or c.start) + DAY:
            run = []
        run.append(c)
        if len(run) == terms:
            return c.end
    return None


def entitlement(worker: Worker, on: dt.date, ctx: RuleContext) -> ContractEntitlement:
    kinds = contract_kinds(ctx, on)
    contracts = [c for c in worker.contracts if c.kind in kinds and c.start <= on]
    cite = contract_law("第十四条")
    if not contracts:
        return ContractEntitlement(
            False,
            None,
            "",
            msg("national.contract.no_labour_contract"),
            cite,
            {"kinds": sorted(kinds)},
            (Reason(msg("national.contract.no_labour_contract"), cite),),
        )
    years = ctx.params.integer("national.contract.open_ended_years", on)
    terms = ctx.params.integer("national.contract.fixed_terms", on)
    ten = add_months(worker.service_start, 12 * years)
    second_end = two_terms_end(contracts, terms)
    after_terms = second_end + DAY if second_end is not None else None
    candidates = [
        (day, ground)
        for day, ground in ((ten, "ten_years"), (after_terms, "two_fixed_terms"))
        if day is not None and day <= on
    ]
    inputs = {
        "service_start": worker.service_start,
        "ten_years_on": ten,
        "fixed_terms_end": second_end,
        "years": years,
        "terms": terms,
    }
    if not candidates:
        return ContractEntitlement(
            False,
            None,
            "",
            msg("national.contract.not_due", ten=ten, years=years, terms=terms),
            cite,
            inputs,
            (Reason(msg("national.contract.not_due", ten=ten, years=years, terms=terms), cite),),
        )
    since, ground = min(candidates)
    current = max((c for c in contracts if c.covers(on)), key=lambda c: c.start, default=None)
    notice = ctx.params.integer("national.contract.notice_days", on)
    renewal = None
    if current is not None and current.end is not None and (current.end - on).days <= notice:
        # A renewal already on file is the office's decision made (the worker may have asked for
        # a fixed term): nothing left to remind.
        signed = any(c.start > current.start and c.start <= current.end + DAY for c in worker.contracts)
        renewal = None if signed else current.end
    article = "第十四条第二款(一)" if ground == "ten_years" else "第十四条第二款(三)"
    text = msg(f"national.contract.due.{ground}", since=since, years=years, terms=terms)
    return ContractEntitlement(
        True,
        since,
        ground,
        text,
        contract_law(article),
        inputs,
        (Reason(text, contract_law(article)), Reason(msg("national.contract.exceptions"), cite)),
        renewal,
    )
