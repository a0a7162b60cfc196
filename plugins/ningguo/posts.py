"""The posts, types, grades and certificates the Ningguo text names.

第1条 has two worker types: 社区两委成员 (the Party committee and residents' committee members,
elected or appointed, 第2条) and 社区后备干部 (reserve cadres, hired by examination). The text speaks
of 两委正职 (the heads: Party secretary and committee director, 第6条) and 一般两委委员 (第15条), so
两委 posts carry a tier: "principal", "deputy" or "general". Reserve cadres are the "reserve" tier.

The city's post quotas (第4条) are per type, stored in `Community.post_quotas` under the type codes
below ("liangwei", "reserve_cadre"); a street's reallocation, where recorded, sits beside them
under "<type>.allocated".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.errors import ValidationError
from core.hookspecs import Vocabulary
from core.i18n import Message, msg
from core.model import CertificateKind, Grade, Post, Worker

LIANGWEI = "liangwei"  # 社区两委成员
RESERVE = Post.RESERVE_CADRE.value  # 社区后备干部
TYPES = (LIANGWEI, RESERVE)
ALLOCATED = ".allocated"

PRINCIPAL, DEPUTY, GENERAL, RESERVE_TIER = "principal", "deputy", "general", "reserve"
TIER_ORDER = (PRINCIPAL, DEPUTY, GENERAL, RESERVE_TIER)  # best first: 就高 when posts overlap
LIANGWEI_TIERS = (PRINCIPAL, DEPUTY, GENERAL)

POSTS = (
    Vocabulary(Post.PARTY_SECRETARY.value, "社区党组织书记", "Community Party secretary", PRINCIPAL),
    Vocabulary(Post.COMMITTEE_DIRECTOR.value, "社区居委会主任", "Residents' committee director", PRINCIPAL),
    Vocabulary(
        Post.PARTY_DEPUTY_SECRETARY.value, "社区党组织副书记", "Community Party deputy secretary", DEPUTY
    ),
    Vocabulary(
        Post.COMMITTEE_DEPUTY_DIRECTOR.value,
        "社区居委会副主任",
        "Residents' committee deputy director",
        DEPUTY,
    ),
    Vocabulary(Post.COMMITTEE_MEMBER.value, "社区两委委员", "Community committee member", GENERAL),
    Vocabulary(RESERVE, "社区后备干部", "Community reserve cadre", RESERVE_TIER),
)
TIERS = {v.code: v.tier for v in POSTS}

# 第12条: 优秀、合格、基本合格、不合格, best first.
GRADES = (
    Vocabulary(Grade.EXCELLENT.value, "优秀", "Excellent"),
    Vocabulary(Grade.QUALIFIED.value, "合格", "Qualified"),
    Vocabulary(Grade.BASIC.value, "基本合格", "Basically qualified"),
    Vocabulary(Grade.UNQUALIFIED.value, "不合格", "Unqualified"),
)
GRADE_CODES = tuple(g.code for g in GRADES)
PASSING = frozenset({Grade.EXCELLENT.value, Grade.QUALIFIED.value})  # "合格等次以上" (第15条)

# 第3条: 持有国家社会工作者证书的优先录用 — the national social-work certificates.
CERTIFICATES = (
    Vocabulary(CertificateKind.ASSISTANT_SOCIAL_WORKER.value, "助理社会工作师", "Assistant social worker"),
    Vocabulary(CertificateKind.SOCIAL_WORKER.value, "社会工作师", "Social worker"),
    Vocabulary(CertificateKind.SENIOR_SOCIAL_WORKER.value, "高级社会工作师", "Senior social worker"),
)
CERTIFICATE_CODES = frozenset(c.code for c in CERTIFICATES)


def post_type(code: str) -> str | None:
    """ "liangwei" or "reserve_cadre" for a known post, None for a post the text does not name."""
    tier = TIERS.get(code)
    if tier is None:
        return None
    return RESERVE if tier == RESERVE_TIER else LIANGWEI


def unknown_posts(posts: Iterable[str]) -> list[str]:
    return sorted({p for p in posts if p not in TIERS})


def tier_on(worker: Worker, day: dt.date) -> str | None:
    """The highest tier the worker holds on `day`; an unknown post is refused by name."""
    held = worker.posts_on(day)
    bad = unknown_posts(held)
    if bad:
        raise ValidationError("posts", msg("ningguo.error.unknown_post", post=", ".join(bad)))
    tiers = {TIERS[p] for p in held}
    return next((t for t in TIER_ORDER if t in tiers), None)


def type_on(worker: Worker, day: dt.date) -> str | None:
    """The worker's type on `day`: a 两委 post wins over a reserve post held beside it."""
    tier = tier_on(worker, day)
    if tier is None:
        return None
    return RESERVE if tier == RESERVE_TIER else LIANGWEI


def is_principal(worker: Worker, day: dt.date) -> bool:
    return any(TIERS.get(p) == PRINCIPAL for p in worker.posts_on(day))


def type_label(code: str) -> Message:
    return msg(f"ningguo.type.{code}")


def tier_label(code: str) -> Message:
    return msg(f"ningguo.tier.{code}")


def check_grade(grade: str) -> str:
    if grade not in GRADE_CODES:
        raise ValidationError("grade", msg("ningguo.error.unknown_grade", grade=grade))
    return grade
