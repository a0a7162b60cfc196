"""Which part of the registry a workflow covers: a district, a street or one community."""

from __future__ import annotations

import attrs

from core.errors import ValidationError
from core.i18n import msg
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
