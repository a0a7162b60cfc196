"""Appeal deadlines (第四十四、四十五条), as findings from the decisions on a worker's record.

A decision (考核结果, 告诫, 罢免, 解聘 …) may be taken to the street office for review within 10
days; the office answers within 10 days. The review result (recorded as a decision of kind
"review", decided on the day it was received) may be appealed to the civil-affairs department
within 3 days, which answers within one month. Reading: "…日内" counts from the day after the
triggering day (民法典 第二百零一条), so the last day is that day + N; "一个月内" ends on the same
date one month later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Decision, Worker, add_months
from core.results import Finding, Severity
from plugins.shenyang.common import cite
from plugins.shenyang.posts import DECISION_KINDS, DECISION_REVIEW


def _f(
    worker: Worker, code: str, severity: Severity, article: str, due: dt.date | None, **inputs: Any
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


def _kind(d: Decision) -> Any:
    """The decision's label; a kind typed by hand that we do not know is shown as typed."""
    return msg(f"shenyang.decision.{d.kind}") if d.kind in DECISION_KINDS else d.kind or "-"


def appeal_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    lookback = ctx.params.integer("findings.lookback_days", on)
    appeal_days = ctx.params.integer("appeal.days", on)
    answer_days = ctx.params.integer("appeal.answer_days", on)
    further_days = ctx.params.integer("appeal.further_days", on)
    final_months = ctx.params.integer("appeal.final_answer_months", on)
    since = on - dt.timedelta(days=lookback)
    reviews_received = {d.decided_on for d in worker.decisions if d.kind == DECISION_REVIEW}
    out: list[Finding] = []
    for d in sorted(worker.decisions, key=lambda d: d.decided_on):
        if d.decided_on < since or d.decided_on > on:
            continue
        kind = _kind(d)
        if d.kind == DECISION_REVIEW:
            # 第四十五条: 接到复议结果通知书三日内申诉; 民政部门一个月内书面通知复核决定.
            deadline = d.decided_on + dt.timedelta(days=further_days)
            if d.appealed_on is None:
                if on <= deadline:
                    out.append(
                        _f(
                            worker,
                            "further_appeal_open",
                            Severity.INFO,
                            "第四十五条",
                            deadline,
                            received=d.decided_on,
                            days=further_days,
                        )
                    )
                continue
            if d.appealed_on > deadline:
                out.append(
                    _f(
                        worker,
                        "further_appeal_late",
                        Severity.WARNING,
                        "第四十五条",
                        deadline,
                        appealed=d.appealed_on,
                        days=further_days,
                    )
                )
            answer_due = add_months(d.appealed_on, final_months)
            if d.answered_on is None:
                code, sev = (
                    ("final_answer_due", Severity.WARNING)
                    if on <= answer_due
                    else ("final_answer_overdue", Severity.ERROR)
                )
                out.append(
                    _f(
                        worker,
                        code,
                        sev,
                        "第四十五条",
                        answer_due,
                        appealed=d.appealed_on,
                        months=final_months,
                    )
                )
            elif d.answered_on > answer_due:
                out.append(
                    _f(
                        worker,
                        "final_answer_late",
                        Severity.WARNING,
                        "第四十五条",
                        answer_due,
                        answered=d.answered_on,
                        months=final_months,
                    )
                )
            continue
        # 第四十四条: 接到相关决定起十日内申请复议; 街道办事处十日内书面通知复议结果.
        deadline = d.decided_on + dt.timedelta(days=appeal_days)
        if d.appealed_on is None:
            if on <= deadline:
                out.append(
                    _f(
                        worker,
                        "appeal_open",
                        Severity.INFO,
                        "第四十四条",
                        deadline,
                        kind=kind,
                        decided=d.decided_on,
                        days=appeal_days,
                    )
                )
            continue
        if d.appealed_on > deadline:
            out.append(
                _f(
                    worker,
                    "appeal_late",
                    Severity.WARNING,
                    "第四十四条",
                    deadline,
                    kind=kind,
                    appealed=d.appealed_on,
                    days=appeal_days,
                )
            )
        answer_due = d.appealed_on + dt.timedelta(days=answer_days)
        if d.answered_on is None:
            code, sev = (
                ("review_answer_due", Severity.WARNING)
                if on <= answer_due
                else ("review_answer_overdue", Severity.ERROR)
            )
            out.append(
                _f(
                    worker,
                    code,
                    sev,
                    "第四十四条",
                    answer_due,
                    kind=kind,
                    appealed=d.appealed_on,
                    days=answer_days,
                )
            )
            continue
        if d.answered_on > answer_due:
            out.append(
                _f(
                    worker,
                    "review_answer_late",
                    Severity.WARNING,
                    "第四十四条",
                    answer_due,
                    kind=kind,
                    answered=d.answered_on,
                    days=answer_days,
                )
            )
        further = d.answered_on + dt.timedelta(days=further_days)
        if d.answered_on <= on <= further and d.answered_on not in reviews_received:
            out.append(
                _f(
                    worker,
                    "further_appeal_open",
                    Severity.INFO,
                    "第四十五条",
                    further,
                    received=d.answered_on,
                    days=further_days,
                )
            )
    return out
