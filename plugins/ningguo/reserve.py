"""The reserve cadre's pay rate by employment year (第15条).

"招录第1年的工资待遇按照一般两委委员的80%执行，年度考核合格等次以上的，第2年、第3年分别按照一般两委
委员的85%、90%执行，第4年开始按照一般两委成员工资待遇执行。期间，年度考核基本合格或不合格的，工资
待遇按上一年度执行。"

Reading (RULES.md): employment years run from the hire date's anniversaries (the first day of
service in the reserve post). At each anniversary the rate steps up one notch (80 → 85 → 90 → 100)
if the latest year-end grade recorded before that date is 合格 or 优秀, and stays where it was
otherwise. Two refinements the Reading implies: a grade of a year before the hire counts for
nothing, and one year's grade moves the rate once only, so an anniversary with no new grade since
the last one holds the rate and says the grade is missing (never a silent step either way).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker
from core.results import Reason
from core.rulekit import year_end_grades
from plugins.ningguo.common import amount, cite, percent_text
from plugins.ningguo.posts import PASSING, RESERVE

RATES = "pay.reserve.rates"


@attrs.frozen
class Step:
    """The notch in force from `start` (the hire date or an anniversary) and why."""

    start: dt.date
    notch: int
    rate: Decimal
    reason: Reason
    grade_year: int | None = None
    missing_grade: bool = False


def hire_date(worker: Worker) -> dt.date | None:
    """The first day in the reserve post: "招录第1年" counts from it."""
    starts = [p.start for p in worker.posts if p.post == RESERVE]
    return min(starts) if starts else None


def anniversary(start: dt.date, years: int) -> dt.date:
    """The day `years` completed years after `start`; 29 February's falls on 1 March in a common
    year, as core's completed_years counts it."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return dt.date(start.year + years, 3, 1)


def rates(ctx: RuleContext, on: dt.date) -> list[Decimal]:
    raw = ctx.params.value(RATES, on)
    if not isinstance(raw, list) or not raw:
        raise ValidationError(RATES, msg("ningguo.error.amount", value=repr(raw)))
    return [amount(r, RATES) for r in raw]


def _percent(rate: Decimal) -> str:
    return percent_text(rate)


def schedule(worker: Worker, hire: dt.date, until: dt.date, ctx: RuleContext) -> list[Step]:
    """Every step from the hire date up to `until`, oldest first; the last one is in force then."""
    table = rates(ctx, until)
    top = len(table) - 1
    grades = year_end_grades(worker)
    first = Step(
        hire,
        0,
        table[0],
        Reason(
            msg("ningguo.reserve.first_year", hire=hire, rate=_percent(table[0])), cite(15), {"hire": hire}
        ),
    )
    steps = [first]
    notch, used = 0, hire.year - 1
    k = 1
    while notch < top:
        day = anniversary(hire, k)
        if day > until:
            break
        years = [y for y in grades if used < y and dt.date(y, 12, 31) < day]
        if not years:
            steps.append(
                Step(
                    day,
                    notch,
                    table[notch],
                    Reason(
                        msg("ningguo.reserve.no_grade", year=k + 1, day=day, rate=_percent(table[notch])),
                        cite(15),
                        {"anniversary": day, "employment_year": k + 1},
                    ),
                    missing_grade=True,
                )
            )
        else:
            year = max(years)
            used = year
            grade = grades[year]
            if grade in PASSING:
                notch += 1
                text = msg(
                    "ningguo.reserve.step_up",
                    year=k + 1,
                    day=day,
                    grade_year=year,
                    grade=msg(f"grade.{grade}"),
                    rate=_percent(table[notch]),
                )
            else:
                text = msg(
                    "ningguo.reserve.hold",
                    year=k + 1,
                    day=day,
                    grade_year=year,
                    grade=msg(f"grade.{grade}"),
                    rate=_percent(table[notch]),
                )
            steps.append(
                Step(
                    day,
                    notch,
                    table[notch],
                    Reason(text, cite(15), {"anniversary": day, "grade_year": year, "grade": grade}),
                    grade_year=year,
                )
            )
        k += 1
    return steps


def step_on(steps: list[Step], day: dt.date) -> Step:
    return [s for s in steps if s.start <= day][-1]
