"""城市居民委员会组织法 第八条: a residents' committee term lasts three years under the 1989 law and
five years from the 2018-12-29 revision (`national.committee.term_years`, dated); a term takes the
length in force on the day it starts."""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.results import Citation, Reason, TermLength

PARAMETER = "national.committee.term_years"


def term_length(start: dt.date, ctx: RuleContext) -> TermLength:
    value = ctx.params.get(PARAMETER, start)
    years = value.value
    assert isinstance(years, int), f"{PARAMETER} is not an int parameter"
    cite = value.citation or Citation(PARAMETER, "-")
    return TermLength(
        years,
        cite,
        {"start": start, "since": value.since},
        (Reason(msg("national.committee.term", start=start, since=value.since, years=years), cite),),
    )
