"""Proposing a grade (第二十二 – 三十条) and the 优秀 quota (第二十八条).

The score (40% residents, 40% upper departments, 20% peers) gives a grade by the thresholds of
the Reading in RULES.md; the year-end proposal is the year's result, so it combines the
half-year and year-end scores. Then the hard grounds of 第二十九、三十、三十六条 and the panel's
own 告诫 / 不称职 are applied: the worst grade wins and such a downgrade is `forced`, so no score
and no quota can lift it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Assessment, Grade, Worker
from core.results import Citation, GradeProposal, Quota, Reason
from core.rulekit import quota_limit
from plugins.shenyang.common import cite
from plugins.shenyang.posts import GRADE_ORDER, grade_rank, worse
from plugins.shenyang.records import (
    HALF_YEAR,
    YEAR_END,
    check_period,
    longest_run_ending,
    period_span,
    window,
)

COMPONENTS = ("residents", "departments", "peers")
AWARENESS = "awareness"  # 百家情知晓率, in percent
SATISFACTION = "satisfaction"  # 居民满意率, in percent
EXCELLENT, COMPETENT, WARNING, INCOMPETENT = (str(g) for g in GRADE_ORDER)
HUNDRED = Decimal(100)


def assessment_of(worker: Worker, year: int, period: str) -> Assessment | None:
    for a in worker.assessments:
        if a.year == year and str(a.period) == period:
            return a
    return None


def checked_scores(record: Assessment) -> Mapping[str, Decimal]:
    """Scores are points or percentages on 0-100; anything else is a data-entry error."""
    for key, value in record.scores.items():
        if not Decimal(0) <= value <= HUNDRED:
            raise ValidationError(
                f"assessments[{record.year}/{record.period}].scores.{key}",
                msg("shenyang.invalid.score", value=str(value)),
            )
    return record.scores


def weights(ctx: RuleContext, name: str, on: dt.date, keys: Sequence[str]) -> dict[str, Decimal]:
    raw = ctx.params.value(name, on)
    if not isinstance(raw, Mapping) or set(raw) != set(keys):
        raise ValidationError(name, msg("shenyang.invalid.weights", keys=", ".join(keys)))
    out: dict[str, Decimal] = {}
    for k in keys:
        v = raw[k]
        if not isinstance(v, Decimal) or v < 0:
            raise ValidationError(f"{name}.{k}", msg("shenyang.invalid.amount", value=repr(v)))
        out[k] = v
    return out


def period_score(
    worker: Worker, year: int, period: str, ctx: RuleContext
) -> tuple[Decimal | None, list[Reason]]:
    """第二十二条: 40% residents + 40% upper departments + 20% peers, for one assessment."""
    record = assessment_of(worker, year, period)
    label = msg(f"shenyang.period.{period}")
    if record is None:
        return None, [Reason(msg("shenyang.grade.reason.no_record", year=year, period=label))]
    scores = checked_scores(record)
    missing = [c for c in COMPONENTS if c not in scores]
    if missing:
        return None, [
            Reason(
                msg(
                    "shenyang.grade.reason.scores_missing",
                    year=year,
                    period=label,
                    missing=", ".join(missing),
                ),
                cite("第二十二条"),
            )
        ]
    w = weights(ctx, "assessment.weights", period_span(year, period)[1], COMPONENTS)
    score = sum((w[c] * scores[c] for c in COMPONENTS), Decimal(0))
    return score, [
        Reason(
            msg(
                "shenyang.grade.reason.score",
                year=year,
                period=label,
                residents=scores["residents"],
                departments=scores["departments"],
                peers=scores["peers"],
                score=score,
            ),
            cite("第二十二条"),
            {c: scores[c] for c in COMPONENTS} | {"score": score},
        )
    ]


def combined_score(
    worker: Worker, year: int, period: str, ctx: RuleContext
) -> tuple[Decimal | None, list[Reason]]:
    """The year-end proposal is the year's result: both assessments' scores, weighted."""
    score, reasons = period_score(worker, year, period, ctx)
    if period == HALF_YEAR or score is None:
        return score, reasons
    half, half_reasons = period_score(worker, year, HALF_YEAR, ctx)
    if half is None:
        return score, [
            *half_reasons,
            *reasons,
            Reason(msg("shenyang.grade.reason.year_end_only"), cite("第二十二条")),
        ]
    w = weights(ctx, "assessment.period_weights", dt.date(year, 12, 31), (HALF_YEAR, YEAR_END))
    total = w[HALF_YEAR] * half + w[YEAR_END] * score
    return total, [
        *half_reasons,
        *reasons,
        Reason(
            msg("shenyang.grade.reason.combined", half=half, year_end=score, score=total),
            cite("第二十二条"),
            {"half_year": half, "year_end": score, "score": total},
        ),
    ]


def grade_for_score(score: Decimal, ctx: RuleContext, on: dt.date) -> tuple[str, Reason]:
    """Reading (RULES.md): at or above 90 优秀, 70 称职, 60 告诫; below 60 不称职."""
    excellent = ctx.params.decimal("assessment.threshold.excellent", on)
    competent = ctx.params.decimal("assessment.threshold.competent", on)
    warning = ctx.params.decimal("assessment.threshold.warning", on)
    if score >= excellent:
        grade = EXCELLENT
    elif score >= competent:
        grade = COMPETENT
    elif score >= warning:
        grade = WARNING
    else:
        grade = INCOMPETENT
    return grade, Reason(
        msg(
            "shenyang.grade.reason.threshold",
            score=score,
            grade=msg(f"shenyang.grade.{grade}"),
            excellent=excellent,
            competent=competent,
            warning=warning,
        ),
        cite("第二十八条"),
        {"score": score, "excellent": excellent, "competent": competent, "warning": warning},
    )


def _ground(grade: str, key: str, citation: Citation, **inputs: Any) -> tuple[str, Reason]:
    return grade, Reason(msg(f"shenyang.grade.reason.{key}", **inputs), citation, inputs)


def rule_grounds(worker: Worker, year: int, period: str, ctx: RuleContext) -> list[tuple[str, Reason]]:
    """The grounds of 第二十九条3, 第三十条3, 5 and 第三十六条 found in this assessment's records."""
    win = window(worker, year, period, ctx)
    on = win.end
    grounds: list[tuple[str, Reason]] = []
    run, span = longest_run_ending(worker, win.runs_from, win.end, ctx)
    run_inputs: dict[str, Any] = {
        "days": run,
        "first": span[0] if span else "",
        "last": span[1] if span else "",
    }
    inc_run = ctx.params.integer("assessment.incompetent.absence_run", on)
    inc_year = ctx.params.integer("assessment.incompetent.absence_year", on)
    warn_run = ctx.params.integer("assessment.warning.absence_run", on)
    warn_year = ctx.params.integer("assessment.warning.absence_year", on)
    # 第三十条5: 无故连续缺勤十天或一年内累计无故缺勤二十天 ("十天" reached counts: >=).
    if run >= inc_run:
        grounds.append(_ground(INCOMPETENT, "absence_run", cite("第三十条5"), limit=inc_run, **run_inputs))
    elif run >= warn_run:  # 第二十九条3: 无故连续缺勤五天
        grounds.append(_ground(WARNING, "absence_run", cite("第二十九条3"), limit=warn_run, **run_inputs))
    inc_days = win.year_days(inc_year)
    warn_days = win.year_days(warn_year)
    if inc_days >= inc_year:
        grounds.append(_ground(INCOMPETENT, "absence_year", cite("第三十条5"), days=inc_days, limit=inc_year))
    elif warn_days >= warn_year:
        grounds.append(_ground(WARNING, "absence_year", cite("第二十九条3"), days=warn_days, limit=warn_year))
    # 第三十条3: 百家情知晓率低于98% (98 itself is not below).
    record = assessment_of(worker, year, period)
    if record is not None and AWARENESS in checked_scores(record):
        rate = record.scores[AWARENESS]
        minimum = ctx.params.decimal("assessment.awareness_minimum", on)
        if rate < minimum:
            grounds.append(_ground(INCOMPETENT, "awareness", cite("第三十条3"), rate=rate, minimum=minimum))
    # 第三十六条: 培训不合格的按照考核不称职论处.
    for t in worker.trainings:
        if t.passed is False and win.runs_from <= t.start <= win.end:
            grounds.append(
                _ground(
                    INCOMPETENT, "training_failed", cite("第三十六条"), title=t.title or "-", date=t.start
                )
            )
    return grounds


def previous_slot(year: int, period: str) -> tuple[int, str]:
    return (year, HALF_YEAR) if period == YEAR_END else (year - 1, YEAR_END)


def two_year_slots(year: int, period: str) -> list[tuple[int, str]]:
    """The other assessments of the two years (last year and this) that came before this one."""
    slots = [(year - 1, HALF_YEAR), (year - 1, YEAR_END)]
    if period == YEAR_END:
        slots.append((year, HALF_YEAR))
    return slots


def repeat_warning(worker: Worker, year: int, period: str) -> tuple[str, Reason] | None:
    """第三十条6: a second 告诫 — straight after one, or within the four assessments of two years."""
    prev = previous_slot(year, period)
    if grade_of(worker, *prev) == WARNING:
        return _ground(
            INCOMPETENT,
            "warning_in_a_row",
            cite("第三十条6"),
            year=prev[0],
            period=msg(f"shenyang.period.{prev[1]}"),
        )
    earlier = [s for s in two_year_slots(year, period) if grade_of(worker, *s) == WARNING]
    if earlier:
        y, p = earlier[0]
        return _ground(
            INCOMPETENT,
            "warning_twice_in_two_years",
            cite("第三十条6"),
            year=y,
            period=msg(f"shenyang.period.{p}"),
        )
    return None


def grade_of(worker: Worker, year: int, period: str) -> str | None:
    record = assessment_of(worker, year, period)
    return record.grade if record is not None else None


def propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal:
    check_period(period)
    end = period_span(year, period)[1]
    score, reasons = combined_score(worker, year, period, ctx)
    score_grade: str | None = None
    if score is not None:
        score_grade, why = grade_for_score(score, ctx, end)
        reasons.append(why)
    grounds = rule_grounds(worker, year, period, ctx)
    record = assessment_of(worker, year, period)
    panel: str | None = None
    if record is not None and record.panel and record.grade:
        panel = record.grade
        grade_rank(panel)
        reasons.append(
            Reason(
                msg("shenyang.grade.reason.panel", grade=msg(f"shenyang.grade.{panel}")),
                cite("第二十九条4、第三十条"),
                {"panel": panel},
            )
        )
    # The panel's 告诫 / 不称职 is a ground of 第二十九条4 and 第三十条 and wins like the others; its
    # 优秀 / 称职 can lower the score's grade or stand in for a missing score, never raise it.
    base = score_grade
    if panel in (WARNING, INCOMPETENT):
        grounds.append(
            (panel, Reason(msg("shenyang.grade.reason.panel_downgrade"), cite("第二十九条4、第三十条")))
        )
    elif panel is not None:
        base = worse(base, panel)
    grade = base
    for g, why in grounds:
        grade = worse(grade, g)
        reasons.append(why)
    if grade == WARNING:
        repeat = repeat_warning(worker, year, period)
        if repeat is not None:
            grounds.append(repeat)
            grade = INCOMPETENT
            reasons.append(repeat[1])
    forced = grade is not None and bool(grounds) and (base is None or grade_rank(grade) > grade_rank(base))
    if grade is None:
        reasons.append(Reason(msg("shenyang.grade.reason.cannot_propose")))
    elif forced:
        reasons.append(Reason(msg("shenyang.grade.reason.forced", grade=msg(f"shenyang.grade.{grade}"))))
    return GradeProposal(grade=grade, reasons=tuple(reasons), score=score, forced=forced)


def grade_quotas(unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[Quota]:
    """第二十八条: 优秀等级不超过本街道社区工作者总数的20% → floor(N × 20 / 100)."""
    if not unit.startswith("street:"):
        raise ValidationError("unit", msg("shenyang.invalid.quota_unit", unit=unit))
    on = dt.date(year, 12, 31)
    percent = ctx.params.integer("assessment.excellent_quota_percent", on)
    headcount = len(workers)
    limit = quota_limit(headcount, percent)
    return [
        Quota(
            unit=unit,
            grade=str(Grade.EXCELLENT),
            limit=limit,
            headcount=headcount,
            citation=cite("第二十八条"),
            inputs={"headcount": headcount, "percent": percent},
            reasons=(
                Reason(
                    msg("shenyang.quota.reason", headcount=headcount, percent=percent, limit=limit),
                    cite("第二十八条"),
                ),
            ),
        )
    ]
