"""Running shegong as a real, unprivileged OS user, for the attack tests.

The command line runs in a child process whose real and effective uid and groups are switched
before Python starts, with an environment the attacker chose (forged `USER`, `LOGNAME`,
`SUDO_USER`, `SUDO_UID`), so the kernel's permissions and the uid the program sees are real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

NOBODY = 65534
GROUP = 54321  # a group no account belongs to: the registry's group in these tests
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")

# The test's own interpreter may live where an unprivileged user cannot reach (a pyenv under
# /root); the system's Python of the same version runs the same installed packages instead.
_SITE = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
_PYTHON = next(
    (p for p in (f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}",) if os.path.exists(p)),
    sys.executable,
)
_MAIN = (
    f"import site, sys; site.addsitedir({_SITE!r}); from tui.cli import main; sys.exit(main(sys.argv[1:]))"
)


def base_env(**extra: str) -> dict[str, str]:
    """A clean environment (no inherited `SUDO_*`), English messages, plus `extra`."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/", "SHEGONG_LANG": "en"}
    env.update(extra)
    return env


def shegong_as(
    uid: int, groups: Sequence[int], env: Mapping[str, str], *argv: object
) -> subprocess.CompletedProcess[str]:
    """`shegong *argv` run by `uid` with supplementary `groups` (the first is its own group)."""

    def demote() -> None:
        os.setgroups(list(groups))
        os.setgid(groups[0] if groups else uid)
        os.setuid(uid)

    return subprocess.run(
        [_PYTHON, "-S", "-B", "-c", _MAIN, *(str(a) for a in argv)],
        env=dict(env),
        preexec_fn=demote,
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
        timeout=120,
    )


def hand_over(root: Path, uid: int, gid: int) -> None:
    """Give every file of the registry in `root` to `uid`:`gid` (modes stay as shegong made them)."""
    for p in [root, *root.rglob("*")]:
        os.chown(p, uid, gid, follow_symlinks=False)


@pytest.fixture
def reachable() -> Iterator[Path]:
    """A folder an unprivileged user can pass through (pytest's own tmp folders are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="shegong-attack-"))
    os.chmod(folder, 0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
