"""Spreadsheet import and export speed for 10,000 workers (targets: export ≤ 4 s, import ≤ 8 s).

    .venv/bin/python bench/excel_bench.py [--workers 10000] [--disk]

Generates the workbook an office would send (IDs as text cells, dates as Excel dates, Chinese
labels), imports it into an empty in-memory registry (and, with --disk, an on-disk one), imports it
again (nothing changes), then exports the roster and a payroll run. Prints the figures; asserts
nothing about time. Targets are for wall-clock time on an otherwise idle 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.memory import MemoryRegistry
from core.model import Community
from core.payroll import Line, PayrollRun, WorkerPay
from core.repository import Repository
from core.resident_id import checksum_char
from core.tabular import export_payroll, export_roster, import_workers
from core.tabular.headers import WORKER_COLUMNS
from core.tabular.writing import Sheet, write_book

STREETS = 8
COMMUNITIES_PER_STREET = 12
POSTS = ["专职工作人员", "专职网格员", "社区党组织书记、居委会主任", "两委委员", "社区后备干部"]
EDUCATION = ["大专", "本科", "高中", "中专", "硕士研究生"]


def communities() -> list[Community]:
    out = []
    for s in range(STREETS):
        for c in range(COMMUNITIES_PER_STREET):
            out.append(
                Community(
                    id=f"c{s:02d}{c:02d}",
                    name=f"第{s}街道{c}社区",
                    street=f"第{s}街道",
                    district="测试区",
                    city="测试市",
                    jurisdiction="toy",
                    population=5000 + c,
                )
            )
    return out


def worker_rows(n: int, ids: list[str]) -> Iterator[list[object]]:
    rnd = random.Random(7)
    fields = [c.field for c in WORKER_COLUMNS if c.importable]
    seen: set[str] = set()
    for i in range(n):
        while True:
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 35))
            male = rnd.random() < 0.4
            seq = 2 * rnd.randrange(500) + (1 if male else 0)
            first17 = f"{110101 + i % 8:06d}{birth:%Y%m%d}{seq:03d}"
            number = first17 + checksum_char(first17)
            if number not in seen:
                break
        seen.add(number)
        ids.append(number)
        start = birth + dt.timedelta(days=365 * 22 + rnd.randrange(0, 3000))
        values: dict[str, Any] = {
            "name": f"人员{i}",
            "sex": "男" if male else "女",
            "birth_date": birth,
            "id_number": number,
            "community_id": f"c{rnd.randrange(STREETS):02d}{rnd.randrange(COMMUNITIES_PER_STREET):02d}",
            "service_start": start,
            "entry": "招聘" if i % 4 else "选任",
            "education": EDUCATION[i % len(EDUCATION)],
            "phone": f"139{i:08d}",
            "hukou_city": "测试市",
            "hukou_kind": "城镇",
            "party": "中共党员" if i % 3 == 0 else "群众",
            "posts": POSTS[i % len(POSTS)],
            "contract_kind": "劳动合同",
            "contract_start": dt.date(2024, 1, 1),
            "contract_end": dt.date(2026, 12, 31),
            "status": "在岗",
        }
        yield [values.get(f) for f in fields]


def write_input(path: Path, n: int) -> list[str]:
    ids: list[str] = []
    columns = [c for c in WORKER_COLUMNS if c.importable]
    sheet = Sheet(
        "社区工作者",
        [c.zh for c in columns],
        worker_rows(n, ids),
        text=frozenset(i for i, c in enumerate(columns) if c.is_text),
    )
    write_book(path, [sheet])
    return ids


def payroll_run(registry: Repository) -> PayrollRun:
    by_id = {c.id: c for c in registry.communities()}
    pays = []
    for w in registry.workers():
        c = by_id[w.community_id]
        lines = (
            Line("base", "tabular.payroll.subtotal", Decimal("3215.50"), "测试办法.txt", "第十条"),
            Line(
                "seniority", "tabular.payroll.subtotal", Decimal(w.id % 300) / 3, "测试办法.txt", "第十一条"
            ),
            Line("meal", "tabular.payroll.subtotal", Decimal("200"), "测试办法.txt", "第十二条", cash=False),
        )
        pays.append(WorkerPay(w.id, w.name, c.id, c.street, c.district, c.jurisdiction, lines))
    return PayrollRun("2026-11", "all", "2026-11-25T10:00:00+08:00", "bench", tuple(pays))


def timed(label: str, fn: Callable[[], Any]) -> Any:
    """Run `fn`, print wall-clock and CPU seconds (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<44} {wall:6.2f} s wall {cpu:6.2f} s CPU", flush=True)
    return result


def counting() -> tuple[Callable[[int, int], None], list[int]]:
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)

    return progress, calls


def run(registry: Repository, folder: Path, source: Path, label: str) -> None:
    for c in communities():
        registry.add_community(c)
    progress, calls = counting()
    result = timed(
        f"[{label}] import (empty registry)", lambda: import_workers(registry, source, progress=progress)
    )
    print(f"    added {result.added}, bad {result.bad}, progress calls {len(calls)}")
    assert result.added == result.rows and not result.problems, result.problems[:3]
    again = timed(f"[{label}] import again (nothing changes)", lambda: import_workers(registry, source))
    print(f"    unchanged {again.unchanged}, updated {again.updated}, added {again.added}")
    progress, calls = counting()
    roster = folder / f"roster-{label}.xlsx"
    rows = timed(
        f"[{label}] export roster (xlsx)", lambda: export_roster(registry, roster, progress=progress)
    )
    print(f"    {rows} rows, {roster.stat().st_size // 1024} KiB, progress calls {len(calls)}")
    timed(f"[{label}] export roster (csv)", lambda: export_roster(registry, folder / f"roster-{label}.csv"))
    pay = payroll_run(registry)
    target = folder / f"payroll-{label}.xlsx"
    timed(f"[{label}] export payroll run ({STREETS} streets)", lambda: export_payroll(pay, target))
    full = folder / f"roster-full-{label}.xlsx"
    export_roster(registry, full, full_ids=True)
    back = timed(f"[{label}] import the full roster back", lambda: import_workers(registry, full))
    print(f"    unchanged {back.unchanged}, updated {back.updated}, problems {len(back.problems)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--disk", action="store_true", help="also run against an on-disk registry")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} (other processes slow the wall-clock figures)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "workers.xlsx"
        timed(f"generate {args.workers} rows (bench setup)", lambda: write_input(source, args.workers))
        print(f"    {source.stat().st_size // 1024} KiB")
        run(MemoryRegistry(user="bench"), folder, source, "memory")
        if args.disk:
            from core.registry import open_registry

            registry = open_registry(folder / "registry", user="bench", create=True)
            try:
                run(registry, folder, source, "disk")
            finally:
                registry.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
