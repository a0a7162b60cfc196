"""The benchmark suite of issue #7: every figure, its target, and plain TinyDB alongside.

    .venv/bin/python bench/run.py [--sizes 50000] [--repeat 3] [--json out.json] [--only open,roster]

Each figure is measured in a fresh child process (`--child`), so one figure's caches, memory and
imports never help or hurt another; the child reports its timings and its peak memory
(`ru_maxrss`, children included). A figure is the median over `--repeat` runs. Registries come
from `bench/generate.py` (cached on disk); the ones written to are private copies. Figures are
wall-clock time on a shared machine: the load average is printed with them. Nothing here is a
test: no figure fails the build, the table says which targets are met.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import generate  # noqa: E402  (bench/ is not a package; the path is set just above)

EXCEL_ROWS = 10_000
Result = dict[str, Any]


# --- figures measured in a child process --------------------------------------------------------


def _peak_mb() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


def _rules(registry: Any) -> Any:
    from core import load_jurisdictions
    from core.rules import Rules

    return Rules(registry, load_jurisdictions(registry.params_path), today=generate.TODAY)


def _cpu() -> float:
    """CPU seconds of this process since it started, every thread (on a machine others load,
    this is what the work cost; wall-clock time also counts the time others had the CPU)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), _cpu()

    def lap(self, out: Result, key: str) -> None:
        """Record wall and CPU seconds since the last lap as `key` and `key_cpu`; restart."""
        wall, cpu = time.perf_counter(), _cpu()
        out[key], out[key + "_cpu"] = wall - self.wall, cpu - self.cpu
        self.wall, self.cpu = wall, cpu


def child_open(path: str) -> Result:
    out: Result = {}
    clock = Clock()
    from core.registry import open_registry

    clock.lap(out, "imports_s")
    reg = open_registry(path)
    count = reg.count_workers()
    worker = reg.get_worker(count // 2 + 1)
    found = reg.find_worker_by_id_number(worker.id_number)
    assert found is not None and found.id == worker.id
    clock.lap(out, "open_s")
    reg.close()
    out["workers"] = count
    return out


def child_open_tinydb(path: str) -> Result:
    from tinydb import TinyDB

    out: Result = {}
    clock = Clock()
    db = TinyDB(path)
    table = db.table("workers")
    count = len(table)
    doc = table.get(doc_id=count // 2 + 1)
    assert doc is not None
    clock.lap(out, "open_s")
    db.close()
    out["workers"] = count
    return out


def _edit_loop(path: str, ids: list[int], count: int, seed: int, out: str) -> None:
    """One operator editing random workers' notes back to back; times each durable edit."""
    import attrs

    from core.errors import StaleRevision
    from core.registry import open_registry

    rng = random.Random(seed)
    reg = open_registry(path, user=f"bench{seed}", lock_timeout=120)
    for wid in ids[:: max(1, len(ids) // 400)]:  # a session has looked at workers all over the city
        reg.get_worker(wid)
    times: list[float] = []
    cpus: list[float] = []
    while len(times) < count:
        w = reg.get_worker(rng.choice(ids))
        edited = attrs.evolve(w, note=f"bench {seed} {len(times)}")
        t, c = time.perf_counter(), time.process_time()
        try:
            reg.update_worker(edited)
        except StaleRevision:
            continue
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    reg.close()
    Path(out).write_text("\n".join(f"{x:.6f}" for x in times))
    Path(out + ".cpu").write_text("\n".join(f"{x:.6f}" for x in cpus))
    os._exit(0)


def _tiny_edit_loop(path: str, ids: list[int], count: int, seed: int, out: str) -> None:
    """Plain TinyDB made safe for several writers: a lock, and a fresh TinyDB inside it."""
    import filelock
    from tinydb import TinyDB

    rng = random.Random(seed)
    guard = filelock.FileLock(path + ".lock", timeout=600)
    times: list[float] = []
    for n in range(count):
        wid = rng.choice(ids)
        t = time.perf_counter()
        with guard:
            db = TinyDB(path)
            db.table("workers").update({"note": f"bench {seed} {n}"}, doc_ids=[wid])
            db.close()
        times.append(time.perf_counter() - t)
    Path(out).write_text("\n".join(f"{x:.6f}" for x in times))
    os._exit(0)


def _writers(
    target: Callable[..., None], path: str, ids: list[int], writers: int, count: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of every edit (CPU only where the writer records it)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as tmp:
        outs = [str(Path(tmp) / f"t{i}") for i in range(writers)]
        procs = [ctx.Process(target=target, args=(path, ids, count, 10 + i, outs[i])) for i in range(writers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        times = [float(x) for out in outs for x in Path(out).read_text().split()]
        cpus = [
            float(x)
            for out in outs
            if Path(out + ".cpu").exists()
            for x in Path(out + ".cpu").read_text().split()
        ]
        return times, cpus


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def child_edits(path: str, writers: int, count: int, tiny: bool = False) -> Result:
    if tiny:
        from tinydb import TinyDB

        db = TinyDB(path)
        n = len(db.table("workers"))
        db.close()
    else:
        from core.registry import open_registry

        reg = open_registry(path)
        n = reg.count_workers()
        reg.close()
    ids = list(range(1, n + 1))
    times, cpus = _writers(_tiny_edit_loop if tiny else _edit_loop, path, ids, writers, count)
    out: Result = {"p50_ms": _pct(times, 50) * 1000, "p95_ms": _pct(times, 95) * 1000, "edits": len(times)}
    if cpus:
        out["p50_ms_cpu"], out["p95_ms_cpu"] = _pct(cpus, 50) * 1000, _pct(cpus, 95) * 1000
    return out


def child_roster(path: str, started: float, keystrokes: str) -> Result:
    """Process start to the roster's first painted rows, then filter keystrokes to repaint."""
    from core.registry import open_registry
    from tui.app import ShegongApp, load_catalogs
    from tui.screens.roster import RosterScreen

    class RosterFirst(ShegongApp):
        """The app opening on the roster (it opens on the dashboard, which computes every
        worker's findings in the background: that is a figure of its own, not the roster's)."""

        CSS_PATH = str(ROOT / "tui" / "app.tcss")

        def on_mount(self, event: Any) -> None:
            event.prevent_default()  # ShegongApp's own on_mount would open the dashboard
            self.switch_mode("roster")

    load_catalogs()
    registry = open_registry(path)
    app = RosterFirst(registry, rules=_rules(registry), today=generate.TODAY)
    out: Result = {}

    async def drive() -> None:
        async with app.run_test(headless=True, size=(120, 40)) as pilot:
            roster: RosterScreen | None = None
            while True:
                await pilot.pause(0.005)
                roster = app.roster_screen
                if roster is not None and roster.is_mounted and roster.table.rendered_rows:
                    break
                if time.time() - started > 300:
                    raise TimeoutError("roster never painted")
            out["first_paint_s"], out["first_paint_s_cpu"] = time.time() - started, _cpu()
            table = roster.table
            while roster.data is None or getattr(roster.data, "partial", False):
                await pilot.pause(0.01)
            out["all_rows_s"], out["all_rows_s_cpu"] = time.time() - started, _cpu()
            out["rows"] = table.total_count
            await pilot.press("slash")
            await pilot.pause()
            times, cpus = [], []
            for char in keystrokes:
                for key in (char, "backspace"):
                    table.rendered_rows.clear()
                    t, c = time.perf_counter(), _cpu()
                    await pilot.press(key)
                    while not table.rendered_rows:
                        await pilot.pause()
                    times.append(time.perf_counter() - t)
                    cpus.append(_cpu() - c)
            out["keystroke_ms"] = statistics.median(times) * 1000
            out["keystroke_ms_cpu"] = statistics.median(cpus) * 1000
            out["keystroke_max_ms"] = max(times) * 1000
            out["keystroke_max_ms_cpu"] = max(cpus) * 1000

    asyncio.run(drive())
    registry.close()
    return out


def child_payroll(path: str) -> Result:
    from core.payroll import compute_payroll, save_run
    from core.registry import open_registry
    from core.results import Month
    from core.scope import Scope

    registry = open_registry(path)
    rules = _rules(registry)
    month = Month.parse(f"{generate.TODAY:%Y-%m}")
    out: Result = {}
    clock = Clock()
    run = compute_payroll(registry, rules, month, Scope())
    clock.lap(out, "compute_s")
    save_run(registry, run)
    clock.lap(out, "save_s")
    registry.close()
    paid = len(run.workers)
    out["run_s"], out["run_s_cpu"] = (
        out["compute_s"] + out["save_s"],
        out["compute_s_cpu"] + out["save_s_cpu"],
    )
    out["rate"], out["rate_cpu"] = paid / out["compute_s"], paid / out["compute_s_cpu"]
    out["paid"], out["errors"] = paid, sum(1 for w in run.workers if w.error)
    return out


def child_grading(path: str) -> Result:
    from core.assessment import open_round
    from core.registry import open_registry
    from core.scope import Scope

    registry = open_registry(path)
    rules = _rules(registry)
    out: Result = {}
    clock = Clock()
    r = open_round(registry, rules, generate.TODAY.year - 1, Scope())
    clock.lap(out, "grading_s")
    registry.close()
    out["entries"] = len(r.entries)
    return out


def child_export(path: str, target: str) -> Result:
    from core.registry import open_registry
    from core.tabular import export_roster

    registry = open_registry(path)
    calls: list[int] = []
    out: Result = {}
    clock = Clock()
    rows = export_roster(registry, target, progress=lambda done, total: calls.append(done))
    clock.lap(out, "export_s")
    registry.close()
    out["rows"], out["progress_calls"] = rows, len(calls)
    return out


def child_import(source: str, into: str) -> Result:
    import excel_bench

    from core.registry import open_registry
    from core.tabular import import_workers

    registry = open_registry(into, user="bench", create=True)
    for c in excel_bench.communities():
        registry.add_community(c)
    calls: list[int] = []
    out: Result = {}
    clock = Clock()
    result = import_workers(registry, source, progress=lambda done, total: calls.append(done))
    clock.lap(out, "import_s")
    again = import_workers(registry, source)
    clock.lap(out, "reimport_s")
    registry.close()
    assert result.added == result.rows and not result.problems, result.problems[:3]
    out["rows"], out["unchanged"], out["progress_calls"] = result.rows, again.unchanged, len(calls)
    return out


CHILDREN: dict[str, Callable[..., Result]] = {
    "open": child_open,
    "open_tinydb": child_open_tinydb,
    "edits": child_edits,
    "roster": child_roster,
    "payroll": child_payroll,
    "grading": child_grading,
    "export": child_export,
    "import": child_import,
}


def child_main(args: list[str]) -> None:
    name, raw = args[0], json.loads(args[1])
    result = CHILDREN[name](*raw)
    result["peak_mb"] = _peak_mb()
    print("RESULT " + json.dumps(result))


# --- the parent: runs children, keeps medians ----------------------------------------------------


def spawn(name: str, *args: Any, timeout: float = 1800) -> Result:
    started = time.time()
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", name, json.dumps(args)]
    if name == "roster":  # process start is the moment before the interpreter is launched
        argv[-1] = json.dumps([args[0], started, *args[1:]])
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{name} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result: Result = json.loads(lines[-1][len("RESULT ") :])
    return result


def note_peak(peaks: dict[str, float], name: str, r: Result) -> None:
    if "peak_mb" in r:
        peaks[name] = r["peak_mb"]


def median_of(runs: list[Result]) -> Result:
    out: Result = {}
    for key in runs[0]:
        values = [r[key] for r in runs if isinstance(r.get(key), int | float)]
        out[key] = statistics.median(values) if len(values) == len(runs) else runs[0][key]
    return out


def repeated(repeat: int, name: str, *args: Any) -> Result:
    """The median of `repeat` runs; a figure that fails is reported and left out, not fatal."""
    try:
        return median_of([spawn(name, *args) for _ in range(repeat)])
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"{name}: not measured: {str(exc)[-600:]}", file=sys.stderr)
        return {}


def plain_tinydb(size: int) -> Path:
    """The same workers in one plain TinyDB file (default JSONStorage), cached beside the registry."""
    path = generate.bench_dir() / f"plain-{size}-v{generate.VERSION}.json"
    if path.exists():
        return path
    from tinydb import TinyDB

    from core.registry import open_registry
    from core.storage.documents import body_of

    reg = open_registry(generate.generate(size))
    docs = []
    try:
        for key in list(reg._shards):
            st = reg._parsed(key)
            assert st.file is not None
            for wid, doc in st.file.docs.items():
                docs.append((wid, body_of(doc)))
    finally:
        reg.close()
    docs.sort()
    building = path.with_suffix(".building")
    db = TinyDB(building)
    db.table("workers").insert_multiple(doc for _, doc in docs)
    db.close()
    building.rename(path)
    return path


# (key, label, unit, target, met?)
TARGETS: list[tuple[str, str, str, str, Callable[[float], bool]]] = [
    ("open_s", "open + ready to query", "s", "≤ 1 s", lambda v: v <= 1.0),
    ("edit1_p50_ms", "durable edit p50, 1 writer", "ms", "", lambda v: True),
    ("edit1_p95_ms", "durable edit p95, 1 writer", "ms", "≤ 50 ms", lambda v: v <= 50),
    ("edit4_p50_ms", "durable edit p50, 4 writers", "ms", "", lambda v: True),
    ("edit4_p95_ms", "durable edit p95, 4 writers", "ms", "≤ 50 ms", lambda v: v <= 50),
    ("first_paint_s", "process start → first painted roster", "s", "≤ 1.5 s", lambda v: v <= 1.5),
    ("all_rows_s", "process start → every row ready", "s", "", lambda v: True),
    ("keystroke_ms", "filter keystroke → repainted roster", "ms", "≤ 50 ms", lambda v: v <= 50),
    ("keystroke_max_ms", "filter keystroke, slowest", "ms", "", lambda v: True),
    ("payroll_rate", "payroll compute, workers/s", "/s", "≥ 50,000/s", lambda v: v >= 50_000),
    ("payroll_run_s", "payroll computed and saved", "s", "≤ 3 s", lambda v: v <= 3),
    ("payroll_save_s", "payroll run saved (save only)", "s", "", lambda v: True),
    ("grading_s", "year-end grading of every worker", "s", "≤ 2 s", lambda v: v <= 2),
    ("export_s", f"Excel export, {EXCEL_ROWS:,} rows", "s", "≤ 4 s", lambda v: v <= 4),
    ("import_s", f"Excel import, {EXCEL_ROWS:,} rows", "s", "≤ 8 s", lambda v: v <= 8),
    ("peak_mb", "peak memory, largest figure (not TinyDB)", "MB", "≤ 500 MB", lambda v: v <= 500),
]
BASELINE = {"open_s", "edit1_p50_ms", "edit1_p95_ms", "edit4_p50_ms", "edit4_p95_ms"}


def measure_size(size: int, repeat: int, only: set[str] | None, edits: int, baseline: bool) -> Result:
    def wanted(name: str) -> bool:
        return only is None or name in only

    source = generate.generate(size)
    figures: Result = {"workers": size, "peak_by_figure": {}, "baseline": {}}
    peaks: dict[str, float] = figures["peak_by_figure"]
    with tempfile.TemporaryDirectory(prefix="shegong-run-", dir=generate.bench_dir()) as tmp:
        work = Path(tmp)
        copy = generate.fresh_copy(size, work)

        def take(r: Result, pairs: dict[str, str]) -> None:
            for mine, theirs in pairs.items():
                for suffix in ("", "_cpu"):
                    if theirs + suffix in r:
                        figures[mine + suffix] = r[theirs + suffix]

        if wanted("open"):
            r = repeated(repeat, "open", str(source))
            take(r, {"open_s": "open_s", "open_imports_s": "imports_s"})
            note_peak(peaks, "open", r)
        if wanted("edits"):
            for writers in (1, 4):
                r = repeated(repeat, "edits", str(copy), writers, edits)
                take(r, {f"edit{writers}_p50_ms": "p50_ms", f"edit{writers}_p95_ms": "p95_ms"})
                note_peak(peaks, f"edits x{writers}", r)
        if wanted("roster"):
            r = repeated(repeat, "roster", str(source), "zwl")
            take(r, {k: k for k in ("first_paint_s", "all_rows_s", "keystroke_ms", "keystroke_max_ms")})
            note_peak(peaks, "roster", r)
        if wanted("payroll"):
            r = repeated(repeat, "payroll", str(copy))
            take(r, {"payroll_rate": "rate", "payroll_run_s": "run_s", "payroll_save_s": "save_s"})
            figures["payroll_errors"] = r.get("errors")
            note_peak(peaks, "payroll", r)
        if wanted("grading"):
            r = repeated(repeat, "grading", str(source))
            take(r, {"grading_s": "grading_s"})
            note_peak(peaks, "grading", r)
        if baseline and (wanted("open") or wanted("edits")):
            plain = plain_tinydb(size)
            base: Result = figures["baseline"]
            if wanted("open"):
                r = repeated(repeat, "open_tinydb", str(plain))
                if r:
                    base["open_s"] = r["open_s"]
            if wanted("edits"):
                private = work / "plain.json"
                shutil.copy(plain, private)
                for writers, count in ((1, 4), (4, 1)):  # each edit rewrites the whole file: slow
                    r = repeated(1, "edits", str(private), writers, count, True)
                    if r:
                        base[f"edit{writers}_p50_ms"], base[f"edit{writers}_p95_ms"] = (
                            r["p50_ms"],
                            r["p95_ms"],
                        )
                    note_peak(peaks, f"tinydb edits x{writers}", r)
    if peaks:
        figures["peak_mb"] = max(v for k, v in peaks.items() if not k.startswith("tinydb"))
    return figures


def measure_excel(repeat: int) -> Result:
    import excel_bench

    out: Result = {}
    source = generate.generate(EXCEL_ROWS)
    with tempfile.TemporaryDirectory(prefix="shegong-xl-", dir=generate.bench_dir()) as tmp:
        folder = Path(tmp)
        r = repeated(repeat, "export", str(source), str(folder / "roster.xlsx"))
        for key in ("export_s", "export_s_cpu"):
            if key in r:
                out[key] = r[key]
        out["export_progress_calls"], out["export_peak_mb"] = r.get("progress_calls"), r.get("peak_mb", 0)
        book = folder / "workers.xlsx"
        excel_bench.write_input(book, EXCEL_ROWS)
        runs = [repeated(1, "import", str(book), str(folder / f"reg{i}")) for i in range(repeat)]
        runs = [r for r in runs if r]
        r = median_of(runs) if runs else {}
        for key in ("import_s", "import_s_cpu", "reimport_s"):
            if key in r:
                out[key] = r[key]
        out["import_progress_calls"], out["import_peak_mb"] = r.get("progress_calls"), r.get("peak_mb", 0)
    return out


def fmt(key: str, value: float) -> str:
    if key == "payroll_rate":
        return f"{value:,.0f}/s"
    if key.endswith("_ms"):
        return f"{value:.1f} ms"
    if key.endswith("_mb"):
        return f"{value:.0f} MB"
    return f"{value:.2f} s"


def print_table(figures: Result) -> None:
    """Wall-clock and CPU time side by side: the targets are for an otherwise idle machine, where
    the two agree for one-threaded work; on a loaded one CPU time is the fairer figure, so a
    target counts as met if either is within it (an edit's CPU time leaves out its fsync wait
    and the lock: shown, but wall-clock time decides)."""
    load = f"load average {figures['load_start']:.2f} → {figures['load_end']:.2f}"
    print(f"\n{figures['workers']:,} workers — {load} on {os.cpu_count()} CPUs")
    print(f"{'figure':<40} {'wall':>11} {'CPU':>11} {'plain TinyDB':>13} {'target':>11}  met")
    for key, label, _, target, ok in TARGETS:
        if key not in figures:
            continue
        value = figures[key]
        cpu = figures.get(key + "_cpu")
        base = figures.get("baseline", {}).get(key)
        base_text = fmt(key, base) if base is not None else ""
        cpu_text = fmt(key, cpu) if cpu is not None else ""
        by_cpu = cpu is not None and ok(cpu) and not key.startswith("edit")
        met = ("yes" if ok(value) or by_cpu else "NO") if target else ""
        print(f"{label:<40} {fmt(key, value):>11} {cpu_text:>11} {base_text:>13} {target:>11}  {met}")
    if figures.get("peak_by_figure"):
        peaks = ", ".join(f"{k} {v:.0f}" for k, v in figures["peak_by_figure"].items())
        print(f"peak memory by figure (MB): {peaks}")
    extra = {k: v for k, v in figures.items() if k in ("open_imports_s", "payroll_errors", "reimport_s")}
    if extra:
        print(
            "also: "
            + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in extra.items())
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50000", help="comma-separated worker counts (1000,10000,…)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument("--edits", type=int, default=100, help="edits per writer per run")
    parser.add_argument("--only", help="comma-separated: open,edits,roster,payroll,grading,excel")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain TinyDB (slow at 50k+)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    print(f"{os.cpu_count()} CPUs; benchmark registries in {generate.bench_dir()}")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        generate.generate(size)
        load = os.getloadavg()[0]
        figures = measure_size(size, args.repeat, only, args.edits, not args.no_baseline)
        if only is None or "excel" in only:
            excel = measure_excel(args.repeat)
            figures.update({k: v for k, v in excel.items() if not k.endswith("_peak_mb")})
            figures["peak_by_figure"].update(
                {"export": excel["export_peak_mb"], "import": excel["import_peak_mb"]}
            )
            figures["peak_mb"] = max(
                v for k, v in figures["peak_by_figure"].items() if not k.startswith("tinydb")
            )
        figures["load_start"], figures["load_end"] = load, os.getloadavg()[0]
        print_table(figures)
        results.append(figures)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()
