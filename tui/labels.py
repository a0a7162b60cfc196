"""How model values read on screen: labels for codes and enums, masked numbers, dates, money.

Posts, grades and certificates are open vocabularies: a jurisdiction names its own in its
descriptor, so their labels come from the loaded plugins first, then from the shared catalog,
then the bare code. Everything else goes through the catalogs (`ui.enum.*` keys are ours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.errors import ShegongError
from core.hookspecs import SourceDocument, Vocabulary, entitle
from core.i18n import catalog, current_language, t
from core.jurisdictions import Jurisdictions
from core.model import (
    AbsenceKind,
    CommunityKind,
    ContractKind,
    Education,
    Entry,
    PartyStatus,
    Period,
    RetirementTrack,
    Sex,
    TrainingKind,
    TrainingLevel,
)
from core.privacy import mask_phone as mask_number
from core.privacy import mask_resident_id
from core.results import Citation

EMPTY = "-"
CERTIFICATE_PREFIX = "ui.enum.certificate"  # + "." + a CertificateKind value

# Enums whose labels live in our catalogs as `ui.enum.<prefix>.<value>`.
ENUM_PREFIXES: dict[type[StrEnum], str] = {
    Sex: "sex",
    Education: "education",
    PartyStatus: "party",
    Entry: "entry",
    ContractKind: "contract",
    TrainingKind: "training",
    TrainingLevel: "level",
    AbsenceKind: "absence",
    Period: "period",
    CommunityKind: "community_kind",
    RetirementTrack: "track",
}


def has_key(message_key: str) -> bool:
    return message_key in catalog(current_language()) or message_key in catalog("zh")


def enum_label(value: StrEnum) -> str:
    prefix = ENUM_PREFIXES.get(type(value))
    if prefix is None:
        return str(value)
    return t(f"ui.enum.{prefix}.{value.value}")


def status_label(status: str) -> str:
    return t(f"status.{status}") if has_key(f"status.{status}") else status


def severity_label(severity: str) -> str:
    return t(f"severity.{severity}") if has_key(f"severity.{severity}") else severity


def mask_phone(phone: str) -> str:
    """`138********`: the carrier prefix only (core.privacy says why)."""
    return mask_number(phone) if phone.strip() else EMPTY


def mask_id(number: str) -> str:
    return mask_resident_id(number) if number else EMPTY


def fmt_date(day: dt.date | str | None) -> str:
    """A date as ISO text; text is a date `core.privacy` already cut for a viewer (`2046-06`)."""
    if isinstance(day, str):
        return day
    return day.isoformat() if day is not None else EMPTY


def fmt_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return EMPTY
    return t("ui.common.yes") if value else t("ui.common.no")


class Lexicon:
    """Labels that depend on the loaded jurisdictions, cached per jurisdiction."""

    def __init__(self, jurisdictions: Jurisdictions) -> None:
        self.jurisdictions = jurisdictions
        self._vocab: dict[tuple[str, str], Mapping[str, Vocabulary]] = {}
        self._documents: tuple[SourceDocument, ...] | None = None

    def _vocabulary(self, jurisdiction: str | None, kind: str) -> Mapping[str, Vocabulary]:
        if jurisdiction is None:
            return {}
        cache_key = (jurisdiction, kind)
        found = self._vocab.get(cache_key)
        if found is None:
            try:
                found = self.jurisdictions.vocabulary(jurisdiction, kind)
            except ShegongError:
                found = {}
            self._vocab[cache_key] = found
        return found

    def _label(self, code: str, jurisdiction: str | None, kind: str, catalog_prefix: str) -> str:
        vocab = self._vocabulary(jurisdiction, kind).get(code)
        if vocab is not None:
            return (vocab.en or vocab.zh) if current_language() == "en" else vocab.zh
        if has_key(f"{catalog_prefix}.{code}"):
            return t(f"{catalog_prefix}.{code}")
        return code

    def post(self, code: str, jurisdiction: str | None = None) -> str:
        return self._label(code, jurisdiction, "posts", "post")

    def grade(self, code: str, jurisdiction: str | None = None) -> str:
        return self._label(code, jurisdiction, "grades", "grade")

    def certificate(self, code: str, jurisdiction: str | None = None) -> str:
        return self._label(code, jurisdiction, "certificates", CERTIFICATE_PREFIX)

    def jurisdiction(self, key: str) -> str:
        """The jurisdiction's own name, or its key marked as not loaded."""
        try:
            info = self.jurisdictions.info(key)
        except ShegongError:
            return t("ui.common.not_loaded", key=key)
        return (info.en or info.zh) if current_language() == "en" else info.zh

    def titled(self, citation: Citation | Mapping[str, Any] | str) -> Citation:
        """`citation` with its document's title. A result carries it already; a run or round stored
        before titles were kept (a `{document, article}` dict, or `file article` text) takes it
        from the loaded plugins' documents, by file and 篇."""
        if isinstance(citation, str):
            document, _, article = citation.strip().partition(" ")
            citation = Citation(document, article)
        elif not isinstance(citation, Citation):
            citation = Citation.from_data(citation)
        if citation.title:
            return citation
        if self._documents is None:
            self._documents = tuple(
                doc for key in self.jurisdictions.keys for doc in self.jurisdictions.info(key).documents
            )
        return entitle(citation, self._documents)

    def document(self, citation: Citation) -> str:
        """The document column of a table: its own title in the operator's language."""
        titled = self.titled(citation)
        if not titled.title:
            return titled.document
        return (titled.title_en or titled.title) if current_language() == "en" else titled.title

    def cite(self, citation: Citation | Mapping[str, Any] | str | None) -> str:
        """`《title》article` (`title, article` in English): what every screen shows of a citation."""
        if citation is None or not citation:
            return EMPTY
        if isinstance(citation, Mapping) and not citation.get("article"):
            return str(citation.get("text") or EMPTY)  # stored already rendered
        return self.titled(citation).shown()


def field_label(name: str) -> str:
    """A model field's name as operators say it (`phone` → 电话), or the field path itself."""
    message_key = f"ui.field.{name}"
    return t(message_key) if has_key(message_key) else name


def _english() -> bool:
    return current_language() == "en"


def paren(text: str) -> str:
    """A parenthetical in the operator's typography: `（…）` in Chinese, ` (…)` in English."""
    return f" ({text})" if _english() else f"（{text}）"


def labelled(label: str, value: str) -> str:
    """`label：value` in Chinese, `label: value` in English."""
    return f"{label}: {value}" if _english() else f"{label}：{value}"


def listing(items: list[str], empty: str = EMPTY, *, clauses: bool = False) -> str:
    """Items joined by `、` in Chinese or `, ` in English (`；` or `; ` for whole clauses)."""
    if not items:
        return empty
    if clauses:
        return ("; " if _english() else "；").join(items)
    return (", " if _english() else "、").join(items)
