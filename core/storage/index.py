"""`index.json`: a cache of which worker lives in which shard, so opening needs no full parse.

For each shard it keeps the shard's commit token, size and mtime and, per worker, `[id,
id_number, community_id]`. On open, a shard whose first bytes still show the same token (and
whose size and mtime match, so an edit in place is noticed too) is taken from the cache; any
other shard is parsed. The cache is never trusted beyond that check, and a missing or unreadable
cache only costs time, so it is not an error.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import attrs
import orjson

from core.errors import RegistryWriteFailed
from core.storage.files import atomic_write

FORMAT = "shegong-index"
VERSION = 1


@attrs.frozen
class ShardIndex:
    commit: str
    size: int
    mtime_ns: int
    entries: dict[int, tuple[str, str]]  # worker id → (id_number, community_id)


def load_index(path: Path) -> dict[str, ShardIndex]:
    try:
        raw: Any = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        return {}
    out: dict[str, ShardIndex] = {}
    shards = raw.get("shards")
    if not isinstance(shards, dict):
        return {}
    for key, item in shards.items():
        try:
            entries = {int(w[0]): (str(w[1]), str(w[2])) for w in item["workers"]}
            out[str(key)] = ShardIndex(str(item["commit"]), int(item["size"]), int(item["mtime_ns"]), entries)
        except (KeyError, TypeError, ValueError, IndexError):
            continue
    return out


def save_index(path: Path, shards: dict[str, ShardIndex]) -> bool:
    """Write the cache; a failure is reported as False, never raised (it is only a cache)."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "shards": {
            key: {
                "commit": s.commit,
                "size": s.size,
                "mtime_ns": s.mtime_ns,
                "workers": [[wid, idn, cid] for wid, (idn, cid) in s.entries.items()],
            }
            for key, s in shards.items()
        },
    }
    with contextlib.suppress(RegistryWriteFailed):
        atomic_write(path, orjson.dumps(data), durable=False)  # a cache: atomic, but no fsync
        return True
    return False
