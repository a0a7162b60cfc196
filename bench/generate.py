"""Realistic registries for the benchmarks: the demo's generator (core/demo.py), scaled to a city.

    .venv/bin/python bench/generate.py --sizes 1000,10000,50000,100000

The demo has six jurisdictions with 20 communities over 11 streets; a city has thousands. Each
demo community is copied `k` times over `k` copies of its street (玉桥街道 → 玉桥街道, 玉桥2街道,
…) so a registry of N workers has about 25 workers per community and 2-4 communities per street,
spread over the same jurisdictions in the same proportions, with the demo's multi-year histories
(posts, contracts, assessments, trainings, departures). `build_demo` itself does the work.

Registries are cached under `$SHEGONG_BENCH_DIR` (default `<tmp>/shegong-bench`), one directory
per size and generator version, so a rerun of the benchmarks reuses them. A benchmark that
writes works on a copy (`fresh_copy`), so the cached registry stays as generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import attrs

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import core.demo as demo
from core.registry import init_registry

VERSION = 1  # bump when the generated data changes, so stale caches are not reused
TODAY = dt.date(2026, 11, 25)  # fixed, so a cached registry means the same thing on every run
SEED = demo.DEFAULT_SEED
WORKERS_PER_COMMUNITY = 25
SIZES = (1_000, 10_000, 50_000, 100_000)


def bench_dir() -> Path:
    return Path(os.environ.get("SHEGONG_BENCH_DIR") or Path(tempfile.gettempdir()) / "shegong-bench")


def registry_path(workers: int) -> Path:
    return bench_dir() / f"registry-{workers}-v{VERSION}"


def scaled_areas(workers: int) -> tuple[demo.DemoArea, ...]:
    """The demo areas with each community copied so communities hold ~25 workers each."""
    base = sum(len(a.communities) for a in demo.AREAS)
    copies = max(1, math.ceil(workers / WORKERS_PER_COMMUNITY / base))
    out = []
    for area in demo.AREAS:
        communities = []
        for k in range(copies):
            for spec in area.communities:
                street = spec.street if k == 0 else spec.street.replace("街道", f"{k + 1}街道")
                name = spec.name if k == 0 else spec.name.replace("社区", f"{k + 1}社区")
                communities.append(demo.DemoCommunity(f"{spec.id}-{k:03d}", name, street))
        out.append(attrs.evolve(area, communities=tuple(communities)))
    return tuple(out)


def generate(workers: int, *, quiet: bool = False) -> Path:
    """The cached registry of `workers` workers, built now if there is none."""
    path = registry_path(workers)
    if (path / "registry.json").exists() and (path / ".complete").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    started = time.perf_counter()
    saved = demo.AREAS
    demo.AREAS = scaled_areas(workers)
    try:
        reg = init_registry(building, user="bench")
        try:
            summary = demo.build_demo(reg, workers=workers, seed=SEED, today=TODAY)
        finally:
            reg.close()
    finally:
        demo.AREAS = saved
    (building / ".complete").write_text(f"{summary.workers} workers, {summary.communities} communities\n")
    building.rename(path)
    if not quiet:
        took = time.perf_counter() - started
        print(
            f"generated {summary.workers} workers in {summary.communities} communities: {path} ({took:.0f} s)"
        )
    return path


def fresh_copy(workers: int, into: Path) -> Path:
    """A private copy of the cached registry, for benchmarks that write."""
    source = generate(workers, quiet=True)
    target = into / f"registry-{workers}"
    # The audit trail is only appended to: the copy starts with an empty one.
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock", "*.jsonl"))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        if args.force:
            shutil.rmtree(registry_path(size), ignore_errors=True)
        generate(size)


if __name__ == "__main__":
    main()
