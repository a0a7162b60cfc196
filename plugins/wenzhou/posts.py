"""The posts and certificates the Wenzhou text names; it gives no pay tiers and no grades.

第十九条 counts 专职社区工作者 per community and, separately, 协警 per 500 new residents; the
协管员 that departments place in communities join the team for management and training but are
not part of the full-time count. So `AUXILIARY` posts are left out of the full-time headcount.
"""

from __future__ import annotations

from core.hookspecs import Vocabulary
from core.i18n import Message, msg
from core.model import CertificateKind, Post

COORDINATOR = "coordinator"  # 各部门配备的社区各类协管员 (第十九条 第二款)

POSTS = (
    Vocabulary(Post.PARTY_SECRETARY.value, "社区党组织书记", "Community Party secretary"),
    Vocabulary(Post.COMMITTEE_DIRECTOR.value, "社区居委会主任", "Residents' committee director"),
    Vocabulary(
        Post.COMMITTEE_DEPUTY_DIRECTOR.value, "社区居委会副主任", "Residents' committee deputy director"
    ),
    Vocabulary(Post.COMMITTEE_MEMBER.value, "社区居委会委员", "Residents' committee member"),
    Vocabulary(Post.STAFF.value, "社区专职工作者", "Full-time community worker"),
    Vocabulary(COORDINATOR, "社区协管员", "Community assistant placed by a department"),
    Vocabulary(Post.POLICE_ASSISTANT.value, "社区协警", "Community police assistant"),
)
POST_CODES = frozenset(v.code for v in POSTS)
AUXILIARY = frozenset({COORDINATOR, Post.POLICE_ASSISTANT.value})

# 第十九条: 积极推行社会工作者职业水平评价制度 — the national social-work certificates.
CERTIFICATES = (
    Vocabulary(CertificateKind.ASSISTANT_SOCIAL_WORKER.value, "助理社会工作师", "Assistant social worker"),
    Vocabulary(CertificateKind.SOCIAL_WORKER.value, "社会工作师", "Social worker"),
    Vocabulary(CertificateKind.SENIOR_SOCIAL_WORKER.value, "高级社会工作师", "Senior social worker"),
)


def post_label(code: str) -> Message:
    """A post's name in the operator's language; core's catalog names all but 协管员."""
    return msg("wenzhou.post.coordinator") if code == COORDINATOR else msg(f"post.{code}")
