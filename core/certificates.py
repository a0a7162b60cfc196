"""Certificates of one line, lower to higher: a higher one satisfies a rule asking for a lower one.

The national social-work certificates (助理社会工作师 < 社会工作师 < 高级社会工作师) are one line of
the same profession: a rule that pays or requires 社会工作师 is met by a worker holding 高级社会工作师
(RULES.md, readings added after the first release). Codes of no line (a local certificate) satisfy
only themselves.
"""

from __future__ import annotations

import datetime as dt

from core.model import Certificate, CertificateKind, Worker

LINES: tuple[tuple[str, ...], ...] = (
    (
        CertificateKind.ASSISTANT_SOCIAL_WORKER.value,
        CertificateKind.SOCIAL_WORKER.value,
        CertificateKind.SENIOR_SOCIAL_WORKER.value,
    ),
)


def satisfies(held: str, asked: str) -> bool:
    """`held` is `asked`, or a higher certificate of the same line."""
    if held == asked:
        return True
    for line in LINES:
        if held in line and asked in line:
            return line.index(held) > line.index(asked)
    return False


def holding(worker: Worker, asked: str, on: dt.date) -> Certificate | None:
    """The certificate registered by `on` that meets a rule asking for `asked`: the earliest
    registered, so an allowance runs from the first month the worker qualified."""
    held = [c for c in worker.certificates if c.registered <= on and satisfies(c.kind, asked)]
    return min(held, key=lambda c: (c.registered, c.kind)) if held else None
