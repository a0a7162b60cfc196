"""`worker add|show|list|edit|history`: shapes, masking, refusals that name the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest

from core.privacy import mask_resident_id
from core.registry import open_registry
from core.resident_id import checksum_char
from tests.cli.helpers import Run, snapshot
from tui.cli.output import cell_width

COMMUNITY = "jlp-yjp-001"  # Jiulongpo: its region code 500107 is valid for births from 1997


def resident_id(birth: str = "19980315", sequence: str = "123", region: str = "500107") -> str:
    first17 = region + birth + sequence
    return first17 + checksum_char(first17)


def add_args(**overrides: str) -> list[str]:
    values = {
        "--name": "张伟",
        "--id-number": resident_id(),
        "--community": COMMUNITY,
        "--service-start": "2021-07-01",
    } | overrides
    out: list[str] = []
    for option, value in values.items():
        out += [option, value]
    return out


def as_json(text: str) -> Any:
    return orjson.loads(text)


class TestAdd:
    def test_add_with_flags(self, run: Run, demo_db: Path) -> None:
        """Birth date and sex come from the ID number; every flag lands in its field."""
        result = run(
            "--db", demo_db, "worker", "add", *add_args(), "--education", "本科", "--phone", "13800001111",
            "--party", "member", "--hukou-city", "重庆市", "--rural", "--entry", "hired",
            "--post", "staff:20210701", "--json",
        )  # fmt: skip
        assert result.code == 0, result.err
        doc = as_json(result.out)
        assert doc["birth_date"] == "1998-03-15"
        assert doc["sex"] == "male"
        assert doc["education"] == "bachelor"
        assert doc["hukou"] == {"city": "重庆市", "urban": False}
        assert doc["posts"] == [{"post": "staff", "start": "2021-07-01", "end": None}]
        assert doc["revision"] == 1 and doc["id"] > 0
        assert doc["derived"]["community"]["jurisdiction"] == "jiulongpo"

    def test_add_prints_a_sentence(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "worker", "add", *add_args())
        assert result.code == 0
        assert "已录入" in result.out and "张伟" in result.out

    @pytest.mark.parametrize(
        ("overrides", "named"),
        [
            ({"--id-number": resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1")}, "--id-number"),
            ({"--birth-date": "1998-02-30"}, "--birth-date"),
            ({"--birth-date": "1998-03-16"}, "--id-number"),  # disagrees with the ID
            ({"--sex": "female"}, "--id-number"),
            ({"--service-start": "2021/13/01"}, "--service-start"),
            ({"--community": "no-such-place"}, "--community"),
            ({"--education": "kindergarten"}, "--education"),
            ({"--phone": "call me"}, "--phone"),
        ],
    )
    def test_bad_input_names_the_field_and_saves_nothing(
        self, run: Run, demo_db: Path, overrides: dict[str, str], named: str
    ) -> None:
        before = snapshot(demo_db)
        result = run("--db", demo_db, "worker", "add", *add_args(**overrides))
        assert result.code == 1
        assert named in result.err
        assert "Traceback" not in result.err
        assert snapshot(demo_db) == before

    def test_checksum_message_says_what_is_wrong(self, run: Run, demo_db: Path) -> None:
        good = resident_id()
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        result = run("--db", demo_db, "worker", "add", *add_args(**{"--id-number": bad}))
        assert "身份证号码" in result.err and "校验位" in result.err

    def test_unknown_community_lists_the_known_ones(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "worker", "add", *add_args(**{"--community": "nowhere"}))
        assert "nowhere" in result.err and COMMUNITY in result.err

    def test_duplicate_resident_id_is_refused(self, run: Run, demo_db: Path) -> None:
        assert run("--db", demo_db, "worker", "add", *add_args()).code == 0
        before = snapshot(demo_db)
        result = run("--db", demo_db, "worker", "add", *add_args(**{"--name": "李娜"}))
        assert result.code == 1
        # the number is named masked: error messages end up in logs (core.privacy)
        assert "--id-number" in result.err and mask_resident_id(resident_id()) in result.err
        assert resident_id() not in result.err
        assert snapshot(demo_db) == before

    def test_unknown_post_lists_the_jurisdictions_posts(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "worker", "add", *add_args(), "--post", "astronaut")
        assert result.code == 1
        assert "--post" in result.err and "party_secretary" in result.err

    def test_post_by_its_chinese_name(self, run: Run, demo_db: Path) -> None:
        result = run(
            "--db", demo_db, "worker", "add", *add_args(), "--post", "社区党组织书记:2024-04-01", "--json"
        )
        assert result.code == 0, result.err
        assert as_json(result.out)["posts"][0]["post"] == "party_secretary"

    def test_missing_required_options_is_usage(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "worker", "add", "--name", "张伟")
        assert result.code == 2
        assert "--id-number" in result.err and "--community" in result.err

    def test_from_json_round_trip(self, run: Run, demo_db: Path, tmp_path: Path) -> None:
        """`show --json` output, with a new ID number, is accepted by `add --from-json`."""
        original = as_json(run("--db", demo_db, "worker", "show", "1", "--json").out)
        birth = original["birth_date"].replace("-", "")
        region = original["id_number"][:6]
        odd = original["sex"] == "male"
        with open_registry(demo_db) as reg:
            taken = {w.id_number for w in reg.workers()}
        for seq in range(1, 999, 2):
            sequence = f"{seq if odd else seq - 1:03d}"
            new_id = resident_id(birth, sequence, region)
            if new_id not in taken:
                break
        original["id_number"] = new_id
        file = tmp_path / "w.json"
        file.write_bytes(orjson.dumps(original))
        result = run("--db", demo_db, "worker", "add", "--from-json", file, "--name", "复制人", "--json")
        assert result.code == 0, result.err
        copy = as_json(result.out)
        assert copy["name"] == "复制人"
        for key in ("posts", "contracts", "assessments", "trainings", "certificates"):
            assert copy[key] == original[key]

    def test_from_json_rejects_a_bad_document(self, run: Run, demo_db: Path, tmp_path: Path) -> None:
        file = tmp_path / "bad.json"
        file.write_text('{"name": "x", "sex": "robot"}', encoding="utf-8")
        result = run("--db", demo_db, "worker", "add", "--from-json", file)
        assert result.code == 1
        assert "Traceback" not in result.err
        file.write_text("{not json", encoding="utf-8")
        result = run("--db", demo_db, "worker", "add", "--from-json", file)
        assert result.code == 1 and "JSON" in result.err


class TestShowAndList:
    def test_list_masks_numbers(self, run: Run, demo_db: Path) -> None:
        rows = as_json(run("--db", demo_db, "worker", "list", "--json").out)
        assert rows
        assert set(rows[0]) >= {"id", "name", "sex", "id_number", "phone", "community_id", "posts", "status"}
        for row in rows:
            assert row["id_number"][6:] == "*" * 12
            assert row["phone"].endswith("*" * 8)
            assert "birth_date" not in row and "age" not in row and isinstance(row["birth_year"], int)

    def test_show_prints_numbers_in_full(self, run: Run, demo_db: Path) -> None:
        doc = as_json(run("--db", demo_db, "worker", "show", "1", "--json").out)
        assert "*" not in doc["id_number"] and "*" not in doc["phone"]
        text = run("--db", demo_db, "worker", "show", "1").out
        assert doc["id_number"] in text and doc["phone"] in text
        assert "【岗位经历】" in text and "【考核】" in text

    def test_show_in_english(self, run: Run, demo_db: Path) -> None:
        text = run("--db", demo_db, "--lang", "en", "worker", "show", "1").out
        assert "[Posts]" in text and "Resident ID number" in text

    def test_list_filters(self, run: Run, demo_db: Path) -> None:
        everyone = as_json(run("--db", demo_db, "worker", "list", "--json").out)
        here = as_json(run("--db", demo_db, "worker", "list", "--community", COMMUNITY, "--json").out)
        assert here and all(r["community_id"] == COMMUNITY for r in here)
        assert len(here) < len(everyone)
        retired = as_json(run("--db", demo_db, "worker", "list", "--status", "已退休", "--json").out)
        assert all(r["status"] == "retired" for r in retired)
        juris = as_json(run("--db", demo_db, "worker", "list", "--jurisdiction", "jiulongpo", "--json").out)
        assert {r["community_id"][:3] for r in juris} == {"jlp"}

    def test_bad_status_filter_names_the_choices(self, run: Run, demo_db: Path) -> None:
        result = run("--db", demo_db, "worker", "list", "--status", "asleep")
        assert result.code == 1 and "--status" in result.err and "retired" in result.err

    def test_table_columns_line_up_with_chinese_text(self, run: Run, demo_db: Path) -> None:
        """Each column starts at the same terminal cell on every line."""
        lines = run("--db", demo_db, "worker", "list", "--community", COMMUNITY).out.splitlines()
        rule = lines[1]
        starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
        for line in [lines[0], *lines[2:-1]]:
            cells = cell_starts(line)
            # an empty cell (a worker with no post) starts nothing: every text starts on a column
            assert set(cells) <= set(starts), line

    def test_unknown_worker(self, run: Run, demo_db: Path) -> None:
        assert run("--db", demo_db, "worker", "show", "99999").code == 1
        result = run("--db", demo_db, "worker", "show", "abc")
        assert result.code == 1 and "abc" in result.err


def cell_starts(line: str) -> list[int]:
    """Terminal cells at which each column (text after two or more spaces) starts."""
    starts, cell, gap = [0], 0, 0
    for ch in line:
        if ch == " ":
            gap += 1
        else:
            if gap >= 2:
                starts.append(cell)
            gap = 0
        cell += cell_width(ch)
    return starts


class TestEditAndHistory:
    def test_edit_saves_and_bumps_the_revision(self, run: Run, demo_db: Path) -> None:
        before = as_json(run("--db", demo_db, "worker", "show", "2", "--json").out)
        result = run("--db", demo_db, "worker", "edit", "2", "--phone", "13700000000", "--json")
        assert result.code == 0, result.err
        after = as_json(result.out)
        assert after["phone"] == "13700000000"
        assert after["revision"] == before["revision"] + 1

    def test_stale_revision_is_refused(self, run: Run, demo_db: Path) -> None:
        """--revision names what the operator saw; a save in between wins and nothing is lost."""
        seen = as_json(run("--db", demo_db, "worker", "show", "2", "--json").out)["revision"]
        assert run("--db", demo_db, "worker", "edit", "2", "--phone", "13700000001").code == 0
        before = snapshot(demo_db, audit=False)
        result = run("--db", demo_db, "worker", "edit", "2", "--name", "改名", "--revision", seen)
        assert result.code == 1
        assert snapshot(demo_db, audit=False) == before
        assert as_json(run("--db", demo_db, "worker", "show", "2", "--json").out)["phone"] == "13700000001"

    def test_end_a_post_and_record_leaving(self, run: Run, demo_db: Path) -> None:
        doc = as_json(run("--db", demo_db, "worker", "show", "3", "--json").out)
        post = doc["derived"]["posts_today"][0]
        day = dt.date.today().isoformat()
        result = run(
            "--db",
            demo_db,
            "worker",
            "edit",
            "3",
            "--end-post",
            f"{post}:{day}",
            "--status",
            f"left:{day}:调走",
            "--json",
        )
        assert result.code == 0, result.err
        after = as_json(result.out)
        assert any(p["post"] == post and p["end"] == day for p in after["posts"])
        assert after["statuses"][-1] == {"status": "left", "since": day, "reason": "调走"}

    def test_edit_with_bad_value_changes_nothing(self, run: Run, demo_db: Path) -> None:
        before = snapshot(demo_db)
        result = run("--db", demo_db, "worker", "edit", "2", "--birth-date", "yesterday")
        assert result.code == 1 and "--birth-date" in result.err
        assert snapshot(demo_db) == before

    def test_edit_with_nothing_is_usage(self, run: Run, demo_db: Path) -> None:
        assert run("--db", demo_db, "worker", "edit", "2").code == 2

    def test_read_only_refuses_edits(self, run: Run, demo_db: Path) -> None:
        before = snapshot(demo_db)
        assert run("--db", demo_db, "--read-only", "worker", "edit", "2", "--phone", "13700000002").code == 1
        assert snapshot(demo_db) == before

    def test_history_lists_each_change(self, run: Run, demo_db: Path) -> None:
        assert run("--db", demo_db, "worker", "edit", "2", "--phone", "13700000003").code == 0
        changes = as_json(run("--db", demo_db, "worker", "history", "2", "--json").out)
        assert [c["action"] for c in changes][-2:] == ["add", "update"]
        assert changes[-1]["after"]["phone"].startswith("137********")  # the history is a log: masked
        assert "13700000003" not in orjson.dumps(changes).decode()
        text = run("--db", demo_db, "worker", "history", "2").out
        assert "修改" in text and "phone" in text


class TestLanguage:
    def test_messages_follow_the_language(self, run: Run, demo_db: Path) -> None:
        zh = run("--db", demo_db, "worker", "add", *add_args(**{"--birth-date": "1998-02-30"}))
        en = run(
            "--db", demo_db, "--lang", "en", "worker", "add", *add_args(**{"--birth-date": "1998-02-30"})
        )
        assert "不是有效日期" in zh.err
        assert "is not a date" in en.err and "Birth date" in en.err

    def test_environment_language(self, run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SHEGONG_LANG", "en")
        assert "No." in run("--db", demo_db, "worker", "list").out


def test_registry_sees_what_the_cli_saved(run: Run, demo_db: Path) -> None:
    """What the command line saves is what the registry API reads back."""
    doc = as_json(run("--db", demo_db, "worker", "add", *add_args(), "--json").out)
    with open_registry(demo_db) as registry:
        assert registry.get_worker(doc["id"]).name == "张伟"
