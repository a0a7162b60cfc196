"""Every built-in jurisdiction passes the conformance kit, run as a plugin author runs it.

`pytest --shegong-jurisdiction KEY` in an empty folder, in a fresh interpreter, finds the kit
through its `pytest11` entry point and the jurisdiction through `shegong.jurisdictions`. The
parameters the texts leave to a district are set from the demo values (`core.demo`), so the pay,
pool and staffing checks compute instead of being skipped as untested.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.demo import demo_parameters, write_params
from core.jurisdictions import Jurisdictions
from tests.sdk.helpers import passed_without_skips, run_kit

BUILT_IN = ("national", "beijing", "beijing.haidian", "shenyang", "wenzhou", "ningguo", "jiulongpo")
# Community facts a rule reads that no generator can guess: Ningguo's staffing needs the posts the
# city allotted (003 第4条; `plugins/ningguo/posts.py` names the types), Shenyang's pay the district
# whose table the demo sets. The numbers only have to be plausible: the kit checks the shape of
# the answer, the cases check its numbers.
COMMUNITY = {
    "ningguo": "[community]\npost_quotas = { liangwei = 7, reserve_cadre = 2 }\n",
    "shenyang": '[community]\ndistrict = "沈河区"\n',
}


@pytest.fixture(scope="module")
def params_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    js = Jurisdictions()
    js.load_entry_points()
    values, _ = demo_parameters(js)
    path = tmp_path_factory.mktemp("kit") / "params.toml"
    write_params(path, {k: v for k, v in values.items() if k[0] in BUILT_IN})
    return path


@pytest.mark.parametrize("key", BUILT_IN)
def test_builtin_passes_the_kit(key: str, params_file: Path, tmp_path: Path) -> None:
    extra: list[str] = []
    if key in COMMUNITY:
        (tmp_path / "community.toml").write_text(COMMUNITY[key], encoding="utf-8")
        extra = ["--shegong-community", "community.toml"]
    # Five workers in each of four communities keep each run to a few seconds on a shared machine.
    args = ["--shegong-jurisdiction", key, "--shegong-params", str(params_file), "--shegong-workers", "5"]
    result = run_kit(tmp_path, *args, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert passed_without_skips(result), result.stdout + result.stderr


def test_without_the_option_the_kit_collects_nothing(tmp_path: Path) -> None:
    """The kit is installed in every run; without the option it must add no test."""
    result = run_kit(tmp_path)
    assert result.returncode == 5, result.stdout  # pytest's "no tests collected"


def test_an_unknown_jurisdiction_fails_naming_the_installed_ones(tmp_path: Path) -> None:
    result = run_kit(tmp_path, "--shegong-jurisdiction", "atlantis")
    assert result.returncode == 1
    assert "'atlantis' is not installed" in result.stdout and "beijing" in result.stdout
