"""Importing workers: the exact report for bad rows, all-or-nothing, skip_bad, re-imports, updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from core.errors import StaleRevision
from core.memory import MemoryRegistry
from core.model import Status
from core.tabular import import_workers, render_report
from tests.tabular.conftest import (
    EN_HEADERS,
    TODAY,
    ZH_HEADERS,
    good_row,
    resident_id,
    write_csv,
    write_xlsx,
)


def _import(registry: MemoryRegistry, path: Path, **kw: object):  # type: ignore[no-untyped-def]
    return import_workers(registry, path, today=TODAY, **kw)  # type: ignore[arg-type]


def _bad_file(tmp_path: Path) -> tuple[Path, list[tuple[int, str, str, str]]]:
    """Twelve data rows (Excel rows 2-13), of which rows 2 and 13 are good; the expected report is
    worked out by hand from each row's defect."""
    good_id = resident_id("19850601", 0, male=False)
    checksum_wrong = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    twin = resident_id("19850610", 9, male=False)
    rows = [
        good_row(0),  # row 2: good
        good_row(1, id_number=checksum_wrong),  # row 3
        good_row(2, birth_date=dt.date(1985, 6, 4)),  # row 4: the ID says 1985-06-03
        good_row(3, sex="男"),  # row 5: the ID's 17th digit is even (female)
        good_row(4, service_start="2020-13-01", education="大学"),  # row 6: two bad cells
        good_row(5, community_id="zz-999"),  # row 7
        good_row(6, id_number=110105198506070068),  # row 8: a number cell
        good_row(9, id_number=twin, name="甲"),  # row 9
        good_row(9, id_number=twin, name="乙"),  # row 10: same ID as row 9
        good_row(11, name=None),  # row 11
        good_row(12, id_number="11010519850613004"),  # row 12: 17 characters
        good_row(13, posts="专职工作人员、打杂"),  # row 13: one post is unknown
        good_row(14),  # row 14: good
    ]
    expected = [
        (3, "身份证号", checksum_wrong, "invalid.id_checksum"),
        (4, "身份证号", rows[2][3], "invalid.id_birth_mismatch"),
        (5, "身份证号", rows[3][3], "invalid.id_sex_mismatch"),
        (6, "参加社区工作时间", "2020-13-01", "tabular.problem.date"),
        (6, "学历", "大学", "tabular.problem.choice"),
        (7, "社区编号", "zz-999", "tabular.problem.unknown_community"),
        (8, "身份证号", "1.101051985060701e+17", "tabular.problem.id_numeric"),  # as Excel stores it
        (9, "身份证号", twin, "tabular.problem.duplicate_in_file"),
        (10, "身份证号", twin, "tabular.problem.duplicate_in_file"),
        (11, "姓名", "", "tabular.problem.required"),
        (12, "身份证号", "11010519850613004", "invalid.id_length"),
        (13, "岗位", "专职工作人员、打杂", "tabular.problem.choice_part"),
    ]
    return write_xlsx(tmp_path / "名单.xlsx", rows), expected


def test_bad_rows_are_reported_exactly_and_nothing_is_written(
    tmp_path: Path, registry: MemoryRegistry
) -> None:
    """Every bad row and field is named with the value and the reason; the registry is untouched."""
    path, expected = _bad_file(tmp_path)
    before = len(registry.changes())
    result = _import(registry, path)
    found = [(p.row, p.column, p.value, p.problem.key) for p in result.problems]
    assert found == expected
    assert result.refused and not result.written
    assert (result.rows, result.bad, result.added) == (13, 11, 0)
    assert registry.count_workers() == 0
    assert len(registry.changes()) == before
    assert result.report_path == tmp_path / "名单.errors.xlsx"
    assert result.problems[7].problem.args["rows"] == "10"
    text = render_report(result, "zh")
    assert "名单.xlsx 第 8 行，“身份证号”列" in text
    assert "文本" in text  # the fix says to format the column as text
    assert "row 8, column “身份证号”" in render_report(result, "en")


def test_numeric_id_cell_is_refused_never_repaired(tmp_path: Path, registry: MemoryRegistry) -> None:
    """An 18-digit ID typed into a number cell is refused even if its digits happen to survive."""
    number = resident_id("19850601", 0, male=False)
    assert number.isdigit()
    for value in (int(number), float(number)):
        path = write_xlsx(tmp_path / "n.xlsx", [good_row(0, id_number=value)])
        result = _import(registry, path)
        assert [(p.column, p.problem.key) for p in result.problems] == [
            ("身份证号", "tabular.problem.id_numeric")
        ]
        assert "文本" in result.problems[0].fix.render("zh")
        assert registry.count_workers() == 0


def test_skip_bad_imports_good_rows_and_writes_the_errors_file(
    tmp_path: Path, registry: MemoryRegistry
) -> None:
    """The two good rows go in; the eleven bad ones are copied with the reasons and row numbers."""
    path, _ = _bad_file(tmp_path)
    result = _import(registry, path, skip_bad=True)
    assert (result.added, result.bad, result.written, result.refused) == (2, 11, True, False)
    assert sorted(w.name for w in registry.workers()) == ["人员0", "人员14"]
    assert result.report_path is not None and result.report_path.exists()
    sheet = openpyxl.load_workbook(result.report_path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(ZH_HEADERS)]) == ZH_HEADERS
    assert rows[0][-2:] == ("错误说明", "原文件行号")
    assert [r[-1] for r in rows[1:]] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "学历" in rows[4][-2] and "参加社区工作时间" in rows[4][-2]
    assert sheet.cell(row=2, column=4).number_format == "@"
    again = _import(registry, path, skip_bad=True)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_corrected_errors_file_imports_as_it_is(tmp_path: Path, registry: MemoryRegistry) -> None:
    """The errors file's extra columns are ignored, so a corrected copy imports directly."""
    path = write_xlsx(tmp_path / "a.xlsx", [good_row(0), good_row(1, education="大学")])
    result = _import(registry, path, skip_bad=True)
    assert result.report_path is not None
    book = openpyxl.load_workbook(result.report_path)
    book.active.cell(row=2, column=ZH_HEADERS.index("学历") + 1, value="大专")
    book.save(result.report_path)
    fixed = _import(registry, result.report_path)
    assert (fixed.added, fixed.problems, fixed.ignored_columns) == (1, (), ())


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, registry: MemoryRegistry) -> None:
    """Matched on ID number: identical rows are unchanged, no revision moves, no audit entry."""
    path = write_xlsx(tmp_path / "a.xlsx", [good_row(i) for i in range(5)])
    first = _import(registry, path)
    assert (first.added, first.written) == (5, True)
    revisions = [w.revision for w in registry.workers()]
    changes = len(registry.changes())
    again = _import(registry, path)
    assert (again.added, again.updated, again.unchanged, again.written) == (0, 0, 5, False)
    assert [w.revision for w in registry.workers()] == revisions
    assert len(registry.changes()) == changes


def test_a_changed_row_updates_with_the_revision_it_was_read_at(
    tmp_path: Path, registry: MemoryRegistry
) -> None:
    """Different cells update the worker; blank optional cells keep the registry's values."""
    _import(registry, write_xlsx(tmp_path / "a.xlsx", [good_row(0), good_row(1)]))
    changed = good_row(0, education="硕士研究生", phone=None, note="调整学历")
    result = _import(registry, write_xlsx(tmp_path / "b.xlsx", [changed, good_row(1)]))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    worker = next(w for w in registry.workers() if w.name == "人员0")
    assert (worker.education.value, worker.phone, worker.note, worker.revision) == (
        "master",
        "13800138000",
        "调整学历",
        2,
    )


def test_a_post_change_needs_its_date_and_closes_the_old_posts(
    tmp_path: Path, registry: MemoryRegistry
) -> None:
    """Listing other posts without 任职开始日期 is refused; with it, old posts end the day before."""
    _import(registry, write_xlsx(tmp_path / "a.xlsx", [good_row(0)]))
    moved = good_row(0, posts="专职网格员、两委委员")
    refused = _import(registry, write_xlsx(tmp_path / "b.xlsx", [moved]))
    assert [(p.column, p.problem.key) for p in refused.problems] == [
        ("任职开始日期", "tabular.problem.post_start_needed")
    ]
    dated = good_row(0, posts="专职网格员、两委委员", post_start=dt.date(2026, 1, 1))
    result = _import(registry, write_xlsx(tmp_path / "c.xlsx", [dated]))
    assert result.updated == 1
    worker = registry.workers()[0]
    assert [(p.post, p.start, p.end) for p in worker.posts] == [
        ("staff", dt.date(2012, 3, 1), dt.date(2025, 12, 31)),
        ("grid_worker", dt.date(2026, 1, 1), None),
        ("committee_member", dt.date(2026, 1, 1), None),
    ]
    assert _import(registry, write_xlsx(tmp_path / "c.xlsx", [dated])).unchanged == 1


def test_a_status_change_is_recorded_from_its_date(tmp_path: Path, registry: MemoryRegistry) -> None:
    _import(registry, write_xlsx(tmp_path / "a.xlsx", [good_row(0)]))
    undated = _import(registry, write_xlsx(tmp_path / "b.xlsx", [good_row(0, status="已离职")]))
    assert [p.problem.key for p in undated.problems] == ["tabular.problem.status_changed"]
    left = good_row(0, status="已离职", status_since=dt.date(2026, 10, 31))
    assert _import(registry, write_xlsx(tmp_path / "c.xlsx", [left])).updated == 1
    assert registry.workers()[0].status_on(TODAY) == Status.LEFT
    assert _import(registry, write_xlsx(tmp_path / "c.xlsx", [left])).unchanged == 1


def test_a_concurrent_edit_refuses_the_import_before_anything_is_written(
    tmp_path: Path, registry: MemoryRegistry
) -> None:
    """Someone saves a worker after the import read it: StaleRevision, and the new rows are not added."""
    _import(registry, write_xlsx(tmp_path / "a.xlsx", [good_row(0)]))

    original = registry.workers

    def workers_then_someone_saves(query=None):  # type: ignore[no-untyped-def]
        found = original(query)
        registry.update_worker(found[0])
        return found

    registry.workers = workers_then_someone_saves  # type: ignore[method-assign]
    path = write_xlsx(tmp_path / "b.xlsx", [good_row(0, education="大专"), good_row(1)])
    with pytest.raises(StaleRevision):
        _import(registry, path)
    assert registry.count_workers() == 1


def test_english_headers_and_labels(tmp_path: Path, registry: MemoryRegistry) -> None:
    values = good_row(0)
    values[EN_HEADERS.index("Sex")] = "Female"
    values[EN_HEADERS.index("Education")] = "Bachelor's degree"
    values[EN_HEADERS.index("Entry")] = "hired"
    values[EN_HEADERS.index("Posts")] = "Full-time grid worker, party_secretary"
    values[EN_HEADERS.index("Political status")] = "CPC member"
    result = _import(registry, write_xlsx(tmp_path / "en.xlsx", [values], EN_HEADERS), lang="en")
    assert result.problems == () and result.added == 1
    worker = registry.workers()[0]
    assert [p.post for p in worker.posts] == ["grid_worker", "party_secretary"]
    assert worker.party.value == "member"


def test_header_synonyms_order_and_a_title_row(tmp_path: Path, registry: MemoryRegistry) -> None:
    """公民身份号码 for 身份证号, columns in any order, a title above, unknown columns ignored."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026 年社区工作者花名册"])
    sheet.append(["序号", "公民身份号码", "姓名", "性别", "社区编号", "参加社区工作时间", "产生方式", "学历"])
    sheet.append(
        [1, resident_id("19900101", 1, male=True), "张三", "男", "c2", "2015年7月1日", "选任", "大专"]
    )
    path = tmp_path / "花名册.xlsx"
    book.save(path)
    result = _import(registry, path)
    assert (result.added, result.ignored_columns) == (1, ("序号",))
    worker = registry.workers()[0]
    assert (worker.birth_date, worker.service_start) == (dt.date(1990, 1, 1), dt.date(2015, 7, 1))


def test_a_missing_required_column_is_reported_once(tmp_path: Path, registry: MemoryRegistry) -> None:
    headers = [h for h in ZH_HEADERS if h != "身份证号"]
    path = write_xlsx(tmp_path / "a.xlsx", [[1] * len(headers)], headers)
    result = _import(registry, path)
    assert [(p.row, p.problem.key) for p in result.problems] == [(None, "tabular.problem.missing_column")]
    assert "身份证号" in result.problems[0].render("zh") and result.report_path is None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(
    tmp_path: Path, registry: MemoryRegistry, encoding: str
) -> None:
    rows = [good_row(0, phone="010-62345678"), good_row(1, birth_date=None)]
    path = write_csv(tmp_path / "名单.csv", rows, encoding)
    result = _import(registry, path)
    assert (result.added, result.problems) == (2, ())
    assert {w.name for w in registry.workers()} == {"人员0", "人员1"}
    bad = write_csv(tmp_path / "坏.csv", [good_row(2, education="大学")], encoding)
    report = _import(registry, bad, skip_bad=True)
    assert report.report_path == tmp_path / "坏.errors.csv"
    assert "大学" in report.report_path.read_text(encoding="utf-8-sig")


def test_progress_is_reported_at_least_every_500_rows(tmp_path: Path, registry: MemoryRegistry) -> None:
    rows = [
        good_row(
            i,
            id_number=resident_id(f"1980{1 + i // 28 % 12:02d}{1 + i % 28:02d}", i // 336, male=False),
            birth_date=None,
        )
        for i in range(1100)
    ]
    calls: list[tuple[int, int]] = []
    result = _import(
        registry, write_xlsx(tmp_path / "big.xlsx", rows), progress=lambda d, t: calls.append((d, t))
    )
    assert result.added == 1100
    done = [d for d, _ in calls]
    assert done == sorted(done) and calls[-1] == (2200, 2200)
    assert max(b - a for a, b in zip([0, *done], done, strict=False)) <= 500


def test_future_posts_and_jurisdiction_post_codes(tmp_path: Path, registry: MemoryRegistry) -> None:
    """A post starting later counts as held (re-import is a no-op); a jurisdiction's own post code
    is accepted by its code or label when its vocabulary is passed in."""
    from core.hookspecs import Vocabulary

    later = good_row(0, posts="专职工作人员、楼栋长", post_start=dt.date(2027, 1, 1))
    path = write_xlsx(tmp_path / "a.xlsx", [later])
    refused = _import(registry, path)
    assert [p.problem.key for p in refused.problems] == ["tabular.problem.choice_part"]
    vocabulary = [Vocabulary("building_head", "楼栋长", "Building head")]
    assert _import(registry, path, posts=vocabulary).added == 1
    assert [(p.post, p.start) for p in registry.workers()[0].posts] == [
        ("staff", dt.date(2027, 1, 1)),
        ("building_head", dt.date(2027, 1, 1)),
    ]
    assert _import(registry, path, posts=vocabulary).unchanged == 1
    by_code = write_xlsx(tmp_path / "b.xlsx", [good_row(1, posts="building_head")])
    assert _import(registry, by_code, posts=vocabulary).added == 1


def test_an_apostrophe_forcing_text_is_dropped(tmp_path: Path, registry: MemoryRegistry) -> None:
    number = resident_id("19850601", 0, male=False)
    path = write_csv(tmp_path / "a.csv", [good_row(0, id_number="'" + number, phone="'13800138000")], "utf-8")
    assert _import(registry, path).added == 1
    assert registry.workers()[0].id_number == number


def test_an_unwritable_errors_file_does_not_hide_the_report(tmp_path: Path, registry: MemoryRegistry) -> None:
    (tmp_path / "a.errors.xlsx").mkdir()
    result = _import(registry, write_xlsx(tmp_path / "a.xlsx", [good_row(0, education="大学")]))
    assert result.report_path is None and result.report_error is not None
    assert [p.column for p in result.problems] == ["学历"]
    assert "a.errors.xlsx" in render_report(result, "zh")


def test_import_into_the_on_disk_registry(tmp_path: Path) -> None:
    """The same import against `core.registry`: one batch each, an audit entry, re-import a no-op."""
    from core.registry import init_registry
    from tests.tabular.conftest import community

    registry = init_registry(tmp_path / "registry", user="operator")
    try:
        registry.add_community(community("c1"))
        path = write_xlsx(tmp_path / "a.xlsx", [good_row(i) for i in range(3)])
        assert import_workers(registry, path, today=TODAY).added == 3
        again = import_workers(registry, path, today=TODAY)
        assert (again.unchanged, again.written) == (3, False)
        assert [c.action for c in registry.changes(kind="worker")].count("import") == 1
    finally:
        registry.close()


def test_fields_that_go_together(tmp_path: Path, registry: MemoryRegistry) -> None:
    """A contract date without its type, a certificate without its date, a contract ending first."""
    rows = [
        good_row(0, contract_end=dt.date(2027, 1, 1)),
        good_row(1, certificate="社会工作师"),
        good_row(
            2, contract_kind="劳动合同", contract_start=dt.date(2025, 1, 1), contract_end=dt.date(2024, 1, 1)
        ),
        good_row(3, hukou_kind="农村"),
    ]
    result = _import(registry, write_xlsx(tmp_path / "a.xlsx", rows))
    assert [(p.row, p.column, p.problem.key) for p in result.problems] == [
        (2, "合同类型", "tabular.problem.detail_without_head"),
        (3, "证书登记日期", "tabular.problem.required_with"),
        (4, "合同结束日期", "tabular.problem.end_before_start"),
        (5, "户籍所在城市", "tabular.problem.hukou_city_missing"),
    ]
    assert result.problems[0].render("zh").endswith("修改方法：请填写“合同类型”，或把这一行中相关的日期清空")
    assert "填了“合同结束日期”" in result.problems[0].render("zh")
    assert "“证书”" in result.problems[1].render("zh")
