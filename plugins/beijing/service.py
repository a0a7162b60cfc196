"""Years of community service that earn the 职务年限补贴 increment (第四篇 第五条(一)2).

"在考核的基础上，对考核合格及以上等次的工作人员每年增长一次年限补贴……在社区工作未满一年的只享受起点
职务年限补贴。岗位发生变化的，套新岗位职务年限补贴标准，其年限以在社区实际工作时间累计计算。城八区从
2000年第四届社区居委会选举产生当月开始计算，其他区(县)从2003年第五届社区居委会选举产生当月开始计算。"

Reading (RULES.md): increments = completed years of service, counted from the later of the
worker's start and the counting origin up to the pay month, minus the calendar years of that
span graded 基本合格 or 不合格. A calendar year counts once its year-end assessment is due, i.e.
the years before the pay month's year. A year with no recorded grade counts as qualifying
(legacy records; `service.ungraded_year_counts`) and the reasons name it. The count never goes
below zero. The count runs over all community service, whatever the post, so a change of post
keeps the increments earned (the new post's starting value plus the same increments).

The origin is a month: the month of the 4th (2000) or 5th (2003) residents' committee election.
The texts give the year, not the month, so the month ships unset and is asked for only when it
matters: for a worker who started before the end of the origin year. Which origin applies:
`service.origin.scheme` — "by_district" (the community's district is one of `service.eight_districts`
or not), or fixed for a district plugin whose own text says so (Haidian: "eight_districts").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import Message, msg
from core.model import Worker, completed_years
from core.results import Reason
from core.rulekit import year_end_grades
from plugins.beijing.common import city, text_list, text_param, years_text
from plugins.beijing.posts import GRADE_CODES, PASSING

EIGHT, OTHER = "eight_districts", "other_districts"
SCHEMES = ("by_district", EIGHT, OTHER)


@attrs.frozen
class Origin:
    which: str  # EIGHT or OTHER
    scheme: str
    year: int
    date: dt.date | None  # None: the month is unset but cannot matter for this worker
    district: str


@attrs.frozen
class Seniority:
    counted_from: dt.date
    on: dt.date
    origin: Origin
    years: int
    bad_years: tuple[int, ...]
    ungraded_years: tuple[int, ...]
    increments: int

    def inputs(self) -> dict[str, Any]:
        return {
            "counted_from": self.counted_from,
            "counted_to": self.on,
            "origin": self.origin.date,
            "origin_kind": self.origin.which,
            "origin_scheme": self.origin.scheme,
            "completed_years": self.years,
            "years_not_qualifying": list(self.bad_years),
            "years_without_grade": list(self.ungraded_years),
            "increments": self.increments,
        }


def _normalise(district: str) -> str:
    name = district.strip().removeprefix("北京市")
    return name.removesuffix("区")


def origin_for(worker: Worker, ctx: RuleContext, on: dt.date) -> Origin:
    scheme = text_param(ctx, "service.origin.scheme", on, SCHEMES)
    district = ctx.community.district if ctx.community is not None else ""
    if scheme == "by_district":
        eight = {_normalise(d) for d in text_list(ctx, "service.eight_districts", on)}
        which = EIGHT if _normalise(district) in eight else OTHER
    else:
        which = scheme
    year = ctx.params.integer(f"service.origin.{which}.year", on)
    if worker.service_start >= dt.date(year + 1, 1, 1):
        # Started after the origin year: the later of the two is the start whatever the month.
        return Origin(which, scheme, year, None, district)
    month = ctx.params.integer(f"service.origin.{which}.month", on)
    if not 1 <= month <= 12:
        raise ValidationError(f"service.origin.{which}.month", msg("beijing.error.month", value=month))
    return Origin(which, scheme, year, dt.date(year, month, 1), district)


def seniority(worker: Worker, on: dt.date, ctx: RuleContext) -> Seniority:
    """The increments earned by `on` (the last day of the pay month)."""
    origin = origin_for(worker, ctx, on)
    start = worker.service_start if origin.date is None else max(worker.service_start, origin.date)
    years = completed_years(start, on)
    grades = year_end_grades(worker)
    counts_ungraded = bool(ctx.params.value("service.ungraded_year_counts", on))
    bad: list[int] = []
    ungraded: list[int] = []
    for year in range(start.year, on.year):
        grade = grades.get(year)
        if grade is None:
            ungraded.append(year)
            if not counts_ungraded:
                bad.append(year)
            continue
        if grade not in GRADE_CODES:
            raise ValidationError(f"assessments[{year}]", msg("beijing.error.unknown_grade", grade=grade))
        if grade not in PASSING:
            bad.append(year)
    increments = max(0, years - len(bad))
    return Seniority(start, on, origin, years, tuple(bad), tuple(ungraded), increments)


def reasons(s: Seniority, counts_ungraded: bool) -> list[Reason]:
    """Why the increments are what they are, step by step (第五条(一)2)."""
    out = [Reason(_origin_text(s), city("第五条(一)2"), s.inputs())]
    if s.bad_years:
        out.append(
            Reason(
                msg("beijing.seniority.bad_years", years=years_text(s.bad_years), count=len(s.bad_years)),
                city("第五条(一)2"),
                {"years": list(s.bad_years)},
            )
        )
    if s.ungraded_years:
        key = "beijing.seniority.ungraded_counts" if counts_ungraded else "beijing.seniority.ungraded_not"
        out.append(
            Reason(
                msg(key, years=years_text(s.ungraded_years)),
                city("第五条(一)2"),
                {"years": list(s.ungraded_years)},
            )
        )
    if s.years == 0:
        out.append(Reason(msg("beijing.seniority.first_year"), city("第五条(一)2")))
    elif s.increments == 0 and s.bad_years:
        out.append(Reason(msg("beijing.seniority.none_left"), city("第五条(一)2")))
    return out


def _origin_text(s: Seniority) -> Message:
    o = s.origin
    kind = msg(f"beijing.origin.{o.which}", year=o.year)
    if o.date is None:
        return msg(
            "beijing.seniority.span_after_origin",
            start=s.counted_from,
            on=s.on,
            years=s.years,
            origin=kind,
        )
    return msg(
        "beijing.seniority.span",
        start=s.counted_from,
        origin=kind,
        origin_month=f"{o.date.year}-{o.date.month:02d}",
        on=s.on,
        years=s.years,
    )
