"""The argument parser, speaking the operator's language.

argparse's own words ("usage:", "options", "the following arguments are required") come from
gettext through the module-level name `argparse._`; while a command runs, that name points at our
catalog instead, and is put back afterwards so nothing else in the process changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, Protocol

from core.errors import ValidationError
from core.i18n import t
from tui.cli.options import add_global_options

# argparse message id → catalog key; ids not listed stay in English (they are programming errors).
_ARGPARSE_KEYS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "expected one argument": "cli.argparse.expected_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "ignored explicit argument %r": "cli.argparse.ignored_explicit",
}


@contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    original = argparse._  # type: ignore[attr-defined]

    def translated(text: str | None) -> str | None:
        if text is None:  # argparse asks for a missing description too
            return None
        key = _ARGPARSE_KEYS.get(text)
        return t(key, lang) if key is not None else str(original(text))

    argparse._ = translated  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


class ShegongParser(argparse.ArgumentParser):
    """Help in the user's language; a usage error is one translated line and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.error.usage", prog=self.prog, message=message) + "\n")

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        """A `tui.cli.values` type's refusal, named by the option the operator typed."""
        try:
            return super()._get_value(action, arg_string)
        except ValidationError as exc:
            option = "/".join(action.option_strings) or str(action.metavar or action.dest)
            raise ValidationError(option, exc.problem) from None


class Command(Protocol):
    """A command module: `register` adds its subparser(s) and sets `handler` on each."""

    def register(
        self, subparsers: argparse._SubParsersAction[ShegongParser], common: ShegongParser
    ) -> None: ...


def common_options() -> ShegongParser:
    """The global options again, for after the subcommand (`shegong worker list --json`)."""
    common = ShegongParser(add_help=False)
    add_global_options(common, suppress=True)
    return common


def build_parser(commands: Sequence[Command]) -> ShegongParser:
    parser = ShegongParser(
        prog="shegong",
        description=t("cli.description"),
        epilog=t("cli.epilog"),
    )
    add_global_options(parser, suppress=False)
    subparsers = parser.add_subparsers(
        dest="command",
        title=t("cli.group.commands"),
        metavar="COMMAND",
        parser_class=ShegongParser,
    )
    common = common_options()
    for command in commands:
        command.register(subparsers, common)
    return parser
