"""Storage benchmark: a 50,000-worker registry over ~100 streets, against plain single-file TinyDB.

    .venv/bin/python bench/storage_bench.py [--workers 50000] [--streets 100] [--edits 200]

Prints: the time to open the registry and answer a first query (in a fresh process, with the shard
index cache and without it), and the latency of one durable edit (p50/p95) with 1 writer and with
4 concurrent writer processes (random workers anywhere, and each writer in its own streets); then
the same for plain TinyDB with its default JSONStorage on one file, made safe for several writers
the only way it can be (a lock, and a fresh TinyDB re-reading the file inside it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import filelock
from tinydb import TinyDB

from core.convert import unstructure
from core.errors import StaleRevision
from core.model import (
    Assessment,
    Certificate,
    CertificateKind,
    Community,
    Contract,
    ContractKind,
    Hukou,
    PartyStatus,
    Post,
    PostTerm,
    Sex,
    Status,
    StatusChange,
    Training,
    Worker,
)
from core.registry import init_registry, open_registry
from core.resident_id import checksum_char

CTX = multiprocessing.get_context("fork")


def _resident_id(birth: dt.date, sex: Sex, seq: int) -> str:
    last = (seq % 100) * 10 + (1 if sex == Sex.MALE else 2)
    first17 = f"110108{birth:%Y%m%d}{last:03d}"
    return first17 + checksum_char(first17)


def make_worker(n: int, community_id: str) -> Worker:
    """A realistic record: two posts, a contract, a certificate, three assessments, two trainings."""
    sex = Sex.MALE if n % 2 else Sex.FEMALE
    birth = dt.date(1966, 1, 1) + dt.timedelta(days=n % 12000)  # (birth, sequence) is unique per n
    start = dt.date(2006, 1, 1) + dt.timedelta(days=n % 5000)
    return Worker(
        name=f"张{n}",
        sex=sex,
        birth_date=birth,
        id_number=_resident_id(birth, sex, n // 12000),
        community_id=community_id,
        service_start=start,
        phone="13800138000",
        hukou=Hukou("北京"),
        party=PartyStatus.MEMBER,
        posts=(PostTerm(Post.STAFF, start), PostTerm(Post.GRID_WORKER, start + dt.timedelta(days=400))),
        contracts=(Contract(ContractKind.LABOUR, start, start + dt.timedelta(days=1095)),),
        certificates=(Certificate(CertificateKind.SOCIAL_WORKER, start, "SW2019000123"),),
        assessments=tuple(
            Assessment(y, grade="qualified", scores={"work": Decimal("85.5")}) for y in (2021, 2022, 2023)
        ),
        trainings=tuple(
            Training(dt.date(y, 5, 1), dt.date(y, 5, 3), hours=Decimal(24)) for y in (2022, 2023)
        ),
        statuses=(StatusChange(Status.ACTIVE, start),),
        note="0",
    )


def build(root: Path, workers: int, streets: int) -> list[str]:
    """Create the registry street by street; returns the community ids."""
    reg = init_registry(root, user="bench")
    per_street_communities = 20
    communities: list[str] = []
    for s in range(streets):
        district = f"第{s % 10 + 1}区"
        street = f"第{s + 1}街道"
        for c in range(per_street_communities):
            cid = f"s{s:03d}c{c:02d}"
            reg.add_community(
                Community(
                    id=cid,
                    name=f"{cid}社区",
                    street=street,
                    district=district,
                    city="北京市",
                    jurisdiction="beijing",
                )
            )
            communities.append(cid)
    per_street = workers // streets
    n = 0
    for s in range(streets):
        batch = [
            make_worker(n + i, communities[s * per_street_communities + i % per_street_communities])
            for i in range(per_street)
        ]
        n += per_street
        reg.add_workers(batch)
    reg.close()
    return communities


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    return f"p50 {pct(values, 50) * 1000:7.1f} ms   p95 {pct(values, 95) * 1000:7.1f} ms   (n={len(values)})"


OPEN_SNIPPET = """
import time, sys
t0 = time.perf_counter()
from core.registry import open_registry
t1 = time.perf_counter()
reg = open_registry(sys.argv[1])
t2 = time.perf_counter()
w = reg.get_worker(int(sys.argv[2]))
found = reg.find_worker_by_id_number(w.id_number)
t3 = time.perf_counter()
n = reg.count_workers()
reg.close()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f} {n}")
"""


def measure_open(root: Path, worker_id: int) -> tuple[float, float, float, int]:
    out = subprocess.run(
        [sys.executable, "-c", OPEN_SNIPPET, str(root), str(worker_id)],
        capture_output=True,
        text=True,
        check=True,
    )
    imports, opening, first, count = out.stdout.split()
    return float(imports), float(opening), float(first), int(count)


def _edits(root: str, ids: list[int], count: int, seed: int, think: float, out: str) -> None:
    rng = random.Random(seed)
    reg = open_registry(root, user=f"w{seed}", lock_timeout=60)
    for wid in ids[::100]:  # an operator's session has the streets it works on loaded
        reg.get_worker(wid)
    times: list[float] = []
    while len(times) < count:
        if think:
            time.sleep(rng.uniform(0, think))
        w = reg.get_worker(rng.choice(ids))
        edited = attrs.evolve(w, note=str(int(w.note or "0") + 1))
        t = time.perf_counter()
        try:
            reg.update_worker(edited)
        except StaleRevision:
            continue
        times.append(time.perf_counter() - t)
    reg.close()
    Path(out).write_text("\n".join(f"{x:.6f}" for x in times))
    os._exit(0)


def run_writers(target: Callable[..., None], args_for: list[tuple[Any, ...]], tmp: Path) -> list[float]:
    procs = []
    outs = []
    for i, args in enumerate(args_for):
        out = tmp / f"times{i}.txt"
        outs.append(out)
        p = CTX.Process(target=target, args=(*args, str(out)))
        p.start()
        procs.append(p)
    for p in procs:
        p.join()
    return [float(x) for out in outs for x in out.read_text().split()]


def _tiny_edits(path: str, lock: str, ids: list[int], count: int, seed: int, out: str) -> None:
    rng = random.Random(seed)
    times: list[float] = []
    guard = filelock.FileLock(lock, timeout=600)
    for _ in range(count):
        wid = rng.choice(ids)
        t = time.perf_counter()
        with guard:
            db = TinyDB(path)  # a fresh instance re-reads the file: the only safe way with several writers
            table = db.table("workers")
            doc = table.get(doc_id=wid)
            assert isinstance(doc, dict)
            table.update({"note": str(int(doc.get("note") or "0") + 1)}, doc_ids=[wid])
            db.close()
        times.append(time.perf_counter() - t)
    Path(out).write_text("\n".join(f"{x:.6f}" for x in times))
    os._exit(0)


def build_tinydb(path: Path, workers: int) -> None:
    docs = [unstructure(make_worker(n, f"s{(n % 100):03d}c00")) for n in range(workers)]
    db = TinyDB(path)
    db.table("workers").insert_multiple(docs)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--streets", type=int, default=100)
    parser.add_argument("--edits", type=int, default=200, help="edits per writer for the registry")
    parser.add_argument(
        "--baseline-edits", type=int, default=6, help="edits by the single plain TinyDB writer"
    )
    parser.add_argument("--skip-baseline", action="store_true", help="measure only the registry")
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the registry here and keep it; a later run reuses it (default: temp dir)",
    )
    args = parser.parse_args()

    if args.keep:
        args.keep.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="shegong-bench-", dir=args.keep.parent if args.keep else None))
    root = args.keep or tmp / "registry"
    print(f"registry: {args.workers} workers over {args.streets} streets in {root}")
    load = os.getloadavg()[0]
    print(f"load average at start: {load:.2f} on {os.cpu_count()} CPUs (others' load skews figures)")
    try:
        if (root / "registry.json").exists():
            print("reusing the registry built by an earlier run (--keep)")
        else:
            t = time.perf_counter()
            build(root, args.workers, args.streets)
            print(
                f"build (street by street, {args.streets} add_workers calls): {time.perf_counter() - t:.1f} s"
            )
        size = sum(p.stat().st_size for p in (root / "workers").glob("*.json"))
        print(f"worker shards: {size / 1e6:.1f} MB in {len(list((root / 'workers').glob('*.json')))} files")

        ids = list(range(1, args.workers + 1))
        imports, opening, first, count = measure_open(root, args.workers // 2)
        print(f"open, shard index warm:  open {opening * 1000:.0f} ms + first query {first * 1000:.0f} ms")
        print(f"                         (python imports {imports * 1000:.0f} ms; {count} workers)")
        (root / "index.json").unlink()
        _, opening_cold, first_cold, _ = measure_open(root, args.workers // 2)
        cold = f"open {opening_cold * 1000:.0f} ms + first query {first_cold * 1000:.0f} ms"
        print(f"open, no index cache:    {cold}")
        _, opening, first, _ = measure_open(root, args.workers // 2)
        print(f"open, index rebuilt:     open {opening * 1000:.0f} ms + first query {first * 1000:.0f} ms")

        one = run_writers(_edits, [(str(root), ids, args.edits, 1, 0.0)], tmp)
        print(f"registry, 1 writer:                             {ms(one)}")
        per = args.workers // 4
        quarters = [ids[i * per : (i + 1) * per] for i in range(4)]
        for think, label in ((0.0, "back to back"), (0.2, "0-200 ms apart")):
            four = run_writers(_edits, [(str(root), ids, args.edits, 10 + i, think) for i in range(4)], tmp)
            print(f"registry, 4 writers, anywhere, {label + ':':17} {ms(four)}")
            own = run_writers(
                _edits, [(str(root), quarters[i], args.edits, 20 + i, think) for i in range(4)], tmp
            )
            print(f"registry, 4 writers, own streets, {label + ':':14} {ms(own)}")
        if args.skip_baseline:
            return

        plain = tmp / "plain.json"
        t = time.perf_counter()
        build_tinydb(plain, args.workers)
        built = time.perf_counter() - t
        print(f"plain TinyDB file: {plain.stat().st_size / 1e6:.1f} MB, built in {built:.1f} s")
        t = time.perf_counter()
        db = TinyDB(plain)
        db.table("workers").get(doc_id=args.workers // 2)
        print(f"plain TinyDB open + first query: {(time.perf_counter() - t) * 1000:.0f} ms")
        db.close()
        lock = str(tmp / "plain.lock")
        base_one = run_writers(_tiny_edits, [(str(plain), lock, ids, args.baseline_edits, 1)], tmp)
        print(f"plain TinyDB, 1 writer:                         {ms(base_one)}")
        base_four = run_writers(
            _tiny_edits,
            [(str(plain), lock, ids, max(2, args.baseline_edits // 3), 10 + i) for i in range(4)],
            tmp,
        )
        print(f"plain TinyDB, 4 writers (locked), back to back: {ms(base_four)}")
        print(f"median speed-up of one edit: {statistics.median(base_one) / statistics.median(one):.0f}x")
    finally:
        print(f"load average at end: {os.getloadavg()[0]:.2f}")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
