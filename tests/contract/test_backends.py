"""Choosing a backend by the location's scheme, and what each says about its settings."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from core.backends import FILE, GROUP, UnknownBackend, installed, open_registry, registered, scheme_of
from core.errors import RegistryMissing
from core.memory import MemoryRegistry
from core.registry import Registry
from core.registry_config import NO_CONFIG, config_of
from core.scoped import open_scoped


def test_core_registers_its_two_backends() -> None:
    assert {"tinydb", "memory"} <= set(registered())
    assert installed()["file"] is registered()["tinydb"]
    assert installed()["memory"] is registered()["memory"]


@pytest.mark.parametrize(
    ("location", "scheme"),
    [
        ("/srv/shegong/registry", FILE),
        ("registry", FILE),
        ("C:\\shegong\\registry", FILE),  # a drive letter is not a scheme
        ("file:///srv/shegong/registry", FILE),
        ("memory:", "memory"),
        ("PostgreSQL://db.example/shegong", "postgresql"),
    ],
)
def test_scheme_of(location: str, scheme: str) -> None:
    assert scheme_of(location) == scheme


def test_a_plain_path_and_a_file_url_open_the_same_registry(tmp_path: Path) -> None:
    made = open_registry(tmp_path / "reg", user="a", create=True)
    try:
        assert isinstance(made, Registry)
        made.record_event("note", "registry", "all", note="从路径打开")
    finally:
        made.close()
    again = open_registry((tmp_path / "reg").as_uri(), user="b")
    try:
        assert isinstance(again, Registry)
        assert again.changes()[-1].note == "从路径打开"
    finally:
        again.close()
    with pytest.raises(RegistryMissing):
        open_registry((tmp_path / "none").as_uri())


def test_memory_opens_a_fresh_registry() -> None:
    first = open_registry("memory:", user="a")
    assert isinstance(first, MemoryRegistry) and first.user == "a"
    assert first.count_workers() == 0 and first.communities() == []


def test_an_unknown_scheme_is_refused_naming_it_and_the_installed_ones() -> None:
    with pytest.raises(UnknownBackend) as refused:
        open_registry("postgresql://db.example/shegong")
    text = refused.value.render("en")
    assert "postgresql:" in text and "file" in text and "memory" in text
    assert "\n" not in text


def test_settings_come_from_the_backend_not_the_path(tmp_path: Path) -> None:
    assert config_of(MemoryRegistry()) == NO_CONFIG
    assert config_of(object()).params_file() is None  # a registry without settings has none
    with open_scoped(tmp_path / "reg", login="root", create=True) as scoped:
        config = config_of(scoped)  # the wrapper passes its registry's settings through
        assert config.folder == tmp_path / "reg"
        assert config.params_file() == tmp_path / "reg" / "params.toml"
        assert config.operators_file() == tmp_path / "reg" / "operators.toml"
    with open_scoped("memory:", login="a") as scoped:
        assert config_of(scoped).operators_file() is None
        assert scoped.grant.everything  # in memory its user owns it: no operators file to ask


def test_a_broken_backend_is_left_out_and_the_others_still_open(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.backends

    found = [
        EntryPoint("broken", "shegong_nowhere.backend:BACKEND", GROUP),  # not importable
        EntryPoint("not-a-backend", "core.backends:GROUP", GROUP),  # importable, but a string
        EntryPoint("memory", "core.backends:MEMORY", GROUP),
    ]
    monkeypatch.setattr(core.backends, "entry_points", lambda group: [e for e in found if e.group == group])
    assert list(registered()) == ["memory"]
    assert isinstance(open_registry("memory:"), MemoryRegistry)
    with pytest.raises(UnknownBackend) as refused:
        open_registry("/srv/shegong/registry")
    assert "file:" in refused.value.render("en") and "memory" in refused.value.render("en")
