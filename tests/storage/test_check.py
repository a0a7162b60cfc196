"""`check_registry` and `shegong check`: each kind of damage is named exactly (file, record, field),
a file put back to an older copy is noticed through the audit trail, and a sound registry passes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

from core.i18n import current_language, set_language
from core.registry import Registry, open_registry
from core.storage import faults
from core.storage.check import ERROR, WARNING, CheckReport, check_registry
from core.storage.layout import shard_key
from tests.cli.helpers import Result, snapshot

from .conftest import make_worker
from .figures import record

CTX = multiprocessing.get_context("fork")
EAST = f"workers/{shard_key('海淀区', '中关村街道')}.json"  # communities c1 and c2
WEST = f"workers/{shard_key('海淀区', '学院路街道')}.json"  # community c3


@pytest.fixture
def filled(registry: Registry, root: Path) -> Path:
    """Workers 1-3 in the east street, 4 in the west; 1 edited twice, one moved and back, 3 deleted."""
    ws = registry.add_workers([make_worker("c1"), make_worker("c2"), make_worker("c1"), make_worker("c3")])
    one = registry.update_worker(attrs.evolve(ws[0], note="一"))
    one = registry.update_worker(attrs.evolve(one, community_id="c3"))
    registry.update_worker(attrs.evolve(one, community_id="c1"))
    registry.delete_worker(3, 1)
    registry.close()
    with open_registry(root):
        pass  # writes the index cache
    return root


def _found(report: CheckReport) -> list[tuple[str, str, str, str, str]]:
    return [(f.severity, f.code, f.file, f.record, f.field) for f in report.findings]


def _edit_shard(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / rel
    data = orjson.loads(path.read_bytes())
    change(data["workers"])
    path.write_bytes(orjson.dumps(data))


def test_a_sound_registry_passes(filled: Path) -> None:
    report = check_registry(filled)
    assert report.findings == ()
    assert report.ok
    # registry.json, communities.json, 2 shards, the index and one audit month
    assert (report.files, report.workers, report.communities) == (6, 3, 3)


def test_a_truncated_shard_is_named(filled: Path) -> None:
    path = filled / EAST
    path.write_bytes(path.read_bytes()[:-10])
    report = check_registry(filled)
    assert (ERROR, "unreadable", EAST, "", "") in _found(report)
    assert not report.ok
    record("corrupt_files_detected")


def test_a_record_that_does_not_fit_names_its_id_and_field(filled: Path) -> None:
    _edit_shard(filled, EAST, lambda docs: docs["2"].update(birth_date="19xx-01-01"))
    assert _found(check_registry(filled)) == [(ERROR, "invalid_record", EAST, "2", "birth_date")]


def test_an_unknown_community_is_named(filled: Path) -> None:
    _edit_shard(filled, EAST, lambda docs: docs["2"].update(community_id="zz"))
    found = _found(check_registry(filled))
    assert (ERROR, "unknown_community", EAST, "2", "community_id") in found


def test_a_worker_in_the_wrong_street_file_is_named(filled: Path) -> None:
    _edit_shard(filled, WEST, lambda docs: docs["4"].update(community_id="c1"))
    assert (ERROR, "wrong_shard", WEST, "4", "community_id") in _found(check_registry(filled))


def test_duplicate_resident_ids_and_worker_ids_are_named(filled: Path) -> None:
    def twin(docs: dict[str, Any]) -> None:
        docs["7"] = {**docs["2"]}

    _edit_shard(filled, EAST, twin)
    east = orjson.loads((filled / EAST).read_bytes())["workers"]
    _edit_shard(filled, WEST, lambda docs: docs.update({"1": east["1"]}))
    found = _found(check_registry(filled))
    assert (ERROR, "duplicate_id_number", EAST, "7", "id_number") in found
    assert (ERROR, "counter_behind", "registry.json", "", "next_worker_id") in found  # 7 was never given out
    assert any(f[1] == "duplicate_worker" and f[3] == "1" for f in found)


def test_a_shard_put_back_to_an_older_copy_is_noticed(filled: Path) -> None:
    old = (filled / EAST).read_bytes()
    with open_registry(filled, user="bob") as reg:
        w = reg.get_worker(2)
        reg.update_worker(attrs.evolve(reg.update_worker(attrs.evolve(w, note="a")), note="b"))
        added = reg.add_worker(make_worker("c2"))
        reg.delete_worker(1, reg.get_worker(1).revision)
    (filled / EAST).write_bytes(old)  # as if copied back from an old copy by hand
    with open_registry(filled) as reg:
        assert reg.get_worker(2).revision == 1  # the registry itself cannot tell
    found = _found(check_registry(filled))
    assert (ERROR, "rolled_back", EAST, "2", "revision") in found
    assert (WARNING, "lost_record", "workers", str(added.id), "") in found
    assert (ERROR, "resurrected", EAST, "1", "revision") in found
    report = check_registry(filled)
    rolled = next(f for f in report.findings if f.code == "rolled_back")
    assert (rolled.args["stored"], rolled.args["audited"]) == (1, 3)
    record("rollbacks_detected", 3)


def test_registry_json_put_back_is_noticed(filled: Path) -> None:
    old = (filled / "registry.json").read_bytes()
    with open_registry(filled) as reg:
        reg.add_worker(make_worker("c3"))
    (filled / "registry.json").write_bytes(old)
    assert _found(check_registry(filled)) == [
        (ERROR, "counter_behind", "registry.json", "", "next_worker_id")
    ]
    record("rollbacks_detected")


def test_an_index_that_disagrees_with_its_shard_is_named(filled: Path) -> None:
    index = orjson.loads((filled / "index.json").read_bytes())
    key = EAST.removeprefix("workers/").removesuffix(".json")
    index["shards"][key]["workers"][0][1] = "110101199001011234"
    (filled / "index.json").write_bytes(orjson.dumps(index))
    found = _found(check_registry(filled))
    assert [f[:3] for f in found] == [(ERROR, "index_mismatch", "index.json")]


def test_a_torn_audit_line_and_a_pending_journal_are_warnings(filled: Path) -> None:
    log = next((filled / "audit").glob("*.jsonl"))
    with log.open("ab") as f:
        f.write(b'{"at": "2026-11-01T00:00:00+08:00", "act')
    child = CTX.Process(target=_crash_mid_move, args=(str(filled),))
    child.start()
    child.join(30)
    assert child.exitcode == 17
    report = check_registry(filled)
    assert [(f.severity, f.code) for f in report.findings] == [
        (WARNING, "journal_pending"),
        (WARNING, "audit_torn"),
    ]
    assert report.ok
    with open_registry(filled):
        pass  # the journal is replayed
    assert [f.code for f in check_registry(filled).findings] == ["audit_torn"]


def _crash_mid_move(root: str) -> None:
    faults.hooks[:] = [faults.crash_at("journal_written", code=17)]
    with open_registry(root) as reg:
        reg.update_worker(attrs.evolve(reg.get_worker(4), community_id="c1"))
    os._exit(0)


def test_an_interrupted_restore_and_a_newer_schema_are_errors(filled: Path) -> None:
    (filled / "restore.json").write_bytes(b"{}")
    meta = orjson.loads((filled / "registry.json").read_bytes())
    (filled / "registry.json").write_bytes(orjson.dumps({**meta, "schema": 99}))
    codes = [f.code for f in check_registry(filled).findings]
    assert codes == ["too_new", "restore_interrupted"]


@pytest.mark.parametrize("damage", [b"", b"\xff\xfe", b'{"format": "shegong-registry"}'])
def test_a_damaged_registry_json_is_named(filled: Path, damage: bytes) -> None:
    (filled / "registry.json").write_bytes(damage)
    report = check_registry(filled)
    assert report.findings[0].file == "registry.json" and report.findings[0].severity == ERROR
    record("corrupt_files_detected")


# --- the commands --------------------------------------------------------------------------------


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Result]]:
    """`main()` in-process, Chinese unless asked; the language is put back afterwards."""
    from tui.cli import main

    for var in ("SHEGONG_DB", "SHEGONG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    before = current_language()

    def call(*argv: object) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield call
    set_language(before)


def test_check_command_says_what_is_wrong_and_exits_1(filled: Path, run: Callable[..., Result]) -> None:
    ok = run("--db", filled, "check")
    assert ok.code == 0 and "没有发现错误" in ok.out
    _edit_shard(filled, EAST, lambda docs: docs["2"].update(community_id="zz"))
    bad = run("--db", filled, "check")
    assert bad.code == 1
    assert f"错误 {EAST} 记录 2 字段 community_id" in bad.out and "zz" in bad.out
    en = run("--lang", "en", "--db", filled, "check", "--json")
    assert en.code == 1
    doc = orjson.loads(en.out)
    assert doc["ok"] is False
    assert {"file": EAST, "record": "2", "field": "community_id", "code": "unknown_community"}.items() <= (
        doc["findings"][0].items()
    )
    assert "community zz" in doc["findings"][0]["message"]


def test_backup_and_restore_commands(filled: Path, run: Callable[..., Result]) -> None:
    made = orjson.loads(run("--db", filled, "backup", "--json").out)
    assert made["made"] and [b["path"] for b in made["backups"]] == [made["made"]]
    name = made["backups"][0]["name"]
    listed = run("--db", filled, "backup", "--list")
    assert name in listed.out and "手动备份" in listed.out
    with open_registry(filled) as reg:
        reg.update_worker(attrs.evolve(reg.get_worker(2), note="之后"))
    before = snapshot(filled)
    unconfirmed = run("--db", filled, "restore", name)
    assert unconfirmed.code == 1 and "--yes" in unconfirmed.err
    assert snapshot(filled) == before
    done = run("--db", filled, "restore", name, "--yes", "--json")
    assert done.code == 0, done.err
    result = orjson.loads(done.out)
    assert result["restored"] == name and Path(result["safety_backup"]).is_dir()
    with open_registry(filled) as reg:
        assert reg.get_worker(2).note != "之后"
    assert run("--db", filled, "check").code == 0
    assert run("--db", filled, "--read-only", "restore", name, "--yes").code == 1
