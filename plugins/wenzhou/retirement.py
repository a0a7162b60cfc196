"""Retirement of a Wenzhou community worker: the national statutory rule.

The text says nothing of retirement, so the national rule applies. For women it gives no hint
of the 50 (worker) or 55 (cadre / management) track; `retirement.female_track` holds the choice,
55 by default since full-time community workers do management and service work. A track recorded
on the worker wins over the parameter.
"""

from __future__ import annotations

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import RetirementTrack, Sex, Worker
from core.results import Reason, RetirementDate
from core.retirement import national_retirement
from plugins.wenzhou.common import cite

FEMALE_TRACKS = (RetirementTrack.FEMALE_55.value, RetirementTrack.FEMALE_50.value)


def female_track(ctx: RuleContext) -> RetirementTrack:
    value = str(ctx.params.value("retirement.female_track", ctx.today))
    if value not in FEMALE_TRACKS:
        raise ValidationError(
            "retirement.female_track",
            msg("wenzhou.error.reading", value=value, allowed=", ".join(FEMALE_TRACKS)),
        )
    return RetirementTrack(value)


def retirement(worker: Worker, ctx: RuleContext) -> RetirementDate:
    if worker.retirement_track is not None:
        track = worker.retirement_track
        why = msg("wenzhou.retire.recorded_track")
    elif worker.sex == Sex.MALE:
        track = RetirementTrack.MALE_60
        why = msg("wenzhou.retire.male")
    else:
        track = female_track(ctx)
        why = msg("wenzhou.retire.female_parameter", name="retirement.female_track")
    return national_retirement(worker, track, extra_reasons=(Reason(why, cite("第十九条 第一款")),))
