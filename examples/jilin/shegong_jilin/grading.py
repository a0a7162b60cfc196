"""Grades (9.3) and quotas: the standard names the four grades and nothing that computes one.

9.2 grades from 日常考核 and 定期考核 and 9.3 names 优秀、合格、基本合格、不合格; no clause turns a
score into a grade and none limits a grade's share. So the proposal is the grade the panel
recorded; where a district has set score thresholds (`grading.thresholds`, shipped unset: the
standard leaves them to the district), a recorded score is turned into a grade by them; else the
proposal says the panel decides. Quotas: none (an empty list, not a made-up share).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Period, Worker
from core.results import GradeProposal, Quota, Reason
from shegong_jilin.common import cite
from shegong_jilin.posts import GRADE_ORDER

THRESHOLDS = "grading.thresholds"


def check_grade(grade: str, field: str) -> str:
    if grade not in GRADE_ORDER:
        raise ValidationError(field, msg("jilin.error.unknown_grade", grade=grade))
    return grade


def _thresholds(value: Any) -> list[tuple[str, Decimal]]:
    """{excellent: 90, qualified: 75, basically_qualified: 60} → best first; below all: 不合格."""
    if not isinstance(value, Mapping):
        raise ValidationError(THRESHOLDS, msg("jilin.error.thresholds"))
    out = []
    for grade in GRADE_ORDER[:-1]:
        raw = value.get(grade)
        if not isinstance(raw, Decimal | int):
            raise ValidationError(f"{THRESHOLDS}.{grade}", msg("jilin.error.thresholds"))
        out.append((grade, Decimal(raw)))
    if any(later[1] > earlier[1] for earlier, later in itertools.pairwise(out)):
        raise ValidationError(THRESHOLDS, msg("jilin.error.thresholds"))
    return out


def by_score(score: Decimal, thresholds: Sequence[tuple[str, Decimal]]) -> str:
    """The best grade whose lowest score `score` reaches ("以上" includes the bound)."""
    for grade, lowest in thresholds:
        if score >= lowest:
            return grade
    return GRADE_ORDER[-1]


def propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    on = dt.date(year, 12, 31)
    recorded = next((a for a in worker.assessments if a.year == year and a.period == period), None)
    if recorded is not None and recorded.grade is not None:
        grade = check_grade(recorded.grade, f"assessments[{year}].grade")
        reason = msg("jilin.grade.recorded", year=year, grade=msg(f"grade.{grade}"))
        return GradeProposal(grade, (Reason(reason, cite("9.3"), {"year": year, "grade": grade}),))
    key = str(ctx.params.value("grading.score_key", on))
    score = recorded.scores.get(key) if recorded is not None else None
    if score is not None and ctx.params.is_set(THRESHOLDS, on):
        thresholds = _thresholds(ctx.params.value(THRESHOLDS, on))
        grade = by_score(Decimal(score), thresholds)
        limits = ", ".join(f"{g} ≥ {v}" for g, v in thresholds)
        reason = msg(
            "jilin.grade.by_score", year=year, score=score, grade=msg(f"grade.{grade}"), limits=limits
        )
        return GradeProposal(
            grade,
            (Reason(reason, cite("9.3"), {"score": score, "thresholds": limits}),),
            score=Decimal(score),
        )
    why = "jilin.grade.no_thresholds" if score is not None else "jilin.grade.panel_decides"
    return GradeProposal(None, (Reason(msg(why, year=year, parameter=THRESHOLDS), cite("9.2")),))


def grade_quotas(unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[Quota]:
    return []  # 9.3 sets no share for any grade


PERIODS = (Period.YEAR_END.value,)
