"""Shared bits of the Shenyang rules: the source document, citations and parameter helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext, SourceDocument
from core.i18n import Message, msg
from core.results import Citation

DOCUMENT = "000_a0ecfbd89ce21d4d.txt"
PART = "第五篇"
KEY = "shenyang"
# File 000 bundles five texts; 第五篇 is Shenyang's own measures, cited by this title.
MEASURES = SourceDocument(
    DOCUMENT, "沈阳市社区工作者管理办法", "Shenyang measures for the management of community workers", (PART,)
)


def cite(article: str) -> Citation:
    """A citation into 第五篇, e.g. cite("第三十条5")."""
    return MEASURES.cite(f"{PART} {article}")


def text_param(ctx: RuleContext, name: str, on: dt.date, allowed: tuple[str, ...]) -> str:
    """A text parameter that selects a Reading; an operator's typo is refused, not guessed at."""
    value = str(ctx.params.value(name, on))
    if value not in allowed:
        raise ValidationError(name, msg("shenyang.invalid.choice", value=value, allowed=" / ".join(allowed)))
    return value


def missing_entry(ctx: RuleContext, name: str, on: dt.date, path: str, article: str) -> MissingParameter:
    """A table parameter is set but lacks the entry a computation needs: name the entry too."""
    return MissingParameter(ctx.jurisdiction, name, f"{on.isoformat()} [{path}]", str(cite(article)))


def as_amount(raw: Any, name: str, path: str) -> Decimal:
    """A money figure inside a table parameter: a non-negative Decimal, or a clear refusal."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int):
        raise ValidationError(f"{name}.{path}", msg("shenyang.invalid.amount", value=repr(raw)))
    value = Decimal(raw)
    if value < 0:
        raise ValidationError(f"{name}.{path}", msg("shenyang.invalid.amount", value=str(value)))
    return value


def fraction(raw: Any, name: str) -> tuple[int, int]:
    """A [numerator, denominator] pair such as [1, 5] (五分之一), kept exact as integers."""
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in raw)
        or raw[1] <= 0
        or raw[0] < 0
    ):
        raise ValidationError(name, msg("shenyang.invalid.fraction", value=repr(raw)))
    return int(raw[0]), int(raw[1])


def join(items: list[Message]) -> Message | str:
    """A list of labels rendered lazily in the reader's language ("甲、乙" / "A, B")."""
    if not items:
        return "-"
    head: Message | str = items[-1]
    for item in reversed(items[:-1]):
        head = msg("shenyang.join", head=item, tail=head)
    return head
