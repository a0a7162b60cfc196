"""The Ningguo source document, citations, Reading switches and facts several rules share."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.errors import MissingParameter, ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import IN_SERVICE, Community, Worker
from core.results import Citation

DOCUMENT = "003_7015e226fcf2d031.txt"
TITLE = "关于建立“六定”工作机制激励社区工作者干事创业担当作为的实施意见"
TITLE_EN = "Ningguo implementing opinions on the 'six fixes' for community workers (2021)"
KEY = "ningguo"

# The text numbers its items 1-23 under seven headings; an operator finds "第12条" as item 12.
ARTICLES = {
    1: "一、1.明确范围对象",
    3: "一、3.严格标准条件",
    4: "一、4.科学配备职数",
    6: "二、6.优化网格管理",
    12: "五、12.健全考核制度",
    13: "五、13.健全合同管理",
    14: "五、14.完善退出机制",
    15: "六、15.完善薪酬体系",
    16: "六、16.健全差异化奖励机制",
    17: "六、17.加强人文关怀",
}


def cite(item: int, detail: str = "") -> Citation:
    """A citation to item `item` of the text, e.g. cite(14, "(2)") → "五、14.完善退出机制(2)"."""
    return Citation(DOCUMENT, ARTICLES[item] + detail, TITLE, TITLE_EN)


def text_param(ctx: RuleContext, name: str, on: dt.date, allowed: Sequence[str]) -> str:
    """A text parameter that selects a Reading; a value outside `allowed` is refused by name."""
    value = str(ctx.params.value(name, on))
    if value not in allowed:
        raise ValidationError(name, msg("ningguo.error.choice", value=value, allowed=" / ".join(allowed)))
    return value


def in_service(worker: Worker, day: dt.date) -> bool:
    return worker.service_start <= day and worker.status_on(day) in IN_SERVICE


def street_size(ctx: RuleContext, community: Community) -> int:
    """How many communities the street has, counting `community` even if the context left it out."""
    return len({c.id for c in ctx.street_communities} | {community.id})


def top_cutoff(size: int, percent: int, rounding: str) -> int:
    """The last rank inside "前N%" of `size` communities (第12条, 第14条).

    Reading (`rank.top_share_rounding`): "floor" takes rank ≤ size × N% literally, so 30% of 5
    communities is rank 1 and of 10 is rank 3; "ceil" lets a part count, so 30% of 5 is rank 2.
    """
    exact = size * percent
    return exact // 100 if rounding == "floor" else math.ceil(exact / 100)


ROUNDINGS = ("floor", "ceil")


def rank_in_top(
    community: Community, year: int, ctx: RuleContext, on: dt.date
) -> tuple[bool | None, dict[str, Any]]:
    """Whether the community's 目标管理考核 rank for `year` is in its street's top share.

    None when no rank is recorded for that year. A rank beyond the street's size is a data error
    named by its field, not a silent "no".
    """
    rank = community.target_ranks.get(year)
    size = street_size(ctx, community)
    percent = ctx.params.integer("rank.top_share_percent", on)
    rounding = text_param(ctx, "rank.top_share_rounding", on, ROUNDINGS)
    cutoff = top_cutoff(size, percent, rounding)
    inputs: dict[str, Any] = {
        "year": year,
        "rank": rank,
        "street_communities": size,
        "top_percent": percent,
        "rounding": rounding,
        "cutoff": cutoff,
    }
    if rank is None:
        return None, inputs
    if rank > size:
        raise ValidationError(
            f"target_ranks[{year}]",
            msg("ningguo.error.rank_beyond", community=community.name, rank=rank, size=size),
        )
    return rank <= cutoff, inputs


def table_entry(ctx: RuleContext, name: str, on: dt.date, key: str) -> Any:
    """One entry of a table parameter; a table set without the entry names both."""
    table = ctx.params.value(name, on)
    if not isinstance(table, dict) or key not in table:
        raise MissingParameter(ctx.jurisdiction, name, f"{on.isoformat()} [{key}]")
    return table[key]


def amount(raw: Any, name: str) -> Decimal:
    """A money figure or a rate read from a parameter: a non-negative Decimal, or refused by name."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int):
        raise ValidationError(name, msg("ningguo.error.amount", value=repr(raw)))
    value = Decimal(raw)
    if value < 0:
        raise ValidationError(name, msg("ningguo.error.amount", value=str(value)))
    return value


def percent_text(rate: Decimal) -> str:
    """0.85 → "85", 0.825 → "82.5": a rate shown as a percentage without trailing zeros."""
    text = format(rate * 100, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
