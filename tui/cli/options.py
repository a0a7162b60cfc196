"""Global options (`--db`, `--lang`, `--read-only`, `--json`), the session a command runs in, and
the parsers for the values an operator types (dates in two spellings, enums by code or by name).

Options that take a number, date, month or year are read by the argparse `type=` functions of
`tui.cli.values`; those raise `ValidationError`, so a bad value is bad input (exit 1, a message
naming the option), not bad usage (exit 2). The parsers here read the parts of composite values
(`--post staff:2021-07-01`, `--target-rank 2025:2`) within the same ranges.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import attrs

from core.errors import RegistryMissing, ShegongError, ValidationError
from core.i18n import LANGUAGES, language_from_environment, msg, t
from tui.cli.labels import enum_label, enum_names
from tui.cli.output import join
from tui.cli.values import MAX_ID, date_in_range, whole

if TYPE_CHECKING:
    from core.jurisdictions import Jurisdictions
    from core.repository import Repository
    from core.rules import Rules
    from tui.cli.errors import Fields
    from tui.cli.labels import Lexicon

E = TypeVar("E", bound=StrEnum)

ENV_DB = "SHEGONG_DB"
REGISTRY_MARKER = "registry.json"


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("shegong")) / "registry"


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes; `suppress` for the copy after the subcommand, so that an
    option given only before it is not reset to its default."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group(t("cli.group.global"))
    group.add_argument("--db", metavar="PATH", default=default(None), help=t("cli.opt.db"))
    group.add_argument("--lang", choices=LANGUAGES, default=default(None), help=t("cli.opt.lang"))
    group.add_argument(
        "--read-only", action="store_true", default=default(False), help=t("cli.opt.read_only")
    )
    group.add_argument("--json", action="store_true", default=default(False), help=t("cli.opt.json"))


def resolve_db(value: str | None, env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if value:
        return Path(value).expanduser()
    if env.get(ENV_DB):
        return Path(env[ENV_DB]).expanduser()
    return default_db_path()


def resolve_language(value: str | None, env: Mapping[str, str] | None = None) -> str:
    return value or language_from_environment(env)


def registry_exists(path: Path) -> bool:
    return (path / REGISTRY_MARKER).is_file()


class CliError(ShegongError):
    """A refusal that belongs to the command line itself (read-only, exists already, …)."""


@attrs.define
class Session:
    """What a command runs with: the resolved options and, opened on first use, the registry."""

    db: Path
    lang: str
    read_only: bool
    json: bool
    fields: Fields = attrs.field(factory=dict)  # how the running command names its fields
    login: str | None = None  # who the operators file is asked about; the OS login if None
    _registry: Repository | None = None
    _jurisdictions: Jurisdictions | None = None

    def registry(self, *, write: bool = False) -> Repository:
        if write and self.read_only:
            raise CliError(msg("cli.error.read_only", path=self.db))
        if self._registry is None:
            if not registry_exists(self.db):
                raise RegistryMissing(str(self.db))
            from tui.cli import backend

            self._registry = backend.open_registry(self.db, self.login)
        return self._registry

    def jurisdictions(self) -> Jurisdictions:
        """The installed jurisdictions, with this registry's `params.toml` applied if there is one.

        Built once per command, so the rules and the labels a command prints agree.
        """
        if self._jurisdictions is None:
            from core import load_jurisdictions
            from core.registry_config import config_of

            params = config_of(self.registry()).params_file() if registry_exists(self.db) else None
            self._jurisdictions = load_jurisdictions(params)
        return self._jurisdictions

    def rules(self, today: dt.date | None = None) -> Rules:
        """The registry's rules (`core.rules_for`) on these jurisdictions; `today` for rules that
        judge a day (staffing, findings), the real today if None."""
        from core import rules_for

        return rules_for(self.registry(), jurisdictions=self.jurisdictions(), today=today)

    def lexicon(self) -> Lexicon:
        """Post, grade and certificate names in each jurisdiction's own words."""
        from tui.cli.labels import Lexicon

        return Lexicon(self.jurisdictions())

    def close(self) -> None:
        if self._registry is not None:
            self._registry.close()
            self._registry = None


# --- values an operator types ---------------------------------------------------------------


def parse_date(text: str, field: str) -> dt.date:
    """`2026-11-25`, `20261125` (also `2026/11/25` and `2026年11月25日`), from 1900 to 2100."""
    return date_in_range(text, field)


def parse_int(text: str, field: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number from `minimum` to `maximum` (`values.MAX_ID` if not given)."""
    return whole(text, field, minimum, MAX_ID if maximum is None else maximum)


def parse_enum(text: str, enum: type[E], field: str) -> E:
    """An enum member by its code (`bachelor`) or its name in either language (本科, Bachelor)."""
    wanted = text.strip()
    for member in enum:
        if wanted.lower() in enum_names(member):
            return member
    raise ValidationError(field, msg("cli.invalid.choice", value=text, allowed=choices_text(enum)))


def choices_text(enum: Iterable[StrEnum]) -> str:
    return join(t("cli.value.code", code=m.value, label=enum_label(m)) for m in enum)
