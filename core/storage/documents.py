"""Model values to stored documents and back.

A stored document is the model's unstructured form (`core.convert.unstructure`) without `id` and
`revision`, plus `_meta`: `rev` (the model's `revision`), `schema` (the schema version it was
written at), `changed_by` and `changed_at`. A worker's id is its TinyDB document id; a community's
id is its own `id` field. Documents are normalised through JSON once, so the in-memory copy is
exactly what a later read of the file returns.
"""

from __future__ import annotations

from typing import Any

import orjson

from core.convert import structure, unstructure
from core.model import SCHEMA_VERSION, Community, Worker, trusted_load
from core.storage.tinystore import META_KEY

Doc = dict[str, Any]


def normalise(doc: Doc) -> Doc:
    loaded: Doc = orjson.loads(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))
    return loaded


def stamp(body: Doc, *, rev: int, user: str, at: str, schema: int = SCHEMA_VERSION) -> Doc:
    body[META_KEY] = {"rev": rev, "schema": schema, "changed_by": user, "changed_at": at}
    return body


def worker_doc(worker: Worker, *, rev: int, user: str, at: str) -> Doc:
    body: Doc = unstructure(worker)
    body.pop("id", None)
    body.pop("revision", None)
    return normalise(stamp(body, rev=rev, user=user, at=at))


def community_doc(community: Community, *, rev: int, user: str, at: str) -> Doc:
    body: Doc = unstructure(community)
    body.pop("revision", None)
    return normalise(stamp(body, rev=rev, user=user, at=at))


def body_of(doc: Doc) -> Doc:
    return {k: v for k, v in doc.items() if k != META_KEY}


def rev_of(doc: Doc) -> int:
    rev: int = doc[META_KEY]["rev"]
    return rev


def schema_of(doc: Doc) -> int:
    schema: int = doc[META_KEY]["schema"]
    return schema


def meta_of(doc: Doc) -> Doc:
    meta: Doc = doc[META_KEY]
    return meta


def public_worker(doc: Doc, worker_id: int) -> Doc:
    """The form the audit trail and conflict files show: `unstructure(worker)` of the stored one."""
    body = body_of(doc)
    body["id"] = worker_id
    body["revision"] = rev_of(doc)
    return body


def public_community(doc: Doc) -> Doc:
    body = body_of(doc)
    body["revision"] = rev_of(doc)
    return body


def worker_from_doc(doc: Doc, worker_id: int) -> Worker:
    """Build a stored worker without re-running the checks it passed when it was saved."""
    with trusted_load():
        return structure(public_worker(doc, worker_id), Worker, where=f"worker {worker_id}")


def community_from_doc(doc: Doc) -> Community:
    with trusted_load():
        return structure(public_community(doc), Community, where=f"community {doc.get('id')}")
