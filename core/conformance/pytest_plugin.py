"""The conformance kit as a pytest plugin: `pytest --shegong-jurisdiction KEY`.

Registered through the `pytest11` entry point, so it is there wherever shegong is installed, and it
does nothing unless the option is given: other test runs collect exactly what they did before.
With the option, pytest collects, per jurisdiction, one test that it loads, one per contract
check of the hooks its chain answers (`core.conformance.checks`) and one per case it ships. Give
`--shegong-params FILE` (the registry `params.toml` format) to set the parameters a plugin ships
unset, and `--shegong-community FILE` (a `[community]` table) for community facts the rules read
that no generator can guess, so the checks that need them compute instead of being skipped.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from core.cases import Case, run_case
from core.conformance.checks import Check, Sample, Untested, applicable, build_sample, own_cases
from core.jurisdictions import Jurisdictions

OPTION = "--shegong-jurisdiction"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shegong", "shegong jurisdiction conformance kit")
    group.addoption(
        OPTION,
        action="append",
        default=[],
        metavar="KEY",
        dest="shegong_jurisdiction",
        help="check the installed jurisdiction KEY against the plugin contract (repeatable)",
    )
    group.addoption(
        "--shegong-params",
        metavar="FILE",
        dest="shegong_params",
        help="an override file ([[override]] tables) setting parameters the plugin ships unset",
    )
    group.addoption(
        "--shegong-community",
        metavar="FILE",
        dest="shegong_community",
        help="a TOML file whose [community] table every generated community takes (e.g. post_quotas)",
    )
    group.addoption(
        "--shegong-seed",
        type=int,
        default=20261125,
        dest="shegong_seed",
        help="seed of the generated workers and communities (default 20261125)",
    )
    group.addoption(
        "--shegong-workers",
        type=int,
        default=8,
        dest="shegong_workers",
        help="generated workers per community, four communities (default 8)",
    )


class KitFailure(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Kit:
    """The loaded jurisdictions and generated samples of one run, built on first use."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._plain: Jurisdictions | None = None
        self._samples: dict[str, Sample] = {}

    def plain(self) -> Jurisdictions:
        """Jurisdictions with no overrides: what the plugin's own cases expect."""
        if self._plain is None:
            self._plain = Jurisdictions()
            self._plain.load_entry_points()
        return self._plain

    def sample(self, key: str) -> Sample:
        if key not in self._samples:
            js = Jurisdictions()
            js.load_entry_points()
            params = self.config.getoption("shegong_params")
            if params:
                js.load_override_file(Path(params))
            fields: dict[str, Any] = {}
            community = self.config.getoption("shegong_community")
            if community:
                with Path(community).open("rb") as f:
                    fields = dict(tomllib.load(f).get("community", {}))
            self._samples[key] = build_sample(
                js,
                key,
                seed=self.config.getoption("shegong_seed"),
                per_community=self.config.getoption("shegong_workers"),
                community_fields=fields,
            )
        return self._samples[key]


class KitItem(pytest.Item):
    def __init__(self, *, kit: _Kit, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kit = kit
        self.key = key

    def problems(self) -> list[str]:
        raise NotImplementedError

    def runtest(self) -> None:
        try:
            problems = self.problems()
        except Untested as exc:
            pytest.skip(str(exc))
        if problems:
            raise KitFailure(problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, KitFailure):
            shown = excinfo.value.problems[:25]
            more = len(excinfo.value.problems) - len(shown)
            return "\n".join([*shown, *([f"... and {more} more"] if more > 0 else [])])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"shegong conformance: {self.name}"


class LoadItem(KitItem):
    """The jurisdiction is installed, loaded without error, and its chain resolves."""

    def problems(self) -> list[str]:
        js = self.kit.plain()
        mine = [b for b in js.broken if b.name == self.key or self.key in b.error]
        if mine:
            return [f"{b.name} failed to load: {b.error}" for b in mine]
        if self.key not in js.keys:
            broken = "; ".join(f"{b.name}: {b.error}" for b in js.broken) or "none"
            return [
                f"jurisdiction {self.key!r} is not installed (installed: {', '.join(js.keys)};"
                f" broken: {broken}). Is its package installed (pip install -e .) with a"
                " `shegong.jurisdictions` entry point?"
            ]
        return []


class CheckItem(KitItem):
    def __init__(self, *, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def problems(self) -> list[str]:
        return self.check.run(self.kit.sample(self.key))


class CaseItem(KitItem):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def problems(self) -> list[str]:
        return [
            f"case {self.case.source} {self.case.name!r}: {p}" for p in run_case(self.case, self.kit.plain())
        ]


@pytest.hookimpl(tryfirst=True)  # before -k and --deselect look at the items
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    keys: list[str] = config.getoption("shegong_jurisdiction")
    if not keys:
        return
    kit = _Kit(config)
    for key in dict.fromkeys(keys):
        base = f"shegong[{key}]"
        items.append(LoadItem.from_parent(session, name=f"{base}::loads", kit=kit, key=key))
        js = kit.plain()
        if key not in js.keys:
            continue
        for check in applicable(js, key):
            items.append(
                CheckItem.from_parent(session, name=f"{base}::{check.name}", kit=kit, key=key, check=check)
            )
        for case in own_cases(js, key):
            items.append(
                CaseItem.from_parent(
                    session, name=f"{base}::case::{case.source}::{case.name}", kit=kit, key=key, case=case
                )
            )
