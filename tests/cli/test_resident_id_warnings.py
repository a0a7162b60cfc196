"""A resident ID with a region code never seen: the command line asks, `--accept-unknown-region` saves."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import Run, snapshot
from tests.core.test_resident_ids_real import gb11643


def test_the_command_line_asks_before_saving_an_unknown_code(run: Run, demo_db: Path) -> None:
    unknown = gb11643("11999919800101013")
    args = ["--db", demo_db, "worker", "add", "--name", "张伟", "--id-number", unknown]
    args += ["--community", "jlp-yjp-001", "--service-start", "2021-07-01"]
    before = snapshot(demo_db)
    refused = run(*args)
    assert snapshot(demo_db) == before
    assert refused.code == 1 and "119999" in refused.err and "--accept-unknown-region" in refused.err
    assert "Traceback" not in refused.err
    saved = run(*args, "--accept-unknown-region")
    assert saved.code == 0, saved.err
    known = gb11643("34188119720315012")
    plain = run("--db", demo_db, "worker", "add", "--name", "李娟", "--id-number", known,
                "--community", "jlp-yjp-001", "--service-start", "2021-07-01")  # fmt: skip
    assert plain.code == 0, plain.err
