"""A small jurisdiction for the TUI tests: pay from dated parameters, one parameter left unset
(party secretaries' allowance), findings about certificates, contracts and absences, and a hook
that fails for one worker, so every way a rule can answer or not shows on screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from core.hookspecs import JurisdictionInfo, RuleContext, SourceDocument, Vocabulary, hookimpl
from core.i18n import msg
from core.model import AbsenceKind, Community, Worker, completed_years
from core.results import (
    Citation,
    Consequence,
    Finding,
    GradeProposal,
    Month,
    PayLine,
    Quota,
    Reason,
    Severity,
    StaffingRequirement,
    round_money,
)
from core.rulekit import absence_days, quota_limit, year_span

DOCUMENT = "001_testcity.txt"
HERE = Path(__file__).parent
MIN_WORKERS = 5  # 第九条 (staffing): at least this many workers
HOUSEHOLDS_PER_WORKER = 300  # and one per this many resident households or part of them
# The posts Test City has, named as core names them: the form offers only these.
POSTS = (
    Vocabulary("party_secretary", "社区党组织书记", "Party secretary"),
    Vocabulary("committee_director", "居委会主任", "Residents' committee director"),
    Vocabulary("committee_member", "两委委员", "Committee member"),
    Vocabulary("party_worker", "专职党务工作者", "Full-time party worker"),
    Vocabulary("staff", "专职工作人员", "Full-time staff"),
    Vocabulary("grid_worker", "专职网格员", "Grid worker"),
)
GRADES = (
    Vocabulary("excellent", "优秀", "Excellent"),
    Vocabulary("qualified", "合格", "Qualified"),
    Vocabulary("basically_qualified", "基本合格", "Basically qualified"),
    Vocabulary("unqualified", "不合格", "Unqualified"),
)
SCORE_CUTS = ((Decimal(90), "excellent"), (Decimal(70), "qualified"), (Decimal(60), "basically_qualified"))
EXCELLENT_PERCENT = 20  # 第二十六条: 优秀 at most 20% of a street's assessed workers
ABSENT_DAYS = 3  # 第三十条: 3 or more days of unexcused absence in the year: 不合格


@hookimpl
def shegong_jurisdiction() -> JurisdictionInfo:
    return JurisdictionInfo(
        key="testcity",
        zh="测试市",
        en="Test City",
        documents=(
            SourceDocument(
                DOCUMENT, "测试市社区工作者管理办法", "Test City community worker measures", ("第三章",)
            ),
        ),
        parameter_file=HERE / "testcity_params.toml",
        posts=POSTS,
        grades=GRADES,
        catalog_dir=HERE / "testcity_locale",
    )


@hookimpl
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine] | None:
    day = month.first_day
    base = ctx.params.get("pay.base", day)
    years = completed_years(worker.service_start, day)
    per_year = ctx.params.get("pay.seniority_per_year", day)
    lines = [
        PayLine(
            "base",
            msg("pay.base"),
            round_money(base.value),
            Citation(DOCUMENT, base.citation.article if base.citation else "第十条"),
            {"month": str(month)},
        ),
        PayLine(
            "seniority",
            msg("pay.seniority"),
            round_money(per_year.value * years),
            Citation(DOCUMENT, "第十一条"),
            {"years": years, "per_year": per_year.value},
            (Reason(msg("pay.seniority_reason", years=years), Citation(DOCUMENT, "第十一条")),),
        ),
    ]
    if "party_secretary" in worker.posts_on(day):
        allowance = ctx.params.decimal("pay.secretary_allowance", day)  # unset: MissingParameter
        lines.append(PayLine("secretary", msg("pay.secretary"), allowance, Citation(DOCUMENT, "第十二条")))
    return lines


@hookimpl
def shegong_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding] | None:
    if worker.note == "坏数据":
        raise KeyError("certificate")  # a plugin bug: core reports it, the screens must survive it
    out: list[Finding] = []
    subject = f"worker:{worker.id}"
    if not worker.certificates:
        out.append(
            Finding(
                "no_certificate",
                Severity.WARNING,
                msg("finding.no_certificate"),
                Citation(DOCUMENT, "第八条"),
                subject,
            )
        )
    contract = worker.contract_on(on)
    if contract is not None and contract.end is not None and (contract.end - on).days <= 90:
        out.append(
            Finding(
                "contract_ends",
                Severity.INFO,
                msg("finding.contract_ends", date=contract.end.isoformat()),
                Citation(DOCUMENT, "第十五条"),
                subject,
                due=contract.end,
            )
        )
    unexcused = sum(
        a.days for a in worker.absences if a.kind == AbsenceKind.UNEXCUSED and a.start.year == on.year
    )
    if unexcused >= 3:
        out.append(
            Finding(
                "absent",
                Severity.ERROR,
                msg("finding.absent", days=unexcused),
                Citation(DOCUMENT, "第三十条"),
                subject,
                inputs={"days": unexcused},
            )
        )
    return out


@hookimpl
def shegong_community_findings(
    community: Community, workers: list[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding] | None:
    return []


@hookimpl
def shegong_staffing(
    community: Community, workers: Sequence[Worker], ctx: RuleContext
) -> StaffingRequirement:
    """第九条 (test text): at least 5 workers and one per 300 resident households or part of 300,
    up to 3 more than that; one party secretary and at least 2 grid workers among them."""
    by_households = -(-community.households_resident // HOUSEHOLDS_PER_WORKER)
    minimum = max(MIN_WORKERS, by_households)
    article = Citation(DOCUMENT, "第九条")
    return StaffingRequirement(
        community.id,
        minimum,
        minimum + 3,
        article,
        by_type={"party_secretary": (1, 1), "grid_worker": (2, None)},
        inputs={"households_resident": community.households_resident},
        reasons=(Reason(msg("staffing.households", households=community.households_resident), article),),
    )


@hookimpl
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal | None:
    """第二十五条: the grade follows the recorded total score (90, 70, 60); with no score the
    worker is 合格 unless the panel decides otherwise. 第三十条: unexcused absence of 3 days or
    more in the year makes it 不合格 whatever the score (a forced grade)."""
    start, end = year_span(year)
    days = absence_days(worker, AbsenceKind.UNEXCUSED, start, end)
    if days >= ABSENT_DAYS:
        why = Reason(msg("assessment.absent", days=days), Citation(DOCUMENT, "第三十条"), {"days": days})
        return GradeProposal("unqualified", (why,), forced=True)
    record = next((a for a in worker.assessments if a.year == year and a.period == period), None)
    score = record.scores.get("total") if record is not None else None
    if score is None:
        return GradeProposal(
            "qualified", (Reason(msg("assessment.no_score"), Citation(DOCUMENT, "第二十五条")),)
        )
    grade = next((g for cut, g in SCORE_CUTS if score >= cut), "unqualified")
    why = Reason(
        msg("assessment.by_score", score=score, grade=msg(f"grade.{grade}")),
        Citation(DOCUMENT, "第二十五条"),
        {"score": score},
    )
    return GradeProposal(grade, (why,), score=score)


@hookimpl
def shegong_grade_quotas(unit: str, workers: list[Worker], year: int, ctx: RuleContext) -> list[Quota] | None:
    """第二十六条: 优秀 at most 20% of the street's assessed workers, floor(M × 20 / 100)."""
    limit = quota_limit(len(workers), EXCELLENT_PERCENT)
    return [Quota(unit, "excellent", limit, len(workers), Citation(DOCUMENT, "第二十六条"))]


@hookimpl
def shegong_grade_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence] | None:
    """第二十七条: a year-end 优秀 brings the yearly reward; 不合格 ends the contract at its term."""
    if period != "year_end":
        return []
    cite = Citation(DOCUMENT, "第二十七条")
    if grade == "excellent":
        return [Consequence("reward", msg("consequence.reward", year=year), cite)]
    if grade == "unqualified":
        return [Consequence("not_renewed", msg("consequence.not_renewed", year=year), cite)]
    return []
