"""The posts and grades DB22/T 3226-2021 names (clauses 4, 5, 6 and 9.3).

The Party organisation (4.2.1) has a secretary (5.1), a full-time deputy secretary (5.2) and
members (5.3), 5 to 7 in all; a community Party committee (党委) may add 3 to 6 part-time members
who do not take up those places. The residents' committee (4.3.1) has a director, deputy
directors, members and part-time members; 4.3.2 sets 5 to 9 members with one director and one or
two deputies. 专职党建社工岗 (5.4) and 普通社工岗 (6.4) are full-time posts outside both bodies;
the 党群服务中心主任 (6.5), 居务监督委员会主任 (6.6) and 网格长 (6.7) are roles a worker holds
besides a post ("可兼任"). Part-time members are not 城市社区工作者 (3.2 counts full-time members
only), so they do not fill a 社工岗.
"""

from __future__ import annotations

from core.hookspecs import Vocabulary
from core.model import Grade, Post

PARTY_COMMITTEE_MEMBER = "party_committee_member"  # 社区党组织委员 (5.3)
PARTY_PART_TIME_MEMBER = "party_part_time_member"  # 社区党委兼职委员 (4.2.1)
COMMITTEE_PART_TIME_MEMBER = "committee_part_time_member"  # 社区居民委员会兼职委员 (4.3.1 d)
SERVICE_CENTRE_DIRECTOR = "service_centre_director"  # 社区党群服务中心主任 (6.5)
GRID_LEADER = "grid_leader"  # 社区网格长 (6.7)

POSTS = (
    Vocabulary(Post.PARTY_SECRETARY.value, "社区党组织书记", "Community Party secretary"),
    Vocabulary(Post.PARTY_DEPUTY_SECRETARY.value, "社区党组织专职副书记", "Full-time Party deputy secretary"),
    Vocabulary(PARTY_COMMITTEE_MEMBER, "社区党组织委员", "Community Party organisation member"),
    Vocabulary(
        PARTY_PART_TIME_MEMBER, "社区党委兼职委员", "Part-time member of the community Party committee"
    ),
    Vocabulary(Post.PARTY_WORKER.value, "专职党建社工岗", "Full-time Party-building community worker"),
    Vocabulary(Post.COMMITTEE_DIRECTOR.value, "社区居民委员会主任", "Residents' committee director"),
    Vocabulary(
        Post.COMMITTEE_DEPUTY_DIRECTOR.value, "社区居民委员会副主任", "Residents' committee deputy director"
    ),
    Vocabulary(Post.COMMITTEE_MEMBER.value, "社区居民委员会委员", "Residents' committee member"),
    Vocabulary(COMMITTEE_PART_TIME_MEMBER, "社区居民委员会兼职委员", "Part-time residents' committee member"),
    Vocabulary(Post.STAFF.value, "社区普通社工岗", "Community worker"),
    Vocabulary(SERVICE_CENTRE_DIRECTOR, "社区党群服务中心主任", "Party-and-public service centre director"),
    Vocabulary(Post.SUPERVISORY_DIRECTOR.value, "居务监督委员会主任", "Residents' supervisory board chair"),
    Vocabulary(GRID_LEADER, "社区网格长", "Grid leader"),
)

PARTY_ORGANISATION = frozenset(
    {Post.PARTY_SECRETARY.value, Post.PARTY_DEPUTY_SECRETARY.value, PARTY_COMMITTEE_MEMBER}
)
RESIDENTS_COMMITTEE_FULL_TIME = frozenset(
    {Post.COMMITTEE_DIRECTOR.value, Post.COMMITTEE_DEPUTY_DIRECTOR.value, Post.COMMITTEE_MEMBER.value}
)
PART_TIME = frozenset({PARTY_PART_TIME_MEMBER, COMMITTEE_PART_TIME_MEMBER})

# 9.3: 优秀、合格、基本合格和不合格四个等次, best first.
GRADE_ORDER = (Grade.EXCELLENT.value, Grade.QUALIFIED.value, Grade.BASIC.value, Grade.UNQUALIFIED.value)
GRADES = (
    Vocabulary(Grade.EXCELLENT.value, "优秀", "Excellent"),
    Vocabulary(Grade.QUALIFIED.value, "合格", "Qualified"),
    Vocabulary(Grade.BASIC.value, "基本合格", "Basically qualified"),
    Vocabulary(Grade.UNQUALIFIED.value, "不合格", "Unqualified"),
)
