"""Findings about one Jiulongpo worker: every rule of the text that a date or a record can break.

Probation (第二十六条): a new hire's probation is 1 month; at its end the worker is assessed and
not hired if found unfit. Its start is the probation contract's, else the day the status became
"probation". Secondment (第二十八条): needs the street or town Party (working) committee's consent
and filing with the district; never longer than 6 months. Contract (第二条): a community worker
is someone with a labour contract with the street or town. Grid (第九条): everyone but the Party
secretary is a full-time grid worker. Absences (第二十三条) and training (第二十五、二十七条) live in
their own modules.
"""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import ContractKind, Entry, Post, Status, TrainingKind, Worker
from core.results import Finding, Severity
from core.rulekit import contract_state
from plugins.jiulongpo.common import IN_FORCE, cite, in_service, period_end
from plugins.jiulongpo.dismissal import absence_findings
from plugins.jiulongpo.training import training_findings


def _probation_start(worker: Worker, on: dt.date) -> tuple[dt.date, dt.date | None] | None:
    """(start, recorded end) of the latest probation begun by `on`, from a contract or the status."""
    contracts = [c for c in worker.contracts if c.kind == ContractKind.PROBATION and c.start <= on]
    if contracts:
        latest = max(contracts, key=lambda c: c.start)
        return latest.start, latest.end
    changes = [s for s in worker.statuses if s.status == Status.PROBATION and s.since <= on]
    if changes:
        return max(changes, key=lambda s: s.since).since, None
    return None


def probation_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    months = ctx.params.integer("probation.months", on)
    subject = f"worker:{worker.id}"
    found = _probation_start(worker, on)
    if found is None:
        new_hire = worker.entry == Entry.HIRED and worker.service_start >= IN_FORCE
        if new_hire and on <= period_end(worker.service_start, 12):
            return [
                Finding(
                    "probation_unrecorded",
                    Severity.INFO,
                    msg("jiulongpo.finding.probation_unrecorded", start=worker.service_start, months=months),
                    cite("第二十六条"),
                    subject,
                    inputs={"service_start": worker.service_start},
                )
            ]
        return []
    start, recorded_end = found
    lawful_end = period_end(start, months)
    end = recorded_end or lawful_end
    inputs = {"start": start, "end": end, "lawful_end": lawful_end, "months": months}
    out = []
    if recorded_end is not None and recorded_end > lawful_end:
        out.append(
            Finding(
                "probation_too_long",
                Severity.WARNING,
                msg(
                    "jiulongpo.finding.probation_too_long",
                    start=start,
                    end=recorded_end,
                    lawful_end=lawful_end,
                ),
                cite("第二十六条"),
                subject,
                due=lawful_end,
                inputs=inputs,
            )
        )
    on_probation = worker.status_on(on) == Status.PROBATION or (
        recorded_end is not None and on <= recorded_end
    )
    if not on_probation:
        return out
    if on <= end:
        out.append(
            Finding(
                "probation_ending",
                Severity.INFO,
                msg("jiulongpo.finding.probation_ending", end=end),
                cite("第二十六条"),
                subject,
                due=end,
                inputs=inputs,
            )
        )
    elif worker.status_on(on) == Status.PROBATION:
        out.append(
            Finding(
                "probation_overdue",
                Severity.WARNING,
                msg("jiulongpo.finding.probation_overdue", end=end),
                cite("第二十六条"),
                subject,
                due=end,
                inputs=inputs,
            )
        )
    if not any(t.kind == TrainingKind.INITIAL for t in worker.trainings):
        out.append(
            Finding(
                "induction_training_missing",
                Severity.INFO,
                msg("jiulongpo.finding.induction_training_missing"),
                cite("第二十六条"),
                subject,
                due=end,
            )
        )
    return out


def secondment_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    """第二十八条, for every secondment still running or planned on `on`."""
    months = ctx.params.integer("secondment.max_months", on)
    warn = ctx.params.integer("secondment.warn_days", on)
    subject = f"worker:{worker.id}"
    out = []
    for s in sorted(worker.secondments, key=lambda s: s.start):
        if s.end is not None and s.end < on:
            continue
        limit = period_end(s.start, months)
        inputs = {"start": s.start, "end": s.end, "limit": limit, "to": s.to, "approved": s.approved}
        if not s.approved:
            out.append(
                Finding(
                    "secondment_unapproved",
                    Severity.ERROR,
                    msg("jiulongpo.finding.secondment_unapproved", start=s.start, to=s.to or "-"),
                    cite("第二十八条"),
                    subject,
                    due=s.start,
                    inputs=inputs,
                )
            )
        # "借调时间不得超过6个月": the last allowed day is `limit`.
        if (s.end is not None and s.end > limit) or (s.end is None and on > limit):
            out.append(
                Finding(
                    "secondment_too_long",
                    Severity.ERROR,
                    msg("jiulongpo.finding.secondment_too_long", start=s.start, limit=limit, months=months),
                    cite("第二十八条"),
                    subject,
                    due=limit,
                    inputs=inputs,
                )
            )
        elif s.end is None and s.start <= on and (limit - on).days <= warn:
            out.append(
                Finding(
                    "secondment_limit_near",
                    Severity.WARNING,
                    msg("jiulongpo.finding.secondment_limit_near", limit=limit, days=(limit - on).days),
                    cite("第二十八条"),
                    subject,
                    due=limit,
                    inputs=inputs,
                )
            )
    return out


def contract_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    subject = f"worker:{worker.id}"
    state = contract_state(worker, (ContractKind.LABOUR,), on)
    contract = state.current
    if contract is None:
        if any(c.kind == ContractKind.PROBATION and c.covers(on) for c in worker.contracts):
            return []
        if state.last_ended is not None:
            last = state.last_ended.end
            return [
                Finding(
                    "contract_expired",
                    Severity.ERROR,
                    msg("jiulongpo.finding.contract_expired", end=last),
                    cite("第二条"),
                    subject,
                    due=last,
                    inputs={"end": last},
                )
            ]
        return [
            Finding(
                "contract_missing",
                Severity.WARNING,
                msg("jiulongpo.finding.contract_missing"),
                cite("第二条"),
                subject,
            )
        ]
    left = state.days_left(on)
    if contract.end is None or left is None:
        return []
    warn = ctx.params.integer("contract.warn_days", on)
    if left <= warn and not state.renewed:
        return [
            Finding(
                "contract_expiring",
                Severity.WARNING,
                msg("jiulongpo.finding.contract_expiring", end=contract.end, days=left),
                cite("第二条"),
                subject,
                due=contract.end,
                inputs={"end": contract.end, "days_left": left, "warn_days": warn},
            )
        ]
    return []


def grid_findings(worker: Worker, on: dt.date) -> list[Finding]:
    if Post.PARTY_SECRETARY.value in worker.posts_on(on):
        return []
    return [
        Finding(
            "grid_worker_duty",
            Severity.INFO,
            msg("jiulongpo.finding.grid_worker_duty"),
            cite("第九条"),
            f"worker:{worker.id}",
        )
    ]


def worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding]:
    if not in_service(worker, on):
        return []
    return (
        absence_findings(worker, on, ctx)
        + probation_findings(worker, on, ctx)
        + training_findings(worker, on, ctx)
        + secondment_findings(worker, on, ctx)
        + contract_findings(worker, on, ctx)
        + grid_findings(worker, on)
    )
