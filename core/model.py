"""The community and worker model every jurisdiction's rules read from.

Values are frozen: an edit is `attrs.evolve(worker, ...)` handed back to the registry, which checks
the `revision` it was loaded at. Posts, grades and certificate kinds are open vocabularies: core
names the common ones (`Post`, `Grade`, `CertificateKind`), and a jurisdiction may declare more in
its descriptor (Shenyang's 称职/告诫/不称职 are here because two texts share them), so fields hold
plain strings checked against the worker's jurisdiction by the rules layer, not by the model.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from core.errors import ValidationError
from core.i18n import msg
from core.resident_id import check_resident_id, normalise_digits, normalise_resident_id
from core.text_fields import CODE, NAME, NOTE, TITLE, check_text

SCHEMA_VERSION = 1

# Stored records were checked when they were saved; re-checking every resident ID of a 50,000
# worker registry on each open would cost seconds. Storage loads inside `trusted_load()`.
_checks_enabled: ContextVar[bool] = ContextVar("shegong_model_checks", default=True)


@contextmanager
def trusted_load() -> Iterator[None]:
    """Build values from already-validated stored documents without re-running the checks."""
    token = _checks_enabled.set(False)
    try:
        yield
    finally:
        _checks_enabled.reset(token)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Education(StrEnum):
    """Ordered from lowest to highest; `rank` compares them (大专 or above, …)."""

    PRIMARY = "primary"
    JUNIOR_HIGH = "junior_high"
    SENIOR_HIGH = "senior_high"  # 高中
    SECONDARY_VOCATIONAL = "secondary_vocational"  # 中专
    ASSOCIATE = "associate"  # 大专
    BACHELOR = "bachelor"  # 本科
    MASTER = "master"
    DOCTOR = "doctor"

    @property
    def rank(self) -> int:
        return list(Education).index(self)

    def at_least(self, other: Education) -> bool:
        return self.rank >= other.rank


class PartyStatus(StrEnum):
    MEMBER = "member"  # 中共党员
    PROBATIONARY = "probationary"  # 预备党员
    NONE = "none"  # 群众 or other


class Entry(StrEnum):
    """How a worker came into community service."""

    ELECTED = "elected"  # 选任: elected to the 两委 by residents or party members
    HIRED = "hired"  # 招聘: recruited by open examination


class Status(StrEnum):
    PROBATION = "probation"
    ACTIVE = "active"
    RETIRED = "retired"
    LEFT = "left"
    DISMISSED = "dismissed"


IN_SERVICE = frozenset({Status.PROBATION, Status.ACTIVE})


class Post(StrEnum):
    """Posts that recur across the source documents; a jurisdiction may add its own codes."""

    PARTY_SECRETARY = "party_secretary"  # 社区党组织书记
    PARTY_DEPUTY_SECRETARY = "party_deputy_secretary"  # 党组织副书记
    COMMITTEE_DIRECTOR = "committee_director"  # 居委会主任
    COMMITTEE_DEPUTY_DIRECTOR = "committee_deputy_director"  # 居委会副主任
    STATION_HEAD = "station_head"  # 社区服务站站长
    STATION_DEPUTY_HEAD = "station_deputy_head"  # 服务站副站长
    COMMITTEE_MEMBER = "committee_member"  # 两委委员 / 居委会委员
    SUPERVISORY_DIRECTOR = "supervisory_director"  # 监委会主任
    SUPERVISORY_MEMBER = "supervisory_member"  # 监委会委员
    PARTY_WORKER = "party_worker"  # 专职党务工作者
    STAFF = "staff"  # 专职工作人员 / 专职干事 / 一般工作人员
    RESERVE_CADRE = "reserve_cadre"  # 社区后备干部
    GRID_WORKER = "grid_worker"  # 专职网格员
    POLICE_ASSISTANT = "police_assistant"  # 协警


class Grade(StrEnum):
    """Assessment grades; 称职/告诫/不称职 are Shenyang's (000 第五篇 第二十六条)."""

    EXCELLENT = "excellent"  # 优秀
    QUALIFIED = "qualified"  # 合格
    BASIC = "basically_qualified"  # 基本合格
    UNQUALIFIED = "unqualified"  # 不合格
    COMPETENT = "competent"  # 称职
    WARNING = "warning"  # 告诫
    INCOMPETENT = "incompetent"  # 不称职


class Period(StrEnum):
    HALF_YEAR = "half_year"
    YEAR_END = "year_end"


class CertificateKind(StrEnum):
    ASSISTANT_SOCIAL_WORKER = "assistant_social_worker"  # 助理社会工作师
    SOCIAL_WORKER = "social_worker"  # 社会工作师
    SENIOR_SOCIAL_WORKER = "senior_social_worker"  # 高级社会工作师
    LOCAL = "local"  # a local community-worker certificate (e.g. Shenyang's)


class ContractKind(StrEnum):
    TERM = "term"  # 任期: an elected member's term of office
    SERVICE_AGREEMENT = "service_agreement"  # 服务协议
    LABOUR = "labour"  # 劳动合同
    PROBATION = "probation"  # 试用期


class TrainingKind(StrEnum):
    """DB22/T 3226-2021 7.4 names five; `exam` is the yearly training exam (000 第一篇 第六条(三)1)."""

    INITIAL = "initial"  # 初任培训
    IN_SERVICE = "in_service"  # 在岗培训
    ADVANCED = "advanced"  # 进修
    CONTINUING = "continuing"  # 继续教育
    QUALIFICATION = "qualification"  # 专业资格
    EXAM = "exam"  # 年度培训考试


class TrainingLevel(StrEnum):
    STREET = "street"
    DISTRICT = "district"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"


class AbsenceKind(StrEnum):
    UNEXCUSED = "unexcused"  # 旷工 / 无故缺勤
    PERSONAL = "personal"  # 事假
    SICK = "sick"  # 病假


class RetirementTrack(StrEnum):
    """The pre-2025 statutory age a worker's gradual raise starts from (RULES.md, national rule)."""

    MALE_60 = "male_60"
    FEMALE_55 = "female_55"
    FEMALE_50 = "female_50"


class CommunityKind(StrEnum):
    URBAN = "urban"
    COUNTY_TOWN = "county_town"
    RURAL = "rural"


def _check_range(start: dt.date, end: dt.date | None, field: str) -> None:
    if end is not None and end < start:
        raise ValidationError(f"{field}.end", msg("invalid.end_before_start", start=start, end=end))


def _non_blank(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise ValidationError(attribute.name, msg("invalid.blank"))


_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _text(limit: int, *, prefix: str = "", multiline: bool = False) -> _Validator:
    """A text field's length limit and refused characters (`core.text_fields`), named
    `prefix + field` in the message; skipped for stored documents, which were checked on saving."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and _checks_enabled.get():
            check_text(prefix + attribute.name, value, limit, multiline=multiline)

    return check


@attrs.frozen
class PostTerm:
    """One post held over a span; overlapping terms are a cross-appointment (交叉任职)."""

    post: str = attrs.field(validator=_text(CODE, prefix="post."))
    start: dt.date
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        _check_range(self.start, self.end, "post")

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class Contract:
    kind: ContractKind
    start: dt.date
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        _check_range(self.start, self.end, "contract")

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class Certificate:
    kind: str = attrs.field(validator=_text(CODE, prefix="certificate."))  # CertificateKind or local
    registered: dt.date
    number: str = attrs.field(
        default="", converter=normalise_digits, validator=_text(CODE, prefix="certificate.")
    )
    name: str = attrs.field(default="", validator=_text(TITLE, prefix="certificate."))  # its own title


@attrs.frozen
class Assessment:
    """One assessment: a panel grade, component scores, or both (rules combine them)."""

    year: int
    period: Period = Period.YEAR_END
    grade: str | None = attrs.field(default=None, validator=_text(CODE, prefix="assessment."))
    scores: Mapping[str, Decimal] = attrs.field(factory=dict)
    note: str = attrs.field(default="", validator=_text(NOTE, prefix="assessment.", multiline=True))
    panel: bool = False  # the grade was set by the panel (评议) rather than proposed by rule

    def __attrs_post_init__(self) -> None:
        if not 1949 <= self.year <= 2200:
            raise ValidationError("assessment.year", msg("invalid.year", value=self.year))


@attrs.frozen
class Training:
    start: dt.date
    end: dt.date
    kind: TrainingKind = TrainingKind.IN_SERVICE
    level: TrainingLevel = TrainingLevel.STREET
    hours: Decimal | None = None  # class hours (学时)
    days: Decimal | None = None
    passed: bool | None = None  # None: no exam, or not yet graded
    title: str = attrs.field(default="", validator=_text(TITLE, prefix="training."))

    def __attrs_post_init__(self) -> None:
        _check_range(self.start, self.end, "training")
        for name in ("hours", "days"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError(f"training.{name}", msg("invalid.negative", value=value))


@attrs.frozen
class Absence:
    start: dt.date
    end: dt.date
    kind: AbsenceKind = AbsenceKind.UNEXCUSED
    note: str = attrs.field(default="", validator=_text(NOTE, prefix="absence.", multiline=True))

    def __attrs_post_init__(self) -> None:
        _check_range(self.start, self.end, "absence")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@attrs.frozen
class Award:
    date: dt.date
    title: str = attrs.field(validator=_text(TITLE, prefix="award."))
    level: str = attrs.field(default="", validator=_text(NAME, prefix="award."))


@attrs.frozen
class Secondment:
    start: dt.date
    end: dt.date | None = None
    to: str = attrs.field(default="", validator=_text(TITLE, prefix="secondment."))
    approved: bool = False

    def __attrs_post_init__(self) -> None:
        _check_range(self.start, self.end, "secondment")


@attrs.frozen
class StatusChange:
    status: Status
    since: dt.date
    reason: str = attrs.field(default="", validator=_text(NOTE, prefix="status.", multiline=True))


@attrs.frozen
class Decision:
    """A decision against a worker (告诫, recall, dismissal…) and any appeal (000 第五篇 第四十四条)."""

    kind: str = attrs.field(validator=_text(CODE, prefix="decision."))
    decided_on: dt.date
    appealed_on: dt.date | None = None
    answered_on: dt.date | None = None
    note: str = attrs.field(default="", validator=_text(NOTE, prefix="decision.", multiline=True))


@attrs.frozen
class FlexibleRetirement:
    """An agreed early (negative) or late (positive) retirement, in months, at most 36 either way."""

    months: int
    agreed_on: dt.date

    def __attrs_post_init__(self) -> None:
        if self.months == 0 or abs(self.months) > 36:
            raise ValidationError(
                "flexible_retirement.months", msg("invalid.flexible_months", value=self.months)
            )


@attrs.frozen
class Hukou:
    city: str = attrs.field(validator=_text(NAME, prefix="hukou."))
    urban: bool = True


@attrs.frozen
class Community:
    id: str = attrs.field(validator=[_non_blank, _text(CODE)])
    name: str = attrs.field(validator=[_non_blank, _text(NAME)])
    street: str = attrs.field(validator=[_non_blank, _text(NAME)])  # 街道
    district: str = attrs.field(validator=[_non_blank, _text(NAME)])  # 区 / 县(市)
    city: str = attrs.field(validator=[_non_blank, _text(NAME)])
    jurisdiction: str = attrs.field(validator=[_non_blank, _text(CODE)])  # plugin key: "beijing.haidian"
    kind: CommunityKind = CommunityKind.URBAN
    households_resident: int = attrs.field(default=0, validator=attrs.validators.ge(0))  # 常住户数
    households_registered: int = attrs.field(default=0, validator=attrs.validators.ge(0))  # 户籍户数
    population: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    new_residents: int = attrs.field(default=0, validator=attrs.validators.ge(0))  # 新居民
    grid_count: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    office_area: Decimal = attrs.field(default=Decimal(0))  # m²
    target_ranks: Mapping[int, int] = attrs.field(factory=dict)  # year → 目标考核 rank in street
    post_quotas: Mapping[str, int] = attrs.field(factory=dict)  # city-computed quota per post type
    revision: int = 0

    def __attrs_post_init__(self) -> None:
        if self.office_area < 0:
            raise ValidationError("office_area", msg("invalid.negative", value=self.office_area))
        for year, rank in self.target_ranks.items():
            if rank < 1:
                raise ValidationError(f"target_ranks[{year}]", msg("invalid.rank", value=rank))


@attrs.frozen
class Worker:
    name: str = attrs.field(validator=[_non_blank, _text(NAME)])
    sex: Sex
    birth_date: dt.date
    id_number: str = attrs.field(converter=normalise_resident_id)  # 居民身份证号码: text, never a number
    community_id: str = attrs.field(validator=[_non_blank, _text(CODE)])
    service_start: dt.date  # start of community service (社区工作年限 counts from here)
    work_start: dt.date | None = None  # 参加工作时间: all working years, for national annual leave
    entry: Entry = Entry.HIRED
    education: Education = Education.ASSOCIATE
    phone: str = attrs.field(default="", converter=normalise_digits)  # １３９… typed by an IME is 139…
    hukou: Hukou | None = None
    party: PartyStatus = PartyStatus.NONE
    posts: tuple[PostTerm, ...] = ()
    contracts: tuple[Contract, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    trainings: tuple[Training, ...] = ()
    absences: tuple[Absence, ...] = ()
    awards: tuple[Award, ...] = ()
    secondments: tuple[Secondment, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    decisions: tuple[Decision, ...] = ()
    health_checks: tuple[dt.date, ...] = ()
    retirement_track: RetirementTrack | None = None  # None: the jurisdiction decides
    flexible_retirement: FlexibleRetirement | None = None
    reemployed_retiree: bool = False  # a retiree re-employed full time (000 第四篇 第五条(三))
    note: str = attrs.field(default="", validator=_text(NOTE, multiline=True))
    id: int = 0  # 0 until the registry assigns one
    revision: int = 0

    def __attrs_post_init__(self) -> None:
        if not _checks_enabled.get():
            return
        check_resident_id(self.id_number, birth_date=self.birth_date, sex=self.sex)
        if self.phone and not _phone_ok(self.phone):
            raise ValidationError("phone", msg("invalid.phone", value=self.phone))
        if self.service_start < self.birth_date:
            raise ValidationError(
                "service_start", msg("invalid.service_before_birth", start=self.service_start)
            )

    # --- derived facts the rules share -------------------------------------------------------

    def status_on(self, day: dt.date) -> Status:
        """Status in force on `day`; a worker with no recorded change is active from service start."""
        current = Status.ACTIVE
        changes = self.statuses
        # Rules ask this for every worker and day of a payroll: sort only if not already in order.
        if any(a.since > b.since for a, b in itertools.pairwise(changes)):
            changes = tuple(sorted(changes, key=lambda s: s.since))
        for change in changes:
            if change.since <= day:
                current = change.status
        return current

    @property
    def status(self) -> Status:
        return self.status_on(dt.date.today())

    def posts_on(self, day: dt.date) -> tuple[str, ...]:
        return tuple([p.post for p in self.posts if p.start <= day and (p.end is None or day <= p.end)])

    def grade_for(self, year: int, period: Period = Period.YEAR_END) -> str | None:
        for a in self.assessments:
            if a.year == year and a.period == period:
                return a.grade
        return None

    def certificate_on(self, kind: str, day: dt.date) -> Certificate | None:
        for c in self.certificates:
            if c.kind == kind and c.registered <= day:
                return c
        return None

    def contract_on(self, day: dt.date) -> Contract | None:
        covering = [c for c in self.contracts if c.covers(day)]
        return max(covering, key=lambda c: c.start) if covering else None


def _phone_ok(phone: str) -> bool:
    digits = phone.replace("-", "").replace(" ", "")
    return digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 12


def completed_years(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (RULES.md: ages and service are completed years)."""
    if end < start:
        return 0
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def completed_months(start: dt.date, end: dt.date) -> int:
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in completed years; a 29 February birthday is reached on 1 March in common years."""
    return completed_years(birth, day)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
