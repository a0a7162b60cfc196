"""Training minimums (第二十五条, 第二十七条) as findings, due at the end of the year they fall in.

- Every worker: at least one concentrated course a year organised by the district, street or
  town (第二十七条) — a training of level `district` or `street` (a town is street-level).
- 书记, 主任 and 监委主任: a district-level course every year, the course itself 5 days or more.
- Other 两委 members and 监委 members: a district-level course of 3 days or more at least once every
  3 years. Reading: every run of three calendar years in the post must hold one, so the next one is
  due by the end of the third year after the last course, and a new member's first by the end of
  their third calendar year in the post (the year they start counts).

A course's length is its recorded days, or its calendar days when none are recorded. The year in
progress gives an info finding (still time); a past year that fell short gives a warning. Yearly
duties start with 2024, the first whole year in force; the three-year cycle counts 2023, the year
the measures took effect, as its first year at the earliest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Training, TrainingLevel, Worker
from core.results import Finding, Severity
from plugins.jiulongpo.common import IN_FORCE, cite, in_service
from plugins.jiulongpo.posts import TRAINING_LEADERS, TRAINING_MEMBERS

ORGANISERS = frozenset({TrainingLevel.DISTRICT.value, TrainingLevel.STREET.value})


def course_days(t: Training) -> Decimal:
    """The course's length: recorded days, else calendar days (as core.rulekit.training_total)."""
    return t.days if t.days is not None else Decimal((t.end - t.start).days + 1)


def _district_course(t: Training, min_days: int) -> bool:
    return t.level == TrainingLevel.DISTRICT.value and course_days(t) >= min_days  # "不少于": bound included


def yearly_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第二十七条: at least one course a year organised by the district, street or town."""
    need = ctx.params.integer("training.yearly.min_courses", on)
    subject = f"worker:{worker.id}"
    out = []
    this_year = sum(
        1 for t in worker.trainings if t.start.year == on.year and t.level in ORGANISERS and t.start <= on
    )
    if this_year < need:
        out.append(
            Finding(
                "training_yearly_due",
                Severity.INFO,
                msg("jiulongpo.finding.training_yearly_due", year=on.year, count=this_year, need=need),
                cite("第二十七条"),
                subject,
                due=dt.date(on.year, 12, 31),
                inputs={"year": on.year, "courses": this_year, "need": need},
            )
        )
    last = on.year - 1
    if dt.date(last, 1, 1) >= IN_FORCE and in_service(worker, dt.date(last, 12, 31)):
        done = sum(1 for t in worker.trainings if t.start.year == last and t.level in ORGANISERS)
        if done < need:
            out.append(
                Finding(
                    "training_yearly_missed",
                    Severity.WARNING,
                    msg("jiulongpo.finding.training_yearly_missed", year=last, count=done, need=need),
                    cite("第二十七条"),
                    subject,
                    due=dt.date(last, 12, 31),
                    inputs={"year": last, "courses": done, "need": need},
                )
            )
    return out


def leader_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第二十五条: 书记、主任、监委主任 — a district course of 5 days or more every year."""
    days = ctx.params.integer("training.leader.min_days", on)
    subject = f"worker:{worker.id}"
    out = []
    if set(worker.posts_on(on)) & TRAINING_LEADERS and not any(
        t.start.year == on.year and t.start <= on and _district_course(t, days) for t in worker.trainings
    ):
        out.append(
            Finding(
                "training_leader_due",
                Severity.INFO,
                msg("jiulongpo.finding.training_leader_due", year=on.year, days=days),
                cite("第二十五条"),
                subject,
                due=dt.date(on.year, 12, 31),
                inputs={"year": on.year, "min_days": days},
            )
        )
    last_day = dt.date(on.year - 1, 12, 31)
    if (
        dt.date(last_day.year, 1, 1) >= IN_FORCE
        and in_service(worker, last_day)
        and set(worker.posts_on(last_day)) & TRAINING_LEADERS
        and not any(t.start.year == last_day.year and _district_course(t, days) for t in worker.trainings)
    ):
        out.append(
            Finding(
                "training_leader_missed",
                Severity.WARNING,
                msg("jiulongpo.finding.training_leader_missed", year=last_day.year, days=days),
                cite("第二十五条"),
                subject,
                due=last_day,
                inputs={"year": last_day.year, "min_days": days},
            )
        )
    return out


def member_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第二十五条: other 两委 and 监委 members — a district course of 3 days or more every 3 years."""
    held = set(worker.posts_on(on))
    if not held & TRAINING_MEMBERS or held & TRAINING_LEADERS:
        return []  # leaders train every year, which covers the three-year rule
    p = ctx.params
    days = p.integer("training.member.min_days", on)
    cycle = p.integer("training.member.cycle_years", on)
    counted = TRAINING_MEMBERS | TRAINING_LEADERS
    first_year = min(t.start for t in worker.posts if t.post in counted and t.covers(on)).year
    first_year = max(first_year, IN_FORCE.year)  # no cycle runs before the measures took effect
    courses = [t.start.year for t in worker.trainings if t.start <= on and _district_course(t, days)]
    deadline = first_year + cycle - 1
    if courses:
        deadline = max(deadline, max(courses) + cycle)
    inputs = {
        "first_year_in_post": first_year,
        "last_course_year": max(courses, default=None),
        "due_year": deadline,
    }
    due = dt.date(deadline, 12, 31)
    subject = f"worker:{worker.id}"
    if on.year > deadline:
        return [
            Finding(
                "training_cycle_overdue",
                Severity.WARNING,
                msg("jiulongpo.finding.training_cycle_overdue", due=due, cycle=cycle, days=days),
                cite("第二十五条"),
                subject,
                due=due,
                inputs=inputs,
            )
        ]
    if on.year == deadline:
        return [
            Finding(
                "training_cycle_due",
                Severity.INFO,
                msg("jiulongpo.finding.training_cycle_due", due=due, cycle=cycle, days=days),
                cite("第二十五条"),
                subject,
                due=due,
                inputs=inputs,
            )
        ]
    return []


def training_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    return (
        yearly_findings(worker, on, ctx) + leader_findings(worker, on, ctx) + member_findings(worker, on, ctx)
    )
