"""Everything an operator should act on for one Shenyang worker, each with its article.

Covered: the certificate (第十条3) and other conditions (第十条), probation (第五条), the term
(第三条, 第四十六条6、7), training hours and failures (第三十五、三十六条), unexcused absence near
or over the 告诫 / 不称职 lines (第二十九、三十条) and deemed resignation (第四十三条), low
satisfaction and 不称职 leading to recall or dismissal (第三十三、三十八、三十九条), warning
periods (第二十九条), appeal deadlines (第四十四、四十五条) and retirement (第四十六条8).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.absence import working_absence_days, years_of_record
from core.hookspecs import RuleContext
from core.i18n import Message, msg
from core.model import IN_SERVICE, AbsenceKind, Assessment, Contract, ContractKind, Status, Worker, add_months
from core.results import Finding, Severity
from core.rulekit import training_total
from plugins.shenyang.appeals import appeal_findings
from plugins.shenyang.common import cite
from plugins.shenyang.eligibility import education_ok, has_certificate, hukou_ok
from plugins.shenyang.exit import deemed_resigned
from plugins.shenyang.grading import INCOMPETENT, SATISFACTION, WARNING, assessment_of, checked_scores
from plugins.shenyang.posts import (
    DECISION_DISMISSAL,
    DECISION_RECALL,
    DECISION_WARNING,
    DECISION_WARNING_FAILED,
    DECISION_WARNING_PASSED,
    ELECTED,
    PARTY,
    STAFF,
    unknown_posts,
    worker_types,
)
from plugins.shenyang.records import PERIODS, longest_run_ending, period_span
from plugins.shenyang.retirement import retirement

DAY = dt.timedelta(days=1)


def _f(
    worker: Worker, code: str, severity: Severity, article: str, due: dt.date | None = None, **inputs: Any
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=msg(f"shenyang.finding.{code}", due=due or "-", **inputs),
        citation=cite(article),
        subject=f"worker:{worker.id}",
        due=due,
        inputs=inputs,
    )


def exit_route(kinds: set[str]) -> Message | None:
    """第三十八条 recall for elected members, 第三十九条 dismissal for officers; party: 第四十条."""
    if ELECTED in kinds:
        return msg("shenyang.route.recall")
    if STAFF in kinds:
        return msg("shenyang.route.dismissal")
    return None


def certificate_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    from_year = ctx.params.integer("certificate.required_from_year", on)
    if has_certificate(worker, on, national_counts=True) is not None:
        return []
    deadline = dt.date(from_year, 1, 1)
    if on >= deadline:
        return [_f(worker, "certificate_missing", Severity.ERROR, "第十条3", deadline, year=from_year)]
    return [_f(worker, "certificate_needed", Severity.WARNING, "第十条3", deadline, year=from_year)]


def condition_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    out = []
    ok, _ = education_ok(worker, ctx, on)
    if not ok:
        out.append(
            _f(
                worker,
                "education_below_condition",
                Severity.WARNING,
                "第十条2",
                education=msg(f"shenyang.education.{worker.education}"),
            )
        )
    if worker.hukou is None:
        out.append(_f(worker, "hukou_unrecorded", Severity.INFO, "第十条4"))
    else:
        ok, _ = hukou_ok(worker, ctx, on)
        if not ok:
            out.append(_f(worker, "hukou_condition", Severity.WARNING, "第十条4", city=worker.hukou.city))
    return out


def _probation_start(worker: Worker, on: dt.date, contract: Contract | None) -> dt.date:
    if contract is not None:
        return contract.start
    changes = [s.since for s in worker.statuses if s.status == Status.PROBATION and s.since <= on]
    return max(changes) if changes else worker.service_start


def probation_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> tuple[bool, list[Finding]]:
    """第五条: 试用期为三个月; 试用期满考核合格的履行正式聘用手续."""
    contracts = [c for c in worker.contracts if c.kind == ContractKind.PROBATION and c.start <= on]
    covering = [c for c in contracts if c.covers(on)]
    on_probation = worker.status_on(on) == Status.PROBATION or bool(covering)
    if not on_probation:
        return False, []
    contract = max(covering or contracts, key=lambda c: c.start) if (covering or contracts) else None
    start = _probation_start(worker, on, contract)
    months = ctx.params.integer("probation.months", on)
    limit_end = add_months(start, months) - DAY
    out = []
    due = limit_end
    if contract is not None and contract.end is not None:
        if contract.end > limit_end:
            out.append(
                _f(
                    worker,
                    "probation_too_long",
                    Severity.WARNING,
                    "第五条",
                    limit_end,
                    end=contract.end,
                    months=months,
                )
            )
        due = min(contract.end, limit_end)
    warn = ctx.params.integer("findings.probation_warn_days", on)
    if on > due:
        out.append(_f(worker, "probation_overdue", Severity.ERROR, "第五条", due, start=start, end=due))
    elif on >= due - dt.timedelta(days=warn):
        out.append(_f(worker, "probation_ending", Severity.WARNING, "第五条", due, start=start, end=due))
    return True, out


def term_findings(worker: Worker, on: dt.date, ctx: RuleContext, on_probation: bool) -> list[Finding]:
    """第三条 每届任期三年; 第五条 聘期与居委会成员任期相同; 第四十六条6、7 未当选 / 未续聘 → 关系解除.

    A term takes the length in force on the day it starts: 城市居民委员会组织法 (2018-12-29 修正)
    第八条 made it five years, so `term.years` is 5 from that day and a term begun earlier keeps 3."""
    terms = [c for c in worker.contracts if c.kind != ContractKind.PROBATION and c.start <= on]
    if not terms:
        return [] if on_probation else [_f(worker, "term_unrecorded", Severity.INFO, "第三条、第五条")]
    current = max(terms, key=lambda c: c.start)
    years = ctx.params.integer("term.years", current.start)
    limit_end = add_months(current.start, 12 * years) - DAY
    out = []
    if current.end is not None and current.end > limit_end:
        out.append(
            _f(
                worker,
                "term_too_long",
                Severity.WARNING,
                "第三条、第五条",
                limit_end,
                start=current.start,
                end=current.end,
                years=years,
            )
        )
    end = current.end if current.end is not None else limit_end
    warn = ctx.params.integer("findings.term_warn_days", on)
    derived = current.end is None
    note = msg("shenyang.finding.note.derived_end", years=years) if derived else ""
    if on > end:
        out.append(
            _f(
                worker,
                "term_expired",
                Severity.ERROR,
                "第四十六条6、7",
                end,
                end=end,
                derived=derived,
                years=years,
                note=note,
            )
        )
    elif on >= end - dt.timedelta(days=warn):
        out.append(
            _f(
                worker,
                "term_ending",
                Severity.WARNING,
                "第三条、第四十六条6、7",
                end,
                end=end,
                derived=derived,
                years=years,
                note=note,
            )
        )
    return out


def training_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第三十五条 每年至少40课时; 第三十六条 培训不合格的按照考核不称职论处."""
    out = []
    minimum = ctx.params.decimal("training.min_hours", on)
    last = on.year - 1
    # A year counts only when the worker served all of it: the text gives no pro rata for joiners.
    if worker.service_start <= dt.date(last, 1, 1) and worker.status_on(dt.date(last, 12, 31)) in IN_SERVICE:
        hours = training_total(worker, last, "hours")
        if hours < minimum:
            out.append(
                _f(
                    worker,
                    "training_short",
                    Severity.WARNING,
                    "第三十五条",
                    None,
                    year=last,
                    hours=hours,
                    minimum=minimum,
                )
            )
    year_end = dt.date(on.year, 12, 31)
    warn = ctx.params.integer("findings.training_warn_days", on)
    if worker.service_start <= dt.date(on.year, 1, 1) and on >= year_end - dt.timedelta(days=warn):
        hours = training_total(worker, on.year, "hours")
        if hours < minimum:
            out.append(
                _f(
                    worker,
                    "training_behind",
                    Severity.WARNING,
                    "第三十五条",
                    year_end,
                    year=on.year,
                    hours=hours,
                    minimum=minimum,
                )
            )
    unrecorded = [
        t for t in worker.trainings if t.start.year in (last, on.year) and t.start <= on and t.hours is None
    ]
    if unrecorded:
        out.append(
            _f(
                worker,
                "training_hours_unrecorded",
                Severity.INFO,
                "第三十五条、第三十六条",
                None,
                count=len(unrecorded),
            )
        )
    for t in worker.trainings:
        if t.passed is False and t.start.year >= last and t.start <= on:
            out.append(
                _f(
                    worker,
                    "training_failed",
                    Severity.ERROR,
                    "第三十六条",
                    None,
                    title=t.title or "-",
                    date=t.start,
                )
            )
    return out


def absence_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """Unexcused absence against the lines of 第二十九条3 and 第三十条5, and 第四十三条.

    Working days (records.py). This year is counted up to the day, with a note when it nears the
    告诫 line; a line crossed in an earlier year stays reported with its year (the registry has no
    way yet to mark a finding resolved), its runs at full length by the year of their last day."""
    out = []
    for year in years_of_record(worker, AbsenceKind.UNEXCUSED, on):
        out += _absence_year(worker, year, on, ctx)
    resigned = deemed_resigned(worker, on, ctx)
    if resigned is not None:
        days, last = resigned
        limit = ctx.params.integer("exit.deemed_resigned_days", on)
        out.append(_f(worker, "deemed_resigned", Severity.ERROR, "第四十三条", last, days=days, limit=limit))
    return out


def _absence_year(worker: Worker, year: int, on: dt.date, ctx: RuleContext) -> list[Finding]:
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), on)
    total = working_absence_days(worker, AbsenceKind.UNEXCUSED, start, end, ctx.params.calendar)
    run, _ = longest_run_ending(worker, start, end, ctx, known_on=on)
    inc_run = ctx.params.integer("assessment.incompetent.absence_run", on)
    inc_year = ctx.params.integer("assessment.incompetent.absence_year", on)
    warn_run = ctx.params.integer("assessment.warning.absence_run", on)
    warn_year = ctx.params.integer("assessment.warning.absence_year", on)
    near = ctx.params.integer("findings.absence_near_days", on)
    facts = {"run": run, "total": total, "year": year}
    if run >= inc_run or total >= inc_year:
        return [
            _f(
                worker,
                "absence_incompetent_line",
                Severity.ERROR,
                "第三十条5",
                None,
                run_limit=inc_run,
                year_limit=inc_year,
                **facts,
            )
        ]
    if run >= warn_run or total >= warn_year:
        return [
            _f(
                worker,
                "absence_warning_line",
                Severity.WARNING,
                "第二十九条3",
                None,
                run_limit=warn_run,
                year_limit=warn_year,
                **facts,
            )
        ]
    if year == on.year and total >= warn_year - near:
        return [
            _f(
                worker,
                "absence_near_warning_line",
                Severity.INFO,
                "第二十九条3",
                None,
                year_limit=warn_year,
                **facts,
            )
        ]
    return []


def _recent_assessments(worker: Worker, on: dt.date) -> list[tuple[int, str, Assessment]]:
    """Last year's and this year's assessments whose period has ended by `on`, oldest first."""
    out = []
    for year in (on.year - 1, on.year):
        for period in PERIODS:
            record = assessment_of(worker, year, period)
            if record is not None and period_span(year, period)[1] < on:
                out.append((year, period, record))
    return out


def grade_findings(worker: Worker, on: dt.date, ctx: RuleContext, kinds: set[str]) -> list[Finding]:
    out = []
    route = exit_route(kinds)
    recent = _recent_assessments(worker, on)
    # 第三十八条4 / 第三十九条: 居民满意率低于60% → 建议罢免 (专职干事: 解聘); the latest rate counts.
    rated = [s for s in recent if SATISFACTION in checked_scores(s[2])]
    if rated and route is not None:
        year, period, record = rated[-1]
        rate = record.scores[SATISFACTION]
        minimum = ctx.params.decimal("exit.satisfaction_minimum", on)
        if rate < minimum:
            out.append(
                _f(
                    worker,
                    "low_satisfaction",
                    Severity.ERROR,
                    "第三十八条4、第三十九条",
                    None,
                    rate=rate,
                    minimum=minimum,
                    year=year,
                    period=msg(f"shenyang.period.{period}"),
                    route=route,
                )
            )
    # 第三十三条: 被确定为不称职等次的人员，按规定予以罢免、解聘 (unless already done).
    acted = [d.decided_on for d in worker.decisions if d.kind in (DECISION_RECALL, DECISION_DISMISSAL)]
    incompetent = [s for s in recent if s[2].grade == INCOMPETENT]
    failed = [
        d.decided_on for d in worker.decisions if d.kind == DECISION_WARNING_FAILED and d.decided_on <= on
    ]
    if route is not None:
        if incompetent:
            year, period, _ = incompetent[-1]
            when = period_span(year, period)[1]
            if not any(a >= when for a in acted):
                out.append(
                    _f(
                        worker,
                        "incompetent_exit",
                        Severity.ERROR,
                        "第三十三条",
                        None,
                        year=year,
                        period=msg(f"shenyang.period.{period}"),
                        route=route,
                    )
                )
        elif failed and not any(a >= max(failed) for a in acted):
            out.append(
                _f(
                    worker,
                    "warning_failed_exit",
                    Severity.ERROR,
                    "第二十九条、第三十三条",
                    None,
                    date=max(failed),
                    route=route,
                )
            )
    return out


def warning_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第二十九条: 告诫期为三个月，告诫期满考核合格的定为称职，不合格的定为不称职."""
    out = []
    months = ctx.params.integer("assessment.warning_months", on)
    warn = ctx.params.integer("findings.warning_period_warn_days", on)
    lookback = ctx.params.integer("findings.lookback_days", on)
    outcomes = [
        d.decided_on for d in worker.decisions if d.kind in (DECISION_WARNING_PASSED, DECISION_WARNING_FAILED)
    ]
    warnings = [d for d in worker.decisions if d.kind == DECISION_WARNING and d.decided_on <= on]
    for d in warnings:
        due = add_months(d.decided_on, months)
        if any(o >= d.decided_on for o in outcomes) or due < on - dt.timedelta(days=lookback):
            continue
        if on >= due:
            out.append(
                _f(
                    worker,
                    "warning_period_over",
                    Severity.ERROR,
                    "第二十九条",
                    due,
                    decided=d.decided_on,
                    months=months,
                )
            )
        elif on >= due - dt.timedelta(days=warn):
            out.append(
                _f(
                    worker,
                    "warning_period_ending",
                    Severity.WARNING,
                    "第二十九条",
                    due,
                    decided=d.decided_on,
                    months=months,
                )
            )
        else:
            out.append(
                _f(
                    worker,
                    "warning_period_running",
                    Severity.INFO,
                    "第二十九条",
                    due,
                    decided=d.decided_on,
                    months=months,
                )
            )
    for year, period, record in _recent_assessments(worker, on):
        if record.grade != WARNING:
            continue
        start = period_span(year, period)[0]
        if not any(d.decided_on >= start for d in warnings):
            out.append(
                _f(
                    worker,
                    "warning_unrecorded",
                    Severity.INFO,
                    "第二十九条",
                    None,
                    year=year,
                    period=msg(f"shenyang.period.{period}"),
                )
            )
    return out


def retirement_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第四十六条8: 在职期间到达法定退休年龄 → 与社区的关系自行解除."""
    r = retirement(worker, ctx)
    warn = ctx.params.integer("findings.retirement_warn_days", on)
    if on >= r.date:
        return [
            _f(
                worker,
                "retirement_reached",
                Severity.ERROR,
                "第四十六条8",
                r.date,
                date=r.date,
                years=r.age_years,
                months=r.age_months,
            )
        ]
    if (r.date - on).days <= warn:
        return [
            _f(
                worker,
                "retirement_due",
                Severity.WARNING,
                "第四十六条8",
                r.date,
                date=r.date,
                years=r.age_years,
                months=r.age_months,
            )
        ]
    return []


def worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    # A decision may be appealed after the worker has left (a dismissal above all).
    out = appeal_findings(worker, on, ctx)
    if on < worker.service_start or worker.status_on(on) not in IN_SERVICE:
        return out
    for post in unknown_posts(worker):
        out.append(_f(worker, "unknown_post", Severity.ERROR, "第二条", None, post=post))
    kinds = worker_types(worker, on)
    out += certificate_findings(worker, on, ctx)
    out += condition_findings(worker, on, ctx)
    on_probation, found = probation_findings(worker, on, ctx)
    out += found
    if kinds != {PARTY}:  # 第二十条: party workers' posts follow the organisation department
        out += term_findings(worker, on, ctx, on_probation)
    if kinds & {ELECTED, STAFF}:  # 第三十五条 names 居委会专职成员和专职干事
        out += training_findings(worker, on, ctx)
    out += absence_findings(worker, on, ctx)
    out += grade_findings(worker, on, ctx, kinds)
    out += warning_findings(worker, on, ctx)
    out += retirement_findings(worker, on, ctx)
    return out
