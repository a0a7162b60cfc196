"""TinyDB files written atomically, parsed once per version, serialised incrementally.

Every TinyDB file the registry writes has two tables: `_file` (document 1: a random `commit` token
renewed on every write, the schema version, the kind and, for a shard, its district and street)
and the data table (`workers` or `communities`). `_file` comes first and is written in a fixed
form, so the first bytes of a file tell its commit token without parsing the rest. `_file` also
lists the byte length of every stored document, so a process re-reading a file another process
changed can cut it into documents, keep those whose bytes it already knows and parse only the
changed ones (a file not in this form is simply parsed whole).

Edits go through TinyDB's own `Table` on top of `BufferedStorage`, which keeps TinyDB's writes in
memory; `Txn.commit()` then writes the whole file once with `files.atomic_write`. A fresh TinyDB
is built per transaction over the latest committed data, so TinyDB's cached next id and query
cache never outlive the state they were computed from. Nothing TinyDB leaves this module.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from core.i18n import translate
from core.model import SCHEMA_VERSION
from core.storage.files import CorruptFile, Pinned, PreparedWrite, commit_write, parse_json, prepare_write

HEADER = "_file"
LENGTHS = "lengths"
_PREFIX = b'{"_file":{"1":'
_ITEM_RE = re.compile(rb'"([1-9][0-9]*)":')
META_KEY = "_meta"
WORKERS = "workers"
COMMUNITIES = "communities"
_HEAD_RE = re.compile(rb'^\{"_file":\{"1":\{"commit":"([0-9a-f]{32})","schema":(-?\d+),')
_REQUIRED = {WORKERS: ("id_number", "community_id"), COMMUNITIES: ("id", "district", "street")}

Doc = dict[str, Any]


class BufferedStorage(Storage):
    """The TinyDB storage of one transaction.

    `read()` serves the committed version this process already parsed (with orjson, once per
    version); `write()` keeps TinyDB's result in memory, and `Txn.commit()` then writes the file
    durably in one go (temp file, fsync, `os.replace`, fsync of the directory, see `files`), so an
    operation that makes several TinyDB calls costs one durable write, not one per call.
    """

    def __init__(self, tables: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.tables = tables

    def read(self) -> dict[str, dict[str, Any]]:
        return self.tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.tables = data


class TinyFile:
    """One committed version of a TinyDB file: header, documents by id, and its pinned descriptor.

    Documents are never mutated once here; an edit builds new dicts through a `Txn`.
    """

    __slots__ = ("_encoded", "docs", "header", "kind", "path", "pinned")

    def __init__(
        self,
        path: Path,
        kind: str,
        header: Doc,
        docs: dict[int, Doc],
        pinned: Pinned | None,
        encoded: dict[int, tuple[Doc, bytes]] | None = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.header = header
        self.docs = docs
        self.pinned = pinned
        self._encoded = encoded if encoded is not None else {}

    @property
    def commit(self) -> str:
        return str(self.header.get("commit", ""))

    @property
    def schema(self) -> int:
        return int(self.header.get("schema", SCHEMA_VERSION))

    def close(self) -> None:
        if self.pinned is not None:
            self.pinned.close()

    def encode(self, header: Doc) -> tuple[bytes, dict[int, tuple[Doc, bytes]]]:
        """The file's bytes; documents unchanged since the last write reuse their encoding."""
        cache = self._encoded
        fresh: dict[int, tuple[Doc, bytes]] = {}
        items: list[bytes] = []
        for doc_id, doc in self.docs.items():
            hit = cache.get(doc_id)
            blob = hit[1] if hit is not None and hit[0] is doc else _dump_doc(doc)
            fresh[doc_id] = (doc, blob)
            items.append(b'"%d":%s' % (doc_id, blob))
        lengths = [len(item) for item in items]
        head = orjson.dumps({**header, LENGTHS: lengths}, option=orjson.OPT_NON_STR_KEYS)
        body = b"%s%s%s%s}}" % (_PREFIX, head, _marker(self.kind), b",".join(items))
        return body, fresh

    def txn(self) -> Txn:
        return Txn(self)


def _dump_doc(doc: Doc) -> bytes:
    """Stored documents have text keys only (they are normalised when made), which orjson
    encodes twice as fast without OPT_NON_STR_KEYS; anything else still gets the option."""
    try:
        return orjson.dumps(doc)
    except TypeError:
        return orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS)


def new_header(kind: str, extra: Mapping[str, Any], schema: int = SCHEMA_VERSION) -> Doc:
    header: Doc = {"commit": secrets.token_hex(16), "schema": schema, "kind": kind}
    header.update({k: v for k, v in extra.items() if k not in ("commit", "schema", "kind", LENGTHS)})
    return header


def empty_file(path: Path, kind: str, extra: Mapping[str, Any] | None = None) -> TinyFile:
    header = new_header(kind, extra or {})
    header["commit"] = ""
    return TinyFile(path, kind, header, {}, None)


class Txn:
    """Buffered edits of one file through TinyDB's `Table`; `commit` writes once, atomically."""

    def __init__(self, base: TinyFile) -> None:
        self.base = base
        tables: dict[str, dict[str, Any]] = {
            HEADER: {"1": base.header},
            base.kind: {str(k): v for k, v in base.docs.items()},
        }
        self._db = TinyDB(tables, storage=BufferedStorage)
        self._table = self._db.table(base.kind, cache_size=0)

    @property
    def _storage(self) -> BufferedStorage:
        return cast(BufferedStorage, self._db.storage)

    def put(self, docs: Mapping[int, Doc]) -> None:
        """Insert or replace documents under the given ids."""
        if not docs:
            return
        self._table.remove(doc_ids=list(docs))
        self._table.insert_multiple([Document(doc, doc_id=doc_id) for doc_id, doc in docs.items()])

    def remove(self, doc_ids: Iterable[int]) -> None:
        ids = list(doc_ids)
        if ids:
            self._table.remove(doc_ids=ids)

    def insert(self, doc: Doc) -> int:
        """Insert under TinyDB's next free id (the table is fresh, so the id is current)."""
        doc_id: int = self._table.insert(doc)
        return doc_id

    def result(self, extra: Mapping[str, Any] | None = None) -> TinyFile:
        """The new version in memory, not yet written (for a journal, or to commit)."""
        tables = self._storage.tables
        raw = tables.get(self.base.kind, {})
        docs = dict(sorted((int(k), v) for k, v in raw.items()))
        header_extra = {k: v for k, v in self.base.header.items()}
        if extra:
            header_extra.update(extra)
        header = new_header(self.base.kind, header_extra)
        return TinyFile(self.base.path, self.base.kind, header, docs, None, self.base._encoded)

    def commit(self, extra: Mapping[str, Any] | None = None) -> TinyFile:
        return write_file(self.result(extra))


class PreparedFile:
    """A new version of a TinyDB file in a durable temp file, ready to be put in place."""

    __slots__ = ("encoded", "version", "write")

    def __init__(
        self, version: TinyFile, write: PreparedWrite, encoded: dict[int, tuple[Doc, bytes]]
    ) -> None:
        self.version, self.write, self.encoded = version, write, encoded

    def commit(self) -> TinyFile:
        """Put it in place; returns the new committed version, pinned."""
        v = self.version
        pinned = commit_write(self.write, pin=True)
        return TinyFile(v.path, v.kind, v.header, v.docs, pinned, self.encoded)

    def discard(self) -> None:
        self.write.discard()


def prepare_file(version: TinyFile) -> PreparedFile:
    data, encoded = version.encode(version.header)
    return PreparedFile(version, prepare_write(version.path, data), encoded)


def write_file(version: TinyFile) -> TinyFile:
    """Write a new version durably and return it pinned (raises `RegistryWriteFailed`)."""
    return prepare_file(version).commit()


def head_of(pinned: Pinned) -> tuple[str, int] | None:
    """The commit token and schema from a file's first bytes, or None if it is not in our form."""
    match = _HEAD_RE.match(pinned.head())
    if match is None:
        return None
    return match.group(1).decode(), int(match.group(2))


def _marker(kind: str) -> bytes:
    return b'},"%s":{' % kind.encode()


def _doc_problem(key: str, doc: Any, kind: str) -> str | None:
    """What is structurally wrong with one stored document, or None."""
    if not isinstance(doc, dict):
        return f"document {key} is not an object"
    meta = doc.get(META_KEY)
    if (
        not isinstance(meta, dict)
        or not isinstance(meta.get("rev"), int)
        or not isinstance(meta.get("schema"), int)
    ):
        return f"document {key} has no valid {META_KEY} (rev, schema)"
    # An older document may name its fields differently until it is migrated.
    if meta["schema"] >= SCHEMA_VERSION:
        for name in _REQUIRED[kind]:
            if not isinstance(doc.get(name), str):
                return f"document {key} has no text field {name!r}"
    return None


def _parse_in_pieces(
    path: Path, kind: str, data: bytes, pinned: Pinned | None, previous: TinyFile | None
) -> TinyFile | None:
    """Cut a file in our own form into documents using the lengths in its header; documents
    whose bytes equal the previous version's are reused, not parsed. Returns None (and the caller
    parses the whole file, which also explains any damage) if anything does not fit exactly."""
    if not data.startswith(_PREFIX) or not data.endswith(b"}}"):
        return None
    marker = _marker(kind)
    # A JSON string cannot hold an unescaped quote, so the first marker ends the header.
    end = data.find(marker, len(_PREFIX))
    if end < 0:
        return None
    try:
        header = orjson.loads(data[len(_PREFIX) : end])
    except orjson.JSONDecodeError:
        return None
    if (
        not isinstance(header, dict)
        or header.get("kind") != kind
        or not isinstance(header.get("schema"), int)
    ):
        return None
    lengths = header.pop(LENGTHS, None)
    if not isinstance(lengths, list) or not all(isinstance(n, int) and n > 0 for n in lengths):
        return None
    pos = end + len(marker)
    if pos + sum(lengths) + max(len(lengths) - 1, 0) + 2 != len(data):
        return None
    known = previous._encoded if previous is not None else {}
    docs: dict[int, Doc] = {}
    encoded: dict[int, tuple[Doc, bytes]] = {}
    last = len(lengths) - 1
    for i, n in enumerate(lengths):
        item = data[pos : pos + n]
        pos += n
        if i < last:
            if data[pos : pos + 1] != b",":
                return None
            pos += 1
        match = _ITEM_RE.match(item)
        if match is None:
            return None
        doc_id, blob = int(match.group(1)), item[match.end() :]
        if doc_id in docs:
            return None
        hit = known.get(doc_id)
        if hit is not None and hit[1] == blob:
            doc = hit[0]
        else:
            try:
                doc = orjson.loads(blob)
            except orjson.JSONDecodeError:
                return None
            if _doc_problem(str(doc_id), doc, kind) is not None:
                return None
        docs[doc_id] = doc
        encoded[doc_id] = (doc, blob)
    return TinyFile(path, kind, header, docs, pinned, encoded)


def parse_file(
    path: Path, kind: str, data: bytes, pinned: Pinned | None, previous: TinyFile | None = None
) -> TinyFile:
    """Parse and check a TinyDB file of `kind`, or raise `CorruptFile` naming what is wrong."""
    quick = _parse_in_pieces(path, kind, data, pinned, previous)
    if quick is not None:
        return quick
    raw = parse_json(path, data)

    def wrong(detail: str) -> CorruptFile:
        return CorruptFile(path, translate("storage.corrupt.structure", detail=detail))

    if not isinstance(raw, dict):
        raise wrong("top level is not an object")
    extra = set(raw) - {HEADER, kind}
    if extra:
        raise wrong(f"unexpected tables {sorted(extra)}")
    head_table = raw.get(HEADER)
    if not isinstance(head_table, dict) or not isinstance(head_table.get("1"), dict):
        raise wrong(f"missing the {HEADER} table")
    header: Doc = {k: v for k, v in head_table["1"].items() if k != LENGTHS}
    if header.get("kind") != kind or not isinstance(header.get("schema"), int):
        raise wrong(f"{HEADER} says kind={header.get('kind')!r} schema={header.get('schema')!r}")
    table = raw.get(kind, {})
    if not isinstance(table, dict):
        raise wrong(f"table {kind!r} is not an object")
    docs: dict[int, Doc] = {}
    for key, doc in table.items():
        if not key.isdigit() or int(key) <= 0:
            raise wrong(f"document id {key!r} is not a positive number")
        problem = _doc_problem(key, doc, kind)
        if problem is not None:
            raise wrong(problem)
        docs[int(key)] = doc
    return TinyFile(path, kind, header, docs, pinned)


def load_pinned(path: Path, kind: str, pinned: Pinned, previous: TinyFile | None = None) -> TinyFile:
    return parse_file(path, kind, pinned.read_all(), pinned, previous)
