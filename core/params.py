"""Parameters as data: every rate, threshold, age and ratio, dated and cited.

Each plugin ships one TOML file. A parameter has a type and a list of values, each dated by the
day it took effect and cited to its document and article. A parameter the documents leave to a
district or a year ships with no values; reading it before an operator sets one raises
`MissingParameter` naming it. Operators override any value in the registry's `params.toml`
without touching code; a district plugin's file overrides only what differs from its city's.

File format (plugin):

    [meta]
    jurisdiction = "beijing"
    document = "000_a0ecfbd89ce21d4d.txt"   # default document for `cite`; its title comes from
                                            # the plugin's declared documents (file + 篇)

    [params."pay.base.principal"]
    type = "decimal"            # decimal | int | bool | text | table
    unit = "CNY/month"
    zh = "基本工资（正职）"
    en = "Base pay, principal posts"
    values = [ { since = 2008-05-01, value = "720", cite = "第四篇 第五条(一)1" } ]
    # a value from a document with no seed file names it by title: document = "", title = "…"

Override file (registry `params.toml`):

    [[override]]
    jurisdiction = "shenyang"
    name = "pay.district_table"
    since = 2024-01-01
    value = { ... }
    note = "demo value"
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from core.errors import MissingParameter, ValidationError
from core.hookspecs import SourceDocument, entitle
from core.i18n import msg
from core.results import Citation
from core.workdays import DEFAULT as DEFAULT_CALENDAR
from core.workdays import WorkCalendar

PARAM_TYPES = ("decimal", "int", "bool", "text", "table")
EPOCH = dt.date(1900, 1, 1)


class Source:
    PLUGIN = "plugin"
    OVERRIDE = "override"


@attrs.frozen
class ParamValue:
    value: Any
    since: dt.date
    citation: Citation | None
    source: str = Source.PLUGIN  # "plugin" or "override"
    note: str = ""
    origin: str = ""  # the file it came from


@attrs.frozen
class ParamSpec:
    name: str
    type: str
    jurisdiction: str  # where it was declared
    zh: str = ""
    en: str = ""
    unit: str = ""
    values: tuple[ParamValue, ...] = ()

    def value_on(self, day: dt.date) -> ParamValue | None:
        """The value in force on `day`: the latest whose `since` is on or before it.

        An operator's override in force wins over every document value, whatever their dates:
        it is the office's own decision for its district (RULES.md: parameters are the
        operator's to change).
        """
        best: ParamValue | None = None
        for source in (Source.OVERRIDE, Source.PLUGIN):
            for v in self.values:
                if v.source == source and v.since <= day and (best is None or v.since >= best.since):
                    best = v
            if best is not None:
                return best
        return None


def _coerce(kind: str, raw: Any, *, where: str) -> Any:
    try:
        if kind == "decimal":
            if isinstance(raw, bool) or not isinstance(raw, str | int | float):
                raise ValueError(raw)
            return Decimal(str(raw))
        if kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ValueError(raw)
            return raw
        if kind == "bool":
            if not isinstance(raw, bool):
                raise ValueError(raw)
            return raw
        if kind == "text":
            return str(raw)
        if kind == "table":
            if not isinstance(raw, Mapping | list):
                raise ValueError(raw)
            return _decimalise(raw)
    except (ValueError, InvalidOperation):
        raise ValidationError(where, msg("invalid.param_value", value=repr(raw), type=kind)) from None
    raise ValidationError(where, msg("invalid.param_type", type=kind, expected=", ".join(PARAM_TYPES)))


def _decimalise(raw: Any) -> Any:
    """Tables hold money: numbers given as text inside them become Decimal where they parse."""
    if isinstance(raw, Mapping):
        return {k: _decimalise(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_decimalise(v) for v in raw]
    if isinstance(raw, str):
        try:
            return Decimal(raw)
        except InvalidOperation:
            return raw
    if isinstance(raw, float):
        return Decimal(str(raw))
    return raw


def _as_date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ValidationError(where, msg("invalid.date", value=raw))


def load_param_file(
    path: Path, jurisdiction: str, documents: Sequence[SourceDocument] = ()
) -> dict[str, ParamSpec]:
    """Read a plugin's parameter file; errors name the file and the parameter. Each value's
    citation takes its title from `documents` (the plugin's declared documents)."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(str(path), msg("invalid.param_file", detail=str(exc))) from None
    document = str(data.get("meta", {}).get("document", ""))
    specs: dict[str, ParamSpec] = {}
    for name, body in data.get("params", {}).items():
        where = f"{path.name}: params.{name}"
        kind = body.get("type", "decimal")
        if kind not in PARAM_TYPES:
            raise ValidationError(
                where, msg("invalid.param_type", type=kind, expected=", ".join(PARAM_TYPES))
            )
        values = []
        for i, item in enumerate(body.get("values", [])):
            vwhere = f"{where}.values[{i}]"
            if "cite" not in item:
                raise ValidationError(vwhere, msg("invalid.param_uncited"))
            cite = item["cite"]
            values.append(
                ParamValue(
                    value=_coerce(kind, item.get("value"), where=vwhere),
                    since=_as_date(item.get("since", EPOCH), vwhere),
                    citation=entitle(
                        Citation(str(item.get("document", document)), str(cite), str(item.get("title", ""))),
                        documents,
                    ),
                    note=str(item.get("note", "")),
                    origin=str(path),
                )
            )
        specs[name] = ParamSpec(
            name=name,
            type=kind,
            jurisdiction=jurisdiction,
            zh=str(body.get("zh", "")),
            en=str(body.get("en", "")),
            unit=str(body.get("unit", "")),
            values=tuple(values),
        )
    return specs


@attrs.frozen
class Override:
    jurisdiction: str
    name: str
    raw: Any
    since: dt.date
    note: str
    origin: str
    index: int


def load_overrides(path: Path) -> list[Override]:
    """Read an operator's override file; a missing file is no overrides."""
    if not path.exists():
        return []
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(str(path), msg("invalid.param_file", detail=str(exc))) from None
    out = []
    for i, item in enumerate(data.get("override", [])):
        where = f"{path.name}: override[{i}]"
        for key in ("jurisdiction", "name", "value"):
            if key not in item:
                raise ValidationError(where, msg("invalid.override_missing", key=key))
        out.append(
            Override(
                jurisdiction=str(item["jurisdiction"]),
                name=str(item["name"]),
                raw=item["value"],
                since=_as_date(item.get("since", EPOCH), where),
                note=str(item.get("note", "")),
                origin=str(path),
                index=i,
            )
        )
    return out


def in_force_from(params: Parameters, name: str, default: dt.date) -> dt.date:
    """The day a document's rule took effect: the earliest `since` of the values the plugin ships
    for `name` (an operator's override changes a value, not when the text came into force)."""
    dates = [v.since for v in params.spec(name).values if v.source == Source.PLUGIN]
    return min(dates, default=default)


class Parameters:
    """The parameters in force for one jurisdiction: its own, over its parent's, under overrides."""

    def __init__(
        self, jurisdiction: str, specs: Mapping[str, ParamSpec], calendar: WorkCalendar | None = None
    ) -> None:
        self.jurisdiction = jurisdiction
        self._specs = dict(specs)
        # The working-day calendar (core.workdays): the library's holiday notices under the
        # operator's `[calendar.YYYY]` tables of the same params.toml.
        self.calendar = calendar or DEFAULT_CALENDAR

    @classmethod
    def layered(
        cls,
        jurisdiction: str,
        chain_specs: Sequence[Mapping[str, ParamSpec]],
        overrides: Sequence[Override] = (),
        chain_keys: Sequence[str] = (),
        calendar: WorkCalendar | None = None,
    ) -> Parameters:
        """`chain_specs` runs from the most general (city) to the most specific (district)."""
        merged: dict[str, ParamSpec] = {}
        for specs in chain_specs:
            for name, spec in specs.items():
                if name in merged and not spec.values:
                    continue  # a district that re-declares without values keeps the city's
                merged[name] = spec
        keys = set(chain_keys) | {jurisdiction}
        # Overrides for a parent apply to the child too, unless the child has its own override.
        ordered = sorted(
            (o for o in overrides if o.jurisdiction in keys),
            key=lambda o: list(chain_keys).index(o.jurisdiction) if o.jurisdiction in chain_keys else 99,
        )
        for o in ordered:
            found = merged.get(o.name)
            where = f"{Path(o.origin).name}: override[{o.index}] ({o.name})"
            if found is None:
                raise ValidationError(
                    where, msg("invalid.override_unknown", name=o.name, jurisdiction=o.jurisdiction)
                )
            value = ParamValue(
                value=_coerce(found.type, o.raw, where=where),
                since=o.since,
                citation=None,
                source=Source.OVERRIDE,
                note=o.note,
                origin=o.origin,
            )
            kept = tuple(v for v in found.values if not (v.source == Source.OVERRIDE and v.since == o.since))
            merged[o.name] = attrs.evolve(found, values=(*kept, value))
        return cls(jurisdiction, merged, calendar)

    def spec(self, name: str) -> ParamSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise MissingParameter(self.jurisdiction, name, "-") from None

    def get(self, name: str, on: dt.date) -> ParamValue:
        """The value in force on `on`, or `MissingParameter` naming what to set."""
        spec = self.spec(name)
        value = spec.value_on(on)
        if value is None:
            raise MissingParameter(self.jurisdiction, name, on.isoformat())
        return value

    def value(self, name: str, on: dt.date) -> Any:
        return self.get(name, on).value

    def decimal(self, name: str, on: dt.date) -> Decimal:
        v = self.value(name, on)
        assert isinstance(v, Decimal), f"{name} is not a decimal parameter"
        return v

    def integer(self, name: str, on: dt.date) -> int:
        v = self.value(name, on)
        assert isinstance(v, int), f"{name} is not an int parameter"
        return v

    def is_set(self, name: str, on: dt.date) -> bool:
        return name in self._specs and self._specs[name].value_on(on) is not None

    def __iter__(self) -> Iterator[ParamSpec]:
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __contains__(self, name: object) -> bool:
        return name in self._specs
