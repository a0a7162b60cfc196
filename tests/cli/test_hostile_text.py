"""Hostile text at the command line (issue 12, item 8): refused on input, made visible on output
when an older record holds it, neutralised in a CSV export; tables cap their columns."""

from __future__ import annotations

from pathlib import Path

from core.model import trusted_load
from core.registry import open_registry
from tests.cli.helpers import Run, snapshot
from tests.cli.test_worker_commands import COMMUNITY, add_args, resident_id
from tests.storage.conftest import make_worker


def test_worker_add_refuses_an_escape_in_the_name_and_saves_nothing(run: Run, demo_db: Path) -> None:
    before = snapshot(demo_db, audit=False)
    result = run("--db", demo_db, "worker", "add", *add_args(**{"--name": "张\x1b[2J伟"}))
    assert result.code == 1
    assert "--name" in result.err and "U+001B" in result.err and "\x1b" not in result.err
    assert snapshot(demo_db, audit=False) == before


def test_worker_list_shows_stored_escapes_as_text_and_caps_columns(run: Run, demo_db: Path) -> None:
    """Records saved before the model refused them: printed visibly, never raw, and a long name
    cannot widen the table beyond its cap."""
    registry = open_registry(demo_db)
    try:
        with trusted_load():
            hostile = make_worker(COMMUNITY, name="坏\x1b[2J\u202e名")
            long = make_worker(COMMUNITY, name="长" * 5000)
            registry.add_workers([hostile, long])
    finally:
        registry.close()
    result = run("--db", demo_db, "worker", "list", "--community", COMMUNITY)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert "坏\\x1b[2J\\u202e名" in result.out
    longest = max(len(line) for line in result.out.splitlines())
    assert longest < 400  # 5000 characters of name would be 10,000 cells wide


def test_worker_list_of_a_ten_megabyte_name_is_cut(run: Run, demo_db: Path) -> None:
    registry = open_registry(demo_db)
    try:
        with trusted_load():
            registry.add_workers([make_worker(COMMUNITY, name="A" * 10_000_000)])
    finally:
        registry.close()
    result = run("--db", demo_db, "worker", "list", "--community", COMMUNITY)
    assert result.code == 0 and "A" * 100 not in result.out and "…" in result.out


def test_csv_export_of_workers_neutralises_a_formula_name(run: Run, demo_db: Path, tmp_path: Path) -> None:
    registry = open_registry(demo_db)
    try:
        registry.add_worker(make_worker(COMMUNITY, name="=1+2"))
    finally:
        registry.close()
    out = tmp_path / "workers.csv"
    result = run("--db", demo_db, "export", "roster", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8-sig")
    assert "'=1+2" in text and ",=1+2" not in text


def test_import_refuses_a_name_with_an_escape_naming_the_field(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    id_number = resident_id()
    path = tmp_path / "w.csv"
    path.write_text(
        "姓名,性别,身份证号,社区编号,参加社区工作时间,产生方式,学历\n"
        f"张\x1b[2J三,男,{id_number},{COMMUNITY},2021-07-01,招聘,本科\n",
        encoding="utf-8",
    )
    result = run("--db", demo_db, "import", "workers", path)
    shown = result.err + result.out
    assert result.code == 1 and "U+001B" in shown and "\x1b" not in shown
    registry = open_registry(demo_db)
    try:
        assert registry.find_worker_by_id_number(id_number) is None
    finally:
        registry.close()
