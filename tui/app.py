"""The full-screen app: an operator's view of the registry over ssh, keyboard only, in Chinese.

Three places an operator goes (dashboard, roster, plugins) are Textual modes, so each keeps its
state while another is shown; a worker's detail is pushed on top of whichever opened it. The app
holds the registry and the rules and talks to core only: never to a plugin, never to a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.command import CommandPalette, Provider
from textual.content import Content
from textual.screen import ModalScreen, Screen

from core.i18n import add_catalog_dir, set_language, t
from core.jurisdictions import Jurisdictions
from core.repository import Repository
from core.rules import Rules
from tui.bindings import key, translate_bindings
from tui.commands import ShegongCommands, ShegongPalette
from tui.labels import Lexicon
from tui.messages import OpenWorker
from tui.screens.base import PaletteCommand, ShegongScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen, binding_rows

if TYPE_CHECKING:
    from tui.forms.undo import Edit
    from tui.screens.roster import RosterScreen

LOCALE_DIR = Path(__file__).parent / "locale"
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
MODES = (
    "dashboard",
    "roster",
    "plugins",
    "payroll",
    "import",
    "communities",
    "forecasts",
    "alerts",
    "assessment",
)


def load_catalogs() -> None:
    """Merge the TUI's catalogs (`ui.*` keys) into core's; safe to call more than once."""
    for lang in ("zh", "en"):
        add_catalog_dir(lang, LOCALE_DIR / lang)


# Each place's screen module is imported when the place is first shown, not at start: the app
# opens faster, and a place never visited costs nothing (Textual calls the factory once per mode).
def _dashboard() -> Screen[Any]:
    from tui.screens.dashboard import DashboardScreen

    return DashboardScreen()


def _roster() -> Screen[Any]:
    from tui.screens.roster import RosterScreen

    return RosterScreen()


def _plugins() -> Screen[Any]:
    from tui.screens.plugins import PluginsScreen

    return PluginsScreen()


def _payroll() -> Screen[Any]:
    from tui.screens.payroll import PayrollScreen

    return PayrollScreen()


def _import() -> Screen[Any]:
    from tui.screens.import_file import ImportScreen

    return ImportScreen()


def _communities() -> Screen[Any]:
    from tui.screens.communities import CommunitiesScreen

    return CommunitiesScreen()


def _forecasts() -> Screen[Any]:
    from tui.screens.forecasts import ForecastsScreen

    return ForecastsScreen()


def _alerts() -> Screen[Any]:
    from tui.screens.alerts import AlertsScreen

    return AlertsScreen()


def _assessment() -> Screen[Any]:
    from tui.screens.assessment import AssessmentScreen

    return AssessmentScreen()


class ShegongApp(App[object]):
    """社工: dashboard, roster, worker detail and plugins over one registry."""

    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ShegongCommands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "dashboard": _dashboard,
        "roster": _roster,
        "plugins": _plugins,
        "payroll": _payroll,
        "import": _import,
        "communities": _communities,
        "forecasts": _forecasts,
        "alerts": _alerts,
        "assessment": _assessment,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        key("question_mark", "help", "app.help"),
        key("q", "request_quit", "app.quit"),
        key("ctrl+q", "request_quit", "app.quit_now", show=False, priority=True),
        key("ctrl+p", "command_palette", "app.palette", show=False, priority=True),
        key("ctrl+t", "toggle_theme", "app.theme", show=False),
        key("d", "show_mode('dashboard')", "app.dashboard", show=False),
        key("r", "show_mode('roster')", "app.roster", show=False),
        key("p", "show_mode('plugins')", "app.plugins", show=False),
        key("g", "show_mode('payroll')", "app.payroll", show=False),
        key("i", "show_mode('import')", "app.import", show=False),
        key("c", "show_mode('communities')", "app.communities", show=False),
        key("f", "show_mode('forecasts')", "app.forecasts", show=False),
        key("w", "show_mode('alerts')", "app.alerts", show=False),
        key("k", "show_mode('assessment')", "app.assessment", show=False),
        key("ctrl+z", "undo", "app.undo"),
    ]

    def __init__(
        self,
        registry: Repository,
        *,
        lang: str = "zh",
        read_only: bool = False,
        rules: Rules | None = None,
        today: dt.date | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        load_catalogs()
        set_language(lang)
        super().__init__()
        translate_bindings(self)
        self.lang = lang
        self.registry = registry
        self.read_only = read_only
        self.rules = rules if rules is not None else Rules(registry, today=today)
        self.today: dt.date = today or self.rules.today or dt.date.today()
        self.lexicon = Lexicon(self.rules.jurisdictions)
        self.startup_problems = list(problems)
        """What went wrong opening the registry that the operator should know (shown on the dashboard)."""
        self.pending_roster_filter: str | None = None
        self.roster_screen: RosterScreen | None = None
        """The roster once it has been opened; the palette searches its workers."""
        self.edited_workers: list[int] = []
        """Workers saved in this session, in order; screens catch up with it when shown."""
        self.form_edits: list[Edit] = []
        """Edits saved through the forms in this session; `ctrl+z` takes back the last."""
        self.title = t("ui.app.title")
        self.theme = DARK_THEME

    @property
    def jurisdictions(self) -> Jurisdictions:
        return self.rules.jurisdictions

    def on_mount(self) -> None:
        self.switch_mode("dashboard")

    def format_title(self, title: str, sub_title: str) -> Content:
        parts: list[str | tuple[str, str] | Content] = [Content(title)]
        if sub_title:
            parts += [(" — ", "dim"), Content(sub_title)]
        if self.read_only:
            parts += ["  ", (f" {t('ui.app.read_only')} ", "bold reverse")]
        return Content.assemble(*parts)

    # --- navigation -----------------------------------------------------------------------------

    def action_show_mode(self, mode: str) -> None:
        if isinstance(self.screen, ModalScreen) or mode not in MODES:
            return
        if self.current_mode == mode and len(self.screen_stack) > 1:
            # Already there with a worker open on top: go back to the list itself.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def go_back(self) -> None:
        """`esc`: close the screen on top, or return to the dashboard from another place."""
        if isinstance(self.screen, ModalScreen):
            return
        if len(self.screen_stack) > 1:
            self.screen.dismiss()
        elif self.current_mode != "dashboard":
            self.switch_mode("dashboard")

    def on_open_worker(self, message: OpenWorker) -> None:
        self.open_worker(message.worker_id)

    def open_worker(self, worker_id: int) -> None:
        from tui.screens.worker_detail import WorkerDetailScreen

        if isinstance(self.screen, WorkerDetailScreen) and self.screen.worker_id == worker_id:
            return
        self.push_screen(WorkerDetailScreen(worker_id))

    def show_roster(self, filter_text: str | None = None) -> None:
        """Open the roster, optionally filtered (the dashboard's counts open it this way)."""
        # The roster may not be composed yet: it takes the filter when it is next shown.
        self.pending_roster_filter = filter_text
        self.action_show_mode("roster")

    def note_worker_saved(self, worker_id: int) -> None:
        self.edited_workers.append(worker_id)

    # --- edits ----------------------------------------------------------------------------------

    def refuse_if_read_only(self) -> bool:
        """True (and a message) if edits are refused because the app runs read-only."""
        if self.read_only:
            self.notify(t("ui.app.read_only_refused"), title=t("ui.app.read_only"), severity="warning")
            return True
        return False

    def has_unsaved_changes(self) -> bool:
        return any(getattr(screen, "has_unsaved_changes", False) for screen in self.screen_stack)

    def open_worker_form(self, worker_id: int | None) -> None:
        from tui.screens.edit_flow import open_worker_form

        open_worker_form(self, worker_id)

    def open_community_form(
        self, community_id: str | None, on_saved: Callable[[Any], None] | None = None
    ) -> None:
        from tui.screens.edit_flow import open_community_form

        open_community_form(self, community_id, on_saved)

    def action_undo(self) -> None:
        from tui.screens.edit_flow import ask_undo

        ask_undo(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":  # shown only where it applies: an edit to undo, no form or question open
            return (
                bool(self.form_edits)
                and not isinstance(self.screen, ModalScreen)
                and not hasattr(self.screen, "has_unsaved_changes")
            )
        return True

    # --- app-wide actions -----------------------------------------------------------------------

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return
        if not self.has_unsaved_changes():
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmScreen(t("ui.quit.unsaved"), yes=t("ui.quit.yes")), answered)

    def action_help_quit(self) -> None:
        self.notify(t("ui.quit.how"), title=t("ui.quit.title"))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, ModalScreen):
            return
        title = screen.screen_title if isinstance(screen, ShegongScreen) else ""
        intro = screen.help_text if isinstance(screen, ShegongScreen) else ""
        self.push_screen(HelpScreen(title, intro, binding_rows(screen)))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(ShegongPalette(id="--command-palette", placeholder=t("ui.palette.placeholder")))

    def palette_commands(self) -> list[PaletteCommand]:
        """Every screen and app-wide action, then what the current screen adds."""
        commands: list[PaletteCommand] = [
            (t("ui.cmd.dashboard"), t("ui.cmd.dashboard_help"), lambda: self.action_show_mode("dashboard")),
            (t("ui.cmd.roster"), t("ui.cmd.roster_help"), lambda: self.action_show_mode("roster")),
            (t("ui.cmd.plugins"), t("ui.cmd.plugins_help"), lambda: self.action_show_mode("plugins")),
            (t("ui.cmd.payroll"), t("ui.cmd.payroll_help"), lambda: self.action_show_mode("payroll")),
            (t("ui.cmd.import"), t("ui.cmd.import_help"), lambda: self.action_show_mode("import")),
            (
                t("ui.cmd.communities"),
                t("ui.cmd.communities_help"),
                lambda: self.action_show_mode("communities"),
            ),
            (t("ui.cmd.forecasts"), t("ui.cmd.forecasts_help"), lambda: self.action_show_mode("forecasts")),
            (t("ui.cmd.alerts"), t("ui.cmd.alerts_help"), lambda: self.action_show_mode("alerts")),
            (
                t("ui.round.cmd.show"),
                t("ui.round.cmd.show_help"),
                lambda: self.action_show_mode("assessment"),
            ),
            (t("ui.cmd.help"), t("ui.cmd.help_help"), self.action_help),
            (t("ui.cmd.theme"), t("ui.cmd.theme_help"), self.action_toggle_theme),
            (t("ui.cmd.quit"), t("ui.cmd.quit_help"), self.action_request_quit),
            (t("ui.cmd.add_worker"), t("ui.cmd.add_worker_help"), lambda: self.open_worker_form(None)),
            (
                t("ui.cmd.add_community"),
                t("ui.cmd.add_community_help"),
                lambda: self.open_community_form(None),
            ),
        ]
        for screen in self._screens_for_palette():
            commands.extend(screen.palette_commands())
        return commands

    def find_workers(self, query: str, limit: int) -> list[tuple[int, Sequence[str]]]:
        """Workers matching `query` in the roster's haystacks (empty until the roster has loaded)."""
        roster = self.roster_screen
        return roster.find_workers(query, limit) if roster is not None else []

    def _screens_for_palette(self) -> Iterable[ShegongScreen[object]]:
        # The palette is itself a screen on top; the commands are those of the screen below it.
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ShegongScreen):
                yield screen
                return


def run_app(db_path: Path, *, lang: str, read_only: bool = False, login: str | None = None) -> None:
    """Open the registry at `db_path` and run the app until the operator quits (the CLI's entry).

    The registry is seen through the operators file (`core.scoped`): `login` (the OS login by
    default) sees only the records in scope, and a viewer gets the app read-only.
    The registry's `params.toml` overrides apply to this app's own set of jurisdictions; if the
    file cannot be read the app still opens, without overrides, and says why on the dashboard.
    """
    from core import load_jurisdictions
    from core.errors import ShegongError
    from core.registry_config import config_of
    from core.scoped import open_scoped

    registry = open_scoped(db_path, login=login, backup_on_open=not read_only)
    read_only = read_only or not registry.grant.may_change
    problems: list[str] = []
    try:
        params = config_of(registry).params_file()
        try:
            jurisdictions = load_jurisdictions(params)
        except ShegongError as exc:
            jurisdictions = load_jurisdictions(None)
            problems.append(t("ui.app.params_unreadable", path=str(params), reason=exc.render()))
        rules = Rules(registry, jurisdictions)
        ShegongApp(registry, lang=lang, read_only=read_only, rules=rules, problems=problems).run()
    finally:
        registry.close()
