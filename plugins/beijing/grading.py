"""The yearly assessment (第四篇 第六条(二); Haidian 第一篇 第六条(二), (三)1, (一)2(7)).

Grades are 优秀、合格、基本合格、不合格, set "每年年终" by a committee of resident representatives,
local units and the street, on task completion and resident satisfaction. The texts give no
scoring formula, so the proposal is the grade the committee recorded, or none with that reason.
The texts set no quota for any grade: `grade_quotas` answers an empty list.

What follows from a grade, city-wide: the year counts toward the 职务年限补贴 increment or not
(第五条(一)2) and it sets the worker's weight in the street's bonus (第五条(一)3). Haidian adds
(第一篇 第六条(二)2): 优秀 is rewarded and comes first for renewal, promotion and awards; 不合格
brings a warning talk (诫勉谈话) and a bonus cut; 不合格 two years running ends the agreement
(第六条(一)2(7)); and for 服务站 staff whose agreement ends the next year, the grade is what the
street weighs for renewal (第六条(一)1). Haidian's exam rule: a worker who skipped or failed the
yearly exam cannot be 优秀 — a proposed 优秀 is forced down to 合格 (第六条(三)1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import ContractKind, Grade, Period, Worker
from core.results import Consequence, GradeProposal, Quota, Reason
from plugins.beijing.bonus import GRADE_WEIGHTS
from plugins.beijing.common import amount, city, haidian, table_entry
from plugins.beijing.posts import PASSING, STATION_POSTS, check_grade
from plugins.beijing.training import BARS_EXCELLENT, ExamStatus, exam_status, training_missed


def _year_end(period: str) -> None:
    if period != Period.YEAR_END:
        raise ValidationError("period", msg("beijing.error.period", period=period))


def propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    _year_end(period)
    recorded = worker.grade_for(year)
    if recorded is not None:
        grade = check_grade(recorded)
        return GradeProposal(
            grade,
            (
                Reason(
                    msg("beijing.grade.recorded", year=year, grade=msg(f"grade.{grade}")), city("第六条(二)")
                ),
            ),
        )
    return GradeProposal(
        None, (Reason(msg("beijing.grade.committee_decides", year=year), city("第六条(二)")),)
    )


def grade_quotas(unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[Quota]:
    """第六条(二) sets no share for any grade."""
    return []


def grade_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence]:
    _year_end(period)
    grade = check_grade(grade)
    on = dt.date(year, 12, 31)
    facts = {"year": year, "grade": grade}
    out = []
    if grade in PASSING:
        step = ctx.params.decimal("pay.seniority.step", on)
        out.append(
            Consequence(
                "seniority_increment",
                msg("beijing.consequence.seniority_increment", year=year, step=step),
                city("第五条(一)2"),
                {**facts, "step": step},
            )
        )
    else:
        out.append(
            Consequence(
                "no_seniority_increment",
                msg("beijing.consequence.no_seniority_increment", year=year, grade=msg(f"grade.{grade}")),
                city("第五条(一)2"),
                facts,
            )
        )
    weight = amount(table_entry(ctx, GRADE_WEIGHTS, on, grade), f"{GRADE_WEIGHTS}.{grade}")
    out.append(
        Consequence(
            "bonus_weight",
            msg("beijing.consequence.bonus_weight", grade=msg(f"grade.{grade}"), weight=weight),
            city("第五条(一)3"),
            {**facts, "grade_weight": weight},
        )
    )
    return out


# --- Haidian ------------------------------------------------------------------------------------


def haidian_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    """第一篇 第六条(三)1: "不参加培训、考试或考试成绩不合格的 … 不能被评为优秀" — missing the yearly
    training, missing the exam or failing it: any one bars 优秀."""
    proposal = propose_grade(worker, year, period, ctx)
    status = exam_status(worker, year, ctx)
    missed = training_missed(worker, year, ctx)
    cite = haidian("第六条(三)1")
    facts = {"year": year, "exam": str(status), "training_missed": missed}
    notes: list[Reason] = []
    if status != ExamStatus.PASSED:
        notes.append(Reason(msg(f"beijing.haidian.exam.{status}", year=year), cite, facts))
    if missed:
        notes.append(Reason(msg("beijing.haidian.training.missed", year=year), cite, facts))
    if status not in BARS_EXCELLENT and not missed:
        return attrs.evolve(proposal, reasons=(*proposal.reasons, *notes)) if notes else proposal
    if proposal.grade == Grade.EXCELLENT:
        return GradeProposal(
            Grade.QUALIFIED.value,
            (
                *proposal.reasons,
                *notes,
                Reason(msg("beijing.haidian.grade.downgraded", year=year), cite, facts),
            ),
            proposal.score,
            forced=True,
        )
    return attrs.evolve(
        proposal,
        reasons=(
            *proposal.reasons,
            *notes,
            Reason(msg("beijing.haidian.grade.no_excellent", year=year), cite, facts),
        ),
    )


def haidian_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence]:
    out = grade_consequences(worker, year, grade, period, ctx)
    on = dt.date(year, 12, 31)
    facts = {"year": year, "grade": grade}
    if grade == Grade.EXCELLENT:
        out.append(
            Consequence(
                "excellent_reward",
                msg("beijing.haidian.consequence.excellent_reward"),
                haidian("第六条(二)2"),
                facts,
            )
        )
    if grade == Grade.UNQUALIFIED:
        out.append(
            Consequence(
                "admonition_and_bonus_cut",
                msg("beijing.haidian.consequence.admonition"),
                haidian("第六条(二)2"),
                facts,
            )
        )
        needed = ctx.params.integer("exit.unqualified_years", on)
        span = list(range(year - needed + 1, year + 1))
        if all(worker.grade_for(y) == Grade.UNQUALIFIED for y in span[:-1]):
            out.append(
                Consequence(
                    "agreement_ended",
                    msg(
                        "beijing.haidian.consequence.agreement_ended", years=needed, first=span[0], last=year
                    ),
                    haidian("第六条(一)2(7)"),
                    {**facts, "years": span},
                )
            )
    renewal = _renewal(worker, year)
    if renewal is not None:
        out.append(
            Consequence(
                "renewal_weighs_grade",
                msg("beijing.haidian.consequence.renewal", end=renewal, grade=msg(f"grade.{grade}")),
                haidian("第六条(一)1"),
                {**facts, "agreement_end": renewal},
            )
        )
    return out


def _renewal(worker: Worker, year: int) -> dt.date | None:
    """The end of a 服务站 agreement that runs out in the year after `year`, if any."""
    year_end = dt.date(year, 12, 31)
    if not any(p in STATION_POSTS for p in worker.posts_on(year_end)):
        return None
    for c in worker.contracts:
        ends = c.end
        if c.kind == ContractKind.SERVICE_AGREEMENT and c.covers(year_end) and ends and ends.year == year + 1:
            return ends
    return None
