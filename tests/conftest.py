"""What every test shares: each starts in Chinese, the default language.

Several commands and screens switch the process's language (`--lang en`, an English app), and
xdist runs many tests in one process; without this a test that checks a Chinese message fails or
passes depending on which test ran before it on the same worker.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.i18n import set_language


@pytest.fixture(autouse=True)
def _each_test_starts_in_chinese() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")
