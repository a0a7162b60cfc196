"""Retirement (第四十六条8): the relation ends when the worker reaches the statutory age.

The text names no ages, so the national rule applies. Which women's track (55 or 50) is a Reading:
the posts are management posts (大专 and organising ability, 第十条), hence the 55 track by
default; `retirement.female_track` switches it, and a track recorded on the worker wins.
"""

from __future__ import annotations

import datetime as dt

from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import RetirementTrack, Sex, Worker
from core.results import Reason, RetirementDate
from core.retirement import RULE_2025, RULE_PRE_2025, national_retirement
from plugins.shenyang.common import cite, text_param

FEMALE_TRACKS = (str(RetirementTrack.FEMALE_55), str(RetirementTrack.FEMALE_50))


def track_for(worker: Worker, ctx: RuleContext, on: dt.date) -> tuple[RetirementTrack, Reason]:
    if worker.retirement_track is not None:
        return worker.retirement_track, Reason(
            msg("shenyang.retire.reason.recorded_track", track=msg(f"track.{worker.retirement_track}")),
            cite("第四十六条8"),
        )
    if worker.sex == Sex.MALE:
        track = RetirementTrack.MALE_60
    else:
        track = RetirementTrack(text_param(ctx, "retirement.female_track", on, FEMALE_TRACKS))
    return track, Reason(
        msg("shenyang.retire.reason.track", track=msg(f"track.{track}")),
        cite("第四十六条8"),
        {"track": str(track)},
    )


def retirement(worker: Worker, ctx: RuleContext) -> RetirementDate:
    on = ctx.today
    track, why = track_for(worker, ctx, on)
    rule = text_param(ctx, "retirement.rule", on, (RULE_2025, RULE_PRE_2025))
    return national_retirement(worker, track, rule=rule, extra_reasons=(why,))
