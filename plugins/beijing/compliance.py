"""Findings about one Beijing worker on a given day.

City-wide (第四篇):
- Posts: a post the texts do not name stops pay: say so; in service with no post: say so.
- Service agreement (第六条(一)): 两委 members sign one per term ("一届一签"), 服务站 staff for the
  term the district sets (`agreement.station.years`; Haidian 3 years, 第一篇 第六条(一)1). Missing,
  expired, or ending within `agreement.warn_days` with no renewal on file; a 服务站 agreement of
  another length is noted when the district's term is set.
- Retirement (第五条(四)): reached, or within `retirement.warn_days`; an elected worker past the
  statutory date serving to the end of the term is noted.
- Training (第六条(三)): "区(县)组织社区工作者每年参加一次集中培训" — a worker in service the whole
  of last year with no training on file.
- Certificates (第六条(六)): workers without one "应鼓励他们……取得": information.
- Working week (第六条(五), at least 40 hours): the registry records no hours, so nothing is said.

Haidian adds (第一篇): the certificate deadline — in post before 2009 without a national
certificate, due by the end of 2013 (第六条(六)); the yearly exam (第六条(三)1); 不合格 two years
running ends the agreement (第六条(一)2(7)); a 服务站 agreement's renewal weighs the yearly
assessment (第六条(一)1).
"""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import ContractKind, Grade, Worker
from core.results import Citation, Finding, Severity
from core.rulekit import contract_state, usual_term
from plugins.beijing.common import city, haidian, in_service, text_list
from plugins.beijing.posts import is_liangwei, is_station, unknown_posts
from plugins.beijing.retirement import retirement
from plugins.beijing.training import ExamStatus, exam_status, trainings_in

AGREEMENT_KINDS = (ContractKind.TERM, ContractKind.SERVICE_AGREEMENT, ContractKind.LABOUR)


def worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    if not in_service(worker, on):
        return []
    subject = f"worker:{worker.id}"
    return [
        *common_findings(worker, on, ctx, subject, renewal_on_grade=False),
        *city_certificate_findings(worker, on, ctx, subject),
    ]


def haidian_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    if not in_service(worker, on):
        return []
    subject = f"worker:{worker.id}"
    return [
        *common_findings(worker, on, ctx, subject, renewal_on_grade=True),
        *haidian_certificate_findings(worker, on, ctx, subject),
        *exam_findings(worker, on, ctx, subject),
        *unqualified_findings(worker, on, ctx, subject),
    ]


def common_findings(
    worker: Worker, on: dt.date, ctx: RuleContext, subject: str, *, renewal_on_grade: bool
) -> list[Finding]:
    return [
        *post_findings(worker, on, subject),
        *agreement_findings(worker, on, ctx, subject, renewal_on_grade=renewal_on_grade),
        *retirement_findings(worker, on, ctx, subject),
        *training_findings(worker, on, ctx, subject),
    ]


def post_findings(worker: Worker, on: dt.date, subject: str) -> list[Finding]:
    held = worker.posts_on(on)
    bad = unknown_posts(held)
    if bad:
        return [
            Finding(
                "unknown_post",
                Severity.ERROR,
                msg("beijing.error.unknown_post", post=", ".join(bad)),
                city("第五条(一)"),
                subject,
                inputs={"posts": bad},
            )
        ]
    if not held:
        return [
            Finding("no_post", Severity.WARNING, msg("beijing.finding.no_post"), city("第五条(一)"), subject)
        ]
    return []


def agreement_findings(
    worker: Worker, on: dt.date, ctx: RuleContext, subject: str, *, renewal_on_grade: bool
) -> list[Finding]:
    state = contract_state(worker, AGREEMENT_KINDS, on)
    cite = city("第六条(一)")
    contract = state.current
    if contract is None:
        last = state.last_ended
        if last is not None:
            return [
                Finding(
                    "agreement_expired",
                    Severity.ERROR,
                    msg("beijing.finding.agreement_expired", end=last.end),
                    cite,
                    subject,
                    due=last.end,
                    inputs={"kind": str(last.kind), "end": last.end},
                )
            ]
        return [
            Finding(
                "agreement_missing", Severity.WARNING, msg("beijing.finding.agreement_missing"), cite, subject
            )
        ]
    held = worker.posts_on(on)
    out = []
    station = is_station(held) and not is_liangwei(held)
    if (
        contract.kind == ContractKind.SERVICE_AGREEMENT
        and station
        and ctx.params.is_set("agreement.station.years", on)
    ):
        years = ctx.params.integer("agreement.station.years", on)
        if not usual_term(contract, 12 * years):
            spec = ctx.params.get("agreement.station.years", on)
            out.append(
                Finding(
                    "agreement_term_unusual",
                    Severity.INFO,
                    msg(
                        "beijing.finding.agreement_term",
                        start=contract.start,
                        end=contract.end or "-",
                        years=years,
                    ),
                    spec.citation or cite,
                    subject,
                    inputs={"start": contract.start, "end": contract.end, "term_years": years},
                )
            )
    left = state.days_left(on)
    if contract.end is None or left is None:
        return out
    warn = ctx.params.integer("agreement.warn_days", on)
    if state.renewed or left > warn:
        return out
    facts = {"kind": str(contract.kind), "end": contract.end, "days_left": left, "warn_days": warn}
    if contract.kind == ContractKind.TERM:
        message = msg("beijing.finding.term_ending", end=contract.end, days=left)
    elif renewal_on_grade and station:
        latest = _latest_grade(worker, on)
        grade = msg(f"grade.{latest[1]}") if latest else msg("beijing.finding.no_grade_yet")
        message = msg(
            "beijing.haidian.finding.agreement_renewal",
            end=contract.end,
            days=left,
            year=latest[0] if latest else "-",
            grade=grade,
        )
        cite = haidian("第六条(一)1")
        facts["latest_grade"] = latest[1] if latest else None
    else:
        message = msg("beijing.finding.agreement_expiring", end=contract.end, days=left)
    out.append(
        Finding(
            "agreement_expiring", Severity.WARNING, message, cite, subject, due=contract.end, inputs=facts
        )
    )
    return out


def _latest_grade(worker: Worker, on: dt.date) -> tuple[int, str] | None:
    graded = sorted(
        (a.year, a.grade)
        for a in worker.assessments
        if a.period == "year_end" and a.grade and a.year <= on.year
    )
    return graded[-1] if graded else None


def retirement_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    if worker.reemployed_retiree:
        return []  # already retired: 第五条(三) re-employs them on a living allowance
    result = retirement(worker, ctx)
    warn = ctx.params.integer("retirement.warn_days", on)
    facts = {"date": result.date, "age": f"{result.age_years}y{result.age_months}m"}
    statutory = result.inputs.get("statutory_date")
    out = []
    if isinstance(statutory, dt.date) and statutory <= on < result.date:
        out.append(
            Finding(
                "serving_to_term_end",
                Severity.INFO,
                msg("beijing.finding.serving_to_term_end", statutory=statutory, end=result.date),
                city("第五条(四)"),
                subject,
                due=result.date,
                inputs={**facts, "statutory_date": statutory},
            )
        )
    if result.date <= on:
        out.append(
            Finding(
                "retirement_reached",
                Severity.ERROR,
                msg("beijing.finding.retirement_reached", date=result.date),
                city("第五条(四)"),
                subject,
                due=result.date,
                inputs=facts,
            )
        )
    elif (result.date - on).days <= warn:
        out.append(
            Finding(
                "retirement_near",
                Severity.WARNING,
                msg("beijing.finding.retirement_near", date=result.date, days=(result.date - on).days),
                city("第五条(四)"),
                subject,
                due=result.date,
                inputs=facts,
            )
        )
    return out


def training_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    year = on.year - 1
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if worker.service_start > first or not in_service(worker, last):
        return []
    minimum = ctx.params.integer("training.yearly_minimum", last)
    count = trainings_in(worker, year)
    if count >= minimum:
        return []
    return [
        Finding(
            "training_missing",
            Severity.WARNING,
            msg("beijing.finding.training_missing", year=year, count=count, minimum=minimum),
            city("第六条(三)"),
            subject,
            inputs={"year": year, "trainings": count, "minimum": minimum},
        )
    ]


def _holds_certificate(worker: Worker, on: dt.date, ctx: RuleContext) -> tuple[bool, list[str]]:
    accepted = text_list(ctx, "certificates.accepted", on)
    return any(c.kind in accepted and c.registered <= on for c in worker.certificates), accepted


def city_certificate_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    held, accepted = _holds_certificate(worker, on, ctx)
    if held:
        return []
    return [
        Finding(
            "certificate_encouraged",
            Severity.INFO,
            msg("beijing.finding.certificate_encouraged"),
            city("第六条(六)"),
            subject,
            inputs={"accepted": accepted},
        )
    ]


def haidian_certificate_findings(
    worker: Worker, on: dt.date, ctx: RuleContext, subject: str
) -> list[Finding]:
    """第一篇 第六条(六): "已在社区工作者岗位工作未取得职业水平证书……应自2009年起五年内取得"."""
    held, accepted = _holds_certificate(worker, on, ctx)
    if held:
        return []
    from_year = ctx.params.integer("certificate.deadline.from_year", on)
    years = ctx.params.integer("certificate.deadline.years", on)
    deadline = dt.date(from_year + years - 1, 12, 31)
    facts = {"accepted": accepted, "service_start": worker.service_start, "deadline": deadline}
    cite = haidian("第六条(六)")
    if worker.service_start < dt.date(from_year, 1, 1):
        if on > deadline:
            return [
                Finding(
                    "certificate_overdue",
                    Severity.WARNING,
                    msg("beijing.haidian.finding.certificate_overdue", deadline=deadline),
                    cite,
                    subject,
                    due=deadline,
                    inputs=facts,
                )
            ]
        return [
            Finding(
                "certificate_due",
                Severity.WARNING,
                msg("beijing.haidian.finding.certificate_due", deadline=deadline),
                cite,
                subject,
                due=deadline,
                inputs=facts,
            )
        ]
    return [
        Finding(
            "certificate_expected",
            Severity.INFO,
            msg("beijing.haidian.finding.certificate_expected"),
            cite,
            subject,
            inputs=facts,
        )
    ]


def exam_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    status = exam_status(worker, on.year, ctx)
    cite: Citation = haidian("第六条(三)1")
    facts = {"year": on.year, "exam": str(status)}
    if status == ExamStatus.FAILED:
        return [
            Finding(
                "exam_failed",
                Severity.WARNING,
                msg("beijing.haidian.finding.exam_failed", year=on.year),
                cite,
                subject,
                inputs=facts,
            )
        ]
    if status in (ExamStatus.SKIPPED, ExamStatus.UNKNOWN):
        return [
            Finding(
                "exam_not_recorded",
                Severity.INFO,
                msg("beijing.haidian.finding.exam_not_recorded", year=on.year),
                cite,
                subject,
                due=dt.date(on.year, 12, 31),
                inputs=facts,
            )
        ]
    return []


def unqualified_findings(worker: Worker, on: dt.date, ctx: RuleContext, subject: str) -> list[Finding]:
    needed = ctx.params.integer("exit.unqualified_years", on)
    graded = sorted(
        a.year for a in worker.assessments if a.period == "year_end" and a.grade and a.year <= on.year
    )
    if not graded:
        return []
    last = graded[-1]
    span = list(range(last - needed + 1, last + 1))
    if all(worker.grade_for(y) == Grade.UNQUALIFIED for y in span):
        return [
            Finding(
                "agreement_end_unqualified",
                Severity.ERROR,
                msg("beijing.haidian.consequence.agreement_ended", years=needed, first=span[0], last=last),
                haidian("第六条(一)2(7)"),
                subject,
                inputs={"years": span},
            )
        ]
    return []
