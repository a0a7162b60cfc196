"""The national statutory retirement age, which overrides the ages restated in the local texts.

Since 2025-01-01 the national decision gradually raises the statutory age month by month by birth
month (RULES.md, "National rule"): men 60 → 63 and women on the 55 track → 58, one month more for
every 4 months of birth after the start; women on the 50 track → 55, one month for every 2. The
pre-2025 literal ages are kept for history and what-if. Which track applies is the jurisdiction's
to say; an agreed flexible retirement (up to 3 years early, never below the old age; up to 3 years
late) moves the date.
"""

from __future__ import annotations

import datetime as dt

import attrs

from core.i18n import msg
from core.model import RetirementTrack, Sex, Worker, add_months
from core.results import Citation, Reason, RetirementDate

# A national text has no seed file: cited by its title alone. The 办法 annexed to the decision sets
# the schedule in 第一条 (men and the 55 track: one month per four; the 50 track: one per two; the
# tables in its annex) and flexible early or late retirement, up to three years, in 第三条
# (第二条 raises the minimum contribution years, which no rule here computes).
NATIONAL_EN = "NPC Standing Committee decision on gradually raising the statutory retirement age (2024)"
NATIONAL_DECISION = Citation(
    "",
    "《国务院关于渐进式延迟法定退休年龄的办法》第一条及附件对照表",
    "全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定(2024)",
    NATIONAL_EN,
)
FLEXIBLE_RULE = Citation(
    "",
    "《国务院关于渐进式延迟法定退休年龄的办法》第三条",
    "全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定(2024)",
    NATIONAL_EN,
)
RULE_2025 = "2025"
RULE_PRE_2025 = "pre2025"
IN_FORCE = dt.date(2025, 1, 1)


@attrs.frozen
class Track:
    old_age_years: int
    raise_from: tuple[int, int]  # (year, month) of the first birth month that is delayed
    months_per_step: int
    max_delay: int


TRACKS: dict[RetirementTrack, Track] = {
    RetirementTrack.MALE_60: Track(60, (1965, 1), 4, 36),
    RetirementTrack.FEMALE_55: Track(55, (1970, 1), 4, 36),
    RetirementTrack.FEMALE_50: Track(50, (1975, 1), 2, 60),
}


def default_track(sex: Sex) -> RetirementTrack:
    """Men 60; women the 55 (cadre / management) track unless a jurisdiction says 50."""
    return RetirementTrack.MALE_60 if sex == Sex.MALE else RetirementTrack.FEMALE_55


def delay_months(birth: dt.date, track: RetirementTrack) -> int:
    """Months added to the old age: min(max, floor(m / step) + 1), m from the first delayed month."""
    spec = TRACKS[track]
    start_year, start_month = spec.raise_from
    m = (birth.year - start_year) * 12 + (birth.month - start_month)
    if m < 0:
        return 0
    return min(spec.max_delay, m // spec.months_per_step + 1)


def statutory_age_months(birth: dt.date, track: RetirementTrack, rule: str = RULE_2025) -> int:
    old = TRACKS[track].old_age_years * 12
    return old if rule == RULE_PRE_2025 else old + delay_months(birth, track)


def national_retirement(
    worker: Worker,
    track: RetirementTrack | None = None,
    *,
    rule: str = RULE_2025,
    minimum_age_months: int | None = None,
    extra_reasons: tuple[Reason, ...] = (),
) -> RetirementDate:
    """The worker's retirement date under the national rule on `track`.

    `minimum_age_months` lets a jurisdiction raise the age for a local exception (Ningguo's woman
    party secretary to 53 or 55): the result is the later of the two, per RULES.md.
    """
    track = track or worker.retirement_track or default_track(worker.sex)
    spec = TRACKS[track]
    base = statutory_age_months(worker.birth_date, track, rule)
    reasons = [
        Reason(
            msg(
                "retire.reason.track",
                track=msg(f"track.{track}"),
                old=spec.old_age_years,
                delay=base - spec.old_age_years * 12,
            ),
            NATIONAL_DECISION if rule == RULE_2025 else None,
            {"birth_date": worker.birth_date, "track": str(track), "rule": rule},
        ),
        *extra_reasons,
    ]
    months = base
    citation = NATIONAL_DECISION
    if minimum_age_months is not None and minimum_age_months > months:
        months = minimum_age_months
        reasons.append(Reason(msg("retire.reason.local_minimum", years=months // 12, months=months % 12)))
    flexible = worker.flexible_retirement
    if flexible is not None and rule == RULE_2025:
        floor = spec.old_age_years * 12
        wanted = months + flexible.months
        applied = max(floor, wanted) if flexible.months < 0 else wanted
        reasons.append(
            Reason(
                msg("retire.reason.flexible", months=flexible.months, applied=applied - months),
                FLEXIBLE_RULE,
                {"agreed_on": flexible.agreed_on, "months": flexible.months},
            )
        )
        months = applied
    date = add_months(worker.birth_date, months)
    return RetirementDate(
        date=date,
        age_years=months // 12,
        age_months=months % 12,
        rule=msg("retire.rule.national" if rule == RULE_2025 else "retire.rule.pre2025"),
        citation=citation,
        inputs={"birth_date": worker.birth_date, "track": str(track), "age_months": months},
        reasons=tuple(reasons),
    )
