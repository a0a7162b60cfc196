"""TinyDB files: written in one durable write, re-read piecewise, readable by plain TinyDB."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from core.storage.files import CorruptFile
from core.storage.tinystore import WORKERS, empty_file, parse_file, write_file


def _doc(n: int, note: str = "") -> dict[str, object]:
    return {
        "id_number": f"ID{n}",
        "community_id": "c1",
        "name": f"张{n}",
        "note": note,
        "_meta": {"rev": 1, "schema": 1},
    }


def _write(path: Path, docs: dict[int, dict[str, object]]) -> bytes:
    txn = empty_file(path, WORKERS, {"district": "海淀区", "street": "中关村街道"}).txn()
    txn.put(docs)
    written = write_file(txn.result())
    assert written.pinned is not None
    written.pinned.close()
    return path.read_bytes()


def test_a_changed_file_is_re_read_document_by_document(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    first = parse_file(path, WORKERS, _write(path, {i: _doc(i) for i in range(1, 6)}), None)
    txn = first.txn()
    txn.put({3: _doc(3, "改过"), 9: _doc(9)})
    txn.remove([5])
    written = write_file(txn.result())
    assert written.pinned is not None
    written.pinned.close()
    second = parse_file(path, WORKERS, path.read_bytes(), None, previous=first)
    assert list(second.docs) == [1, 2, 3, 4, 9]
    assert second.docs[1] is first.docs[1]  # unchanged bytes: the same document object, not re-parsed
    assert second.docs[3] is not first.docs[3] and second.docs[3]["note"] == "改过"
    assert {str(k): v for k, v in second.docs.items()} == orjson.loads(path.read_bytes())["workers"]
    assert "lengths" not in second.header


def test_plain_tinydb_reads_our_files_and_we_read_its(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    _write(path, {1: _doc(1), 2: _doc(2)})
    db = TinyDB(path)
    assert db.table("workers").get(doc_id=2)["name"] == "张2"  # type: ignore[index]
    db.close()
    other = tmp_path / "plain.json"
    other.write_bytes(
        orjson.dumps(
            {"_file": {"1": {"commit": "", "schema": 1, "kind": "workers"}}, "workers": {"7": _doc(7)}}
        )
    )
    assert parse_file(other, WORKERS, other.read_bytes(), None).docs[7]["name"] == "张7"


def test_lengths_that_do_not_fit_fall_back_to_a_full_parse(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    data = _write(path, {1: _doc(1), 2: _doc(2)})
    raw = orjson.loads(data)
    raw["_file"]["1"]["lengths"] = [5, 5]
    tampered = orjson.dumps(raw)
    parsed = parse_file(path, WORKERS, tampered, None)
    assert sorted(parsed.docs) == [1, 2]
    broken = data.replace(b'"name":"', b'"name":"\xff', 1)
    with pytest.raises(CorruptFile):
        parse_file(path, WORKERS, broken, None)
