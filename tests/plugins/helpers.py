"""What the plugin tests share: the installed jurisdictions, and rules over one community with
some parameters set for the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import Community
from core.params import Override
from core.rules import Rules


def installed(key: str) -> Jurisdictions:
    """Every installed jurisdiction; fails naming the broken ones if `key` did not load."""
    loaded = Jurisdictions()
    loaded.load_entry_points()
    assert key in loaded.keys, loaded.broken
    return loaded


def rules_over(
    js: Jurisdictions,
    key: str,
    community: Community,
    params: Mapping[str, Any],
    since: dt.date,
    today: dt.date,
) -> Rules:
    """Rules over a registry holding only `community`, with `params` set for `key` from `since`."""
    js.set_overrides(
        [
            Override(key, name, value, since, "test", "test", i)
            for i, (name, value) in enumerate(params.items())
        ]
    )
    registry = MemoryRegistry(user="test")
    registry.add_community(community)
    return Rules(registry, js, today=today)
