"""A realistic demo registry: communities in every jurisdiction and a few hundred workers with
years of posts, contracts, certificates, assessments, trainings and absences.

Testers and new operators need data that exercises every rule (people near retirement, contracts
ending soon, cross-appointments, reserve cadres, a few poor grades) without touching real people.
Everything is drawn from `random.Random` seeded per area, so one seed gives the same registry, and
an area whose plugin is missing is skipped without shifting the others. Resident ID numbers carry
the region code in force in the birth year (python-stdnum checks it) and a valid checksum.

The demo also fills the parameters the plugins ship unset (district tables, average wages, …) with
plausible values marked as demo values, in the registry's `params.toml`. To cover a new plugin,
add a `DemoArea` to `AREAS` and its unset parameters to `DEMO_PARAMS`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from core.errors import ShegongError, ValidationError
from core.i18n import msg
from core.model import (
    Absence,
    AbsenceKind,
    Assessment,
    Award,
    Certificate,
    CertificateKind,
    Community,
    CommunityKind,
    Contract,
    ContractKind,
    Decision,
    Education,
    Entry,
    Grade,
    Hukou,
    PartyStatus,
    Period,
    Post,
    PostTerm,
    Secondment,
    Sex,
    Status,
    StatusChange,
    Training,
    TrainingKind,
    TrainingLevel,
    Worker,
    add_months,
    trusted_load,
)
from core.registry_config import config_of
from core.resident_id import check_resident_id, checksum_char
from core.retirement import national_retirement
from core.storage.files import FILE_MODE, refuse_link, write_private

if TYPE_CHECKING:
    from core.jurisdictions import Jurisdictions
    from core.repository import Repository
    from core.rules import Rules

DEFAULT_SEED = 20261125
DEMO_NOTE = "演示数据 / demo value"
PARAMS_SINCE = dt.date(2010, 1, 1)


# --- where the demo communities are ------------------------------------------------------------


@attrs.frozen
class DemoCommunity:
    id: str
    name: str
    street: str


@attrs.frozen
class DemoArea:
    """One jurisdiction's demo communities and how its workers are typically employed."""

    jurisdiction: str
    city: str
    district: str
    # Resident ID region codes, most recent first: the first one in force in a birth year is used.
    region_codes: tuple[str, ...]
    communities: tuple[DemoCommunity, ...]
    extra_posts: tuple[str, ...]  # posts after the secretary and director, most senior first
    hired_contract: ContractKind = ContractKind.LABOUR
    hired_years: int = 3
    term_years: int = 5  # an elected member's term of office
    probation_months: int = 0
    score_components: tuple[str, ...] = ()  # scores recorded with each assessment
    hukou_others: tuple[str, ...] = ()  # where workers not registered locally come from
    # post types a city computes quotas for (`Community.post_quotas`), with the posts each covers
    post_quotas: tuple[tuple[str, tuple[str, ...]], ...] = ()
    share: float = 1.0  # workers per community relative to other areas
    health_check_years: int = 0  # 0: not recorded
    # Elected 两委 members keep their employment contract (Wenzhou, Ningguo, Jiulongpo sign labour
    # contracts with every community worker); elsewhere the term of office is the agreement.
    elected_keep_contract: bool = False
    election_years: tuple[int, ...] = (2006, 2011, 2016, 2021, 2026)  # 两委 换届, every 5 years


AREAS: tuple[DemoArea, ...] = (
    DemoArea(
        jurisdiction="beijing",
        city="北京市",
        district="通州区",
        region_codes=("110112", "110223", "110203"),
        communities=(
            DemoCommunity("bj-tz-001", "玉桥北里社区", "玉桥街道"),
            DemoCommunity("bj-tz-002", "玉桥南里社区", "玉桥街道"),
            DemoCommunity("bj-tz-003", "北苑南路社区", "北苑街道"),
        ),
        extra_posts=(
            Post.STATION_HEAD,
            Post.PARTY_DEPUTY_SECRETARY,
            Post.COMMITTEE_DEPUTY_DIRECTOR,
            Post.STATION_DEPUTY_HEAD,
            Post.COMMITTEE_MEMBER,
        ),
        hired_contract=ContractKind.SERVICE_AGREEMENT,
        hukou_others=("北京市",),
    ),
    DemoArea(
        jurisdiction="beijing.haidian",
        city="北京市",
        district="海淀区",
        region_codes=("110108",),
        communities=(
            DemoCommunity("bj-hd-001", "科育社区", "中关村街道"),
            DemoCommunity("bj-hd-002", "黄庄社区", "中关村街道"),
            DemoCommunity("bj-hd-003", "二里庄社区", "学院路街道"),
            DemoCommunity("bj-hd-004", "林大社区", "学院路街道"),
        ),
        extra_posts=(
            Post.STATION_HEAD,
            Post.PARTY_DEPUTY_SECRETARY,
            Post.COMMITTEE_DEPUTY_DIRECTOR,
            Post.STATION_DEPUTY_HEAD,
            Post.COMMITTEE_MEMBER,
        ),
        hired_contract=ContractKind.SERVICE_AGREEMENT,
        hukou_others=("北京市",),
    ),
    DemoArea(
        jurisdiction="shenyang",
        city="沈阳市",
        district="沈河区",
        region_codes=("210103", "210120"),
        communities=(
            DemoCommunity("sy-sh-001", "富民社区", "五里河街道"),
            DemoCommunity("sy-sh-002", "五里河社区", "五里河街道"),
            DemoCommunity("sy-sh-003", "南塔社区", "南塔街道"),
        ),
        extra_posts=(
            Post.PARTY_DEPUTY_SECRETARY,
            Post.COMMITTEE_DEPUTY_DIRECTOR,
            Post.COMMITTEE_MEMBER,
            Post.PARTY_WORKER,
            Post.COMMITTEE_MEMBER,
        ),
        hired_years=3,
        term_years=3,
        election_years=(2009, 2012, 2015, 2018, 2021, 2024),  # 000 第五篇 第三条: 3-year terms
        probation_months=3,
        score_components=("residents", "departments", "peers"),
        hukou_others=("铁岭市", "抚顺市"),
    ),
    DemoArea(
        jurisdiction="wenzhou",
        city="温州市",
        district="鹿城区",
        region_codes=("330302", "330320"),
        communities=(
            DemoCommunity("wz-lc-001", "五马社区", "五马街道"),
            DemoCommunity("wz-lc-002", "仓桥社区", "五马街道"),
            DemoCommunity("wz-lc-003", "南浦社区", "南汇街道"),
        ),
        extra_posts=(Post.COMMITTEE_DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER, Post.POLICE_ASSISTANT),
        hired_years=1,  # 一年一聘 (001 第十九条)
        elected_keep_contract=True,
        hukou_others=("丽水市", "瑞安市", "乐清市"),
    ),
    DemoArea(
        jurisdiction="ningguo",
        city="宣城市",
        district="宁国市",
        region_codes=("341881", "342502", "342524"),
        communities=(
            DemoCommunity("ng-hlx-001", "津北社区", "河沥溪街道"),
            DemoCommunity("ng-hlx-002", "东城社区", "河沥溪街道"),
            DemoCommunity("ng-hlx-003", "宁阳社区", "河沥溪街道"),
        ),
        extra_posts=(
            Post.PARTY_DEPUTY_SECRETARY,
            Post.COMMITTEE_DEPUTY_DIRECTOR,
            Post.RESERVE_CADRE,
            Post.COMMITTEE_MEMBER,
            Post.RESERVE_CADRE,
            Post.COMMITTEE_MEMBER,
        ),
        hired_years=5,  # 003 (13): 劳动合同，一般 5 年
        elected_keep_contract=True,
        hukou_others=("宣城市",),
        post_quotas=(  # 003 (4): 两委 and reserve posts, the keys the ningguo plugin reads
            (
                "liangwei",
                (
                    Post.PARTY_SECRETARY,
                    Post.COMMITTEE_DIRECTOR,
                    Post.PARTY_DEPUTY_SECRETARY,
                    Post.COMMITTEE_DEPUTY_DIRECTOR,
                    Post.COMMITTEE_MEMBER,
                ),
            ),
            ("reserve_cadre", (Post.RESERVE_CADRE,)),
        ),
        share=0.45,  # 两委 of 5-9 and a few reserve cadres: smaller teams than elsewhere
        health_check_years=2,
    ),
    DemoArea(
        jurisdiction="jiulongpo",
        city="重庆市",
        district="九龙坡区",
        region_codes=("500107", "510213", "510220"),
        communities=(
            DemoCommunity("jlp-yjp-001", "西郊三村社区", "杨家坪街道"),
            DemoCommunity("jlp-yjp-002", "直港大道社区", "杨家坪街道"),
            DemoCommunity("jlp-xjw-001", "劳动三村社区", "谢家湾街道"),
            DemoCommunity("jlp-xjw-002", "鹅公岩社区", "谢家湾街道"),
        ),
        extra_posts=(
            Post.PARTY_DEPUTY_SECRETARY,
            Post.COMMITTEE_DEPUTY_DIRECTOR,
            Post.SUPERVISORY_DIRECTOR,
            Post.COMMITTEE_MEMBER,
            Post.GRID_WORKER,
        ),
        probation_months=1,  # 004 第二十六条
        elected_keep_contract=True,
        hukou_others=("璧山区", "江津区"),
    ),
)


# --- parameters the documents leave to a district or a year ---------------------------------------

_SHENYANG_DISTRICT: dict[str, Any] = {
    "year_step": "20",
    "year_cap": 30,
    "posts": {
        "party_secretary": "3200",
        "committee_director": "3200",
        "party_deputy_secretary": "2800",
        "committee_deputy_director": "2800",
        "committee_member": "2500",
        "party_worker": "2400",
        "staff": "2300",
    },
    "performance": {
        "excellent": "300",
        "competent": "200",
        "warning": "0",
        "incompetent": "0",
        "ungraded": "200",
    },
    "certificate": {"assistant_social_worker": "100", "social_worker": "200"},
}


def _reward(excellent: str, qualified: str, basic: str, ungraded: str) -> dict[str, str]:
    return {
        "excellent": excellent,
        "qualified": qualified,
        "basically_qualified": basic,
        "unqualified": "0",
        "ungraded": ungraded,
    }


# (jurisdiction, parameter) → a plausible value in the shape the plugin's params.toml describes.
DEMO_PARAMS: dict[tuple[str, str], Any] = {
    ("beijing", "service.origin.eight_districts.month"): 6,
    ("beijing", "service.origin.other_districts.month"): 6,
    ("beijing", "agreement.station.years"): 3,
    ("shenyang", "pay.district_table"): {"沈河区": _SHENYANG_DISTRICT},
    ("shenyang", "reelection.max_age"): 55,
    ("wenzhou", "funds.rural.per_household"): "8",
    ("wenzhou", "pay.post_wage"): {
        "party_secretary": "7000",
        "committee_director": "7000",
        "committee_deputy_director": "6200",
        "committee_member": "5800",
        "staff": "5500",
        "coordinator": "4200",
        "police_assistant": "4800",
    },
    ("wenzhou", "pay.seniority_allowance"): {"per_year": "50", "max_years": 30},
    ("wenzhou", "pay.title_allowance"): {
        "assistant_social_worker": "200",
        "social_worker": "400",
        "senior_social_worker": "600",
    },
    ("wenzhou", "pay.education_allowance"): {"associate": "100", "bachelor": "200", "master": "300"},
    ("wenzhou", "pay.floor.average_wage"): {
        "2019": "51500",
        "2020": "54300",
        "2021": "58000",
        "2022": "60800",
        "2023": "63200",
        "2024": "66000",
        "2025": "68500",
        "2026": "71000",
    },
    ("wenzhou", "pay.social_insurance"): {"employer_rate": "0.30"},
    ("ningguo", "pay.liangwei.monthly"): {"principal": "4500", "deputy": "4000", "general": "3600"},
    ("ningguo", "pay.performance.base"): {
        "principal": "12000",
        "deputy": "10000",
        "general": "9000",
        "reserve": "7000",
    },
    ("ningguo", "pay.performance.excellent_reward"): "1000",
    ("jiulongpo", "grading.thresholds"): {"excellent": "90", "qualified": "75", "basically_qualified": "60"},
    # National law leaves these to the city and the unit: a plausible city's average monthly wage
    # (劳动合同法 第四十七条) and a unit that deducts pay for personal leave (年休假条例 第四条(二)).
    ("national", "national.severance.average_monthly_wage"): {
        str(year): str(6000 + 300 * (year - 2019)) for year in range(2019, 2027)
    },
    ("national", "national.leave.personal_leave_paid"): False,
    ("jiulongpo", "pay.base.disposable_income"): {
        "2019": "41200",
        "2020": "43100",
        "2021": "46800",
        "2022": "48600",
        "2023": "50700",
        "2024": "52900",
        "2025": "55100",
        "2026": "57300",
    },
    ("jiulongpo", "pay.performance_reward"): {
        "principal": _reward("800", "600", "300", "500"),
        "deputy": _reward("700", "500", "250", "400"),
        "general": _reward("600", "400", "200", "300"),
    },
    ("jiulongpo", "pay.rank_allowance"): {
        "principal": [[0, "300"], [3, "500"], [6, "700"], [10, "900"]],
        "deputy": [[0, "200"], [3, "350"], [6, "500"], [10, "650"]],
        "general": [[0, "100"], [3, "200"], [6, "300"], [10, "400"]],
    },
}


# --- names and other personal details -----------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
MALE_GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋东峰亮成志国建文斌晨博阳振海"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀玲燕萍红梅琳颖雪慧婷倩洁莉兰晶云月凤琴欣怡佳悦璐楠瑶丹蕾薇岚晓雯婧"
MOBILE_PREFIXES: tuple[str, ...] = ("130", "131", "135", "136", "137", "138", "139", "150", "151", "158")
MOBILE_PREFIXES += ("159", "177", "180", "181", "186", "187", "188", "189", "198", "199")


@attrs.frozen
class DemoSummary:
    seed: int
    today: dt.date
    communities: int
    workers: int
    by_jurisdiction: Mapping[str, tuple[int, int]]  # key → (communities, workers)
    skipped: tuple[str, ...]  # demo areas whose jurisdiction is not loaded
    params_written: tuple[str, ...]  # "jurisdiction:name" set to a demo value
    params_unset: tuple[str, ...]  # parameters still unset: no demo value known for them
    params_path: str | None


# --- building -------------------------------------------------------------------------------------


def build_demo(
    registry: Repository,
    *,
    workers: int = 300,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    jurisdictions: Jurisdictions | None = None,
) -> DemoSummary:
    """Fill an empty registry with demo communities and `workers` workers, deterministically."""
    from core.jurisdictions import default_jurisdictions
    from core.rules import Rules

    js = jurisdictions or default_jurisdictions()
    today = today or dt.date.today()
    areas = [a for a in AREAS if a.jurisdiction in js.keys]
    skipped = tuple(a.jurisdiction for a in AREAS if a.jurisdiction not in js.keys)
    slots = sum(len(a.communities) for a in areas)
    if workers < 2 * slots:
        raise ValidationError("workers", msg("demo.invalid.too_few", value=workers, minimum=2 * slots))

    params_path = config_of(registry).params_file()
    written, unset = demo_parameters(js)
    if params_path is not None and written:
        write_params(params_path, written)

    # every community gets its secretary and director first; the rest is shared by weight
    spare = _share(workers - 2 * slots, [len(a.communities) * a.share for a in areas])
    per_area = [2 * len(a.communities) + n for a, n in zip(areas, spare, strict=True)]
    made: dict[str, tuple[int, int]] = {}
    all_workers: list[Worker] = []
    used_ids: set[str] = {w.id_number for w in registry.workers()}
    rules = Rules(registry, js, today=today)
    for area, count in zip(areas, per_area, strict=True):
        builder = _AreaBuilder(area, js, random.Random(f"{seed}:{area.jurisdiction}"), today, used_ids, rules)
        communities = builder.communities()
        plans = builder.plan(communities, count)
        communities = builder.with_quotas(communities, plans)
        for c in communities:
            registry.add_community(c)
        rules.forget_cached_communities()
        people = builder.workers(communities, plans)
        all_workers.extend(people)
        made[area.jurisdiction] = (len(communities), len(people))
    registry.add_workers(all_workers)
    registry.record_event(
        "demo", "registry", str(seed), note=f"demo registry, seed {seed}, {len(all_workers)}"
    )
    return DemoSummary(
        seed=seed,
        today=today,
        communities=sum(c for c, _ in made.values()),
        workers=len(all_workers),
        by_jurisdiction=made,
        skipped=skipped,
        params_written=tuple(f"{k}:{n}" for k, n in sorted(written)),
        params_unset=tuple(unset),
        params_path=str(params_path) if params_path is not None else None,
    )


def _share(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), deterministically."""
    whole = sum(weights)
    if whole == 0:
        return [0 for _ in weights]
    raw = [total * w / whole for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def demo_parameters(js: Jurisdictions) -> tuple[dict[tuple[str, str], Any], list[str]]:
    """The demo values for every parameter the loaded plugins ship unset, and those with none."""
    written: dict[tuple[str, str], Any] = {}
    unset: list[str] = []
    for key in js.keys:
        for spec in js.params(key):
            if spec.values or spec.jurisdiction != key:
                continue  # set, or declared by a parent (filled in under the parent's key)
            value = DEMO_PARAMS.get((key, spec.name))
            if value is None:
                unset.append(f"{key}:{spec.name}")
            else:
                written[(key, spec.name)] = value
    return written, unset


def write_params(path: Path, values: Mapping[tuple[str, str], Any]) -> None:
    """Append the demo values to the registry's override file, one `[[override]]` each."""
    lines = ["", "# Demo values written by `shegong demo`: replace them with your district's figures."]
    for (key, name), value in sorted(values.items()):
        lines += [
            "",
            "[[override]]",
            f"jurisdiction = {_toml(key)}",
            f"name = {_toml(name)}",
            f"since = {PARAMS_SINCE.isoformat()}",
            f"value = {_toml(value)}",
            f"note = {_toml(DEMO_NOTE)}",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_link(path)
    before = path.read_bytes() if path.exists() else b""
    # Inside the registry: the registry's own mode, set whatever the umask (core.storage.files).
    write_private(path, before + ("\n".join(lines) + "\n").encode("utf-8"), FILE_MODE)


def _toml(value: Any) -> str:
    """A TOML value on one line (strings, integers, booleans, decimals as text, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _toml(str(value))
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} to TOML")


class _AreaBuilder:
    """Builds one area's communities and workers from its own random stream."""

    def __init__(
        self,
        area: DemoArea,
        js: Jurisdictions,
        rng: random.Random,
        today: dt.date,
        used_ids: set[str],
        rules: Rules,
    ) -> None:
        self.area = area
        self.rng = rng
        self.today = today
        self.used_ids = used_ids
        self.rules = rules
        info = js.info(area.jurisdiction)
        self.posts = js.vocabulary(area.jurisdiction, "posts")
        self.grades = [v.code for v in js.vocabulary(area.jurisdiction, "grades").values()] or [
            g.value for g in (Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC, Grade.UNQUALIFIED)
        ]
        certificates = js.vocabulary(area.jurisdiction, "certificates")
        self.certificates = set(certificates) or {c.value for c in CertificateKind}
        self.local_certificate = certificates.get(CertificateKind.LOCAL)
        self.half_year = "half_year" in info.assessment_periods
        self.last_year = today.year - 1

    # --- communities ------------------------------------------------------------------------------

    def communities(self) -> list[Community]:
        rng, area = self.rng, self.area
        out = []
        for i, spec in enumerate(area.communities):
            resident = rng.randrange(1800, 5600, 10)
            if area.jurisdiction == "wenzhou" and i == 0:
                resident = rng.randrange(4200, 5200, 10)  # room for the 1-per-400 staffing rule
            registered = int(resident * rng.uniform(0.55, 0.92))
            population = int(resident * rng.uniform(2.4, 2.9))
            new_residents = rng.randrange(300, 2600, 10)
            if area.jurisdiction == "wenzhou":
                new_residents = rng.randrange(1500, 6500, 10)  # 新居民 drive 第十九条's extra posts
            office = Decimal(rng.randrange(300, 900, 5))
            if i == len(area.communities) - 1:
                office = Decimal(rng.randrange(280, 345, 5))  # one office below 350 m²
            out.append(
                Community(
                    id=spec.id,
                    name=spec.name,
                    street=spec.street,
                    district=area.district,
                    city=area.city,
                    jurisdiction=area.jurisdiction,
                    kind=CommunityKind.URBAN,
                    households_resident=resident,
                    households_registered=registered,
                    population=population,
                    new_residents=new_residents,
                    grid_count=max(3, -(-resident // 350)),
                    office_area=office,
                )
            )
        return self._ranked(out)

    def _ranked(self, communities: list[Community]) -> list[Community]:
        """目标考核 ranks within each street for the last three years."""
        streets: dict[str, list[int]] = {}
        for i, c in enumerate(communities):
            streets.setdefault(c.street, []).append(i)
        ranks: dict[int, dict[int, int]] = {i: {} for i in range(len(communities))}
        for members in streets.values():
            for year in range(self.last_year - 2, self.last_year + 1):
                order = members[:]
                self.rng.shuffle(order)
                for rank, i in enumerate(order, start=1):
                    ranks[i][year] = rank
        return [attrs.evolve(c, target_ranks=ranks[i]) for i, c in enumerate(communities)]

    # --- workers ------------------------------------------------------------------------------------

    def plan(self, communities: Sequence[Community], count: int) -> list[list[tuple[str, ...]]]:
        """The posts of each community's people, sized by households (at least secretary and director)."""
        spare = _share(count - 2 * len(communities), [c.households_resident for c in communities])
        return [self._roles(2 + n) for n in spare]

    def with_quotas(
        self, communities: Sequence[Community], plans: Sequence[list[tuple[str, ...]]]
    ) -> list[Community]:
        """The city's post quotas: the planned headcount of each type, give or take one."""
        if not self.area.post_quotas:
            return list(communities)
        out = []
        for community, roles in zip(communities, plans, strict=True):
            quotas = {}
            for key, covered in self.area.post_quotas:
                held = sum(1 for posts in roles if set(posts) & set(covered))
                quotas[key] = max(1, held + self.rng.choice((-1, 0, 0, 0, 1)))
            out.append(attrs.evolve(community, post_quotas=quotas))
        return out

    def workers(
        self, communities: Sequence[Community], plans: Sequence[list[tuple[str, ...]]]
    ) -> list[Worker]:
        out: list[Worker] = []
        for community, roles in zip(communities, plans, strict=True):
            out.extend(self._community_workers(community, roles))
        return out

    def _roles(self, size: int) -> list[tuple[str, ...]]:
        """Posts held today, one tuple per person: the secretary may also be director (一肩挑)."""
        cross = self.rng.random() < 0.5
        roles: list[tuple[str, ...]] = []
        if cross:
            roles.append((Post.PARTY_SECRETARY, Post.COMMITTEE_DIRECTOR))
        else:
            roles += [(Post.PARTY_SECRETARY,), (Post.COMMITTEE_DIRECTOR,)]
        for post in self.area.extra_posts:
            roles.append((post,))
        roles = roles[:size]
        while len(roles) < size:
            roles.append((Post.STAFF,))
        resolved = [tuple(dict.fromkeys(self._post(p) for p in r)) for r in roles]
        return [r for r in resolved if r] or [(Post.STAFF,)]

    def _post(self, code: str) -> str:
        """The jurisdiction's own code for a core post: the same code, or one of the same tier."""
        if not self.posts or code in self.posts:
            return str(code)
        tier = _TIERS.get(code, "general")
        same_tier = [v.code for v in self.posts.values() if v.tier == tier]
        if same_tier:
            return same_tier[0]
        if Post.STAFF in self.posts:
            return Post.STAFF.value
        return next(iter(self.posts))

    def _community_workers(self, community: Community, roles: list[tuple[str, ...]]) -> list[Worker]:
        names: set[str] = set()
        out: list[Worker] = []
        # the secretary (first) is never the one about to retire, so each community keeps its leader
        pool = range(1, len(roles)) if len(roles) > 1 else range(len(roles))
        near_retirement = self.rng.sample(pool, k=min(len(pool), max(1, len(roles) // 12)))
        for index, posts in enumerate(roles):
            kind = _kind_of(posts[0])
            draft = self._person(community, posts, kind, names, near=index in near_retirement)
            out.append(draft)
        return out

    def _person(
        self, community: Community, posts: tuple[str, ...], kind: str, names: set[str], *, near: bool
    ) -> Worker:
        rng = self.rng
        sex = Sex.MALE if rng.random() < (0.45 if kind != "staff" else 0.3) else Sex.FEMALE
        if self.area.jurisdiction == "ningguo" and posts[0] == Post.PARTY_SECRETARY and rng.random() < 0.6:
            sex = Sex.FEMALE  # a woman secretary near 50: the exception of 003 (14)
        name = self._name(sex, names)
        birth = self._birth(kind)
        service_start = self._service_start(kind, birth)
        worker = self._assemble(community, posts, kind, sex, name, birth, service_start)
        if near:
            return self._near_retirement(worker, community, posts, kind)
        retire = self._retirement(worker)
        tries = 0
        while retire <= add_months(self.today, 12) and tries < 30:
            birth = self._birth(kind, younger=True)
            service_start = max(service_start, _off_birthday(birth, 20))
            worker = self._assemble(community, posts, kind, sex, name, birth, service_start)
            retire = self._retirement(worker)
            tries += 1
        return self._departures(worker)

    def _near_retirement(
        self, worker: Worker, community: Community, posts: tuple[str, ...], kind: str
    ) -> Worker:
        """Someone who retires within the coming year (or already did, a little over a year ago)."""
        birth = dt.date(self.today.year - 66, worker.birth_date.month, min(worker.birth_date.day, 28))
        for _ in range(12 * 20):
            with trusted_load():  # a probe for the retirement date only; its ID no longer matches
                probe = attrs.evolve(worker, birth_date=birth)
            if self._retirement(probe) > self.today:
                break
            birth = add_months(birth, 1)
        birth = add_months(birth, self.rng.randint(-14, 10))
        start = min(worker.service_start, _off_birthday(birth, 35))
        candidate = self._assemble(community, posts, kind, worker.sex, worker.name, birth, start)
        return self._departures(candidate)

    def _retirement(self, worker: Worker) -> dt.date:
        try:
            return self.rules.retirement(worker).date
        except ShegongError:
            return national_retirement(worker).date

    def _departures(self, worker: Worker) -> Worker:
        """Retired at the retirement date if it has passed; a few others left of their own accord."""
        retire = self._retirement(worker)
        if retire <= self.today:
            return _ended(worker, retire, Status.RETIRED, "到龄退休")
        leads = bool({Post.PARTY_SECRETARY, Post.COMMITTEE_DIRECTOR} & set(worker.posts_on(self.today)))
        quits = self.rng.random() < 0.03  # drawn for everyone so the stream stays the same
        if quits and not leads and worker.service_start < self.today - dt.timedelta(days=800):
            left = self.today - dt.timedelta(days=self.rng.randint(30, 700))
            return _ended(
                worker, left, Status.LEFT, self.rng.choice(("个人原因辞职", "考取公务员", "随迁外地"))
            )
        return worker

    def _name(self, sex: Sex, taken: set[str]) -> str:
        rng = self.rng
        given = MALE_GIVEN if sex == Sex.MALE else FEMALE_GIVEN
        for _ in range(50):
            name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
            if name not in taken:
                taken.add(name)
                return name
        return name

    def _birth(self, kind: str, *, younger: bool = False) -> dt.date:
        rng = self.rng
        low, high = {"leader": (1966, 1986), "deputy": (1968, 1990), "reserve": (1991, 2000)}.get(
            kind, (1968, 2000)
        )
        if younger:
            low = max(low, 1975)
        year = rng.randint(low, high)
        return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))

    def _service_start(self, kind: str, birth: dt.date) -> dt.date:
        rng = self.rng
        earliest = _off_birthday(birth, 21)
        back = {"leader": (9, 24), "deputy": (5, 16), "member": (2, 14), "reserve": (0, 4)}.get(kind, (0, 16))
        start = self.today - dt.timedelta(days=int(rng.uniform(*back) * 365.25))
        if kind == "staff" and self.area.probation_months and rng.random() < 0.06:
            # a recent hire still on probation
            start = self.today - dt.timedelta(days=rng.randint(5, self.area.probation_months * 30 - 3))
        start = max(start, earliest)
        if kind == "reserve":
            start = max(start, self.today - dt.timedelta(days=4 * 365))
        return min(start, self.today - dt.timedelta(days=5))

    # --- one worker's records -------------------------------------------------------------------------

    def _assemble(
        self,
        community: Community,
        posts: tuple[str, ...],
        kind: str,
        sex: Sex,
        name: str,
        birth: dt.date,
        service_start: dt.date,
    ) -> Worker:
        # A local sub-stream per person keeps the records the same when only the birth date moves.
        rng = random.Random(f"{self.rng.random()}")
        elected = kind in ELECTED_KINDS
        history, elected_from = self._post_history(rng, posts, kind, service_start)
        id_number = self._id_number(rng, birth, sex)
        education = _education(rng, kind)
        worker = Worker(
            name=name,
            sex=sex,
            birth_date=birth,
            id_number=id_number,
            community_id=community.id,
            service_start=service_start,
            entry=Entry.ELECTED if elected else Entry.HIRED,
            education=education,
            phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            hukou=self._hukou(rng),
            party=_party(rng, posts),
            posts=history,
            contracts=self._contracts(elected_from, service_start),
            certificates=self._certificates(rng, service_start),
            assessments=self._assessments(rng, service_start),
            trainings=self._trainings(rng, posts, service_start),
            absences=self._absences(rng, service_start),
            statuses=self._probation(service_start, history),
            health_checks=self._health_checks(rng, service_start),
            secondments=self._secondments(rng, kind, service_start),
        )
        awards = tuple(
            Award(dt.date(a.year + 1, 1, rng.randint(10, 28)), "区级优秀社区工作者", "district")
            for a in worker.assessments
            if a.grade == self.grades[0] and a.period == Period.YEAR_END and rng.random() < 0.3
        )
        decisions = tuple(
            Decision(
                "warning",
                dt.date(a.year, 7 if a.period == Period.HALF_YEAR else 12, 31) + dt.timedelta(days=10),
            )
            for a in worker.assessments
            if a.grade == Grade.WARNING
        )
        return attrs.evolve(worker, awards=awards, decisions=decisions)

    def _id_number(self, rng: random.Random, birth: dt.date, sex: Sex) -> str:
        for code in self.area.region_codes:
            for _ in range(200):
                seq = rng.randrange(100) * 10 + rng.choice(
                    (1, 3, 5, 7, 9) if sex == Sex.MALE else (0, 2, 4, 6, 8)
                )
                first17 = f"{code}{birth:%Y%m%d}{seq:03d}"
                number = first17 + checksum_char(first17)
                if number in self.used_ids:
                    continue
                try:
                    check_resident_id(number, birth_date=birth, sex=sex)
                except ValidationError:
                    break  # this region code was not in force in the birth year: try an older one
                self.used_ids.add(number)
                return number
        raise ValueError(f"no resident ID region code of {self.area.district} fits {birth}")

    def _hukou(self, rng: random.Random) -> Hukou:
        if self.area.hukou_others and rng.random() < 0.06:
            return Hukou(rng.choice(self.area.hukou_others), urban=rng.random() < 0.5)
        return Hukou(self.area.city, urban=rng.random() < 0.95)

    def _post_history(
        self, rng: random.Random, posts: tuple[str, ...], kind: str, start: dt.date
    ) -> tuple[tuple[PostTerm, ...], dt.date | None]:
        """The posts held over the years, and the day of first election (None if never elected).

        Leaders rose from staff through a deputy post, other 两委 members from staff, each step at
        an election; staff hold one post from the start.
        """
        if kind not in ELECTED_KINDS:
            return tuple(PostTerm(p, start) for p in posts), None
        dates = (dt.date(y, 4, 1) for y in self.area.election_years)
        elections = [d for d in dates if start + dt.timedelta(days=365) <= d <= self.today]
        if not elections:
            return tuple(PostTerm(p, start) for p in posts), start  # came in at a by-election
        final = rng.choice(elections[-2:])
        earlier = [d for d in elections if d <= final - dt.timedelta(days=3 * 365)]
        terms: list[PostTerm] = []
        first_elected = final
        if kind == "leader" and earlier:
            first_elected = earlier[-1]
            deputy = self._post(Post.COMMITTEE_DEPUTY_DIRECTOR)
            terms.append(PostTerm(deputy, first_elected, final - _DAY))
        staff = self._post(Post.STAFF)
        if first_elected > start and staff not in posts:
            terms.insert(0, PostTerm(staff, start, first_elected - _DAY))
        from_start = not terms  # a member whose staff post is the elected one: one term from the start
        terms.extend(PostTerm(p, start if p == staff and from_start else final) for p in posts)
        return tuple(terms), first_elected

    def _contracts(self, elected_from: dt.date | None, start: dt.date) -> tuple[Contract, ...]:
        """Employment contracts from the start (until the first election where the term of office
        replaces them), then terms of office from the first election."""
        area = self.area
        out: list[Contract] = []
        if elected_from is None or area.elected_keep_contract:
            hired_until = self.today
        else:
            hired_until = elected_from - _DAY  # staff before the first election, if at all
        if area.probation_months and hired_until >= start:
            out.append(
                Contract(ContractKind.PROBATION, start, add_months(start, area.probation_months) - _DAY)
            )
        day = start
        while day <= hired_until:
            end = add_months(day, 12 * area.hired_years) - _DAY
            if hired_until < self.today:
                end = min(end, hired_until)
            out.append(Contract(area.hired_contract, day, end))
            day = end + _DAY
        day = elected_from or self.today + _DAY
        while day <= self.today:
            end = add_months(day, 12 * area.term_years) - _DAY
            out.append(Contract(ContractKind.TERM, day, end))
            day = end + _DAY
        return tuple(out)

    def _certificates(self, rng: random.Random, start: dt.date) -> tuple[Certificate, ...]:
        out: list[Certificate] = []
        if self.local_certificate is not None and rng.random() < 0.94:
            day = max(start, dt.date(2009, 1, 1)) + dt.timedelta(days=rng.randint(30, 400))
            if day < self.today:
                out.append(
                    Certificate(
                        CertificateKind.LOCAL,
                        day,
                        f"SY{day.year}{rng.randrange(10**5):05d}",
                        self.local_certificate.zh,
                    )
                )
        if rng.random() < 0.45 and start.year < self.today.year:
            # 助理社会工作师 then perhaps 社会工作师: the national exams are held each June since 2008
            year = rng.randint(max(2008, start.year), max(2008, self.today.year - 1))
            assistant = dt.date(year, 9, rng.randint(1, 28))
            if assistant < self.today and CertificateKind.ASSISTANT_SOCIAL_WORKER in self.certificates:
                out.append(
                    Certificate(
                        CertificateKind.ASSISTANT_SOCIAL_WORKER,
                        assistant,
                        f"A{year}{rng.randrange(10**6):06d}",
                    )
                )
                if rng.random() < 0.3 and year + 3 < self.today.year:
                    senior = dt.date(rng.randint(year + 3, self.today.year - 1), 9, rng.randint(1, 28))
                    if CertificateKind.SOCIAL_WORKER in self.certificates:
                        out.append(
                            Certificate(
                                CertificateKind.SOCIAL_WORKER,
                                senior,
                                f"S{senior.year}{rng.randrange(10**6):06d}",
                            )
                        )
        return tuple(out)

    def _grade(self, rng: random.Random) -> str:
        roll = rng.random()
        grades = self.grades
        if roll < 0.13:
            return grades[0]
        if roll < 0.93 or len(grades) < 3:
            return grades[1]
        if roll < 0.985:
            return grades[2]
        return grades[min(3, len(grades) - 1)]

    def _assessments(self, rng: random.Random, start: dt.date) -> tuple[Assessment, ...]:
        out: list[Assessment] = []
        first = max(start.year if start.month <= 9 else start.year + 1, self.last_year - 4)
        for year in range(first, self.last_year + 2):
            periods = [Period.HALF_YEAR, Period.YEAR_END] if self.half_year else [Period.YEAR_END]
            for period in periods:
                closes = dt.date(year, 6, 30) if period == Period.HALF_YEAR else dt.date(year, 12, 31)
                if closes + dt.timedelta(days=20) > self.today or (
                    period == Period.HALF_YEAR and start > closes
                ):
                    continue
                if self.area.score_components:
                    out.append(self._scored(rng, year, period))
                else:
                    out.append(Assessment(year, period, self._grade(rng)))
        return tuple(out)

    def _scored(self, rng: random.Random, year: int, period: Period) -> Assessment:
        """Component scores (0-100) and the grade they give at the default 90 / 70 / 60 thresholds."""
        base = rng.gauss(84, 6)
        scores = {
            c: Decimal(str(round(min(100.0, max(40.0, base + rng.gauss(0, 4))), 1)))
            for c in self.area.score_components
        }
        scores["awareness"] = Decimal(str(round(min(100.0, rng.gauss(99.3, 0.6)), 1)))
        scores["satisfaction"] = Decimal(str(round(min(100.0, max(50.0, rng.gauss(92, 4))), 1)))
        weights = {"residents": Decimal("0.4"), "departments": Decimal("0.4"), "peers": Decimal("0.2")}
        total = sum((weights.get(c, Decimal(0)) * scores[c] for c in self.area.score_components), Decimal(0))
        if total >= 90:
            grade = self.grades[0]
        elif total >= 70:
            grade = self.grades[1]
        elif total >= 60:
            grade = self.grades[min(2, len(self.grades) - 1)]
        else:
            grade = self.grades[-1]
        return Assessment(year, period, grade, scores=scores, panel=True)

    def _trainings(self, rng: random.Random, posts: tuple[str, ...], start: dt.date) -> tuple[Training, ...]:
        out: list[Training] = []
        head = posts[0] in (Post.PARTY_SECRETARY, Post.COMMITTEE_DIRECTOR, Post.SUPERVISORY_DIRECTOR)
        hours_a_year = self.area.score_components  # Shenyang counts 40 class hours a year
        induction = start + dt.timedelta(days=rng.randint(7, 45))
        if start > self.today - dt.timedelta(days=730) and induction <= self.today and rng.random() < 0.8:
            out.append(
                Training(
                    induction,
                    induction + dt.timedelta(days=2),
                    TrainingKind.INITIAL,
                    TrainingLevel.DISTRICT,
                    hours=Decimal(24),
                    days=Decimal(3),
                    title="新录用社区工作者入职培训",
                )
            )
        for year in range(max(start.year, self.last_year - 3), self.today.year + 1):
            begin = dt.date(year, rng.randint(3, 8 if hours_a_year else 10), rng.randint(1, 20))
            if begin < start or begin > self.today:
                continue
            days = 5 if head else rng.choice((2, 3) if hours_a_year else (1, 2, 3))
            hours = Decimal(days * 8) if rng.random() > 0.05 else Decimal(16)
            level = TrainingLevel.DISTRICT if head or rng.random() < 0.4 else TrainingLevel.STREET
            out.append(
                Training(
                    begin,
                    begin + dt.timedelta(days=days - 1),
                    TrainingKind.IN_SERVICE,
                    level,
                    hours=hours,
                    days=Decimal(days),
                    title=rng.choice(_TRAINING_TITLES),
                )
            )
            if hours_a_year and rng.random() < 0.93:
                # the rest of the 40 class hours (000 第五篇 第三十五条)
                extra = begin + dt.timedelta(days=rng.randint(20, 60))
                if extra <= self.today:
                    out.append(
                        Training(
                            extra,
                            extra + dt.timedelta(days=2),
                            TrainingKind.CONTINUING,
                            level,
                            hours=Decimal(24),
                            days=Decimal(3),
                            title="社区治理能力提升班",
                        )
                    )
            if self.area.jurisdiction == "beijing.haidian":
                exam = dt.date(year, 11, rng.randint(10, 25))
                if start <= exam <= self.today:
                    out.append(
                        Training(
                            exam,
                            exam,
                            TrainingKind.EXAM,
                            TrainingLevel.DISTRICT,
                            passed=rng.random() < 0.96,
                            title="年度培训考试",
                        )
                    )
        return tuple(out)

    def _absences(self, rng: random.Random, start: dt.date) -> tuple[Absence, ...]:
        out: list[Absence] = []
        for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2))):
            day = self.today - dt.timedelta(days=rng.randint(10, 900))
            if day < start:
                continue
            roll = rng.random()
            if roll < 0.08:
                kind, length = AbsenceKind.UNEXCUSED, rng.choice((1, 1, 2, 3, 5))
            elif roll < 0.55:
                kind, length = AbsenceKind.PERSONAL, rng.randint(1, 5)
            else:
                kind, length = AbsenceKind.SICK, rng.randint(1, 10)
            end = min(day + dt.timedelta(days=length - 1), self.today)
            out.append(Absence(day, end, kind))
        return tuple(sorted(out, key=lambda a: a.start))

    def _probation(self, start: dt.date, posts: tuple[PostTerm, ...]) -> tuple[StatusChange, ...]:
        """Hired staff start on probation; someone elected straight into a post does not."""
        months = self.area.probation_months
        if not months or (posts and posts[0].start == start and _kind_of(posts[0].post) != "staff"):
            return ()
        ends = add_months(start, months)
        if ends > self.today:
            return (StatusChange(Status.PROBATION, start),)
        return (StatusChange(Status.PROBATION, start), StatusChange(Status.ACTIVE, ends, "试用期满考核合格"))

    def _health_checks(self, rng: random.Random, start: dt.date) -> tuple[dt.date, ...]:
        every = self.area.health_check_years
        if not every:
            return ()
        out = []
        day = max(start, self.today - dt.timedelta(days=6 * 365)) + dt.timedelta(days=rng.randint(30, 300))
        while day <= self.today:
            out.append(day)
            day += dt.timedelta(days=365 * every + rng.randint(-60, 90))
        return tuple(out)

    def _secondments(self, rng: random.Random, kind: str, start: dt.date) -> tuple[Secondment, ...]:
        if self.area.jurisdiction != "jiulongpo" or kind != "staff" or rng.random() > 0.06:
            return ()
        begin = max(start, self.today - dt.timedelta(days=rng.randint(60, 500)))
        return (
            Secondment(begin, add_months(begin, rng.choice((3, 6))) - _DAY, "街道社会事务办", approved=True),
        )


_DAY = dt.timedelta(days=1)
ELECTED_KINDS = ("leader", "deputy", "member")  # 两委 members come in by election
_TIERS: dict[str, str] = {
    Post.PARTY_SECRETARY: "principal",
    Post.COMMITTEE_DIRECTOR: "principal",
    Post.STATION_HEAD: "principal",
    Post.PARTY_DEPUTY_SECRETARY: "deputy",
    Post.COMMITTEE_DEPUTY_DIRECTOR: "deputy",
    Post.STATION_DEPUTY_HEAD: "deputy",
}
_TRAINING_TITLES = (
    "社区工作者岗位培训",
    "基层党建业务培训",
    "网格化管理实务",
    "社会工作专业能力提升",
    "社区矛盾纠纷调解",
    "民政业务政策解读",
)


def _kind_of(post: str) -> str:
    if post in (Post.PARTY_SECRETARY, Post.COMMITTEE_DIRECTOR):
        return "leader"
    if post in (
        Post.PARTY_DEPUTY_SECRETARY,
        Post.COMMITTEE_DEPUTY_DIRECTOR,
        Post.STATION_HEAD,
        Post.SUPERVISORY_DIRECTOR,
    ):
        return "deputy"
    if post in (Post.COMMITTEE_MEMBER, Post.SUPERVISORY_MEMBER):
        return "member"
    if post == Post.RESERVE_CADRE:
        return "reserve"
    return "staff"


def _years_after(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def _off_birthday(birth: dt.date, years: int) -> dt.date:
    """A day soon after the `years`th birthday, never on a birthday: a record dated on one (and
    every contract renewed from it) would give the birth date away beside a masked ID."""
    return _years_after(birth, years) + dt.timedelta(days=1 + birth.toordinal() % 27)


def _education(rng: random.Random, kind: str) -> Education:
    roll = rng.random()
    if kind == "reserve":
        return Education.BACHELOR if roll < 0.7 else Education.ASSOCIATE if roll < 0.95 else Education.MASTER
    if roll < 0.06:
        return Education.SENIOR_HIGH
    if roll < 0.1:
        return Education.SECONDARY_VOCATIONAL
    if roll < 0.48:
        return Education.ASSOCIATE
    if roll < 0.95:
        return Education.BACHELOR
    return Education.MASTER


def _party(rng: random.Random, posts: tuple[str, ...]) -> PartyStatus:
    if Post.PARTY_SECRETARY in posts or Post.PARTY_DEPUTY_SECRETARY in posts or Post.PARTY_WORKER in posts:
        return PartyStatus.MEMBER
    roll = rng.random()
    return PartyStatus.MEMBER if roll < 0.5 else PartyStatus.PROBATIONARY if roll < 0.55 else PartyStatus.NONE


def _ended(worker: Worker, day: dt.date, status: Status, reason: str) -> Worker:
    """The worker's posts and contracts end on `day`, and later records are dropped."""
    if day < worker.service_start:
        day = worker.service_start

    def cut(items: tuple[Any, ...]) -> tuple[Any, ...]:
        kept = []
        for item in items:
            if item.start > day:
                continue
            if item.end is None or item.end > day:
                item = attrs.evolve(item, end=day)
            kept.append(item)
        return tuple(kept)

    return attrs.evolve(
        worker,
        posts=cut(worker.posts),
        contracts=cut(worker.contracts),
        trainings=tuple(t for t in worker.trainings if t.end <= day),
        absences=tuple(a for a in worker.absences if a.end <= day),
        assessments=tuple(
            a
            for a in worker.assessments
            if a.year < day.year or (a.period == Period.HALF_YEAR and day.month > 6)
        ),
        statuses=(*(s for s in worker.statuses if s.since < day), StatusChange(status, day, reason)),
        secondments=cut(worker.secondments),
        awards=tuple(a for a in worker.awards if a.date <= day),
        decisions=tuple(d for d in worker.decisions if d.decided_on <= day),
        health_checks=tuple(h for h in worker.health_checks if h <= day),
    )
