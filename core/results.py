"""What a rule returns: a figure together with the inputs it used, the rule, and its citation.

An operator must be able to check any number against the text, so no rule returns a bare number.
Every result names the source document and article (`Citation`) and keeps the inputs it read, so
`shegong explain` can print the whole trace in either language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

import attrs

from core.i18n import Message, current_language

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """RULES.md: money is rounded half-up to 0.01 only at the end of each pay line."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


_PART = re.compile(r"^(第[一二三四五六七八九十]+篇)\s*")


@attrs.frozen
class Citation:
    """A document and the article within it, named two ways.

    Code and JSON name the seed file and the article as cited there (`document` + `article`, e.g.
    `000_a0ecfbd89ce21d4d.txt` + `第五篇 第三十条5`); people see the document's own title and the
    article (`《沈阳市社区工作者管理办法》第三十条5`), never a file name. A file that bundles several
    texts is cited with the 篇 first; the 篇 belongs to which document it is, not to the article,
    so `clause` leaves it out. A document with no seed file (a national law) has `document` "".
    """

    document: str  # the seed file the text is in, or "" when there is none
    article: str  # as cited in code: in a bundled file the 篇 first
    title: str = ""  # the document's own title, in Chinese
    title_en: str = ""

    @property
    def part(self) -> str:
        """The 篇 of a bundled file the article is in, or ""."""
        found = _PART.match(self.article)
        return found[1] if found else ""

    @property
    def clause(self) -> str:
        """The article as its own document numbers it: without the file's 篇."""
        return _PART.sub("", self.article, count=1)

    def shown(self, lang: str | None = None) -> str:
        """What a person reads: `《title》article` (`title, article` in English). Without a title
        (a citation made before titles were kept) the file and article, as the code cites it."""
        if not self.title:
            return f"{self.document} {self.article}".strip()
        if (lang or current_language()) == "en":
            return f"{self.title_en or self.title}, {self.clause}"
        return f"《{self.title}》{self.clause}"

    def as_data(self, lang: str | None = None) -> dict[str, str]:
        """The JSON form: `document` and `article` as before, plus `source_file`, `document_title` and
        the `text` a person reads."""
        return {
            "document": self.document,
            "article": self.article,
            "source_file": self.document,
            "document_title": self.title,
            "document_title_en": self.title_en,
            "text": self.shown(lang),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Citation:
        """Back from `as_data` (or from the older `{document, article}` form stored in a round)."""
        return cls(
            str(data.get("source_file") or data.get("document") or ""),
            str(data.get("article") or ""),
            str(data.get("document_title") or ""),
            str(data.get("document_title_en") or ""),
        )

    def __str__(self) -> str:
        return self.shown()


def shown_data(data: Mapping[str, Any], lang: str | None = None) -> str:
    """A stored citation (`Citation.as_data`) as a person reads it; a bare `{text}` as it is."""
    if not data.get("article"):
        return str(data.get("text") or "")
    return Citation.from_data(data).shown(lang)


@functools.cache
def _last_day(year: int, month: int) -> dt.date:
    """Rules ask a month's last day many times per worker of a city-wide run: worked out once."""
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


_MONTH_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?$")


@attrs.frozen
class Month:
    year: int
    month: int = attrs.field(validator=[attrs.validators.ge(1), attrs.validators.le(12)])

    @classmethod
    def parse(cls, text: str) -> Month:
        """`2026-11`, `202611`, `2026/11` or `2026年11月`: every way an operator types a month, so
        the command line and the screens read them alike. Raises ValueError otherwise."""
        cleaned = text.strip()
        found = _MONTH_CN.match(cleaned)
        if found:
            cleaned = f"{found[1]}-{found[2]}"
        cleaned = cleaned.replace("/", "-")
        if "-" in cleaned:
            year, month = cleaned.split("-", 1)
        elif len(cleaned) == 6 and cleaned.isdigit():
            year, month = cleaned[:4], cleaned[4:]
        else:
            raise ValueError(text)
        return cls(int(year), int(month))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return _last_day(self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@attrs.frozen
class Reason:
    """One step of an explanation: what the rule says applied here, and where it says so."""

    text: Message
    citation: Citation | None = None
    inputs: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class PayLine:
    """One line of a month's pay, already rounded to the cent."""

    code: str  # stable id, e.g. "base", "seniority_allowance"
    label: Message
    amount: Decimal
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()
    cash: bool = True  # False for budgets reimbursed against receipts (Ningguo meal allowance)


@attrs.frozen
class GradeProposal:
    """The grade a jurisdiction's rules propose for one worker and period, and why."""

    grade: str | None  # None: the rules cannot propose one (e.g. no scores yet)
    reasons: tuple[Reason, ...] = ()
    score: Decimal | None = None
    forced: bool = False  # a rule-based downgrade that wins over score and quota


@attrs.frozen
class Consequence:
    """What follows from a grade (bonus cut, recall, priority at re-election, pay step…)."""

    code: str
    text: Message
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Quota:
    """At most `limit` of `headcount` people in `unit` may get `grade`."""

    unit: str  # "street:<district>/<street>" or "community:<id>"
    grade: str
    limit: int
    headcount: int
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class RetirementDate:
    date: dt.date
    age_years: int
    age_months: int
    rule: Message
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class StaffingRequirement:
    """Posts a community needs: a number (`maximum == minimum`) or a range (`maximum` None: open)."""

    community_id: str
    minimum: int
    maximum: int | None
    citation: Citation
    by_type: Mapping[str, tuple[int, int | None]] = attrs.field(factory=dict)
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()
    # People in post per `by_type` key, where a type is a group of posts only the plugin can count
    # (e.g. Jiulongpo's 两委, counting a cross-appointed member once). Missing keys: core counts
    # holders of the post code itself.
    in_post_by_type: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen
class LeaveEntitlement:
    days: int
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Finding:
    """Something an operator should act on, with its rule; `due` is when it bites, if known."""

    code: str
    severity: Severity
    message: Message
    citation: Citation | None
    subject: str  # "worker:12" or "community:bj-hd-001"
    due: dt.date | None = None
    inputs: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Eligibility:
    purpose: str  # "recruitment" or "promotion"
    target: str  # the post asked about
    eligible: bool
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class PoolShare:
    """A worker's share of a yearly pool (Beijing bonus, Ningguo performance pay)."""

    worker_id: int
    amount: Decimal
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class ContractEntitlement:
    """Whether an open-ended labour contract is due on request (劳动合同法 第十四条), and from when.

    `since` is the day the entitlement arose (ten years' continuous service reached, or the end
    of the second consecutive fixed term); None when it has not arisen by the day asked.
    `renewal` is the end of the fixed-term contract in force when that end is near enough to
    act on (the jurisdiction's notice window): the day the request can be made, and the day
    core's worker finding is due."""

    due: bool
    since: dt.date | None
    ground: str  # "ten_years", "two_fixed_terms" or "" when not due
    message: Message
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()
    renewal: dt.date | None = None


@attrs.frozen
class Severance:
    """Economic compensation owed when a labour contract ends (劳动合同法 第四十六、四十七条)."""

    amount: Decimal
    months: Decimal  # months' pay owed: whole and half months, after any cap
    month_pay: Decimal  # the month's pay the months are multiplied by, after any cap
    capped: bool
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class TermLength:
    """The length of a residents' committee term that starts on a given day."""

    years: int
    citation: Citation
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()
