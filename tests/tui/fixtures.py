"""Deterministic registries and jurisdictions for the TUI tests and for looking at the screens.

`build_registry(n, seed)` makes the same communities and workers every time (names, resident IDs
with valid checksums, posts, contracts, records), with the audit trail stamped at a fixed time,
so snapshots do not change from one run to the next. `build_rules` loads the test jurisdiction,
a plugin that fails to load, and a local override; one community names a jurisdiction that is
not loaded at all.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from core.hookspecs import JurisdictionInfo, hookimpl
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import (
    Absence,
    AbsenceKind,
    Assessment,
    Award,
    Certificate,
    CertificateKind,
    Community,
    Contract,
    ContractKind,
    Education,
    Entry,
    Hukou,
    PartyStatus,
    Post,
    PostTerm,
    Sex,
    Status,
    StatusChange,
    Training,
    TrainingKind,
    Worker,
    add_months,
)
from core.params import Override
from core.resident_id import checksum_char
from core.rules import Rules
from tests.tui import testcity_plugin

TODAY = dt.date(2026, 5, 15)
STAMP = "2026-05-01T09:00:00+08:00"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥建华文辉力明永健世"
    "广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天"
    "达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超"
    "浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时"
    "泰盛雄琛钧冠策腾楠榕风航弘"
)
REGIONS = ("110105", "110108", "110101", "110102")
POSTS = (
    Post.PARTY_SECRETARY,
    Post.COMMITTEE_DIRECTOR,
    Post.COMMITTEE_MEMBER,
    Post.STAFF,
    Post.STAFF,
    Post.GRID_WORKER,
    Post.GRID_WORKER,
    Post.PARTY_WORKER,
)
COMMUNITIES = (
    ("tc-001", "幸福里社区", "五马街道", "鹿城区", "testcity"),
    ("tc-002", "南塘社区", "五马街道", "鹿城区", "testcity"),
    ("tc-003", "锦绣花园社区", "南汇街道", "鹿城区", "testcity"),
    ("tc-004", "江滨社区", "南汇街道", "鹿城区", "testcity"),
    ("tc-005", "永中社区", "永中街道", "龙湾区", "testcity"),
    ("nw-001", "远方社区", "远方街道", "远方区", "nowhere"),
)


@contextmanager
def fixed_clock() -> Iterator[None]:
    """Stamp every audit entry at `STAMP` (MemoryRegistry reads the wall clock otherwise)."""
    with mock.patch("core.memory._now", lambda: STAMP):
        yield


def _resident_id(region: str, birth: dt.date, sex: Sex, serial: int, used: set[str]) -> str:
    """A valid, unused number: the sequence code's last digit is odd for men, even for women."""
    for step in range(500):
        seq = ((serial + step) * 2) % 998 + (1 if sex == Sex.MALE else 0)
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = first17 + checksum_char(first17)
        if number not in used:
            used.add(number)
            return number
    raise ValueError(f"no free resident ID for {birth}")


def _worker(rng: random.Random, index: int, community_id: str, used: set[str]) -> Worker:
    sex = Sex.MALE if rng.random() < 0.45 else Sex.FEMALE
    if index % 17 == 3:  # close to retirement: due within the dashboard's three months
        day = 1 + index % 28
        birth = dt.date(1966, 2, day) if sex == Sex.MALE else dt.date(1971, 1, day)
    else:
        birth = dt.date(rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28))
    surname = "欧阳" if index % 41 == 5 else rng.choice(SURNAMES)
    name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    start = max(birth.replace(year=birth.year + 20), dt.date(2005, 1, 1)) + dt.timedelta(
        days=rng.randint(0, 3000)
    )
    start = min(start, TODAY - dt.timedelta(days=30))
    post = POSTS[index % len(POSTS)]
    contract_end = (
        add_months(TODAY, rng.choice((1, 2, 14, 26, 38))) if index % 5 == 0 else add_months(start, 36 * 4)
    )
    statuses: tuple[StatusChange, ...] = ()
    if index % 23 == 7:
        statuses = (StatusChange(Status.RETIRED, TODAY - dt.timedelta(days=200), "到龄退休"),)
    elif index % 29 == 11:
        statuses = (StatusChange(Status.LEFT, TODAY - dt.timedelta(days=90), "个人辞职"),)
    elif index % 13 == 4:
        statuses = (StatusChange(Status.PROBATION, start),)
    certificates: tuple[Certificate, ...] = ()
    if index % 3:
        certificates = (
            Certificate(
                CertificateKind.ASSISTANT_SOCIAL_WORKER if index % 2 else CertificateKind.SOCIAL_WORKER,
                start + dt.timedelta(days=400),
                number=f"ZS{2019000 + index}",
            ),
        )
    absences: tuple[Absence, ...] = ()
    if index % 19 == 2:
        absences = (
            Absence(dt.date(TODAY.year, 3, 2), dt.date(TODAY.year, 3, 5), AbsenceKind.UNEXCUSED, "未请假"),
        )
    return Worker(
        name=name,
        sex=sex,
        birth_date=birth,
        id_number=_resident_id(REGIONS[index % len(REGIONS)], birth, sex, index, used),
        community_id=community_id,
        service_start=start,
        entry=Entry.ELECTED if post in (Post.PARTY_SECRETARY, Post.COMMITTEE_DIRECTOR) else Entry.HIRED,
        education=rng.choice(list(Education)[3:7]),
        phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
        hukou=Hukou("温州市", urban=rng.random() < 0.8),
        party=PartyStatus.MEMBER if rng.random() < 0.4 else PartyStatus.NONE,
        posts=(PostTerm(post, start),),
        contracts=(
            Contract(
                ContractKind.TERM if post == Post.PARTY_SECRETARY else ContractKind.LABOUR,
                start,
                contract_end,
            ),
        ),
        certificates=certificates,
        assessments=tuple(
            Assessment(year, grade=rng.choice(("excellent", "qualified", "qualified", "basically_qualified")))
            for year in (2023, 2024, 2025)
        ),
        trainings=(
            Training(
                dt.date(2025, 4, 8),
                dt.date(2025, 4, 10),
                TrainingKind.IN_SERVICE,
                hours=Decimal(24),
                passed=True,
                title="社区治理能力提升培训",
            ),
        ),
        absences=absences,
        awards=(Award(dt.date(2024, 12, 20), "优秀社区工作者", "区级"),) if index % 7 == 1 else (),
        statuses=statuses,
        note="坏数据" if index == 9 else "",
    )


def build_registry(workers: int = 40, seed: int = 7) -> MemoryRegistry:
    rng = random.Random(seed)
    registry = MemoryRegistry(user="operator")
    with fixed_clock():
        for cid, name, street, district, jurisdiction in COMMUNITIES:
            registry.add_community(Community(cid, name, street, district, "测试市", jurisdiction))
        ids = [c[0] for c in COMMUNITIES]
        used: set[str] = set()
        batch = [_worker(rng, i, ids[i % len(ids)], used) for i in range(workers)]
        registry.add_workers(batch)
    return registry


class _BrokenPlugin:
    """A jurisdiction plugin whose description raises: it must be listed, not crash anything."""

    __name__ = "brokenville"

    @hookimpl
    def shegong_jurisdiction(self) -> JurisdictionInfo:
        raise RuntimeError("params.toml 缺失")


def build_jurisdictions() -> Jurisdictions:
    js = Jurisdictions()
    js.register(testcity_plugin, origin="tests.tui.testcity_plugin")
    js.register(_BrokenPlugin(), name="brokenville")
    js.set_overrides(
        [
            Override(
                "testcity",
                "pay.seniority_per_year",
                "60",
                dt.date(2026, 1, 1),
                "区人社局 2026 年文件",
                "params.toml",
                0,
            )
        ]
    )
    return js


def build_rules(registry: MemoryRegistry) -> Rules:
    return Rules(registry, build_jurisdictions(), today=TODAY)
