"""Checks across a worker's fields that no single field can make, shared by the form, the command
line, the import and `check`.

- The community-service start (参加社区工作时间) is not in the future, and not after the first
  post's start or the first contract's start: service is counted from it, and a start in 2030
  silently zeroed the worker's pay with nothing said.
- Every post is one the community's jurisdiction has: a plugin declares its posts in
  `shegong_jurisdiction` (`JurisdictionInfo.posts`, its parents' included); a jurisdiction that
  declares none takes core's `Post` list, as the command line always did. A post from elsewhere
  was offered, saved, then flagged by the rules as serious under its raw code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from core.errors import ShegongError, ValidationError
from core.i18n import Message, current_language, msg
from core.model import Post, Worker

if TYPE_CHECKING:
    from core.hookspecs import Vocabulary
    from core.jurisdictions import Jurisdictions

PostNames = Mapping[str, tuple[str, str]]
"""Post code → (Chinese name, English name): the posts a jurisdiction has."""


@attrs.frozen
class PostList(Message):
    """The posts a jurisdiction has, named in the language the message is rendered in."""

    posts: tuple[tuple[str, str, str], ...] = ()  # (code, zh, en)

    def render(self, lang: str | None = None) -> str:
        en = (lang or current_language()) == "en"
        sep = ", " if en else "、"
        return sep.join(f"{(e or z) if en else z} ({c})" for c, z, e in self.posts)


def posts_of(jurisdictions: Jurisdictions, key: str) -> PostNames | None:
    """The posts of jurisdiction `key` (core's when it declares none); None if it is not loaded,
    so a record of a jurisdiction this installation does not have is not judged on its posts."""
    try:
        vocabulary: Mapping[str, Vocabulary] = jurisdictions.vocabulary(key, "posts")
    except ShegongError:
        return None
    if vocabulary:
        return {code: (v.zh, v.en) for code, v in vocabulary.items()}
    return {p.value: (msg(f"post.{p.value}").render("zh"), msg(f"post.{p.value}").render("en")) for p in Post}


def posts_by_jurisdiction(jurisdictions: Jurisdictions) -> dict[str, PostNames]:
    """`posts_of` for every loaded jurisdiction."""
    out: dict[str, PostNames] = {}
    for key in jurisdictions.keys:
        found = posts_of(jurisdictions, key)
        if found is not None:
            out[key] = found
    return out


def record_problems(worker: Worker, *, today: dt.date, posts: PostNames | None) -> list[ValidationError]:
    """Every cross-field problem of `worker`, each naming its field (`service_start`,
    `posts[i].post`); `posts` is what the community's jurisdiction has (None: not judged)."""
    out: list[ValidationError] = []
    start = worker.service_start
    if start > today:
        out.append(
            ValidationError("service_start", msg("records.service_start_future", start=start, today=today))
        )
    if worker.posts:
        first = min(worker.posts, key=lambda p: p.start)
        if start > first.start:
            label = _label(first.post, posts)
            out.append(
                ValidationError(
                    "service_start",
                    msg("records.service_after_post", start=start, post=label, post_start=first.start),
                )
            )
    if worker.contracts:
        signed = min(worker.contracts, key=lambda c: c.start)
        if start > signed.start:
            out.append(
                ValidationError(
                    "service_start",
                    msg(
                        "records.service_after_contract",
                        start=start,
                        contract=msg(f"tabular.enum.contract.{signed.kind.value}"),
                        contract_start=signed.start,
                    ),
                )
            )
    if posts is not None:
        allowed = PostList("records.posts", posts=tuple((c, z, e) for c, (z, e) in posts.items()))
        for i, term in enumerate(worker.posts):
            if term.post not in posts:
                out.append(
                    ValidationError(
                        f"posts[{i}].post", msg("records.post_not_here", post=term.post, allowed=allowed)
                    )
                )
    return out


def new_problems(
    worker: Worker, before: Worker | None, *, today: dt.date, posts: PostNames | None
) -> list[ValidationError]:
    """`record_problems` of `worker` that `before` (the stored version) did not have already: an
    edit is judged on what it changes, so a record saved before these checks can still have its
    phone number corrected (`check` lists what it holds meanwhile)."""
    found = record_problems(worker, today=today, posts=posts)
    if before is None or not found:
        return found
    old = [(e.field, e.problem) for e in record_problems(before, today=today, posts=posts)]
    return [e for e in found if (e.field, e.problem) not in old]


def check_record(worker: Worker, before: Worker | None, *, today: dt.date, posts: PostNames | None) -> None:
    """Raise the first of `new_problems`, for callers that stop at one (the command line)."""
    found = new_problems(worker, before, today=today, posts=posts)
    if found:
        raise found[0]


def _label(code: str, posts: PostNames | None) -> str | Message:
    if posts is not None and code in posts:
        zh, en = posts[code]
        return PostList("records.posts", posts=((code, zh, en),))
    return code
