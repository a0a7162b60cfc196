"""The command palette (`ctrl+p`): every screen and app action, the current screen's own
commands, and workers by name, pinyin initials or ID tail once the roster has loaded.

Textual writes "No matches found" in English when nothing matches and offers no setting for it;
`ShegongPalette` adds the same disabled line in the operator's language instead.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets.option_list import Option

from core.i18n import t

if TYPE_CHECKING:
    from tui.app import ShegongApp

WORKER_HITS = 8


class ShegongCommands(Provider):
    """Screens, actions and workers; fuzzy-matched on the title in the operator's language."""

    @property
    def shegong(self) -> ShegongApp:
        return cast("ShegongApp", self.app)

    async def discover(self) -> Hits:
        for title, help_text, callback in self.shegong.palette_commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.shegong.palette_commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        for worker_id, cells in self.shegong.find_workers(query, WORKER_HITS):
            title = t("ui.cmd.open_worker", name=cells[0], community=cells[1])
            # Below the app's own commands, whose fuzzy scores run up to 1.
            yield Hit(0.5, Content(title), partial(self.shegong.open_worker, worker_id), help=cells[2])


class ShegongPalette(CommandPalette):
    """Textual's palette, saying "no matches" in the operator's language.

    This repeats `CommandPalette._start_no_matches_countdown` (Textual 8) with the text
    translated; tests/tui/test_forecasts_alerts.py fails if Textual's own text shows again.
    """

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("ui.palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
