"""Exit rules (第三十七、三十八、四十三条) that can be computed from numbers.

The recall petition (第三十七条) needs counts the worker record does not hold (voters of the
community, signatures): `recall_petition` is the helper a screen or script calls with them.
"""

from __future__ import annotations

import datetime as dt

import attrs

from core.absence import working_absence_days, working_runs
from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import AbsenceKind, Worker
from core.results import Citation
from plugins.shenyang.common import cite, fraction, text_param


@attrs.frozen
class PetitionCheck:
    met: bool
    by_voters: bool
    by_representatives: bool
    citation: Citation


def recall_petition(
    ctx: RuleContext,
    on: dt.date,
    *,
    voters: int = 0,
    voter_signatures: int = 0,
    representatives: int = 0,
    representative_signatures: int = 0,
) -> PetitionCheck:
    """第三十七条: 五分之一有选举权的居民 or 三分之一以上的社区代表联名 may demand a recall.

    Both shares include the bound ("以上"; and one fifth is reached at exactly one fifth), and
    are compared in integers so 1/3 of 10 is not rounded: 4 of 10 meets it, 3 of 10 does not.
    """
    for name, value in (
        ("voters", voters),
        ("voter_signatures", voter_signatures),
        ("representatives", representatives),
        ("representative_signatures", representative_signatures),
    ):
        if value < 0:
            raise ValidationError(name, msg("shenyang.invalid.amount", value=value))
    vn, vd = fraction(ctx.params.value("exit.recall_voters_share", on), "exit.recall_voters_share")
    rn, rd = fraction(
        ctx.params.value("exit.recall_representatives_share", on), "exit.recall_representatives_share"
    )
    by_voters = voters > 0 and voter_signatures * vd >= voters * vn
    by_reps = representatives > 0 and representative_signatures * rd >= representatives * rn
    return PetitionCheck(by_voters or by_reps, by_voters, by_reps, cite("第三十七条"))


def deemed_resigned(worker: Worker, on: dt.date, ctx: RuleContext) -> tuple[int, dt.date] | None:
    """第四十三条: 十天以上未参加社区工作且未说明理由 → may be deemed to have resigned.

    Returns (days, the day they reached the limit's run or the year's last counted day) when the
    limit (10 included) is reached within the lookback, under the `exit.deemed_resigned_count` reading.
    Days not at work count working days (RULES.md "Days off work"): a weekend inside or between
    records is no day missed and does not break the run.
    """
    limit = ctx.params.integer("exit.deemed_resigned_days", on)
    mode = text_param(ctx, "exit.deemed_resigned_count", on, ("consecutive", "year_total"))
    since = on - dt.timedelta(days=ctx.params.integer("findings.lookback_days", on))
    calendar = ctx.params.calendar
    if mode == "consecutive":
        runs = [r for r in working_runs(worker, AbsenceKind.UNEXCUSED, calendar, end=on) if r.last >= since]
        long = [r for r in runs if r.days >= limit]
        if not long:
            return None
        last = long[-1]
        return last.days, last.last
    days = working_absence_days(worker, AbsenceKind.UNEXCUSED, dt.date(on.year, 1, 1), on, calendar)
    return (days, on) if days >= limit else None
