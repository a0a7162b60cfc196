"""Where everything lives in a registry directory, and the names that tie records to files.

registry.json           meta: format, schema, created, next worker id, generation
communities.json        TinyDB file, table `communities`
workers/<shard>.json    TinyDB files, one per street (district + street)
index.json              a cache of which worker is in which shard (rebuilt when stale)
journal.json            present only while a multi-file change is being applied
audit/<YYYY-MM>.jsonl   append-only audit trail
conflicts/              operators' refused versions, kept when a save lost a race
backups/<UTC time>/     full copies
params.toml             operators' parameter overrides (read by core.params)
operators.toml          who may see and change what (read by core.access)
.lock                   the inter-process lock
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

try:
    import pwd
except ImportError:  # not on Windows
    pwd = None  # type: ignore[assignment]

FORMAT = "shegong-registry"
META = "registry.json"
COMMUNITIES = "communities.json"
WORKERS_DIR = "workers"
INDEX = "index.json"
JOURNAL = "journal.json"
AUDIT_DIR = "audit"
CONFLICTS_DIR = "conflicts"
BACKUPS_DIR = "backups"
DOCUMENTS_DIR = "documents"
PARAMS = "params.toml"
OPERATORS = "operators.toml"
LOCK = ".lock"

# Names `init` may find in a directory it is asked to create a registry in (a crashed init, or
# parameters prepared in advance); anything else means the directory is someone else's.
LAYOUT_NAMES = frozenset(
    {
        META,
        COMMUNITIES,
        WORKERS_DIR,
        INDEX,
        JOURNAL,
        AUDIT_DIR,
        CONFLICTS_DIR,
        BACKUPS_DIR,
        DOCUMENTS_DIR,
        PARAMS,
        OPERATORS,
        LOCK,
    }
)

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def shard_key(district: str, street: str) -> str:
    """A filesystem-safe, stable name for one street: ASCII slug (may be empty) plus a short hash.

    `shard_key("海淀区", "中关村街道")` is `street-<10 hex>`; Latin names keep a readable slug.
    Names are NFKC-normalised and stripped first, so full-width or padded spellings agree.
    """
    d = unicodedata.normalize("NFKC", district).strip()
    s = unicodedata.normalize("NFKC", street).strip()
    digest = hashlib.sha1(f"{d}\x00{s}".encode()).hexdigest()[:10]
    slug = _SLUG_DROP.sub("-", f"{d}-{s}".lower()).strip("-")[:40].strip("-")
    return f"{slug or 'street'}-{digest}"


class Identity(NamedTuple):
    """Who runs the program: `login` as the audit trail and the operators file name it, the
    real `uid` of this process, and whether the login came from sudo (then it is the operator
    sudo switched from, and `uid` the account it switched to)."""

    login: str
    uid: int | None
    via_sudo: bool = False


def _login_of(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name if pwd is not None else f"uid{uid}"
    except KeyError:
        return f"uid{uid}"


def _sudo_login(env: Mapping[str, str]) -> str | None:
    """The operator sudo names in `SUDO_USER`/`SUDO_UID`; None if neither is set, or if they
    disagree (a forged pair is believed for neither)."""
    name = env.get("SUDO_USER", "").strip()
    uid_text = env.get("SUDO_UID", "").strip()
    if not uid_text:
        return name or None
    if not uid_text.isdigit():
        return None
    by_uid = _login_of(int(uid_text))
    if name and name != by_uid:
        return None
    return by_uid


def identify(env: Mapping[str, str] | None = None, *, owner_uid: int | None = None) -> Identity:
    """Who runs the program, from the real uid (`os.getuid`), never from `LOGNAME` or `USER`.

    `SUDO_USER`/`SUDO_UID` name the operator only in a process running as root or as the
    registry's owner (`owner_uid`): there sudo switched to it, and sudo sets them. Anyone else
    could set them to any name, so they are ignored.
    """
    env = os.environ if env is None else env
    if not hasattr(os, "getuid"):  # no uids here (Windows): the account name is all there is
        try:
            return Identity(getpass.getuser(), None)
        except Exception:  # getpass raises OSError or KeyError when no name is known
            return Identity("unknown", None)
    uid = os.getuid()
    if uid == 0 or (owner_uid is not None and uid == owner_uid):
        operator = _sudo_login(env)
        if operator:
            return Identity(operator, uid, via_sudo=True)
    return Identity(_login_of(uid), uid)


def owner_uid_of(root: Path) -> int | None:
    """The uid owning the registry folder `root`, None if there is none (yet)."""
    try:
        return root.stat().st_uid
    except OSError:
        return None


def current_user(env: Mapping[str, str] | None = None, *, owner_uid: int | None = None) -> str:
    """The login of whoever runs the program (see `identify`): under sudo, the operator."""
    return identify(env, owner_uid=owner_uid).login


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()


def now_iso() -> str:
    """Local time with its offset, to the microsecond: `2025-03-07T10:15:02.123456+08:00`."""
    return now().isoformat(timespec="microseconds")


def display_time(iso: str) -> str:
    """`2025-03-07 10:15:02` in this machine's time zone, for messages; unparseable text is kept."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def utc_stamp(moment: dt.datetime | None = None) -> str:
    """`20250307T021502.123456Z`: sorts as text in time order; used for backup and conflict names."""
    moment = (moment or now()).astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%S.%fZ")


def safe_name(text: str, limit: int = 40) -> str:
    """A file-name fragment from free text (a user or key): ASCII letters, digits, '-', '_' only."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:limit]
    if cleaned:
        return cleaned
    return hashlib.sha1(text.encode()).hexdigest()[:10]


class Layout:
    """Paths of one registry directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta = root / META
        self.communities = root / COMMUNITIES
        self.workers = root / WORKERS_DIR
        self.index = root / INDEX
        self.journal = root / JOURNAL
        self.audit = root / AUDIT_DIR
        self.conflicts = root / CONFLICTS_DIR
        self.backups = root / BACKUPS_DIR
        self.documents = root / DOCUMENTS_DIR
        self.params = root / PARAMS
        self.operators = root / OPERATORS
        self.lock = root / LOCK

    def shard(self, key: str) -> Path:
        return self.workers / f"{key}.json"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def directories(self) -> list[Path]:
        return [self.workers, self.audit, self.conflicts, self.backups, self.documents]

    def document_dirs(self) -> list[Path]:
        try:
            return [p for p in self.documents.iterdir() if p.is_dir()]
        except FileNotFoundError:
            return []
