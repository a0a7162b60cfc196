"""Retirement (第13条, 第14条(7)): men at 60, women at 50, and the local extension to 53 or 55.

"男性社区工作者退休年龄一般为60周岁，女性社区工作者退休年龄一般为50周岁": the national rule's men's
60 track and women's 50 track, raised month by month since 2025 (`retirement.rule` switches to the
pre-2025 ages for history). A track recorded on the worker wins.

The extension: a woman Party secretary who has served one full term in the post and who, within
the last 5 years, saw her community in the street's top 30% twice or more, or was herself graded
优秀 twice or more, may apply to stay to 53 (特别优秀: 55) "由社区党组织书记自愿提出申请，经街道党工委
考核研究同意，报组织及人力资源部门审批". So the product only says whether she qualifies; the later
age applies once the approval is recorded as a decision on the worker, of kind
`ningguo.retirement_extension_53` or `ningguo.retirement_extension_55` (the latest one wins).
With the national rule in force the extended age is the later of the statutory age and 53 or 55
(RULES.md Reading). Eligibility is judged on the day she reaches the statutory age, or today if
that is still ahead; "近5年内" is the five assessment years before that day's year, and the
community's ranks are those of her present community.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Decision, Grade, Post, RetirementTrack, Sex, Worker, completed_years
from core.results import Reason, RetirementDate
from core.retirement import RULE_2025, RULE_PRE_2025, national_retirement
from plugins.ningguo.common import cite, rank_in_top, text_param

EXTENSION_53 = "ningguo.retirement_extension_53"
EXTENSION_55 = "ningguo.retirement_extension_55"
EXTENSION_KINDS = {
    EXTENSION_53: "retirement.extension.age",
    EXTENSION_55: "retirement.extension.age_exceptional",
}
SECRETARY = Post.PARTY_SECRETARY.value


@attrs.frozen
class ExtensionCheck:
    eligible: bool
    reference: dt.date
    reasons: tuple[Reason, ...]
    inputs: dict[str, Any]


def track_for(worker: Worker) -> tuple[RetirementTrack, Reason]:
    if worker.retirement_track is not None:
        track = worker.retirement_track
        key = "ningguo.retire.recorded_track"
    else:
        track = RetirementTrack.MALE_60 if worker.sex == Sex.MALE else RetirementTrack.FEMALE_50
        key = "ningguo.retire.track"
    return track, Reason(msg(key, track=msg(f"track.{track}")), cite(14, "(7)"), {"track": str(track)})


def secretary_years(worker: Worker, on: dt.date) -> int:
    """Completed years of the longest unbroken span as Party secretary up to `on`."""
    spans = sorted(
        (p.start, min(p.end or on, on)) for p in worker.posts if p.post == SECRETARY and p.start <= on
    )
    best = 0
    current: tuple[dt.date, dt.date] | None = None
    for start, end in spans:
        if current is not None and start <= current[1] + dt.timedelta(days=1):
            current = (current[0], max(current[1], end))
        else:
            current = (start, end)
        # A span that runs to `on` counts `on` itself as served.
        best = max(best, completed_years(current[0], current[1] + dt.timedelta(days=1)))
    return best


def extension_check(worker: Worker, statutory: dt.date, ctx: RuleContext) -> ExtensionCheck | None:
    """Whether a woman Party secretary qualifies to apply for the extension; None for a man (the text
    is for women), a woman who was never secretary, or a day before the text was issued."""
    if worker.sex != Sex.FEMALE:
        return None
    ref = min(ctx.today, statutory)
    if not any(p.post == SECRETARY and p.start <= ref for p in worker.posts):
        return None  # never a Party secretary: nothing to weigh, and nothing worth saying
    if not ctx.params.is_set("retirement.extension.term_years", ref):
        return None  # she reached the statutory age before the text was issued: no extension then
    term = ctx.params.integer("retirement.extension.term_years", ref)
    window = ctx.params.integer("retirement.extension.window_years", ref)
    times = ctx.params.integer("retirement.extension.min_times", ref)
    years = list(range(ref.year - window, ref.year))
    secretary = SECRETARY in worker.posts_on(ref)
    served = secretary_years(worker, ref)
    excellent = [y for y in years if worker.grade_for(y) == Grade.EXCELLENT]
    top: list[int] = []
    if ctx.community is not None:
        top = [y for y in years if rank_in_top(ctx.community, y, ctx, ref)[0]]
    full_term = served >= term
    record = len(top) >= times or len(excellent) >= times
    eligible = secretary and full_term and record
    inputs: dict[str, Any] = {
        "reference": ref,
        "secretary": secretary,
        "secretary_years": served,
        "term_years": term,
        "years": years,
        "top_years": top,
        "excellent_years": excellent,
        "min_times": times,
    }
    reasons = (
        Reason(
            msg("ningguo.retire.ext.secretary" if secretary else "ningguo.retire.ext.not_secretary", day=ref),
            cite(14, "(7)"),
        ),
        Reason(
            msg("ningguo.retire.ext.term", years=served, term=term, ok=_yes(full_term)),
            cite(14, "(7)"),
            {"secretary_years": served, "term_years": term},
        ),
        Reason(
            msg(
                "ningguo.retire.ext.record",
                first=years[0] if years else "-",
                last=years[-1] if years else "-",
                top=len(top),
                excellent=len(excellent),
                times=times,
                ok=_yes(record),
            ),
            cite(14, "(7)"),
            {"top_years": top, "excellent_years": excellent},
        ),
        Reason(
            msg("ningguo.retire.ext.eligible" if eligible else "ningguo.retire.ext.not_eligible"),
            cite(14, "(7)"),
        ),
    )
    return ExtensionCheck(eligible, ref, reasons, inputs)


def _yes(flag: bool) -> Any:
    return msg("ningguo.yes" if flag else "ningguo.no")


def extension_decision(worker: Worker) -> Decision | None:
    found = [d for d in worker.decisions if d.kind in EXTENSION_KINDS]
    return max(found, key=lambda d: (d.decided_on, d.kind)) if found else None


def statutory(worker: Worker, ctx: RuleContext) -> tuple[RetirementDate, RetirementTrack, str, Reason]:
    rule = text_param(ctx, "retirement.rule", ctx.today, (RULE_2025, RULE_PRE_2025))
    track, why = track_for(worker)
    return national_retirement(worker, track, rule=rule, extra_reasons=(why,)), track, rule, why


def retirement(worker: Worker, ctx: RuleContext) -> RetirementDate:
    base, track, rule, why = statutory(worker, ctx)
    check = extension_check(worker, base.date, ctx)
    decision = extension_decision(worker)
    extra = check.reasons if check is not None else ()
    inputs = {**base.inputs, "extension_eligible": check.eligible if check is not None else None}
    if decision is None:
        if check is not None and check.eligible:
            extra = (*extra, Reason(msg("ningguo.retire.ext.may_apply"), cite(14, "(7)")))
        citation = cite(14, "(7)") if rule == RULE_PRE_2025 else base.citation
        return attrs.evolve(base, reasons=(*base.reasons, *extra), inputs=inputs, citation=citation)
    age = ctx.params.integer(EXTENSION_KINDS[decision.kind], ctx.today)
    approved = Reason(
        msg("ningguo.retire.ext.approved", age=age, day=decision.decided_on),
        cite(14, "(7)"),
        {"decision": decision.kind, "decided_on": decision.decided_on, "age": age},
    )
    extended = national_retirement(
        worker, track, rule=rule, minimum_age_months=age * 12, extra_reasons=(why, *extra, approved)
    )
    return attrs.evolve(
        extended,
        citation=cite(14, "(7)"),
        inputs={
            **extended.inputs,
            "extension_eligible": inputs["extension_eligible"],
            "decision": decision.kind,
        },
    )
