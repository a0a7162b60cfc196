"""The source document, citations and the in-service and household counts the Jilin rules share."""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.i18n import msg
from core.model import IN_SERVICE, Community, Worker
from core.results import Citation

KEY = "jilin"
DOCUMENT = "002_2b4eb2efeb6dbbb4.txt"
TITLE = "城市社区工作者职业管理规范（吉林省地方标准 DB22/T 3226-2021）"
TITLE_EN = "Jilin provincial standard DB22/T 3226-2021: professional management of urban community workers"
BASES = ("resident", "registered")


def cite(clause: str) -> Citation:
    """A clause of the standard, e.g. `cite("4.1")`: the standard numbers clauses, not 第X条."""
    return Citation(DOCUMENT, clause, TITLE, TITLE_EN)


def in_service(worker: Worker, day: dt.date) -> bool:
    return worker.service_start <= day and worker.status_on(day) in IN_SERVICE


def households(community: Community, basis: str) -> int:
    """4.1 says "户" without saying which count; `households.basis` names the one an office uses."""
    if basis == "resident":
        return community.households_resident
    if basis == "registered":
        return community.households_registered
    raise ValidationError("households.basis", msg("jilin.error.basis", value=basis, allowed=", ".join(BASES)))
