"""Fixtures for the TUI tests: a fixed registry, the test jurisdiction, a fixed `today`."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator

import pytest

from core.i18n import set_language
from core.memory import MemoryRegistry
from tests.tui.fixtures import TODAY, build_registry, build_rules, fixed_clock
from tui.app import ShegongApp

MakeApp = Callable[..., ShegongApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (Pilot needs an event loop) without an async pytest plugin."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def _chinese_afterwards() -> Iterator[None]:
    """An English app switches the process's language; put it back for the next test."""
    yield
    set_language("zh")


@pytest.fixture
def registry() -> MemoryRegistry:
    return build_registry(40)


@pytest.fixture
def make_app(registry: MemoryRegistry) -> Iterator[MakeApp]:
    """Build an app over the fixed registry; audit entries are stamped at a fixed time."""

    def make(
        *, lang: str = "zh", read_only: bool = False, workers: MemoryRegistry | None = None
    ) -> ShegongApp:
        reg = workers or registry
        return ShegongApp(reg, lang=lang, read_only=read_only, rules=build_rules(reg), today=TODAY)

    with fixed_clock():
        yield make
