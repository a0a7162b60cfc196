"""Year-end grades and what follows from them (第三十二条, 第二十三条, 第二十四条).

The street or town Party (working) committee sets the grade (第三十二条 3); "还可实行打分量化考核" lets
a district grade from a points score too. The text gives no score bands, so `grading.thresholds`
ships unset ({ excellent = "…", qualified = "…", basically_qualified = "…" }: the lowest score
for each grade, below the last → 不合格). A score is the assessment's `total`, or else the sum of
its component scores (岗位目标考核 + 述职评议考核, weighted as the district enters them). A grade the
committee recorded wins over the score. The text has no grade quota.

第二十三条 1: 不合格 in a year, or 基本合格 two years running → leave or be dismissed. 第二十四条:
where a contract is ended for incapacity, 30 days' written notice or one month's extra pay.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Assessment, Grade, Period, Worker
from core.results import Consequence, GradeProposal, Reason
from plugins.jiulongpo.common import amount, cite, table
from plugins.jiulongpo.posts import GRADE_ORDER

THRESHOLDS = "grading.thresholds"


def _assessment(worker: Worker, year: int) -> Assessment | None:
    for a in worker.assessments:
        if a.year == year and a.period == Period.YEAR_END:
            return a
    return None


def score_of(a: Assessment) -> Decimal:
    if "total" in a.scores:
        return a.scores["total"]
    return sum(a.scores.values(), Decimal(0))


def grade_from_score(score: Decimal, on: dt.date, ctx: RuleContext) -> str:
    bands = table(ctx.params, THRESHOLDS, on)
    floors = []
    for grade in GRADE_ORDER[:-1]:
        if grade not in bands:
            raise MissingParameter(
                ctx.jurisdiction, THRESHOLDS, on, "004_5569dc7a30480689.txt 第三十二条 3", detail=grade
            )
        floors.append((grade, amount(bands[grade], f"{THRESHOLDS}.{grade}")))
    if any(later[1] > earlier[1] for earlier, later in itertools.pairwise(floors)):
        raise ValidationError(THRESHOLDS, msg("jiulongpo.error.thresholds_order", name=THRESHOLDS))
    for grade, floor in floors:
        if score >= floor:  # a band's lowest score belongs to it
            return grade
    return GRADE_ORDER[-1]


def propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    if period != Period.YEAR_END.value:
        return GradeProposal(None, (Reason(msg("jiulongpo.grade.year_end_only"), cite("第三十二条 3")),))
    a = _assessment(worker, year)
    if a is None or (not a.scores and not a.grade):
        return GradeProposal(
            None, (Reason(msg("jiulongpo.grade.nothing_recorded", year=year), cite("第三十二条")),)
        )
    on = dt.date(year, 12, 31)
    score = score_of(a) if a.scores else None
    by_score = grade_from_score(score, on, ctx) if score is not None else None
    reasons = []
    if score is not None and by_score is not None:
        reasons.append(
            Reason(
                msg("jiulongpo.grade.by_score", score=score, grade=msg(f"grade.{by_score}")),
                cite("第三十二条 3"),
                {"score": score, "scores": dict(a.scores)},
            )
        )
    if a.grade:
        if a.grade not in GRADE_ORDER:
            raise ValidationError("assessments", msg("jiulongpo.error.unknown_grade", grade=a.grade))
        reasons.append(
            Reason(msg("jiulongpo.grade.by_committee", grade=msg(f"grade.{a.grade}")), cite("第三十二条 3"))
        )
        return GradeProposal(a.grade, tuple(reasons), score)
    return GradeProposal(by_score, tuple(reasons), score)


def _basic_run(worker: Worker, year: int, grade: str) -> tuple[int, int | None]:
    """Years graded 基本合格 in a row ending with `year` (graded `grade`), and the first ungraded
    year that stopped the count, if a missing record rather than another grade stopped it."""
    if grade != Grade.BASIC.value:
        return 0, None
    run, y = 1, year - 1
    while True:
        earlier = worker.grade_for(y)
        if earlier is None:
            return run, y if worker.service_start.year <= y else None
        if earlier != Grade.BASIC.value:
            return run, None
        run, y = run + 1, y - 1


def _dismissal(ground: str, year: int, ctx: RuleContext, on: dt.date) -> list[Consequence]:
    notice = ctx.params.integer("dismissal.notice_days", on)
    extra = ctx.params.integer("dismissal.extra_pay_months", on)
    return [
        Consequence(
            "dismissal",
            msg(f"jiulongpo.consequence.dismissal.{ground}", year=year),
            cite("第二十三条 1"),
            {"ground": ground, "year": year},
        ),
        Consequence(
            "notice_or_pay",
            msg("jiulongpo.consequence.notice_or_pay", days=notice, months=extra),
            cite("第二十四条"),
            {"notice_days": notice, "extra_pay_months": extra},
        ),
    ]


def grade_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence]:
    if period != Period.YEAR_END.value:
        raise ValidationError("period", msg("jiulongpo.grade.year_end_only"))
    if grade not in GRADE_ORDER:
        raise ValidationError("grade", msg("jiulongpo.error.unknown_grade", grade=grade))
    on = dt.date(year, 12, 31)
    out = [
        Consequence(
            "pay_linked",
            msg("jiulongpo.consequence.pay_linked", grade=msg(f"grade.{grade}")),
            cite("第三十二条 1"),
            {"grade": grade},
        )
    ]
    if grade == Grade.UNQUALIFIED.value:
        return out + _dismissal("unqualified", year, ctx, on)
    limit = ctx.params.integer("dismissal.basic_consecutive_years", on)
    run, unknown_year = _basic_run(worker, year, grade)
    if grade == Grade.BASIC.value:
        if run >= limit:
            return out + _dismissal("basic_repeated", year, ctx, on)
        out.append(
            Consequence(
                "basic_warning",
                msg("jiulongpo.consequence.basic_warning", run=run, limit=limit),
                cite("第二十三条 1"),
                {"run": run, "limit": limit},
            )
        )
        if unknown_year is not None:
            out.append(
                Consequence(
                    "previous_grade_unknown",
                    msg("jiulongpo.consequence.previous_grade_unknown", year=unknown_year),
                    cite("第二十三条 1"),
                    {"year": unknown_year},
                )
            )
    return out
