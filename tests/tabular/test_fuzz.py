"""Random cells into the row validators never crash: a row either becomes a record or gets a report
entry that renders in both languages. A worker accepted without the model's own checks (the import
builds them inside `trusted_load`) must pass those checks too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.tabular.communities_import import build_community, community_context, validate_community_row
from core.tabular.headers import COMMUNITY_COLUMNS, WORKER_COLUMNS, match_header
from core.tabular.reading import RawRow
from core.tabular.validation import RowError
from core.tabular.workers_import import WorkerChecks, build_worker, validate_worker_row, worker_context
from tests.tabular.conftest import TODAY, ZH_HEADERS, community, good_row, resident_id

CELL = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(
        [
            "男",
            "女",
            "本科",
            "招聘",
            "选任",
            "在岗",
            "已退休",
            "2026-02-30",
            "20261125",
            "c1",
            "专职网格员、书记",
            "劳动合同",
            "社会工作师",
            "城镇",
            resident_id("19850601", 0, male=False),
            resident_id("19850601", 0, male=True),
            "11010519850601002",
            " ",
        ]
    ),
)

EXISTING = {c.id: c for c in (community("c1"), community("c2"))}


def _worker_row(base: list[object], changes: dict[int, object]) -> RawRow:
    cells = list(base)
    for pos, value in changes.items():
        cells[pos % len(cells)] = value
    return RawRow(7, tuple(cells))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seq=st.integers(min_value=0, max_value=40),
    changes=st.dictionaries(st.integers(min_value=0, max_value=len(ZH_HEADERS) - 1), CELL, max_size=6),
)
def test_worker_rows_never_crash(seq: int, changes: dict[int, object]) -> None:
    header = match_header(1, ZH_HEADERS, WORKER_COLUMNS)
    ctx = worker_context("fuzz.xlsx", "zh", header)
    checks = WorkerChecks(EXISTING, TODAY)
    row = _worker_row(good_row(seq), changes)
    parsed, problems = validate_worker_row(row, ctx, checks)
    if not problems:
        try:
            worker = build_worker(parsed.values, None, TODAY)
        except RowError:
            return
        attrs.evolve(worker)  # the model's checks, run normally, agree with the import's
        return
    for p in problems:
        assert p.row == 7 and p.column in ZH_HEADERS
        assert p.render("zh") and p.render("en") and p.brief("en")


COMMUNITY_CELL = st.one_of(CELL, st.sampled_from(["toy", "城市社区", "农村社区", "1,200", "-5", "3.5"]))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(COMMUNITY_CELL, min_size=len(COMMUNITY_COLUMNS), max_size=len(COMMUNITY_COLUMNS)))
def test_community_rows_never_crash(cells: list[Any]) -> None:
    headers = [c.zh for c in COMMUNITY_COLUMNS]
    ctx = community_context("fuzz.xlsx", "zh", match_header(1, headers, COMMUNITY_COLUMNS))
    parsed, problems = validate_community_row(RawRow(3, tuple(cells)), ctx, {"toy"})
    if problems:
        assert all(p.render("zh") and p.render("en") for p in problems)
        return
    made = build_community(parsed.values, None)
    assert made.id and made.office_area >= Decimal(0)


def test_a_good_row_with_every_column_builds() -> None:
    header = match_header(1, ZH_HEADERS, WORKER_COLUMNS)
    ctx = worker_context("fuzz.xlsx", "zh", header)
    full = good_row(
        3,
        work_start=dt.date(2008, 1, 1),
        hukou_city="测试市",
        hukou_kind="农村",
        post_start="2013-01-01",
        contract_kind="服务协议",
        contract_start=dt.date(2024, 1, 1),
        contract_end=dt.date(2026, 12, 31),
        certificate="高级社会工作师",
        certificate_date=dt.date(2020, 5, 1),
        status="已退休",
        status_since=dt.date(2026, 6, 1),
        note="备注",
    )
    parsed, problems = validate_worker_row(RawRow(2, tuple(full)), ctx, WorkerChecks(EXISTING, TODAY))
    assert problems == []
    worker = build_worker(parsed.values, None, TODAY)
    assert worker.hukou is not None and not worker.hukou.urban
    assert worker.status_on(TODAY).value == "retired"
