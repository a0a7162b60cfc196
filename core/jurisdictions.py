"""Finding, loading and dispatching to jurisdiction plugins.

Plugins are found through the `shegong.jurisdictions` entry-point group, ours included, so a city's
own package loads exactly as a built-in one does. One broken plugin (fails to import, raises in
its description, names an unknown parent) is recorded with its error and left out; every other
jurisdiction keeps working. Dispatch goes to the subject's jurisdiction chain only, most specific
first, never to every plugin.
"""

from __future__ import annotations

import importlib.metadata
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pluggy

from core import hookspecs
from core.errors import NoAnswer, PluginError, UnknownJurisdiction
from core.hookspecs import JurisdictionInfo
from core.i18n import add_catalog_dir
from core.params import Override, Parameters, ParamSpec, load_overrides, load_param_file
from core.workdays import DEFAULT as DEFAULT_CALENDAR
from core.workdays import WorkCalendar, load_calendar

ENTRY_POINT_GROUP = "shegong.jurisdictions"
# The jurisdiction at the root of every chain: national law answers what no local text says
# (paid annual leave, the labour contract law, the residents' committee law). It is a plugin
# like the others; when it is not installed, chains simply end at their local root.
ROOT_KEY = "national"


@attrs.frozen
class BrokenPlugin:
    name: str
    error: str
    detail: str = ""


@attrs.frozen
class LoadedJurisdiction:
    info: JurisdictionInfo
    plugin: object
    origin: str  # entry point "name = module" or "registered"
    specs: dict[str, ParamSpec]


class Jurisdictions:
    """The loaded jurisdictions of one process, with parameters resolved per jurisdiction."""

    def __init__(self, overrides: Sequence[Override] = ()) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self._loaded: dict[str, LoadedJurisdiction] = {}
        self.broken: list[BrokenPlugin] = []
        self._overrides = list(overrides)
        self._calendar: WorkCalendar = DEFAULT_CALENDAR
        self._params: dict[str, Parameters] = {}
        self._callers: dict[tuple[str, str], Any] = {}
        # A payroll asks the same (jurisdiction, hook) once per worker: the chain's callers are
        # resolved once and kept until a plugin is registered or unregistered.
        self._routes: dict[tuple[str, str], list[tuple[str, Callable[..., Any]]]] = {}

    # --- loading ------------------------------------------------------------------------------

    def load_entry_points(self) -> None:
        """Load every installed jurisdiction; broken ones are kept in `self.broken`."""
        for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            try:
                module = ep.load()
            except Exception as exc:  # a third party's import error must not stop the others
                self.broken.append(
                    BrokenPlugin(ep.name, f"{type(exc).__name__}: {exc}", traceback.format_exc())
                )
                continue
            self.register(module, origin=f"{ep.name} = {ep.value}", name=ep.name)
        self._check_parents()

    def register(self, plugin: object, *, origin: str = "registered", name: str | None = None) -> str | None:
        """Register one plugin object or module; returns its key, or None if it was broken."""
        label: str = name or str(getattr(plugin, "__name__", repr(plugin)))
        try:
            self.pm.register(plugin, name=label)
            self.pm.check_pending()
        except Exception as exc:
            if self.pm.is_registered(plugin):
                self.pm.unregister(plugin)
            self.broken.append(BrokenPlugin(label, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return None
        try:
            info = self._describe(plugin)
            specs = self._load_specs(info)
            if info.catalog_dir is not None:
                for lang in ("zh", "en"):
                    add_catalog_dir(lang, info.catalog_dir / lang)
        except Exception as exc:
            self.pm.unregister(plugin)
            self.broken.append(BrokenPlugin(label, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return None
        if info.key in self._loaded:
            self.pm.unregister(plugin)
            self.broken.append(BrokenPlugin(label, f"duplicate jurisdiction key {info.key!r}"))
            return None
        self._loaded[info.key] = LoadedJurisdiction(info, plugin, origin, specs)
        self._params.clear()
        self._callers.clear()
        self._routes.clear()
        return info.key

    def unregister(self, key: str) -> None:
        loaded = self._loaded.pop(key)
        self.pm.unregister(loaded.plugin)
        self._params.clear()
        self._callers.clear()
        self._routes.clear()

    def _describe(self, plugin: object) -> JurisdictionInfo:
        impl = getattr(plugin, "shegong_jurisdiction", None)
        if impl is None:
            raise PluginError(getattr(plugin, "__name__", repr(plugin)), "no shegong_jurisdiction hook")
        info = impl()
        if not isinstance(info, JurisdictionInfo):
            raise TypeError(f"shegong_jurisdiction returned {type(info).__name__}, not JurisdictionInfo")
        return info

    @staticmethod
    def _load_specs(info: JurisdictionInfo) -> dict[str, ParamSpec]:
        if info.parameter_file is None:
            return {}
        return load_param_file(Path(info.parameter_file), info.key, info.documents)

    def _check_parents(self) -> None:
        for key, loaded in list(self._loaded.items()):
            parent = loaded.info.parent
            if parent is not None and parent not in self._loaded:
                self.unregister(key)
                self.broken.append(BrokenPlugin(key, f"extends unknown jurisdiction {parent!r}"))

    def set_overrides(self, overrides: Sequence[Override]) -> None:
        self._overrides = list(overrides)
        self._params.clear()

    def set_calendar(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar
        self._params.clear()

    def load_override_file(self, path: Path) -> None:
        self.set_overrides(load_overrides(path))
        self.set_calendar(load_calendar(path))

    # --- looking up ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return sorted(self._loaded)

    def info(self, key: str) -> JurisdictionInfo:
        return self._get(key).info

    def loaded(self, key: str) -> LoadedJurisdiction:
        return self._get(key)

    def _get(self, key: str) -> LoadedJurisdiction:
        try:
            return self._loaded[key]
        except KeyError:
            raise UnknownJurisdiction(key, self.keys) from None

    def chain(self, key: str) -> list[LoadedJurisdiction]:
        """The jurisdiction and its ancestors, most specific first, ending at the national root
        (`ROOT_KEY`) when it is loaded, so a local text's silence falls through to national law."""
        out: list[LoadedJurisdiction] = []
        seen: set[str] = set()
        current: str | None = key
        while current is not None:
            if current in seen:
                raise PluginError(key, f"jurisdiction cycle through {current!r}")
            seen.add(current)
            loaded = self._get(current)
            out.append(loaded)
            current = loaded.info.parent
        if ROOT_KEY not in seen and ROOT_KEY in self._loaded:
            out.append(self._loaded[ROOT_KEY])
        return out

    def params(self, key: str) -> Parameters:
        cached = self._params.get(key)
        if cached is None:
            chain = self.chain(key)
            cached = Parameters.layered(
                key,
                [j.specs for j in reversed(chain)],
                self._overrides,
                chain_keys=[j.info.key for j in reversed(chain)],
                calendar=self._calendar,
            )
            self._params[key] = cached
        return cached

    def vocabulary(self, key: str, kind: str) -> dict[str, hookspecs.Vocabulary]:
        """Posts, grades or certificates known in a jurisdiction, its parents' included."""
        out: dict[str, hookspecs.Vocabulary] = {}
        for loaded in reversed(self.chain(key)):
            for v in getattr(loaded.info, kind):
                out[v.code] = v
        return out

    # --- dispatch -----------------------------------------------------------------------------

    def call(self, key: str, hook: str, **kwargs: Any) -> Any:
        """Ask the chain of `key`, most specific first; the first non-None answer wins."""
        for label, caller in self._route(key, hook):
            try:
                result = caller(**kwargs)
            except Exception as exc:
                if _is_domain_error(exc):
                    raise
                raise PluginError(label, f"{hook}: {type(exc).__name__}: {exc}") from exc
            if result is not None:
                return result
        raise NoAnswer(key, hook)

    def answers(self, key: str, hook: str) -> bool:
        return bool(self._route(key, hook))

    def _route(self, key: str, hook: str) -> list[tuple[str, Callable[..., Any]]]:
        """The callers of `hook` along the chain of `key` (most specific first), with their keys."""
        route = self._routes.get((key, hook))
        if route is None:
            route = [(j.info.key, c) for j in self.chain(key) if (c := self._caller(j, hook)) is not None]
            self._routes[(key, hook)] = route
        return route

    def _caller(self, loaded: LoadedJurisdiction, hook: str) -> Callable[..., Any] | None:
        cache_key = (loaded.info.key, hook)
        if cache_key not in self._callers:
            if not hasattr(loaded.plugin, hook):
                self._callers[cache_key] = None
            else:
                others = [p for p in self.pm.get_plugins() if p is not loaded.plugin]
                caller = self.pm.subset_hook_caller(hook, remove_plugins=others)
                self._callers[cache_key] = _direct(caller) or caller
        return self._callers[cache_key]  # type: ignore[no-any-return]


def _direct(caller: Any) -> Callable[..., Any] | None:
    """The plugin's own function when pluggy would only pass it the arguments it names and return
    its answer (one implementation, no wrapper, a firstresult hook): pluggy's call machinery is
    most of the cost of a one-worker rule, and a city-wide payroll makes one call per worker."""
    impls = caller.get_hookimpls()
    spec = caller.spec
    if len(impls) != 1 or spec is None or not spec.opts.get("firstresult"):
        return None
    impl = impls[0]
    if impl.hookwrapper or impl.wrapper:
        return None
    function, names = impl.function, tuple(impl.argnames)

    def direct(**kwargs: Any) -> Any:
        return function(*[kwargs[name] for name in names])

    return direct


def _is_domain_error(exc: BaseException) -> bool:
    from core.errors import ShegongError

    return isinstance(exc, ShegongError)


_default: Jurisdictions | None = None


def default_jurisdictions() -> Jurisdictions:
    """The process-wide set loaded from entry points, created on first use."""
    global _default
    if _default is None:
        _default = Jurisdictions()
        _default.load_entry_points()
    return _default


def plugin_modules(modules: Iterable[ModuleType]) -> Jurisdictions:
    """A set built from explicit modules: for tests and the conformance kit."""
    js = Jurisdictions()
    for m in modules:
        js.register(m, origin=m.__name__)
    js._check_parents()
    return js
