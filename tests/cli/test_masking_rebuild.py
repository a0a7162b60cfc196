"""An outside attack on masking: rebuild full resident IDs and phones from what a viewer sees.

A viewer runs the real commands on the demo registry (lists, details, JSON, history, retirement,
forecast, alerts, every export without `--full-ids`) and everything printed or written is
collected. For each worker the test then plays the attacker, who knows the community's region
code, the worker's sex (shown everywhere), the GB 11643 checksum and the national retirement rule,
and counts the resident IDs still consistent with everything shown:

- the birth year is taken as known (masked lists show it);
- a birth month is known if the birth date or the retirement date (which is the birth date moved
  by whole months) is shown to the month (`1983-06`, `1983年6月`), a day if shown to the day;
- a shown current age, with today, cuts the birth window to the days that give that age;
- every masked ID shown (`110223**********16`-like) that agrees with the real one fixes the
  characters it keeps; a kept check character leaves 1 in 11 of the rest.

For a phone the attacker is assumed to know the 7-digit block (carrier prefix and the city's
segment): only hidden subscriber digits (the last four) count.

Fewer than `ID_FLOOR` IDs or `PHONE_FLOOR` phones left for any worker fails the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

from core.model import RetirementTrack, Sex, Worker, age_on
from core.registry import open_registry
from core.retirement import national_retirement
from core.storage.layout import current_user
from tests.cli.helpers import Run

ID_FLOOR = 10_000
PHONE_FLOOR = 10_000
ME_ENV = "SUDO_USER"  # believed: the tests run as root, as sudo to the owner would
_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK = "10X98765432"
_MASKED_ID = re.compile(r"(?<![0-9X*])[0-9X*]{18}(?![0-9X*])")
_MASKED_PHONE = re.compile(r"(?<![0-9*])[0-9*]{7,12}(?![0-9*])")


def check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@pytest.fixture(autouse=True)
def _as_viewer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ME_ENV, raising=False)
    yield


def _xlsx_text(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in row))
    book.close()
    return lines


def _csv_text(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return ["\t".join(row) for row in csv.reader(f)]


def _seen_by_viewer(run: Run, db: Path, workers: list[Worker], out: Path) -> tuple[list[str], dict[int, str]]:
    """Every line a viewer is shown in lists and exports, and each worker's own pages."""
    lines: list[str] = []
    pages: dict[int, str] = {}

    def ok(*argv: object) -> str:
        result = run("--db", db, *argv)
        assert result.code == 0, (argv, result.err)
        return result.out + result.err

    for argv in (
        ("worker", "list"),
        ("retire", "--within", "600"),
        ("forecast", "--months", "600"),
        ("alerts",),
        ("findings",),
    ):
        lines += ok(*argv).splitlines()
        lines += [orjson.dumps(x).decode() for x in _records(ok(*argv, "--json"))]
    for what, suffix in (("roster", "csv"), ("roster", "xlsx"), ("forecast", "csv"), ("alerts", "csv")):
        target = out / f"{what}.{suffix}"
        extra = ("--months", "600") if what == "forecast" else ()
        ok("export", what, target, *extra)
        lines += _csv_text(target) if suffix == "csv" else _xlsx_text(target)
    for w in workers:
        pages[w.id] = "\n".join(
            ok(*argv)
            for argv in (
                ("worker", "show", w.id),
                ("worker", "show", w.id, "--json"),
                ("worker", "history", w.id),
                ("worker", "history", w.id, "--json"),
                ("retire", "--worker", w.id),
                ("retire", "--worker", w.id, "--json"),
                ("explain", "--worker", w.id),
            )
        )
    return lines, pages


def _records(text: str) -> list[Any]:
    """The JSON output's records, one per element of its longest list (a worker per record)."""
    data = orjson.loads(text)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        return max(lists, key=len) if lists else [data]
    return list(data) if isinstance(data, list) else [data]


def _retirements(worker: Worker) -> list[dt.date]:
    """The statutory retirement dates on every track: the birth date moved by whole months, which
    the attacker can work back (a local rule may move the date to a term end instead)."""
    return [national_retirement(worker, track).date for track in RetirementTrack]


def _day_forms(day: dt.date) -> list[str]:
    return [day.isoformat(), f"{day:%Y%m%d}", f"{day.year}年{day.month}月{day.day}日", f"{day:%Y/%m/%d}"]


def _month_forms(day: dt.date) -> list[str]:
    return [f"{day:%Y-%m}", f"{day.year}年{day.month}月", f"{day:%Y/%m}"]


def _age_shown(text: str, age: int) -> bool:
    return bool(re.search(rf"(?<!\d){age}\s*岁(?!\s*\d+\s*个月)|\"age\":{age}\b", text))


def _birth_window(worker: Worker, retire: list[dt.date], text: str, today: dt.date) -> list[dt.date]:
    birth = worker.birth_date
    first = dt.date(birth.year, 1, 1)
    window = [first + dt.timedelta(days=d) for d in range((dt.date(birth.year + 1, 1, 1) - first).days)]
    dated = [birth, *retire]
    for day in dated:
        if any(form in text for form in _day_forms(day)):
            return [birth]
    for day in dated:
        if any(form in text for form in _month_forms(day)):
            window = [d for d in window if d.month == birth.month]
    age = age_on(birth, today)
    if _age_shown(text, age):
        window = [d for d in window if age_on(d, today) == age]
    return window


def _known_positions(tokens: set[str], real: str) -> dict[int, str]:
    known: dict[int, str] = {}
    for token in tokens:
        if len(token) == len(real) and all(c in ("*", r) for c, r in zip(token, real, strict=True)):
            known.update({i: c for i, c in enumerate(token) if c != "*"})
    return known


def _id_candidates(worker: Worker, window: list[dt.date], known: dict[int, str]) -> int:
    real = worker.id_number
    if len(known) == 18 or real in known.values():
        return 1
    parity = 1 if worker.sex is Sex.MALE else 0
    tails = [
        f"{seq:03d}"
        for seq in range(1000)
        if seq % 2 == parity and all(known.get(14 + i, c) == c for i, c in enumerate(f"{seq:03d}"))
    ]
    heads = [real[:6] + f"{day:%Y%m%d}" for day in window]
    heads = [h for h in heads if all(known.get(i, c) == c for i, c in enumerate(h))]
    if 17 not in known:  # a hidden check character narrows nothing: it follows from the rest
        return len(heads) * len(tails)
    return sum(1 for h in heads for tail in tails if check_char(h + tail) == known[17])


def _phone_candidates(phone: str, text: str) -> int:
    digits = phone.strip()
    if digits in text:
        return 1
    known = _known_positions(set(_MASKED_PHONE.findall(text)), digits)
    hidden_subscriber = sum(1 for i in range(max(0, len(digits) - 4), len(digits)) if i not in known)
    return 10**hidden_subscriber


def test_no_full_id_or_phone_can_be_rebuilt_from_what_a_viewer_sees(
    run: Run, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date.today()
    with open_registry(demo_db) as reg:
        workers = sorted(reg.workers(), key=lambda w: w.id)
    retirements = {w.id: _retirements(w) for w in workers}
    grant = ("operators", "add")
    assert run("--db", demo_db, *grant, current_user(), "--role", "admin", "--scope", "all").code == 0
    assert run("--db", demo_db, *grant, "carol", "--role", "viewer", "--scope", "all").code == 0
    monkeypatch.setenv(ME_ENV, "carol")
    lines, pages = _seen_by_viewer(run, demo_db, workers, tmp_path)
    weak: list[str] = []
    for w in workers:
        # Everything that can be tied to this worker: the lines naming them, and their own pages.
        text = "\n".join([pages[w.id], *(line for line in lines if w.name in line)])
        everything = "\n".join([text, *lines])
        window = _birth_window(w, retirements[w.id], text, today)
        if w.id_number in everything:
            ids = 1
        else:
            ids = _id_candidates(w, window, _known_positions(set(_MASKED_ID.findall(text)), w.id_number))
        phones = _phone_candidates(w.phone, everything) if w.phone else PHONE_FLOOR
        if ids < ID_FLOOR or phones < PHONE_FLOOR:
            weak.append(f"{w.id} {w.name}: {ids} IDs, {phones} phones left (birth window {len(window)} days)")
    assert not weak, "\n".join(weak)
