"""The community form's fields and how its texts become a `Community`, apart from any screen.

Jurisdictions are offered from the loaded plugins; a community already naming one that is not
loaded keeps it (marked as not loaded) so opening and saving it changes nothing by accident. The
yearly target ranks and the city's post quotas are tables kept as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from core.errors import ValidationError
from core.i18n import msg
from core.model import Community, CommunityKind
from tui.forms.fields import (
    FieldError,
    FieldSpec,
    choice_field,
    code_field,
    count_field,
    decimal_field,
    parse_all,
    text_field,
)
from tui.labels import Lexicon, enum_label

LABELS: dict[str, str] = {
    "id": "ui.form.community.id",
    "name": "ui.form.community.name",
    "street": "ui.form.community.street",
    "district": "ui.form.community.district",
    "city": "ui.form.community.city",
    "jurisdiction": "ui.form.community.jurisdiction",
    "kind": "ui.form.community.kind",
    "households_resident": "ui.form.community.households_resident",
    "households_registered": "ui.form.community.households_registered",
    "population": "ui.form.community.population",
    "new_residents": "ui.form.community.new_residents",
    "grid_count": "ui.form.community.grid_count",
    "office_area": "ui.form.community.office_area",
}
"""Every field of the form, in the order shown."""

COUNTS = ("households_resident", "households_registered", "population", "new_residents", "grid_count")


@attrs.frozen
class CommunityFormContext:
    existing: Sequence[str]  # the ids already in the registry
    jurisdictions: Sequence[str]  # the loaded jurisdictions' keys
    lexicon: Lexicon


@attrs.frozen
class CommunityCheck:
    community: Community | None
    errors: Mapping[str, FieldError]


def community_specs(ctx: CommunityFormContext, base: Community | None = None) -> dict[str, FieldSpec]:
    """The fields; the jurisdictions offered are the loaded ones and the one `base` names."""
    keys = list(ctx.jurisdictions)
    current = base.jurisdiction if base is not None else ""
    if current and current not in keys:
        keys.append(current)
    jurisdictions = [(k, f"{ctx.lexicon.jurisdiction(k)} ({k})") for k in keys]
    specs = [
        code_field("id", LABELS["id"]),
        text_field("name", LABELS["name"], required=True),
        text_field("street", LABELS["street"], required=True),
        text_field("district", LABELS["district"], required=True),
        text_field("city", LABELS["city"], required=True),
        choice_field("jurisdiction", LABELS["jurisdiction"], jurisdictions, required=True),
        choice_field(
            "kind", LABELS["kind"], [(k.value, enum_label(k)) for k in CommunityKind], required=True
        ),
        *(count_field(name, LABELS[name]) for name in COUNTS),
        decimal_field("office_area", LABELS["office_area"]),
    ]
    return {spec.name: spec for spec in specs}


def community_texts(community: Community | None) -> dict[str, str]:
    if community is None:
        texts = dict.fromkeys(LABELS, "")
        texts["kind"] = CommunityKind.URBAN.value
        return texts
    texts = {
        "id": community.id,
        "name": community.name,
        "street": community.street,
        "district": community.district,
        "city": community.city,
        "jurisdiction": community.jurisdiction,
        "kind": community.kind.value,
        "office_area": str(community.office_area),
    }
    for name in COUNTS:
        texts[name] = str(getattr(community, name))
    return texts


def check_community(
    texts: Mapping[str, str], base: Community | None, ctx: CommunityFormContext
) -> CommunityCheck:
    """The community `texts` describe, or every field's error. Never raises for anything typed.

    A new community's id must not be taken; an existing community's id is its key and cannot
    change here (the form shows it read-only).
    """
    specs = community_specs(ctx, base)
    values, errors = parse_all(specs, texts)
    if base is None and "id" not in errors and values["id"] in ctx.existing:
        errors["id"] = specs["id"].error(msg("ui.form.problem.id_taken", value=values["id"]))
    if base is not None and "id" not in errors and values["id"] != base.id:
        errors["id"] = specs["id"].error(msg("ui.form.problem.id_fixed", value=base.id))
    if errors:
        return CommunityCheck(None, errors)
    fields: dict[str, Any] = {
        "id": values["id"],
        "name": values["name"],
        "street": values["street"],
        "district": values["district"],
        "city": values["city"],
        "jurisdiction": values["jurisdiction"],
        "kind": CommunityKind(values["kind"]),
        "office_area": values["office_area"] if values["office_area"] is not None else Decimal(0),
    }
    for name in COUNTS:
        fields[name] = values[name] if values[name] is not None else 0
    try:
        community = attrs.evolve(base, **fields) if base is not None else Community(**fields)
    except ValidationError as exc:
        field = exc.field if exc.field in specs else "name"
        return CommunityCheck(None, {field: specs[field].error(exc.problem)})
    return CommunityCheck(community, {})
