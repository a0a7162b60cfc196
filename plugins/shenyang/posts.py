"""Shenyang's vocabularies: posts and the three worker types, grades, certificates, decisions.

第二条 names three kinds of community worker, and several rules depend on the kind (probation is
for 专职干事, recall for elected members, party workers follow the organisation department). The
kind is read from the posts a worker holds, so a cross-appointed worker can be of two kinds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.errors import ValidationError
from core.hookspecs import Vocabulary
from core.i18n import msg
from core.model import CertificateKind, Entry, Grade, Post, Worker

# 第二条: the three kinds of community worker.
ELECTED = "elected"  # 依法选举产生的社区居民委员会专职成员 (第二条1)
STAFF = "staff"  # 通过招聘的社区专职干事 (第二条2)
PARTY = "party"  # 专职党务工作者 (第二条3)
WORKER_TYPES = (ELECTED, STAFF, PARTY)

POSTS: tuple[Vocabulary, ...] = (
    Vocabulary(Post.COMMITTEE_DIRECTOR, "社区居民委员会主任", "Residents' committee director"),
    Vocabulary(
        Post.COMMITTEE_DEPUTY_DIRECTOR, "社区居民委员会副主任", "Residents' committee deputy director"
    ),
    Vocabulary(Post.COMMITTEE_MEMBER, "社区居民委员会专职委员", "Residents' committee full-time member"),
    Vocabulary(Post.STAFF, "社区专职干事", "Community full-time officer"),
    Vocabulary(Post.PARTY_SECRETARY, "社区党组织书记", "Community party secretary"),
    Vocabulary(Post.PARTY_DEPUTY_SECRETARY, "社区党组织副书记", "Community party deputy secretary"),
    Vocabulary(Post.PARTY_WORKER, "专职党务工作者", "Full-time party worker"),
)
POST_CODES = frozenset(str(p.code) for p in POSTS)

POST_TYPES: dict[str, str] = {
    Post.COMMITTEE_DIRECTOR: ELECTED,
    Post.COMMITTEE_DEPUTY_DIRECTOR: ELECTED,
    Post.COMMITTEE_MEMBER: ELECTED,
    Post.STAFF: STAFF,
    Post.PARTY_SECRETARY: PARTY,
    Post.PARTY_DEPUTY_SECRETARY: PARTY,
    Post.PARTY_WORKER: PARTY,
}

# 第二十八条: best to worst.
GRADES: tuple[Vocabulary, ...] = (
    Vocabulary(Grade.EXCELLENT, "优秀", "Excellent"),
    Vocabulary(Grade.COMPETENT, "称职", "Competent"),
    Vocabulary(Grade.WARNING, "告诫", "Warning"),
    Vocabulary(Grade.INCOMPETENT, "不称职", "Incompetent"),
)
GRADE_ORDER: tuple[str, ...] = tuple(str(g.code) for g in GRADES)
COMPETENT_OR_BETTER = frozenset({str(Grade.EXCELLENT), str(Grade.COMPETENT)})

# 第十条3 (the Shenyang certificate; 社会工作职称 from 2014 too) and 第十四条 (title extras).
CERTIFICATES: tuple[Vocabulary, ...] = (
    Vocabulary(
        CertificateKind.LOCAL,
        "社区工作者职业资格证书(沈阳市民政局、沈阳大学社区学院颁发)",
        "Shenyang community-worker certificate",
    ),
    Vocabulary(CertificateKind.ASSISTANT_SOCIAL_WORKER, "助理社会工作师", "Assistant social worker"),
    Vocabulary(CertificateKind.SOCIAL_WORKER, "社会工作师", "Social worker"),
    Vocabulary(CertificateKind.SENIOR_SOCIAL_WORKER, "高级社会工作师", "Senior social worker"),
)
NATIONAL_TITLES = frozenset(
    {
        str(CertificateKind.ASSISTANT_SOCIAL_WORKER),
        str(CertificateKind.SOCIAL_WORKER),
        str(CertificateKind.SENIOR_SOCIAL_WORKER),
    }
)

# Decision kinds an operator records in `Worker.decisions` (第二十九条, 第三十三条, 第四十四、四十五条).
DECISION_WARNING = "warning"  # 告诫: opens the three-month warning period
DECISION_WARNING_PASSED = "warning_passed"  # 告诫期满考核合格 → 称职
DECISION_WARNING_FAILED = "warning_failed"  # 告诫期满考核不合格 → 不称职
DECISION_RECALL = "recall"  # 罢免
DECISION_DISMISSAL = "dismissal"  # 解聘
DECISION_ASSESSMENT = "assessment"  # 考核结果
DECISION_REVIEW = "review"  # 街道办事处的复议结果: may be appealed further (申诉) to 民政部门
DECISION_KINDS = (
    DECISION_WARNING,
    DECISION_WARNING_PASSED,
    DECISION_WARNING_FAILED,
    DECISION_RECALL,
    DECISION_DISMISSAL,
    DECISION_ASSESSMENT,
    DECISION_REVIEW,
)


def grade_rank(grade: str) -> int:
    """0 for 优秀 … 3 for 不称职; a grade from another jurisdiction is refused by name."""
    try:
        return GRADE_ORDER.index(grade)
    except ValueError:
        raise ValidationError(
            "grade", msg("shenyang.invalid.grade", value=grade, allowed=" / ".join(GRADE_ORDER))
        ) from None


def worse(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if grade_rank(a) >= grade_rank(b) else b


def check_post(post: str, field: str = "posts") -> str:
    if post not in POST_CODES:
        raise ValidationError(
            field, msg("shenyang.invalid.post", value=post, allowed=" / ".join(sorted(POST_CODES)))
        )
    return post


def unknown_posts(worker: Worker) -> list[str]:
    return sorted({p.post for p in worker.posts if p.post not in POST_CODES})


def types_of_posts(posts: Iterable[str]) -> set[str]:
    return {POST_TYPES[p] for p in posts if p in POST_TYPES}


def worker_types(worker: Worker, day: dt.date) -> set[str]:
    """The kinds of worker this person is on `day`, from the posts held then.

    A worker with no post recorded that day falls back to how they came in (elected → 居委会专职
    成员, hired → 专职干事), so a half-filled record still gets the right exit route.
    """
    found = types_of_posts(worker.posts_on(day))
    if found:
        return found
    return {ELECTED} if worker.entry == Entry.ELECTED else {STAFF}


def ever_held(worker: Worker, post: str, before: dt.date) -> bool:
    return any(p.post == post and p.start < before for p in worker.posts)
