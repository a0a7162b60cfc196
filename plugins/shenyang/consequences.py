"""What follows from a year's grade (第九、三十一 – 三十四条), given the worker's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Worker, age_on
from core.results import Consequence
from plugins.shenyang.common import cite
from plugins.shenyang.grading import COMPETENT, EXCELLENT, INCOMPETENT, WARNING, grade_of
from plugins.shenyang.posts import COMPETENT_OR_BETTER, ELECTED, PARTY, STAFF, grade_rank, worker_types
from plugins.shenyang.records import HALF_YEAR, YEAR_END
from plugins.shenyang.retirement import retirement


def _c(code: str, article: str, **inputs: Any) -> Consequence:
    return Consequence(code, msg(f"shenyang.consequence.{code}", **inputs), cite(article), inputs)


def year_run(worker: Worker, year: int, grade: str, wanted: frozenset[str]) -> int:
    """Years in a row, ending with `year` (graded `grade`), whose year-end result is in `wanted`.

    A year with no recorded result breaks the run: nothing says it was 称职.
    """
    count = 0
    current = year
    while True:
        g = grade if current == year else grade_of(worker, current, YEAR_END)
        if g is None or g not in wanted:
            return count
        count += 1
        current -= 1


def within_age(worker: Worker, year: int, ctx: RuleContext) -> tuple[bool, dict[str, Any]]:
    """第九条 "符合年龄要求": the district's age limit if set, else below statutory retirement age."""
    day = dt.date(year, 12, 31)
    age = age_on(worker.birth_date, day)
    if ctx.params.is_set("reelection.max_age", day):
        limit = ctx.params.integer("reelection.max_age", day)
        return age <= limit, {"age": age, "max_age": limit}
    retire = retirement(worker, ctx).date
    return day < retire, {"age": age, "retirement_date": retire}


def half_year_context(worker: Worker, year: int, grade: str) -> bool:
    """Whether `grade` is the half-year result just recorded rather than the year's result.

    The hook is not told the period. An assessment round closes by recording the grade and then
    asking for its consequences, so a year with this grade at the half-year and no year-end
    result yet is read as the half-year's: its 优秀 / 称职 earns nothing until the year-end.
    """
    return grade_of(worker, year, YEAR_END) is None and grade_of(worker, year, HALF_YEAR) == grade


def grade_consequences(worker: Worker, year: int, grade: str, ctx: RuleContext) -> list[Consequence]:
    grade_rank(grade)
    out: list[Consequence] = []
    half = grade_of(worker, year, HALF_YEAR)
    if grade in (EXCELLENT, COMPETENT) and half_year_context(worker, year, grade):
        # 第二十二条: the half-year counts toward the year's result; 第三十一条 rewards the year-end.
        return [
            _c("year_end_pending", "第二十二条、第三十一条", year=year, grade=msg(f"shenyang.grade.{grade}"))
        ]
    if grade in (EXCELLENT, COMPETENT):
        if half == WARNING:
            # 第三十二条: 两次考核中有一次被评定为告诫的，取消年终奖励资格，接受专门培训.
            out.append(_c("no_year_end_reward", "第三十二条", year=year))
        else:
            out.append(_c("year_end_reward", "第三十一条", year=year, grade=msg(f"shenyang.grade.{grade}")))
    elif grade == WARNING:
        months = ctx.params.integer("assessment.warning_months", dt.date(year, 12, 31))
        out.append(_c("no_year_end_reward", "第三十二条", year=year))
        out.append(_c("special_training", "第三十二条", year=year))
        out.append(_c("warning_period", "第二十九条", months=months))
    elif grade == INCOMPETENT:
        out.append(_c("no_year_end_reward", "第三十一条", year=year))
        kinds = worker_types(worker, dt.date(year, 12, 31))
        if ELECTED in kinds:
            out.append(_c("recall", "第三十三条、第三十八条2", year=year))
        if STAFF in kinds:
            out.append(_c("dismissal", "第三十三条、第三十九条", year=year))
        if PARTY in kinds:
            out.append(_c("party_handling", "第四十条", year=year))
    day = dt.date(year, 12, 31)
    excellent_years = ctx.params.integer("election.priority_excellent_years", day)
    competent_years = ctx.params.integer("election.priority_competent_years", day)
    run_excellent = year_run(worker, year, grade, frozenset({EXCELLENT}))
    run_competent = year_run(worker, year, grade, COMPETENT_OR_BETTER)
    # 第三十四条: 连续两年被评为优秀或连续三年被评为称职 → 下届换届选举中同等条件下优先.
    if run_excellent >= excellent_years or run_competent >= competent_years:
        out.append(
            _c(
                "election_priority",
                "第三十四条",
                excellent_years=run_excellent,
                competent_years=run_competent,
            )
        )
    # 第九条: 连续三年考核达到称职以上标准且符合年龄要求 → 不再进行重新考试.
    exempt_years = ctx.params.integer("reelection.exempt_years", day)
    if run_competent >= exempt_years:
        ok, inputs = within_age(worker, year, ctx)
        if ok:
            out.append(_c("no_reexamination", "第九条", years=run_competent, **inputs))
    return out
