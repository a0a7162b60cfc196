"""Key bindings whose descriptions and tooltips follow the operator's language.

`BINDINGS` are class attributes, built at import time, but the language is only known when the
app starts (and tests run Chinese and English apps in one process). So a binding is declared with
its catalog keys (`ui.key.<id>` for the description, `ui.tip.<id>` for the tooltip) and every
screen and widget renders them in `__init__` with `translate_bindings`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap

from core.i18n import t

if TYPE_CHECKING:
    from textual.dom import DOMNode

DESCRIPTION_PREFIX = "ui.key."
TOOLTIP_PREFIX = "ui.tip."


def key(
    keys: str,
    action: str,
    binding_id: str,
    *,
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
    text: str | None = None,
) -> Binding:
    """A binding with an id whose description and tooltip are catalog keys named after the id
    (or after `text`, when several bindings share one description, like sort keys 1 to 9)."""
    texts = text or binding_id
    return Binding(
        keys,
        action,
        description=DESCRIPTION_PREFIX + texts,
        tooltip=TOOLTIP_PREFIX + texts,
        id=binding_id,
        show=show,
        priority=priority,
        key_display=key_display,
    )


def _render(text: str) -> str:
    if text.startswith((DESCRIPTION_PREFIX, TOOLTIP_PREFIX)):
        return t(text)
    return text


def translate_bindings(node: DOMNode) -> None:
    """Replace `node`'s bindings with copies whose catalog-key texts are rendered."""
    translated: dict[str, list[Binding]] = {}
    for bound_key, binding in node._bindings:
        translated.setdefault(bound_key, []).append(
            dataclasses.replace(
                binding, description=_render(binding.description), tooltip=_render(binding.tooltip)
            )
        )
    node._bindings = BindingsMap.from_keys(translated)
