"""The roster's rows: what a filter can find and what the list never shows in full."""

from __future__ import annotations

from core.memory import MemoryRegistry
from tests.tui.fixtures import TODAY, build_rules
from tui.app import load_catalogs
from tui.labels import Lexicon
from tui.screens.roster import initials, load_roster


def _data(registry: MemoryRegistry) -> tuple[Lexicon, list[int], list[str], list[tuple[str, ...]]]:
    load_catalogs()
    lexicon = Lexicon(build_rules(registry).jurisdictions)
    data = load_roster(registry, lexicon, TODAY)
    return lexicon, data.keys, data.haystacks, data.rows


def _find(haystacks: list[str], keys: list[int], text: str) -> set[int]:
    terms = text.lower().split()
    return {keys[i] for i, hay in enumerate(haystacks) if all(term in hay for term in terms)}


class TestRosterRows:
    def test_initials_follow_pypinyin(self) -> None:
        """Initials read each character as pypinyin does: 张三 → zs, 欧阳娜娜 → oynn."""
        assert initials("张三") == "zs"
        assert initials("欧阳娜娜") == "oynn"
        assert initials("Anna李") == "annal"

    def test_filter_by_name_initials_id_tail_community_post_status(self, registry: MemoryRegistry) -> None:
        """A worker is found by name, pinyin initials, ID tail, community, post and status."""
        _, keys, haystacks, _ = _data(registry)
        worker = registry.get_worker(1)
        community = registry.get_community(worker.community_id)
        for text in (
            worker.name,
            initials(worker.name),
            worker.id_number[-4:],
            community.name,
            "社区党组织书记",
            "在岗",
        ):
            assert 1 in _find(haystacks, keys, text), text
        assert _find(haystacks, keys, f"{initials(worker.name)} {community.name}") >= {1}

    def test_ids_and_phones_are_masked_in_the_list(self, registry: MemoryRegistry) -> None:
        """The list shows the region of a resident ID and a phone's prefix, nothing more."""
        _, keys, _, rows = _data(registry)
        worker = registry.get_worker(keys[0])
        row = rows[0]
        assert worker.id_number not in row and worker.phone not in row
        assert row[4] == worker.id_number[:6] + "*" * 12
        assert row[5] == worker.phone[:3] + "*" * 8

    def test_birth_dates_are_not_searchable(self, registry: MemoryRegistry) -> None:
        """The hidden part of the resident ID (the birth date) cannot be found by filtering."""
        _, keys, haystacks, _ = _data(registry)
        worker = registry.get_worker(1)
        assert 1 not in _find(haystacks, keys, worker.id_number[6:14])
