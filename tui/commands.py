"""The command palette (`ctrl+p`): every screen and app action, the current screen's own
commands, and workers by name, pinyin initials or ID tail once the roster has loaded."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

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
