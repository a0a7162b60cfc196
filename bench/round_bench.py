"""How long an assessment round takes at city scale: what the round screen waits for.

    .venv/bin/python bench/round_bench.py [--workers 20000]

Builds a demo registry (every shipped jurisdiction, the demo's parameters), then times opening the
round over the whole registry (core proposes every grade), preparing the screen's rows (done in a
background thread), one decision (on the event loop: `decide` recounts the quotas), filtering the
rows as a keystroke does, saving, and previewing the consequences of closing. Prints the figures;
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core import load_jurisdictions
from core.assessment import decide, load_round, open_round, preview_consequences, save_round
from core.demo import build_demo, demo_parameters, write_params
from core.i18n import set_language
from core.memory import MemoryRegistry
from core.rules import Rules
from core.scope import Scope
from tui.app import load_catalogs
from tui.labels import Lexicon
from tui.screens.round_texts import RoundTexts

T = TypeVar("T")
TODAY = dt.date(2026, 11, 25)


def timed(label: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = action()
    print(f"  {label:<44} {time.perf_counter() - started:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=20_000)
    args = parser.parse_args()
    load_catalogs()
    set_language("zh")
    print(f"round bench: {args.workers} workers, load average {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory() as folder:
        params = Path(folder) / "params.toml"
        write_params(params, demo_parameters(load_jurisdictions(None))[0])
        js = load_jurisdictions(params)
        registry = MemoryRegistry(user="bench")
        timed(
            "build the demo registry",
            lambda: build_demo(registry, workers=args.workers, today=TODAY, jurisdictions=js),
        )
        rules = Rules(registry, js, today=TODAY)
        r = timed("open_round over the whole registry", lambda: open_round(registry, rules, 2026, Scope()))
        print(f"  ({len(r.entries)} workers in the round, {len(r.quotas)} quotas)")
        texts = RoundTexts(Lexicon(js), {c.id: c for c in registry.communities()})
        workers = {w.id: w for w in registry.workers()}
        rows = timed("prepare the screen's rows (background)", lambda: texts.build(r, workers))
        timed("the quota meter's lines", lambda: texts.meter(r))
        target = next(e for e in r.entries if not e.forced)
        grade = target.proposed or "qualified"
        r = timed("one decision (decide + recount)", lambda: decide(r, target.worker_id, grade))
        timed("one filter keystroke over every row", lambda: [h for h in rows.haystacks if "王" in h])
        timed("save_round", lambda: save_round(registry, r))
        timed("load_round", lambda: load_round(registry, r.year, r.period, r.scope))
        found = timed("preview the consequences of closing", lambda: preview_consequences(registry, rules, r))
        print(f"  ({len(found)} workers with consequences)")


if __name__ == "__main__":
    main()
