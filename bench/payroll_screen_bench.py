"""What the payroll screen costs at city scale: computing a month, turning the run into the
screen's rows and measuring their columns (all three in the screen's worker thread), exporting.

    .venv/bin/python bench/payroll_screen_bench.py [--workers 50000]

Builds a demo registry in memory (the demo's parameter values, so most workers can be computed),
then prints the figures and the load average (the machine may be shared); asserts nothing.
What is left on the event loop is handing the prepared rows to the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from core import load_jurisdictions
from core.demo import build_demo, demo_parameters, write_params
from core.jurisdictions import default_jurisdictions
from core.memory import MemoryRegistry
from core.payroll import compute_payroll
from core.results import Month
from core.rules import Rules
from core.scope import Scope
from core.tabular import export_payroll
from tui.app import load_catalogs
from tui.payroll_view import PayrollView
from tui.widgets.virtual_table import Column, measure

TODAY = dt.date(2026, 11, 25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50_000)
    args = parser.parse_args()
    load_catalogs()
    with tempfile.TemporaryDirectory() as folder:
        params = Path(folder) / "params.toml"
        written, _ = demo_parameters(default_jurisdictions())
        write_params(params, written)
        js = load_jurisdictions(params)
        registry = MemoryRegistry(user="bench")
        started = time.perf_counter()
        build_demo(registry, workers=args.workers, today=TODAY, jurisdictions=js)
        print(f"demo registry of {registry.count_workers()} workers: {time.perf_counter() - started:.1f} s")
        rules = Rules(registry, js, today=TODAY)

        calls = 0

        def progress(done: int, total: int) -> None:
            nonlocal calls
            calls += 1

        started = time.perf_counter()
        run = compute_payroll(registry, rules, Month.of(TODAY), Scope(), progress=progress)
        computed = time.perf_counter() - started
        print(
            f"compute (worker thread): {computed:.2f} s for {len(run.workers)} workers, "
            f"{len(run.failed)} failed, {calls} progress calls"
        )

        names = {c.id: c.name for c in registry.communities()}
        view = PayrollView(Month.of(TODAY), Scope(), run, None, names)
        started = time.perf_counter()
        tables = view.tables
        print(f"rows for the five tables (worker thread): {time.perf_counter() - started:.2f} s")

        columns = [Column(str(i), "x", max_width=16) for i in range(4)]
        started = time.perf_counter()
        measure(columns, tables["workers"].rows)
        print(f"measuring the workers' columns (worker thread): {time.perf_counter() - started:.3f} s")

        started = time.perf_counter()
        export_payroll(run, Path(folder) / "payroll.xlsx", lang="zh", names=names)
        print(f"export to .xlsx: {time.perf_counter() - started:.2f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
