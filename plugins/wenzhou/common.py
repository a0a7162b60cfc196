"""Citations, the households a rule counts and in-service checks, shared by the Wenzhou rules.

`households.basis` is a parameter because 第八条, 第十五条 and 第十九条 say "户" without saying
which count; 第二十二条 defines a weighted count but says it is only for operating funds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import ValidationError
from core.i18n import Message, msg
from core.model import IN_SERVICE, Community, Worker
from core.params import Parameters
from core.results import Citation

DOCUMENT = "001_ab7657c5fca22a12.txt"
TITLE = "温州市城乡社区规范化建设暂行办法（温委办发〔2011〕178号）"
TITLE_EN = "Wenzhou provisional measures for standardised urban and rural communities (2011)"

BASES = ("resident", "registered")


def cite(article: str) -> Citation:
    return Citation(DOCUMENT, article, TITLE, TITLE_EN)


def basis_label(basis: str) -> Message:
    return msg("wenzhou.basis.registered") if basis == "registered" else msg("wenzhou.basis.resident")


def households(community: Community, basis: str, parameter: str) -> int:
    """The household count on `basis`; an unknown basis names the parameter that holds it."""
    if basis == "resident":
        return community.households_resident
    if basis == "registered":
        return community.households_registered
    raise ValidationError(parameter, msg("wenzhou.error.basis", value=basis, allowed=", ".join(BASES)))


def weighted_households(community: Community, params: Parameters, on: dt.date) -> Decimal:
    """第二十二条: 常住户数 × 70% + 户籍户数 × 30%, kept unrounded (the text does not round it)."""
    return Decimal(community.households_resident) * params.decimal("funds.weight.resident", on) + Decimal(
        community.households_registered
    ) * params.decimal("funds.weight.registered", on)


def in_service(worker: Worker, day: dt.date) -> bool:
    return worker.service_start <= day and worker.status_on(day) in IN_SERVICE
