"""Seeded workers and communities in a jurisdiction's own vocabulary, for the conformance kit.

A seeded `random.Random` rather than hypothesis: the kit runs in a plugin author's environment
with only pytest, and the same seed gives the same people on every machine, so a failure names a
worker that can be rebuilt. Posts, grades, certificates and assessment periods come from what the
plugin declares, so every branch of its rules sees the codes it knows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from core.convert import structure, unstructure
from core.hookspecs import Vocabulary
from core.model import (
    Absence,
    AbsenceKind,
    Assessment,
    Certificate,
    Community,
    CommunityKind,
    Contract,
    ContractKind,
    Education,
    Entry,
    PartyStatus,
    Period,
    PostTerm,
    Sex,
    Training,
    TrainingKind,
    TrainingLevel,
    Worker,
)
from core.resident_id import checksum_char

STREET = "样本街道"
DISTRICT = "样本区"
CITY = "样本市"


@attrs.frozen
class Vocabularies:
    """What the jurisdiction chain declares; empty tuples fall back to plain defaults."""

    posts: tuple[Vocabulary, ...] = ()
    grades: tuple[Vocabulary, ...] = ()
    certificates: tuple[Vocabulary, ...] = ()
    periods: tuple[str, ...] = ("year_end",)


def id_number(birth: dt.date, sex: Sex, serial: int) -> str:
    """A valid resident ID for `birth` and `sex` (odd sequence digit for men)."""
    seq = 10 + 2 * (serial % 400) + (1 if sex == Sex.MALE else 0)
    first17 = f"110108{birth:%Y%m%d}{seq:03d}"
    return first17 + checksum_char(first17)


def community(
    key: str,
    rng: random.Random,
    index: int,
    households: int | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Community:
    """A community of `key` in the sample street; `households` fixed for monotonicity sweeps.

    `fields` (stored-document names, e.g. `post_quotas`) are facts the plugin's rules need that
    no generator can guess, given by the plugin author with `--shegong-community`.
    """
    resident = rng.randint(0, 12000) if households is None else households
    years = range(2019, 2027)
    made = Community(
        id=f"kit-{index:03d}",
        name=f"样本社区{index}",
        street=STREET,
        district=DISTRICT,
        city=CITY,
        jurisdiction=key,
        kind=rng.choice([CommunityKind.URBAN, CommunityKind.URBAN, CommunityKind.COUNTY_TOWN]),
        households_resident=resident,
        households_registered=max(0, resident - rng.randint(0, 1500)),
        population=resident * rng.randint(2, 4),
        new_residents=rng.randint(0, 9000),
        grid_count=rng.randint(0, 20),
        office_area=Decimal(rng.randint(0, 900)),
        target_ranks={year: rng.randint(1, 12) for year in years},
    )
    if not fields:
        return made
    return structure({**unstructure(made), **fields}, Community, where="--shegong-community")


def worker(
    vocab: Vocabularies,
    rng: random.Random,
    serial: int,
    community_id: str,
    today: dt.date,
    *,
    complete: bool = False,
) -> Worker:
    """One worker in service today with a plausible history; `complete`: every year graded."""
    sex = rng.choice([Sex.MALE, Sex.FEMALE])
    birth = dt.date(rng.randint(1963, 2002), rng.randint(1, 12), rng.randint(1, 28))
    earliest = dt.date(birth.year + 18, birth.month, birth.day)
    span = max(0, (today - earliest).days)
    start = earliest + dt.timedelta(days=rng.randint(0, span)) if span else today
    start = max(start, earliest)
    posts = _posts(vocab, rng, start)
    return Worker(
        name=f"样本{serial}",
        sex=sex,
        birth_date=birth,
        id_number=id_number(birth, sex, serial),
        community_id=community_id,
        service_start=start,
        work_start=start - dt.timedelta(days=rng.choice([0, 0, 365 * rng.randint(1, 8)])),
        entry=rng.choice(list(Entry)),
        education=rng.choice(list(Education)),
        party=rng.choice(list(PartyStatus)),
        posts=posts,
        contracts=(Contract(rng.choice(list(ContractKind)), start, start + dt.timedelta(days=365 * 3)),),
        certificates=_certificates(vocab, rng, start, today),
        assessments=_assessments(vocab, rng, start, today, complete),
        trainings=_trainings(rng, start, today),
        absences=_absences(rng, start, today),
        health_checks=(today - dt.timedelta(days=rng.randint(0, 900)),),
        id=serial,
    )


def _posts(vocab: Vocabularies, rng: random.Random, start: dt.date) -> tuple[PostTerm, ...]:
    codes = [v.code for v in vocab.posts] or ["staff"]
    held = rng.sample(codes, k=min(len(codes), rng.choice([1, 1, 1, 2])))
    return tuple(PostTerm(code, start) for code in held)


def _certificates(
    vocab: Vocabularies, rng: random.Random, start: dt.date, today: dt.date
) -> tuple[Certificate, ...]:
    if not vocab.certificates or rng.random() < 0.4:
        return ()
    day = min(today, start + dt.timedelta(days=rng.randint(0, 3000)))
    return (Certificate(rng.choice(vocab.certificates).code, day, number=f"C{rng.randint(1000, 9999)}"),)


def _assessments(
    vocab: Vocabularies, rng: random.Random, start: dt.date, today: dt.date, complete: bool
) -> tuple[Assessment, ...]:
    grades = [v.code for v in vocab.grades]
    periods = [p for p in vocab.periods if p in {p.value for p in Period}] or ["year_end"]
    out = []
    for year in range(max(start.year, today.year - 6), today.year):
        for period in periods:
            grade = rng.choice(grades) if grades and (complete or rng.random() < 0.85) else None
            score = Decimal(rng.randint(40, 100))
            out.append(Assessment(year, Period(period), grade, {"total": score}, panel=grade is not None))
    return tuple(out)


def _trainings(rng: random.Random, start: dt.date, today: dt.date) -> tuple[Training, ...]:
    out = []
    for year in range(max(start.year, today.year - 3), today.year + 1):
        for _ in range(rng.randint(0, 3)):
            first = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
            if first > today or first < start:
                continue
            last = first + dt.timedelta(days=rng.randint(0, 6))
            out.append(
                Training(
                    first,
                    last,
                    rng.choice(list(TrainingKind)),
                    rng.choice(list(TrainingLevel)),
                    hours=Decimal(rng.randint(2, 60)),
                    passed=rng.choice([None, True, True, False]),
                )
            )
    return tuple(out)


def _absences(rng: random.Random, start: dt.date, today: dt.date) -> tuple[Absence, ...]:
    out = []
    for _ in range(rng.choice([0, 0, 1, 2, 4])):
        first = today - dt.timedelta(days=rng.randint(0, 700))
        if first < start:
            continue
        out.append(
            Absence(first, first + dt.timedelta(days=rng.randint(0, 20)), rng.choice(list(AbsenceKind)))
        )
    return tuple(out)


def population(
    key: str,
    vocab: Vocabularies,
    seed: int,
    communities: int,
    per_community: int,
    today: dt.date,
    fields: Mapping[str, Any] | None = None,
) -> tuple[list[Community], list[Worker]]:
    """`communities` communities of `key` in one street, each with `per_community` workers.

    The even-numbered communities have every assessment on record, the others have gaps, so a
    rule that refuses a unit with an ungraded worker is still exercised on whole units.
    """
    rng = random.Random(seed)
    places = [community(key, rng, i, fields=fields) for i in range(communities)]
    people: list[Worker] = []
    for i, place in enumerate(places):
        for _ in range(per_community):
            people.append(worker(vocab, rng, len(people) + 1, place.id, today, complete=i % 2 == 0))
    return places, people


def births(rng: random.Random, count: int) -> Sequence[dt.date]:
    """`count` sorted birth dates from 1955 to 2003, for the retirement monotonicity sweep."""
    days = sorted(rng.randint(0, (dt.date(2003, 12, 31) - dt.date(1955, 1, 1)).days) for _ in range(count))
    return [dt.date(1955, 1, 1) + dt.timedelta(days=d) for d in days]
