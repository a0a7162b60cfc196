"""How personal numbers are hidden: the one place that decides what a masked ID, phone or birth
date looks like, so that nothing shown together lets anyone rebuild a full number.

Resident ID and phone numbers identify a person and are enough to impersonate one, so every list,
export and log shows them masked by default. A mask must hold against *combination*: the attacker
is assumed to know the region code (the community's district gives it), the GB 11643 checksum,
the worker's sex (shown everywhere) and the national retirement rule, and to read every masked
output side by side (lists, details, JSON, history, retirement and forecast lists, exports).

The policy, and the arithmetic behind it:

- A masked ID keeps only the 6-digit region code (`110108************`); the birth date, the three
  sequence digits and the check character are all hidden.
- Masked outputs show the birth date as a year only (`1983`), never with the current age: year and
  age together can pin the birth date to a few days around today's date in the year.
- A retirement date, which is the birth date moved by whole months, is shown to the month
  (`2046-06`) where numbers are masked, so it gives away at most the birth month.

  So the attacker knows at most the birth month: at least 28 candidate days. Of the 1,000 sequence
  numbers, the sex (odd = male) leaves 500; the check character is computed from the rest, so it
  does not narrow anything when hidden. Candidates >= 28 x 500 = 14,000 (a whole birth year:
  365 x 500 = 182,500). Had the mask kept the check character, 1 in 11 would remain (28 x 500 / 11
  ~ 1,270); had it kept the last four (the old mask), with the birth date shown, exactly one.
- A masked phone keeps only its first three characters (`138********`, the carrier's prefix, or a
  landline's area code). Even an attacker who knows the city's 7-digit block of mobile numbers
  still has the 4 subscriber digits to guess: 10^4 = 10,000 candidates. A number of 10 or fewer
  characters is hidden whole.

Who may see the full values is decided in `core.access`, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.model import Worker
    from core.repository import Repository

SENSITIVE_FIELDS = frozenset({"id_number", "phone", "birth_date"})
"""Fields of a stored worker document that hold a personal number or give part of one away."""

AGE_FIELDS = frozenset({"age"})
"""Fields of a shown document that give the current age, left out of masked documents."""

_KEEP_ID = 6  # the region code, which the attacker knows anyway
_KEEP_PHONE = 3
_PHONE_HIDDEN_MIN = 8


def mask_resident_id(number: str) -> str:
    """`110105************`: only the region code kept (see the module docstring)."""
    if len(number) != 18:
        return "*" * len(number)
    return number[:_KEEP_ID] + "*" * (18 - _KEEP_ID)


def mask_phone(phone: str) -> str:
    """`138********`: the carrier's prefix kept, every subscriber digit hidden."""
    text = phone.strip()
    if len(text) - _KEEP_PHONE < _PHONE_HIDDEN_MIN:
        return "*" * len(text)
    return text[:_KEEP_PHONE] + "*" * (len(text) - _KEEP_PHONE)


def mask_birth(day: dt.date | str) -> str:
    """`1983`: the year of a birth date (or of its ISO text), all a masked output shows of it."""
    text = day.isoformat() if isinstance(day, dt.date) else day
    return text[:4]


def mask_month(day: dt.date) -> str:
    """`2046-06`: a date derived from the birth date by whole months, shown to the month."""
    return f"{day:%Y-%m}"


def mask_field(field: str, value: str) -> str:
    """`value` masked the way `field` (`id_number`, `phone`, `birth_date`) is; others unchanged."""
    if field == "id_number":
        return mask_resident_id(value)
    if field == "phone":
        return mask_phone(value)
    if field == "birth_date":
        return mask_birth(value)
    return value


def mask_document(data: Any) -> Any:
    """A copy of a stored document (a worker, an audit entry's before/after) with every personal
    number masked, birth dates cut to the year and current ages left out, however deeply it is
    nested; anything else is returned as it is."""
    if isinstance(data, Mapping):
        return {
            k: mask_field(k, str(v))
            if k in SENSITIVE_FIELDS and isinstance(v, str | dt.date)
            else mask_document(v)
            for k, v in data.items()
            if k not in AGE_FIELDS
        }
    if isinstance(data, list | tuple):
        return [mask_document(item) for item in data]
    return data


_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_ZH_DAY = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日")


def from_birth(day: dt.date, birth: dt.date) -> bool:
    """Whether `day` could be `birth` moved by whole months (a birthday, a retirement date, the day
    an age is reached): the same day of the month, or a month's last day for a later birth day."""
    if day.day == birth.day:
        return True
    following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return birth.day > day.day and following - dt.timedelta(days=1) == day


def _masked_day(day: dt.date, birth: dt.date) -> str | None:
    if day == birth:
        return mask_birth(day)
    return mask_month(day) if from_birth(day, birth) else None


# A count of days to a date (`（还有 37 天）`, `(37 days)`): with today's date beside it, it gives
# the cut date back to the day, so a text whose birth-derived date was cut loses it too.
_DAYS_LEFT = re.compile(r"\s*(?:（还有\s*\d+\s*天）|\(\d+ days?\))")


def _hide_in_text(text: str, birth: dt.date) -> str:
    cut = False

    def swap(match: re.Match[str]) -> str:
        nonlocal cut
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        masked = _masked_day(day, birth)
        cut = cut or masked is not None
        return masked or match[0]

    shown = _ZH_DAY.sub(swap, _ISO_DAY.sub(swap, text))
    return _DAYS_LEFT.sub("", shown) if cut else shown


def hide_birth_dates(data: Any, birth: dt.date) -> Any:
    """`data` (text, or JSON-ready values however nested) as a masked output shows it: the birth
    date cut to its year, every date that could be derived from it by whole months (a retirement
    date, the day an age is reached) cut to its month, and current ages left out."""
    if isinstance(data, str):
        return _hide_in_text(data, birth) if any(c.isdigit() for c in data) else data
    if isinstance(data, dt.date):
        return _masked_day(data, birth) or data
    if isinstance(data, Mapping):
        return {k: hide_birth_dates(v, birth) for k, v in data.items() if k not in AGE_FIELDS}
    if isinstance(data, list | tuple):
        return [hide_birth_dates(item, birth) for item in data]
    return data


Shown = Callable[[Any, Any], Any]
"""`shown(item, value)`: `value` (a date, text, JSON-ready data) of a forecast `Due` or a
`Finding` as the registry's operator may see it."""


def births_hidden_from(registry: Repository) -> Mapping[int, dt.date]:
    """Each worker's birth date, to cut from rule results, if the operator sees numbers masked;
    empty for whoever may see full numbers."""
    from core.scoped import may_reveal

    return {} if may_reveal(registry) else {w.id: w.birth_date for w in registry.workers()}


def worker_of(item: Any) -> int | None:
    """The worker a `Due` (`worker_id`) or a `Finding` (`subject` "worker:12") is about."""
    worker_id = getattr(item, "worker_id", None)
    if isinstance(worker_id, int):
        return worker_id
    kind, _, key = str(getattr(item, "subject", "")).partition(":")
    return int(key) if kind == "worker" and key.isdigit() else None


def shown_to(registry: Repository, workers: Iterable[Worker] | None = None) -> Shown:
    """How rule results about workers (forecast, alerts, findings) are shown to `registry`'s
    operator: as they are, or with the dates that give a birth date away cut.

    A caller that has just read the workers passes them, so a city is not read twice; a result
    about a worker not among them makes the registry's own list be read, once."""
    from core.scoped import may_reveal

    if may_reveal(registry):
        return as_is
    complete = workers is None
    births = dict(births_hidden_from(registry)) if workers is None else {w.id: w.birth_date for w in workers}

    def shown(item: Any, value: Any) -> Any:
        nonlocal complete
        worker = worker_of(item)
        if worker is None:
            return value
        if worker not in births and not complete:
            births.update(births_hidden_from(registry))
            complete = True
        birth = births.get(worker)
        return value if birth is None else hide_birth_dates(value, birth)

    return shown


def as_is(item: Any, value: Any) -> Any:
    """The `Shown` of whoever may see everything."""
    return value


def mask_change(before: Any, after: Any) -> tuple[Any, Any]:
    """An audit entry's before and after, masked; a personal value that changed but masks the same
    (a new phone with the same prefix) is marked changed in `after`, or the change would vanish."""
    from core.i18n import translate

    masked_before, masked_after = mask_document(before), mask_document(after)
    if isinstance(before, Mapping) and isinstance(after, Mapping) and isinstance(masked_after, dict):
        for key in SENSITIVE_FIELDS & set(after):
            if before.get(key) != after.get(key) and masked_before.get(key) == masked_after.get(key):
                masked_after[key] = f"{masked_after[key]} {translate('privacy.changed')}"
    return masked_before, masked_after
