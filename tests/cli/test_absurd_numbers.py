"""Absurd numbers, dates and months at every option that takes one (issue 12, item 9).

`pay --month 99999-01`, `forecast --months 100000` and `retire --within 99999999999999999999` once
ended in tracebacks from the date arithmetic. The options are found by walking the argparse parser,
so an option added later is covered: each must take a `tui.cli.values` type, refuse every absurd
value on one line naming the option with exit code 1, and take the ends of its range without a
traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import Run
from tui.cli import COMMANDS, values
from tui.cli.parser import build_parser

# Values no option should accept: beyond every range, not numbers, other scripts' digits.
ABSURD = (
    "99999999999999999999999",
    "-99999999999999999999",
    "99999-01",
    "0-01",
    "9999-12-31",
    "1e400",
    "nan",
    "١٢",  # Arabic-Indic 12: Python's int() would take it
    "",
)
# The ends of each type's documented range: accepted, and the command must then cope with them.
EDGES: dict[object, tuple[str, ...]] = {
    values.year: ("1900", "2100"),
    values.month: ("1900-01", "2100-12"),
    values.date: ("1900-01-01", "2100-12-31"),
    values.months: ("1", "1200"),
    values.record_id: ("999999999",),
    values.revision: ("999999999",),
    values.count: ("100000000",),
    values.office_area: ("999999999.99",),
    values.demo_workers: ("100000",),
    values.seed: ("4294967295",),
    values.amount: ("0", "999999999.99"),
    values.babies: ("1", "10"),
}
# What a required option is given while another option is tried (a new required option must be
# added here, or the test fails saying which).
SAMPLES = {
    "month": "2026-11",
    "year": "2026",
    "worker": "1",
    "months": "12",
    "grade": "excellent",
    "id": "1",
    "kind": "workers",
    "file": "out.xlsx",
    "login": "nobody",
    "role": "viewer",
    "key": "x",
    "backup": "none",
    "what": "roster",
    "end": "2026-11-30",
    "monthly_pay": "5200",
}
# Options whose metavar looks numeric but which hold text: a community's ID is a code, S a street.
TEXT_DESTS = {"community", "street"}
NUMERIC_METAVARS = {"N", "YYYY", "YYYY-MM", "DATE", "MONTHS", "M2", "S", "ID"}


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command that runs something (has a handler), with the words that name it."""
    seen: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    yield from _commands(sub, (*path, name))
    if parser.get_default("handler") is not None:
        yield path, parser


def _value_options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in parser._actions
        if a.nargs != 0
        and not isinstance(a, argparse._SubParsersAction | argparse._HelpAction)
        and a.dest not in ("db", "lang")
    ]


def _argv(
    path: tuple[str, ...], parser: argparse.ArgumentParser, tried: argparse.Action, value: str
) -> list[str]:
    """The command with `value` for `tried` and a valid sample for every other required argument."""
    required = [a for a in _value_options(parser) if a.required or a is tried]
    for group in parser._mutually_exclusive_groups:
        if group.required and not any(a is tried for a in group._group_actions):
            required.append(group._group_actions[0])
    words = list(path)
    for action in required:
        given = value if action is tried else SAMPLES.get(action.dest)
        assert given is not None, f"add a sample for required option {action.dest!r}"
        words += [f"{action.option_strings[0]}={given}"] if action.option_strings else [given]
    return words


def _numeric_options() -> list[tuple[tuple[str, ...], argparse.ArgumentParser, argparse.Action]]:
    found = []
    for path, parser in _commands(build_parser(COMMANDS)):
        for action in _value_options(parser):
            if action.type in values.TYPES:
                found.append((path, parser, action))
    return found


NUMERIC = _numeric_options()


def _name(action: argparse.Action) -> str:
    return action.option_strings[0] if action.option_strings else str(action.metavar)


def test_every_numeric_looking_option_takes_a_checked_type() -> None:
    """A new option named like a number, date or month must use one of `tui.cli.values`' types."""
    missing = []
    for path, parser in _commands(build_parser(COMMANDS)):
        for action in _value_options(parser):
            text = action.dest in TEXT_DESTS or (path[0] == "community" and action.dest == "id")
            looks_numeric = action.metavar in NUMERIC_METAVARS and not text
            if looks_numeric and action.type not in values.TYPES:
                missing.append(f"{' '.join(path)} {_name(action)}")
    assert missing == []
    assert len(NUMERIC) >= 30  # the walk found the options (27 commands take at least one)


@pytest.mark.parametrize(
    ("path", "parser", "action"), NUMERIC, ids=[f"{' '.join(p)} {_name(a)}" for p, _, a in NUMERIC]
)
def test_absurd_values_are_one_line_and_exit_1(
    run: Run,
    demo_template: Path,
    path: tuple[str, ...],
    parser: argparse.ArgumentParser,
    action: argparse.Action,
) -> None:
    for value in ABSURD:
        result = run("--db", demo_template, "--read-only", *_argv(path, parser, action, value))
        assert result.code == 1, (value, result.err)
        assert _name(action) in result.err, (value, result.err)
        assert len(result.err.strip().splitlines()) == 1, (value, result.err)


@pytest.mark.parametrize(
    ("path", "parser", "action"), NUMERIC, ids=[f"{' '.join(p)} {_name(a)}" for p, _, a in NUMERIC]
)
def test_the_ends_of_each_range_run_without_a_traceback(
    run: Run, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    path: tuple[str, ...], parser: argparse.ArgumentParser, action: argparse.Action,
) -> None:  # fmt: skip
    """Accepted values reach the command, which answers or refuses in words (exit 0 or 1; 2 where
    the command wants more than its required options, such as `worker add`)."""
    monkeypatch.chdir(tmp_path)  # exports land here
    for value in EDGES[action.type]:
        (tmp_path / SAMPLES["file"]).unlink(missing_ok=True)
        result = run("--db", demo_db, *_argv(path, parser, action, value))
        assert result.code in (0, 1, 2), (value, result.err)
        assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "argv",
    [
        ("worker", "edit", "1", "--note", "x", "--revision", "99999999999999999999999"),
        ("retire", "--within", "99999999999999999999"),
        ("forecast", "--months", "100000"),
        ("pay", "--month", "99999-01"),
        ("pay", "--month", "0-01"),
        ("explain", "--worker", "1", "--month", "9999-12"),
        ("payroll", "pools", "--year", "99999999999"),
        ("export", "forecast", "f.xlsx", "--months", "100000"),
    ],
)
def test_the_reported_tracebacks_are_one_line(run: Run, demo_db: Path, argv: tuple[str, ...]) -> None:
    """The commands issue 12 found ending in tracebacks (year out of range, integer overflow)."""
    result = run("--db", demo_db, *argv)
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1, result.err
    assert argv[-2] in result.err
