"""Importing communities: jurisdiction checks, duplicates, updates that keep city-set quotas."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl

from core.memory import MemoryRegistry
from core.tabular import import_communities
from core.tabular.headers import COMMUNITY_COLUMNS

HEADERS = [c.zh for c in COMMUNITY_COLUMNS]


def _write(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for r in rows:
        book.active.append(r)
    book.save(path)
    return path


def _row(cid: str, **kw: object) -> list[object]:
    values: dict[str, object] = {
        "id": cid,
        "name": f"{cid}社区",
        "street": "东街道",
        "district": "测试区",
        "city": "测试市",
        "jurisdiction": "toy",
        "kind": "城市社区",
        "households_resident": 1200,
        "population": "3,400",
        "office_area": 320.5,
    }
    values.update(kw)
    return [values.get(c.field) for c in COMMUNITY_COLUMNS]


def test_import_check_and_reimport(tmp_path: Path) -> None:
    registry = MemoryRegistry(user="operator")
    bad = _write(
        tmp_path / "社区.xlsx",
        [
            _row("a1"),
            _row("a2", jurisdiction="atlantis"),
            _row("a3", kind="城中村", grid_count=-2),
            _row("a1", name="重复"),
        ],
    )
    result = import_communities(registry, bad, jurisdictions={"toy", "beijing"})
    assert [(p.row, p.column, p.problem.key) for p in result.problems] == [
        (2, "社区编号", "tabular.problem.duplicate_in_file"),
        (3, "适用规则", "tabular.problem.unknown_jurisdiction"),
        (4, "类型", "tabular.problem.choice"),
        (4, "网格数", "tabular.problem.negative"),
        (5, "社区编号", "tabular.problem.duplicate_in_file"),
    ]
    assert "beijing、toy" in result.problems[1].fix.render("zh")
    assert registry.communities() == []

    good = _write(tmp_path / "好.xlsx", [_row("a1"), _row("a2", kind="农村新社区")])
    first = import_communities(registry, good, jurisdictions=lambda key: key == "toy")
    assert (first.added, first.problems) == (2, ())
    a1 = registry.get_community("a1")
    assert (a1.population, a1.office_area) == (3400, Decimal("320.5"))
    assert registry.get_community("a2").kind.value == "rural"
    again = import_communities(registry, good, jurisdictions={"toy"})
    assert (again.added, again.updated, again.unchanged, again.written) == (0, 0, 2, False)


def test_update_keeps_what_the_sheet_does_not_carry(tmp_path: Path) -> None:
    registry = MemoryRegistry(user="operator")
    import_communities(registry, _write(tmp_path / "a.xlsx", [_row("a1")]), jurisdictions={"toy"})
    registry.update_community(attrs.evolve(registry.get_community("a1"), post_quotas={"staff": 5}))
    changed = _row("a1", grid_count=9, households_resident=None)
    result = import_communities(registry, _write(tmp_path / "b.xlsx", [changed]), jurisdictions={"toy"})
    assert result.updated == 1
    a1 = registry.get_community("a1")
    assert (a1.grid_count, a1.households_resident, dict(a1.post_quotas)) == (9, 1200, {"staff": 5})
