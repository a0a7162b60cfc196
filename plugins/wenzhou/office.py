"""The office and service space a community must have (第十五条).

"社区工作服务用房面积不少于350平方米，规模在2000户以上的社区要按照每百户不低于20平方米的标准配置".
Whether "每百户" means every household adds 0.2 m² or each (started or whole) hundred adds 20 m²
is not said; `office.per_100_reading` holds the choice. The default is proportional: floor space
is continuous, unlike people, so no block is needed to round to. The 350 m² floor always holds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from plugins.wenzhou.staffing import blocks

READINGS = ("proportional", "ceil_blocks", "floor_blocks")


def required_area(count: int, on: dt.date, ctx: RuleContext) -> Decimal:
    p = ctx.params
    minimum = p.decimal("office.min_area", on)
    if count < p.integer("office.large_community_households", on):  # "2000户以上" includes 2000
        return minimum
    per_100 = p.decimal("office.area_per_100_households", on)
    reading = str(p.value("office.per_100_reading", on))
    if reading == "proportional":
        scaled = per_100 * count / 100
    elif reading in ("ceil_blocks", "floor_blocks"):
        scaled = per_100 * blocks(count, 100, reading.split("_")[0], "office.per_100_reading")
    else:
        raise ValidationError(
            "office.per_100_reading", msg("wenzhou.error.reading", value=reading, allowed=", ".join(READINGS))
        )
    return max(minimum, scaled)
