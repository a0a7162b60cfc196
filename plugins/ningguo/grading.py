"""The yearly assessment (第12条): grades, the 优秀 quota per community, and what a grade brings.

Grades are 优秀、合格、基本合格、不合格 and are settled by the street's Party working committee
("考核结果经街道党工委会议研究通过"); the text gives no scoring formula, so the proposal is the
grade the panel recorded, or none with that reason. 优秀 is "一般不超过社区工作者总数的20%", and a
community whose 目标管理考核 is in its street's top 30% may go to 30%: the quota is counted per
community (RULES.md Reading), floor(M × N / 100). What follows from a grade: performance pay
(第16条), the reserve cadre's next pay step (第15条) and leaving after two 不合格 years (第14条(1)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Assessment, Grade, Period, Worker
from core.results import Consequence, GradeProposal, Quota, Reason
from core.rulekit import quota_limit
from plugins.ningguo.common import cite, percent_text, rank_in_top
from plugins.ningguo.posts import RESERVE, check_grade
from plugins.ningguo.reserve import anniversary, hire_date, schedule


def propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    if period != Period.YEAR_END:
        raise ValidationError("period", msg("ningguo.error.period", period=period))
    recorded = worker.grade_for(year)
    if recorded is not None:
        grade = check_grade(recorded)
        return GradeProposal(
            grade,
            (Reason(msg("ningguo.grade.recorded", year=year, grade=msg(f"grade.{grade}")), cite(12)),),
        )
    return GradeProposal(None, (Reason(msg("ningguo.grade.panel_decides", year=year), cite(12)),))


def grade_quotas(unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[Quota]:
    community = ctx.community
    if community is None:
        raise ValidationError("community", msg("ningguo.error.no_community", unit=unit))
    on = dt.date(year, 12, 31)
    headcount = len(workers)
    top, inputs = rank_in_top(community, year, ctx, on)
    if top:
        percent = ctx.params.integer("assessment.excellent.raised_percent", on)
        why = msg(
            "ningguo.quota.raised",
            rank=inputs["rank"],
            size=inputs["street_communities"],
            cutoff=inputs["cutoff"],
            percent=percent,
        )
    else:
        percent = ctx.params.integer("assessment.excellent.percent", on)
        if top is None:
            why = msg("ningguo.quota.no_rank", year=year, percent=percent)
        else:
            why = msg(
                "ningguo.quota.base",
                rank=inputs["rank"],
                size=inputs["street_communities"],
                cutoff=inputs["cutoff"],
                percent=percent,
            )
    limit = quota_limit(headcount, percent)
    facts: dict[str, Any] = {**inputs, "percent": percent, "headcount": headcount}
    return [
        Quota(
            unit,
            Grade.EXCELLENT.value,
            limit,
            headcount,
            cite(12),
            facts,
            (
                Reason(why, cite(12), facts),
                Reason(
                    msg("ningguo.quota.limit", headcount=headcount, percent=percent, limit=limit), cite(12)
                ),
            ),
        )
    ]


_PERFORMANCE = {
    Grade.EXCELLENT.value: "performance_full_and_reward",
    Grade.QUALIFIED.value: "performance_full",
    Grade.BASIC.value: "performance_half",
    Grade.UNQUALIFIED.value: "performance_none",
}


def grade_consequences(worker: Worker, year: int, grade: str, ctx: RuleContext) -> list[Consequence]:
    grade = check_grade(grade)
    on = dt.date(year, 12, 31)
    code = _PERFORMANCE[grade]
    out = [Consequence(code, msg(f"ningguo.consequence.{code}"), cite(16), {"year": year, "grade": grade})]
    if grade == Grade.UNQUALIFIED:
        needed = ctx.params.integer("exit.unqualified_years", on)
        earlier = [worker.grade_for(y) for y in range(year - needed + 1, year)]
        if all(g == Grade.UNQUALIFIED for g in earlier):
            out.append(
                Consequence(
                    "exit_unqualified_years",
                    msg(
                        "ningguo.consequence.exit_unqualified",
                        years=needed,
                        first=year - needed + 1,
                        last=year,
                    ),
                    cite(14, "(1)"),
                    {"years": list(range(year - needed + 1, year + 1))},
                )
            )
    reserve = _reserve_step(worker, year, grade, ctx)
    if reserve is not None:
        out.append(reserve)
    return out


def _reserve_step(worker: Worker, year: int, grade: str, ctx: RuleContext) -> Consequence | None:
    """The rate the next employment year starts at, had this grade been recorded (第15条)."""
    hire = hire_date(worker)
    year_end = dt.date(year, 12, 31)
    if hire is None or RESERVE not in worker.posts_on(year_end):
        return None
    k = 1
    while anniversary(hire, k) <= year_end:
        k += 1
    day = anniversary(hire, k)
    kept = tuple(a for a in worker.assessments if not (a.year == year and a.period == Period.YEAR_END))
    what_if = attrs.evolve(worker, assessments=(*kept, Assessment(year, Period.YEAR_END, grade)))
    before = schedule(what_if, hire, day - dt.timedelta(days=1), ctx)[-1]
    after = schedule(what_if, hire, day, ctx)[-1]
    inputs = {"anniversary": day, "from": before.rate, "to": after.rate}
    if after.start != day:
        return Consequence(
            "reserve_pay_full",
            msg("ningguo.consequence.reserve_full", rate=percent_text(after.rate)),
            cite(15),
            inputs,
        )
    if after.notch > before.notch:
        return Consequence(
            "reserve_pay_step_up",
            msg(
                "ningguo.consequence.reserve_step_up",
                day=day,
                before=percent_text(before.rate),
                after=percent_text(after.rate),
            ),
            cite(15),
            inputs,
        )
    return Consequence(
        "reserve_pay_hold",
        msg("ningguo.consequence.reserve_hold", day=day, rate=percent_text(after.rate)),
        cite(15),
        inputs,
    )
