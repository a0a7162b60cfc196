"""Which part of the registry a workflow covers: a district, a street or one community."""

from __future__ import annotations

import attrs

from core.errors import ShegongError, ValidationError
from core.i18n import msg, translate
from core.model import Community
from core.repository import WorkerQuery


@attrs.frozen
class Scope:
    district: str | None = None
    street: str | None = None
    community: str | None = None

    @classmethod
    def parse(cls, text: str) -> Scope:
        """`all`, `district:海淀区`, `street:海淀区/中关村街道` or `community:bj-hd-001`."""
        text = text.strip()
        if text in ("", "all"):
            return cls()
        kind, _, value = text.partition(":")
        if kind == "district" and value:
            return cls(district=value)
        if kind == "street" and "/" in value:
            district, street = value.split("/", 1)
            return cls(district=district, street=street)
        if kind == "community" and value:
            return cls(community=value)
        raise ValidationError("scope", msg("invalid.scope", value=text))

    def query(self) -> WorkerQuery:
        return WorkerQuery(community=self.community, street=self.street, district=self.district)

    def contains(self, community: Community) -> bool:
        return (
            (self.community is None or community.id == self.community)
            and (self.street is None or community.street == self.street)
            and (self.district is None or community.district == self.district)
        )

    def __str__(self) -> str:
        if self.community:
            return f"community:{self.community}"
        if self.street:
            return f"street:{self.district}/{self.street}"
        if self.district:
            return f"district:{self.district}"
        return "all"


def describe_scope(scope: Scope) -> str:
    """The scope as an operator says it: 全部社区、沈河区、沈河区五里河街道、社区 sy-sh-001."""
    if scope.community:
        return translate("scope.community", id=scope.community)
    if scope.street:
        return translate("scope.street", district=scope.district or "", street=scope.street)
    if scope.district:
        return translate("scope.district", district=scope.district)
    return translate("scope.all")


def describe_scope_text(text: str) -> str:
    """A stored scope (`street:沈河区/五里河街道`) as `describe_scope` says it; unreadable text as is."""
    try:
        return describe_scope(Scope.parse(text))
    except ShegongError:
        return text
