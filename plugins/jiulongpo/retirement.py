"""Retirement of a Jiulongpo community worker: the national statutory rule.

The text says nothing of retirement (第三十四条 defers to later rules), so the national rule
applies. For women the 55 (cadre / management) track is the default (`retirement.female_track`):
community workers do management and service work under labour contracts. A track recorded on the
worker wins over the parameter.
"""

from __future__ import annotations

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import RetirementTrack, Sex, Worker
from core.results import Reason, RetirementDate
from core.retirement import national_retirement
from plugins.jiulongpo.common import cite

FEMALE_TRACKS = (RetirementTrack.FEMALE_55.value, RetirementTrack.FEMALE_50.value)


def retirement(worker: Worker, ctx: RuleContext) -> RetirementDate:
    if worker.retirement_track is not None:
        track = worker.retirement_track
        why = msg("jiulongpo.retire.recorded_track")
    elif worker.sex == Sex.MALE:
        track = RetirementTrack.MALE_60
        why = msg("jiulongpo.retire.male")
    else:
        value = str(ctx.params.value("retirement.female_track", ctx.today))
        if value not in FEMALE_TRACKS:
            raise ValidationError(
                "retirement.female_track",
                msg("jiulongpo.error.reading", value=value, allowed=", ".join(FEMALE_TRACKS)),
            )
        track = RetirementTrack(value)
        why = msg("jiulongpo.retire.female_parameter", name="retirement.female_track")
    return national_retirement(worker, track, extra_reasons=(Reason(why, cite("第二条；第三十四条")),))
