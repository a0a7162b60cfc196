"""Retirement (第四篇 第五条(四); Haidian 第一篇 第六条(一)3).

"招录的社区工作者，男年满60周岁、女年满55周岁，办理退休手续；通过选任方式产生的社区工作者，可根据工作
需要，至本届任职期满后再办理退休手续。" The ages are the national rule's men's 60 track and women's 55
track, raised month by month since 2025 (`retirement.rule` = "pre2025" gives the text's literal ages,
for history). A track recorded on the worker wins.

An elected worker may serve to the end of the current term: the term of office (a `term` contract)
that covers the statutory date. The retirement date is then the later of the statutory date and
the term's last day, and the reasons say which (`retirement.elected_to_term_end`: the street may
decide otherwise "根据工作需要"; switch it off to give the statutory date alone).
"""

from __future__ import annotations

import attrs

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import ContractKind, Entry, RetirementTrack, Sex, Worker, completed_months
from core.results import Reason, RetirementDate
from core.retirement import RULE_2025, RULE_PRE_2025, national_retirement
from plugins.beijing.common import city, text_param


def track_for(worker: Worker) -> tuple[RetirementTrack, Reason]:
    if worker.retirement_track is not None:
        track = worker.retirement_track
        key = "beijing.retire.recorded_track"
    else:
        track = RetirementTrack.MALE_60 if worker.sex == Sex.MALE else RetirementTrack.FEMALE_55
        key = "beijing.retire.track"
    return track, Reason(msg(key, track=msg(f"track.{track}")), city("第五条(四)"), {"track": str(track)})


def statutory(worker: Worker, ctx: RuleContext) -> RetirementDate:
    rule = text_param(ctx, "retirement.rule", ctx.today, (RULE_2025, RULE_PRE_2025))
    track, why = track_for(worker)
    base = national_retirement(worker, track, rule=rule, extra_reasons=(why,))
    if rule == RULE_PRE_2025:
        base = attrs.evolve(base, citation=city("第五条(四)"))
    return base


def retirement(worker: Worker, ctx: RuleContext) -> RetirementDate:
    base = statutory(worker, ctx)
    if not bool(ctx.params.value("retirement.elected_to_term_end", ctx.today)):
        return base
    terms = [c for c in worker.contracts if c.kind == ContractKind.TERM]
    covering = [c for c in terms if c.covers(base.date)]
    term = max(covering, key=lambda c: c.start) if covering else None
    if term is None:
        ended = [c.end for c in terms if c.end is not None and c.end < base.date]
        if ended:
            why = Reason(
                msg("beijing.retire.term_before", end=max(ended), date=base.date), city("第五条(四)")
            )
            return attrs.evolve(base, reasons=(*base.reasons, why))
        if worker.entry == Entry.ELECTED:
            why = Reason(msg("beijing.retire.elected_no_term", date=base.date), city("第五条(四)"))
            return attrs.evolve(base, reasons=(*base.reasons, why))
        return base
    if term.end is None:
        why = Reason(msg("beijing.retire.term_open", start=term.start), city("第五条(四)"))
        return attrs.evolve(base, reasons=(*base.reasons, why))
    if term.end <= base.date:
        return base
    months = completed_months(worker.birth_date, term.end)
    return attrs.evolve(
        base,
        date=term.end,
        age_years=months // 12,
        age_months=months % 12,
        citation=city("第五条(四)"),
        inputs={**base.inputs, "statutory_date": base.date, "term_start": term.start, "term_end": term.end},
        reasons=(
            *base.reasons,
            Reason(
                msg("beijing.retire.term_end", statutory=base.date, start=term.start, end=term.end),
                city("第五条(四)"),
                {"statutory_date": base.date, "term_end": term.end},
            ),
        ),
    )
