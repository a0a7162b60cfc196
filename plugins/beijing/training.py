"""Training records: the city's yearly training (第四篇 第六条(三)) and Haidian's yearly exam
(第一篇 第六条(三)1).

"社区工作者每年必须参加区社会建设部门按照北京市要求组织的至少一次培训和考试……不参加培训、考试或考试
成绩不合格的社区工作者当年年度考核不能被评为优秀。" The exam is a training record of kind `exam`:
passed, failed (`passed = false`), or not yet graded (`passed` unset). A retake that passes counts
as passed. Whether a year with no exam record means the worker skipped it is a Reading
(`training.exam.no_record_is_skip`, default yes: the result "计入社区工作者工作档案", so an
exam taken is on file); the same Reading reads a year with no training record as training not
attended. Missing the training, missing the exam or failing it: any one bars 优秀.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from core.hookspecs import RuleContext
from core.model import TrainingKind, Worker

EXAM_RULE = "training.exam.no_record_is_skip"


class ExamStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"  # on file without a result yet
    SKIPPED = "skipped"  # no record, read as not taken
    UNKNOWN = "unknown"  # no record, and the Reading does not read it as skipped


def exam_status(worker: Worker, year: int, ctx: RuleContext) -> ExamStatus:
    exams = [t for t in worker.trainings if t.kind == TrainingKind.EXAM and t.start.year == year]
    if any(t.passed is True for t in exams):
        return ExamStatus.PASSED
    if any(t.passed is False for t in exams):
        return ExamStatus.FAILED
    if exams:
        return ExamStatus.PENDING
    skip = bool(ctx.params.value(EXAM_RULE, dt.date(year, 12, 31)))
    return ExamStatus.SKIPPED if skip else ExamStatus.UNKNOWN


def training_missed(worker: Worker, year: int, ctx: RuleContext) -> bool:
    """No training (the exam aside) on file for `year`, read as not attended under the same
    Reading as a missing exam record: "不参加培训" bars 优秀 as much as a missed or failed exam."""
    if trainings_in(worker, year) > 0:
        return False
    return bool(ctx.params.value(EXAM_RULE, dt.date(year, 12, 31)))


def trainings_in(worker: Worker, year: int) -> int:
    """Trainings (the exam aside) that started in `year`."""
    return sum(1 for t in worker.trainings if t.kind != TrainingKind.EXAM and t.start.year == year)


BARS_EXCELLENT = frozenset({ExamStatus.FAILED, ExamStatus.SKIPPED})
