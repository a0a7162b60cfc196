"""The posts, pay tiers, grades and certificates the Beijing texts name.

第四篇 第五条(一) (last paragraph): "社区党组织书记、社区居委会主任、社区服务站站长，享受正职待遇；
社区党组织副书记、社区居委会副主任、社区服务站副站长，享受副职待遇；其他工作人员，享受一般工作人员
待遇。交叉任职人员，按照'兼职不兼酬、就高不就低'的原则，享受相应待遇。" Haidian's text (第一篇
第五条(一)) names the "others": 社区党组织委员、社区居委会委员 and 服务站一般工作人员.

Posts are either 两委 (elected, 第四条(一): the Party organisation and the residents' committee,
"一届一签") or 服务站 (recruited by open examination, 第四条(二)). A post code from another
city's vocabulary is refused by name rather than paid as "general".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.errors import ValidationError
from core.hookspecs import Vocabulary
from core.i18n import Message, msg
from core.model import CertificateKind, Grade, Post, Worker
from core.rulekit import highest_tier

PRINCIPAL, DEPUTY, GENERAL = "principal", "deputy", "general"
TIER_ORDER = (PRINCIPAL, DEPUTY, GENERAL)  # best first: 就高不就低

POSTS = (
    Vocabulary(Post.PARTY_SECRETARY.value, "社区党组织书记", "Community Party secretary", PRINCIPAL),
    Vocabulary(Post.COMMITTEE_DIRECTOR.value, "社区居委会主任", "Residents' committee director", PRINCIPAL),
    Vocabulary(Post.STATION_HEAD.value, "社区服务站站长", "Service station head", PRINCIPAL),
    Vocabulary(
        Post.PARTY_DEPUTY_SECRETARY.value, "社区党组织副书记", "Community Party deputy secretary", DEPUTY
    ),
    Vocabulary(
        Post.COMMITTEE_DEPUTY_DIRECTOR.value,
        "社区居委会副主任",
        "Residents' committee deputy director",
        DEPUTY,
    ),
    Vocabulary(Post.STATION_DEPUTY_HEAD.value, "社区服务站副站长", "Service station deputy head", DEPUTY),
    Vocabulary(
        Post.COMMITTEE_MEMBER.value,
        "社区党组织委员、社区居委会委员",
        "Party committee or residents' committee member",
        GENERAL,
    ),
    Vocabulary(Post.STAFF.value, "社区服务站一般工作人员", "Service station staff", GENERAL),
)
TIERS = {v.code: v.tier for v in POSTS}

# 两委: elected (选任, 第四条(一)); 服务站: recruited by examination (招录, 第四条(二)).
LIANGWEI_POSTS = frozenset(
    {
        Post.PARTY_SECRETARY.value,
        Post.PARTY_DEPUTY_SECRETARY.value,
        Post.COMMITTEE_DIRECTOR.value,
        Post.COMMITTEE_DEPUTY_DIRECTOR.value,
        Post.COMMITTEE_MEMBER.value,
    }
)
STATION_POSTS = frozenset({Post.STATION_HEAD.value, Post.STATION_DEPUTY_HEAD.value, Post.STAFF.value})

# 第六条(二): 优秀、合格、基本合格、不合格, best first.
GRADES = (
    Vocabulary(Grade.EXCELLENT.value, "优秀", "Excellent"),
    Vocabulary(Grade.QUALIFIED.value, "合格", "Qualified"),
    Vocabulary(Grade.BASIC.value, "基本合格", "Basically qualified"),
    Vocabulary(Grade.UNQUALIFIED.value, "不合格", "Unqualified"),
)
GRADE_CODES = tuple(g.code for g in GRADES)
# 第五条(一)2: "对考核合格及以上等次的工作人员每年增长一次年限补贴"
PASSING = frozenset({Grade.EXCELLENT.value, Grade.QUALIFIED.value})

# 第五条(二): the national social-work certificates; 第六条(六) also accepts the city's own
# 北京市社区专职工作者执业资格证书 (recorded as the `local` kind).
CERTIFICATES = (
    Vocabulary(CertificateKind.ASSISTANT_SOCIAL_WORKER.value, "助理社会工作师", "Assistant social worker"),
    Vocabulary(CertificateKind.SOCIAL_WORKER.value, "社会工作师", "Social worker"),
    Vocabulary(CertificateKind.SENIOR_SOCIAL_WORKER.value, "高级社会工作师", "Senior social worker"),
    Vocabulary(
        CertificateKind.LOCAL.value,
        "北京市社区专职工作者执业资格证书",
        "Beijing community worker practising certificate",
    ),
)


def unknown_posts(posts: Iterable[str]) -> list[str]:
    return sorted({p for p in posts if p not in TIERS})


def check_posts(posts: Iterable[str]) -> tuple[str, ...]:
    held = tuple(posts)
    bad = unknown_posts(held)
    if bad:
        raise ValidationError("posts", msg("beijing.error.unknown_post", post=", ".join(bad)))
    return held


def tier_of(posts: Iterable[str]) -> str | None:
    """兼职不兼酬、就高不就低 (第五条(一)): of several posts held, the highest tier; never a sum."""
    return highest_tier(check_posts(posts), TIERS, TIER_ORDER)


def tier_on(worker: Worker, day: dt.date) -> str | None:
    return tier_of(worker.posts_on(day))


def is_station(posts: Iterable[str]) -> bool:
    return any(p in STATION_POSTS for p in posts)


def is_liangwei(posts: Iterable[str]) -> bool:
    return any(p in LIANGWEI_POSTS for p in posts)


def tier_label(tier: str) -> Message:
    return msg(f"beijing.tier.{tier}")


def posts_label(posts: Iterable[str]) -> Message:
    """The posts' names in the reader's language, joined: 社区党组织书记、社区服务站站长."""
    return join([msg(f"post.{p}") for p in sorted(set(posts))])


def join(items: list[Message]) -> Message:
    """Several messages as one list, rendered with the language's own separator."""
    if not items:
        return msg("beijing.none")
    out = items[-1]
    for item in reversed(items[:-1]):
        out = msg("beijing.join", first=item, rest=out)
    return out


def check_grade(grade: str) -> str:
    if grade not in GRADE_CODES:
        raise ValidationError("grade", msg("beijing.error.unknown_grade", grade=grade))
    return grade
