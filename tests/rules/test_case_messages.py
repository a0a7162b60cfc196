"""What every rule case shows an operator renders fully in both languages, and is cited."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from core.cases import compute_case
from core.errors import ShegongError
from core.i18n import LANGUAGES, Message, catalog
from core.jurisdictions import Jurisdictions
from core.results import Finding, PayLine

from .test_cases import CASES

JURISDICTIONS = sorted({c.jurisdiction for c in CASES})


def _messages(value: Any) -> list[Message]:
    """Every Message inside a rule result, however deep."""
    if isinstance(value, Message):
        return [value, *(m for a in value.args.values() for m in _messages(a))]
    if attrs.has(type(value)):
        return [m for f in attrs.fields(type(value)) for m in _messages(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return []


def _results(js: Jurisdictions, key: str) -> list[Any]:
    out: list[Any] = []
    for case in (c for c in CASES if c.jurisdiction == key):
        try:
            out.append(compute_case(case, js))
        except ShegongError as exc:
            out.append(exc.message)
    return out


@pytest.fixture(scope="module")
def js() -> Jurisdictions:
    loaded = Jurisdictions()
    loaded.load_entry_points()
    return loaded


@pytest.mark.parametrize("key", JURISDICTIONS)
def test_every_message_renders_in_both_languages(js: Jurisdictions, key: str) -> None:
    """No result shows a raw key or an unfilled placeholder to an operator."""
    messages = _messages(_results(js, key))
    assert messages
    for lang in LANGUAGES:
        known = catalog(lang)
        for m in messages:
            assert m.key in known, (lang, m.key)
            text = m.render(lang)
            assert "{" not in text, (lang, m.key, text)


@pytest.mark.parametrize("key", JURISDICTIONS)
def test_every_pay_line_and_finding_is_cited(js: Jurisdictions, key: str) -> None:
    items = [r for result in _results(js, key) if isinstance(result, list) for r in result]
    for item in items:
        if isinstance(item, PayLine):
            assert item.citation.document.endswith(".txt") and item.citation.article, item
        if isinstance(item, Finding) and item.code != "cannot_compute":
            assert item.citation is not None and item.citation.article, item
