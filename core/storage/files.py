"""Durable file writes, version-pinned reads and the checks that tell a broken file from a good one.

A write goes to a temp file in the same directory (`.<name>.tmp-<pid>-<hex>`), is flushed and
fsync'd, replaces the live file with `os.replace` and then the directory is fsync'd: a process
killed at any instant leaves the old file or the new one, never a mix. A file is never rewritten
in place, so every version of it is a distinct inode.

A reader keeps a descriptor open on the version it parsed (`Pinned`). While that descriptor is
open the inode cannot be freed, so no later version can get the same inode number; comparing
`os.stat(path)` with the pinned `fstat` is then an exact "has anyone replaced it?" test.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import attrs
import orjson

from core.convert import unstructure
from core.errors import RegistryWriteFailed
from core.i18n import translate
from core.storage import faults

_TEMP_RE = re.compile(r"^\..+\.tmp-\d+-[0-9a-f]{8}$")
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)

# Personal files of public employees: the owner reads and writes, the owner's group (the street
# office's operators) reads, nobody else sees anything. Set explicitly, so a lax umask never widens it.
FILE_MODE = 0o640
DIR_MODE = 0o750


def make_dir(path: Path, *, parents: bool = False) -> None:
    """`mkdir -p` with `DIR_MODE` on every directory it creates (an existing one is left as it is)."""
    if path.is_dir():
        return
    if parents and not path.parent.is_dir():
        make_dir(path.parent, parents=True)
    try:
        os.mkdir(path, DIR_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise
        return
    os.chmod(path, DIR_MODE)


def create_private(path: Path, flags: int) -> int:
    """`os.open(path, O_CREAT | flags)` giving a new file `FILE_MODE` whatever the umask."""
    fd = os.open(path, os.O_CREAT | os.O_CLOEXEC | flags, FILE_MODE)
    st = os.fstat(fd)
    if st.st_size == 0 and st.st_mode & 0o777 != FILE_MODE:
        with contextlib.suppress(PermissionError):  # someone else's empty file: leave it
            os.fchmod(fd, FILE_MODE)
    return fd


# A file shegong writes outside the registry (an export, an import's errors file, a template) may
# hold full ID numbers: only its owner reads it, whatever the umask.
OUTSIDE_MODE = 0o600


class LinkRefused(OSError):
    """The destination of a personal file is a symbolic link: writing through it could put the
    data (or an attacker's line) into whatever file it points at, so nothing is written."""

    def __init__(self, path: Path) -> None:
        text = translate("storage.private.symlink", path=str(path))
        super().__init__(errno.ELOOP, text, str(path))


def refuse_link(path: Path) -> None:
    """Raise `LinkRefused` if `path` is a symbolic link (a missing path is fine)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise LinkRefused(path)


class PrivateFile:
    """A new version of a file that holds personal data, written beside it and put in place whole.

    The temp file is created with `O_CREAT | O_EXCL | O_NOFOLLOW` (a planted file or link at its
    name is never opened) and given `mode` with `fchmod`, so the umask cannot widen it; `commit`
    fsyncs it and renames it over the destination, which is refused if it is a symbolic link.
    A failed or abandoned write leaves the destination as it was.
    """

    def __init__(self, path: Path, mode: int = OUTSIDE_MODE) -> None:
        refuse_link(path)
        self.path = path
        self.tmp = temp_path(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.tmp, flags, mode)
        try:
            os.fchmod(fd, mode)
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            raise
        self.file = os.fdopen(fd, "w+b")

    def commit(self) -> None:
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            refuse_link(self.path)  # planted while we wrote
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        with contextlib.suppress(OSError):
            fsync_dir(self.path.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


@contextlib.contextmanager
def private_file(path: Path, mode: int = OUTSIDE_MODE) -> Iterator[BinaryIO]:
    """`with private_file(path) as f: f.write(...)`: see `PrivateFile`; raises `OSError`
    (`LinkRefused` for a symbolic link) with the destination untouched."""
    out = PrivateFile(path, mode)
    try:
        yield out.file
    except BaseException:
        out.discard()
        raise
    out.commit()


def write_private(path: Path, data: bytes, mode: int = OUTSIDE_MODE) -> None:
    """Replace `path` with `data` as a personal file (see `PrivateFile`)."""
    with private_file(path, mode) as f:
        f.write(data)


class CorruptFile(Exception):
    """A stored file that cannot be read as what it should be; the registry names a backup."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@attrs.frozen
class FileSig:
    """What `stat` says about one version of a file."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileSig:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class Pinned:
    """A read-only descriptor held on one version of a file (see the module docstring)."""

    __slots__ = ("_key", "_where", "fd", "path", "sig")

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._where = os.fspath(path)
        self.fd = fd
        st = os.fstat(fd)
        self.sig = FileSig.of(st)
        self._key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_dev)

    def read_all(self) -> bytes:
        size = self.sig.size
        chunks: list[bytes] = []
        offset = 0
        while offset < size:
            chunk = os.pread(self.fd, size - offset, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)

    def head(self, length: int = 256) -> bytes:
        return os.pread(self.fd, length, 0)

    def current(self) -> bool:
        """True while the path still names exactly this version (called for every shard on every read)."""
        try:
            st = os.stat(self._where)
        except FileNotFoundError:
            return False
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_dev) == self._key

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def stat_sig(path: Path) -> FileSig | None:
    try:
        return FileSig.of(os.stat(path))
    except FileNotFoundError:
        return None


def open_pinned(path: Path) -> Pinned | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    return Pinned(path, fd)


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_RE.match(name))


def describe(exc: OSError) -> str:
    """`磁盘空间已满 (ENOSPC)`: the operator's words, and the errno name for whoever reads the log."""
    if exc.errno is None:
        return str(exc)
    name = errno.errorcode.get(exc.errno, str(exc.errno))
    key = f"storage.errno.{name}"
    text = translate(key)
    if text == key:
        text = exc.strerror or os.strerror(exc.errno)
    return f"{text} ({name})"


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, _DIR_FLAGS)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PreparedWrite:
    """A new version written and fsync'd to its temp file, not yet in place (see `prepare_write`)."""

    __slots__ = ("fd", "path", "tmp")

    def __init__(self, path: Path, tmp: Path, fd: int) -> None:
        self.path, self.tmp, self.fd = path, tmp, fd

    def discard(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)


def prepare_write(path: Path, data: bytes, *, durable: bool = True) -> PreparedWrite:
    """Write `data` to a durable temp file beside `path`; raises `RegistryWriteFailed`, path untouched."""
    tmp = temp_path(path)
    fd = -1
    try:
        faults.point("before_write", path)
        fd = create_private(tmp, os.O_RDWR | os.O_EXCL)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        faults.point("after_write_before_fsync", path)
        if durable:
            os.fsync(fd)
        faults.point("after_fsync_before_replace", path)
    except OSError as exc:
        PreparedWrite(path, tmp, fd).discard()
        if fd < 0:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise RegistryWriteFailed(
            str(path), translate("storage.write.not_saved", error=describe(exc))
        ) from exc
    return PreparedWrite(path, tmp, fd)


def commit_write(prepared: PreparedWrite, *, pin: bool = False, durable: bool = True) -> Pinned | None:
    """Put a prepared version in place and flush the directory; raises `RegistryWriteFailed`."""
    path = prepared.path
    try:
        os.replace(prepared.tmp, path)
    except OSError as exc:
        prepared.discard()
        raise RegistryWriteFailed(
            str(path), translate("storage.write.not_saved", error=describe(exc))
        ) from exc
    pinned = Pinned(path, prepared.fd)
    prepared.fd = -1
    try:
        faults.point("after_replace_before_dirsync", path)
        if durable:
            fsync_dir(path.parent)
        faults.point("after_dirsync", path)
    except OSError as exc:
        pinned.close()
        raise RegistryWriteFailed(str(path), translate("storage.write.unsure", error=describe(exc))) from exc
    if pin:
        return pinned
    pinned.close()
    return None


def atomic_write(path: Path, data: bytes, *, pin: bool = False, durable: bool = True) -> Pinned | None:
    """Replace `path` with `data` durably, or raise `RegistryWriteFailed` with `path` untouched.

    With `pin`, return a descriptor on the new version (the temp file's inode, now the live file).
    `durable=False` skips the fsyncs (still atomic): only for caches that may be lost.
    """
    return commit_write(prepare_write(path, data, durable=durable), pin=pin, durable=durable)


def remove_durably(path: Path) -> None:
    """Unlink `path` (absent is fine) and flush its directory."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise RegistryWriteFailed(str(path), describe(exc)) from exc
    try:
        fsync_dir(path.parent)
    except OSError as exc:
        raise RegistryWriteFailed(str(path), describe(exc)) from exc


def _writer_gone(name: str, mtime: float) -> bool:
    """A temp file's writer is gone if its pid (in the name) is not running, or it is an hour old.

    A live process may prepare a temp file before it takes the lock (see `prepare_write`), so
    holding the lock alone does not make every temp file stale.
    """
    if time.time() - mtime > 3600:
        return True
    try:
        pid = int(name.rsplit(".tmp-", 1)[1].split("-")[0])
    except (IndexError, ValueError):
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's live process
    return False


def remove_stale_temps(directory: Path) -> list[Path]:
    """Delete temp files left by killed writers; call only while holding the registry lock."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if (
            is_temp_name(entry.name)
            and entry.is_file(follow_symlinks=False)
            and _writer_gone(entry.name, entry.stat(follow_symlinks=False).st_mtime)
        ):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def parse_json(path: Path, data: bytes) -> Any:
    """Parse stored JSON, or raise `CorruptFile` saying what is wrong and where."""
    if not data.strip():
        raise CorruptFile(path, translate("storage.corrupt.empty", size=len(data)))
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            if bad.end < len(data) or "end of data" not in bad.reason:
                raise CorruptFile(path, translate("storage.corrupt.utf8", offset=bad.start)) from None
            raise CorruptFile(path, translate("storage.corrupt.truncated", size=len(data))) from None
        if exc.pos >= len(data.rstrip()) or "end of data" in exc.msg:
            raise CorruptFile(path, translate("storage.corrupt.truncated", size=len(data))) from None
        raise CorruptFile(
            path,
            translate(
                "storage.corrupt.json",
                line=exc.lineno,
                column=exc.colno,
                offset=exc.pos,
                size=len(data),
                detail=exc.msg,
            ),
        ) from None


def read_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorruptFile(path, translate("storage.corrupt.missing")) from None
    return parse_json(path, data)


def jsonable(value: Any) -> Any:
    """orjson's fallback for values it does not know: model values, Decimals, anything else as text."""
    if attrs.has(type(value)):
        return unstructure(value)
    if isinstance(value, Decimal | set | frozenset):
        return str(value) if isinstance(value, Decimal) else sorted(value, key=str)
    return str(value)


def dumps(value: Any, *, pretty: bool = False) -> bytes:
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if pretty else 0)
    return orjson.dumps(value, option=option, default=jsonable)
