"""The posts, tiers and grades of the Jiulongpo text.

第二十条 sets three pay tiers: 书记 and 主任 (principal), 副书记 and 副主任 at 90% (deputy), and "其他
专职干部" at 80% (general) — the other 两委 members, the full-time staff and the 居务监督委员会
members named in 第二十五条. Training (第二十五条) groups posts differently: 书记, 主任 and 监委主任
yearly; other 两委 and 监委 members every three years.
"""

from __future__ import annotations

from core.hookspecs import Vocabulary
from core.model import Grade, Post

PRINCIPAL, DEPUTY, GENERAL = "principal", "deputy", "general"
TIER_ORDER = (PRINCIPAL, DEPUTY, GENERAL)

POSTS = (
    Vocabulary(Post.PARTY_SECRETARY.value, "社区党组织书记", "Community Party secretary", PRINCIPAL),
    Vocabulary(Post.COMMITTEE_DIRECTOR.value, "居民委员会主任", "Residents' committee director", PRINCIPAL),
    Vocabulary(
        Post.PARTY_DEPUTY_SECRETARY.value, "社区党组织副书记", "Community Party deputy secretary", DEPUTY
    ),
    Vocabulary(
        Post.COMMITTEE_DEPUTY_DIRECTOR.value,
        "居民委员会副主任",
        "Residents' committee deputy director",
        DEPUTY,
    ),
    Vocabulary(Post.COMMITTEE_MEMBER.value, "社区“两委”成员", "Member of the two committees", GENERAL),
    Vocabulary(Post.STAFF.value, "社区专职工作人员", "Full-time community staff", GENERAL),
    Vocabulary(
        Post.SUPERVISORY_DIRECTOR.value, "居务监督委员会主任", "Residents' supervisory board chair", GENERAL
    ),
    Vocabulary(
        Post.SUPERVISORY_MEMBER.value, "居务监督委员会成员", "Residents' supervisory board member", GENERAL
    ),
)
TIERS = {v.code: v.tier for v in POSTS}

# 第十三条 / 第十六条: the 两委 are the Party organisation and the residents' committee.
TWO_COMMITTEES = frozenset(
    {
        Post.PARTY_SECRETARY.value,
        Post.PARTY_DEPUTY_SECRETARY.value,
        Post.COMMITTEE_DIRECTOR.value,
        Post.COMMITTEE_DEPUTY_DIRECTOR.value,
        Post.COMMITTEE_MEMBER.value,
    }
)
DEPUTY_POSTS = frozenset(code for code, tier in TIERS.items() if tier == DEPUTY)
# 第二十五条: yearly district course of 5 days or more.
TRAINING_LEADERS = frozenset(
    {Post.PARTY_SECRETARY.value, Post.COMMITTEE_DIRECTOR.value, Post.SUPERVISORY_DIRECTOR.value}
)
# 第二十五条: "社区'两委'其他成员、居务监督委员会成员": a district course of 3 days every 3 years.
TRAINING_MEMBERS = frozenset((TWO_COMMITTEES | {Post.SUPERVISORY_MEMBER.value}) - TRAINING_LEADERS)

# 第三十二条 3: 优秀、合格、基本合格、不合格, best first.
GRADE_ORDER = (Grade.EXCELLENT.value, Grade.QUALIFIED.value, Grade.BASIC.value, Grade.UNQUALIFIED.value)
GRADES = (
    Vocabulary(Grade.EXCELLENT.value, "优秀", "Excellent"),
    Vocabulary(Grade.QUALIFIED.value, "合格", "Qualified"),
    Vocabulary(Grade.BASIC.value, "基本合格", "Basically qualified"),
    Vocabulary(Grade.UNQUALIFIED.value, "不合格", "Unqualified"),
)
