"""The jurisdiction plugin contract: every hook a city or district may implement.

Modelled on pytest's hookspec.py: each docstring is the contract. Core calls a hook only on the
plugins of the subject's jurisdiction chain, most specific first (Haidian, then Beijing); the first
plugin that returns something other than `None` answers, so a district implements only what differs
from its city. Returning `None` means "not my rule, ask my parent"; a jurisdiction for which no
plugin in its chain answers a rule it is asked for gets a `NoAnswer` error naming the rule.

Every rule hook receives a `RuleContext` with the parameters resolved for the subject's own
jurisdiction (so a city's rule reads the district's values) and the subject's community.
Every figure returned carries a `Citation` (document title, file name + article). Hooks never touch storage or
screens: the inputs they need are in their arguments.

Callers never use `pm.hook.*` directly: `core.rules` wraps each hook in a typed function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pluggy

from core.results import Citation

if TYPE_CHECKING:
    from core.model import Community, Worker
    from core.params import Parameters
    from core.results import (
        Consequence,
        ContractEntitlement,
        Eligibility,
        Finding,
        GradeProposal,
        LeaveEntitlement,
        Month,
        PayLine,
        PoolShare,
        Quota,
        RetirementDate,
        Severance,
        StaffingRequirement,
        TermLength,
    )

PROJECT = "shegong"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@attrs.frozen
class SourceDocument:
    """One document a jurisdiction cites, by its own title. A file that bundles several texts is
    declared once per text, each with its 篇 in `parts`, so a citation into 第五篇 takes 第五篇's
    title. A document with no seed file (a national law) has `file` ""."""

    file: str  # e.g. "000_a0ecfbd89ce21d4d.txt", or ""
    zh: str  # the title in Chinese
    en: str = ""
    parts: tuple[str, ...] = ()  # the parts of the file this jurisdiction uses, e.g. ("第四篇",)

    def cite(self, article: str) -> Citation:
        """A citation into this document; `article` as code cites it (in a bundled file, 篇 first)."""
        return Citation(self.file, article, self.zh, self.en)

    def holds(self, citation: Citation) -> bool:
        """Whether `citation` points into this document: same file and, when the document is one
        篇 of a bundled file, an article of that 篇."""
        if not self.file or citation.document != self.file:
            return False
        return not citation.part or not self.parts or citation.part in self.parts


def entitle(citation: Citation, documents: Sequence[SourceDocument]) -> Citation:
    """`citation` with its document's title from `documents` when it has none yet (a parameter
    file's cite, a run stored before titles were kept); unchanged when no document holds it. A
    text with no seed file is named in a parameter file by its Chinese title: its English one is
    taken from the document of that title."""
    if citation.title and (citation.title_en or citation.document):
        return citation
    for doc in documents:
        if doc.holds(citation):
            return attrs.evolve(citation, title=doc.zh, title_en=doc.en)
        if citation.title and not citation.document and not doc.file and doc.zh == citation.title:
            return attrs.evolve(citation, title_en=doc.en)
    return citation


@attrs.frozen
class Vocabulary:
    """A post, grade or certificate code the jurisdiction uses, with its labels."""

    code: str
    zh: str
    en: str
    tier: str = ""  # for posts: the pay tier ("principal", "deputy", "general") if the text has one


@attrs.frozen
class JurisdictionInfo:
    """What a jurisdiction plugin says about itself; `key` is what communities name."""

    key: str  # "beijing", "beijing.haidian"
    zh: str
    en: str
    documents: tuple[SourceDocument, ...]
    parameter_file: Path | None = None
    parent: str | None = None  # the jurisdiction this one extends, overriding only what differs
    posts: tuple[Vocabulary, ...] = ()
    grades: tuple[Vocabulary, ...] = ()  # from best to worst
    certificates: tuple[Vocabulary, ...] = ()
    assessment_periods: tuple[str, ...] = ("year_end",)
    quota_unit: str = "street"  # "street" or "community": where a grade quota is counted
    catalog_dir: Path | None = None  # folder holding zh/ and en/ message catalogs
    cases_dir: Path | None = None  # folder of rule cases (`core.cases` format) the plugin ships


@attrs.frozen
class RuleContext:
    """What a rule may read besides its subject: parameters and the surrounding communities."""

    jurisdiction: str
    params: Parameters
    community: Community | None
    street_communities: Sequence[Community] = ()  # every community of the subject's street
    today: dt.date = attrs.field(factory=dt.date.today)


# --------------------------------------------------------------------------------------------
# Describing the jurisdiction
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def shegong_jurisdiction() -> JurisdictionInfo:
    """Describe this jurisdiction: key, names, source documents, parameter file, vocabularies.

    Every plugin must implement it. Called once when plugins load; must not raise.
    """
    raise NotImplementedError


# --------------------------------------------------------------------------------------------
# Pay
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def shegong_pay_lines(worker: Worker, month: Month, ctx: RuleContext) -> list[PayLine] | None:
    """Return the worker's monthly pay lines for `month` (rounded to the cent, each cited).

    An empty list means nothing is payable (e.g. not in service that month). Raise
    `MissingParameter` if a number the documents leave to a district is unset. `None`: ask the
    parent jurisdiction.
    """


@hookspec(firstresult=True)
def shegong_pool_shares(workers: Sequence[Worker], year: int, ctx: RuleContext) -> list[PoolShare] | None:
    """Share a yearly pool (bonus, performance pay) among `workers` of one unit for `year`.

    The shares of a pool must add up exactly to the pool (to the cent). An empty list: this
    jurisdiction has no such pool. `None`: ask the parent.
    """


# --------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def shegong_propose_grade(worker: Worker, year: int, period: str, ctx: RuleContext) -> GradeProposal | None:
    """Propose the worker's grade for `year` and `period` with the reasons, from scores, records
    (absences, training, earlier grades) and any panel grade. Rule-based downgrades win over
    the score and are marked `forced`. `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_grade_consequences(
    worker: Worker, year: int, grade: str, period: str, ctx: RuleContext
) -> list[Consequence] | None:
    """Return what follows from `grade` for the assessment of `year` and `period` ("half_year" or
    "year_end") for this worker, given their history (bonus cut, warning period, dismissal or
    non-renewal, priority at re-election, pay step). `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_grade_quotas(
    unit: str, workers: Sequence[Worker], year: int, ctx: RuleContext
) -> list[Quota] | None:
    """Return the grade quotas for one unit (`street:…` or `community:…`, per the jurisdiction's
    `quota_unit`) whose assessed workers are `workers`. An empty list: no quota. `None`: ask the
    parent.
    """


# --------------------------------------------------------------------------------------------
# Retirement, leave, staffing
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def shegong_retirement(worker: Worker, ctx: RuleContext) -> RetirementDate | None:
    """Return the worker's retirement date: the jurisdiction picks the national track (and any
    local exception) and calls `core.retirement`. `None`: ask the parent; if nobody answers,
    core applies the national rule on the track implied by sex (men 60, women 55).
    """


@hookspec(firstresult=True)
def shegong_annual_leave(worker: Worker, year: int, ctx: RuleContext) -> LeaveEntitlement | None:
    """Return the worker's paid annual leave days for `year`. `None`: ask the parent."""


@hookspec(firstresult=True)
def shegong_staffing(
    community: Community, workers: Sequence[Worker], ctx: RuleContext
) -> StaffingRequirement | None:
    """Return the posts `community` needs (a number or a range, by type where the text has types).
    `workers` are those in post there today, for rules that depend on them. `None`: ask the parent.
    """


# --------------------------------------------------------------------------------------------
# Compliance and eligibility
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def shegong_worker_findings(worker: Worker, on: dt.date, ctx: RuleContext) -> list[Finding] | None:
    """Return every compliance finding for the worker on `on` (certificates, training minimums,
    absences, probation and contract ends, secondment length, health checks, recall thresholds,
    appeal deadlines), each with severity and citation. `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_community_findings(
    community: Community, workers: Sequence[Worker], on: dt.date, ctx: RuleContext
) -> list[Finding] | None:
    """Return findings about a community as a whole (staffing, office space, funding). `None`:
    ask the parent.
    """


@hookspec(firstresult=True)
def shegong_eligibility(
    worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext
) -> Eligibility | None:
    """Say whether the worker meets the conditions for `purpose` ("recruitment" or "promotion")
    to post `target` on `on`, with the reasons. `None`: ask the parent.
    """


# --------------------------------------------------------------------------------------------
# Labour law and family leave (answered by the national root unless a local text says more)
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def shegong_untaken_leave_pay(
    worker: Worker, year: int, days: int, monthly_pay: Decimal, ctx: RuleContext
) -> PayLine | None:
    """Return the extra pay owed for `days` of the year's annual leave not taken, given the
    worker's `monthly_pay` (the caller's figure: the average of the last 12 months, overtime
    excluded). The line holds only what is owed beyond the normal pay already paid for those days.
    `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_contract_entitlement(worker: Worker, on: dt.date, ctx: RuleContext) -> ContractEntitlement | None:
    """Say whether the worker may ask for an open-ended labour contract on `on`, on which ground
    and since when (ten years' continuous service, or two consecutive fixed terms). Core turns a
    due entitlement into a worker finding with its date. `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_severance(
    worker: Worker, ended_on: dt.date, monthly_pay: Decimal, ctx: RuleContext
) -> Severance | None:
    """Return the economic compensation owed if the worker's contract ends on `ended_on`, given
    `monthly_pay` (the caller's figure: the average of the 12 months before the end). Raise
    `MissingParameter` when the local average wage a cap needs is unset. `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_committee_term(start: dt.date, ctx: RuleContext) -> TermLength | None:
    """Return how many years a residents' committee term that starts on `start` lasts (the law
    in force on that day). `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_marriage_leave(worker: Worker, on: dt.date, ctx: RuleContext) -> LeaveEntitlement | None:
    """Return the marriage leave days of a worker who marries on `on`: the national minimum plus
    any local extension in force that day (an unset extension is said in the reasons, never
    guessed). `None`: ask the parent.
    """


@hookspec(firstresult=True)
def shegong_maternity_leave(
    worker: Worker, on: dt.date, difficult: bool, babies: int, ctx: RuleContext
) -> LeaveEntitlement | None:
    """Return the maternity leave days of a worker who gives birth on `on` to `babies` babies,
    `difficult` when the birth was difficult (难产): the national days plus any local extension
    in force that day. `None`: ask the parent.
    """
