"""Which assessment round to work on: a year, a period and a scope, or a round saved earlier.

A round saved for the same year, period and scope is resumed as it was left; otherwise core
proposes every worker's grade and (unless the app is read-only) the new round is saved at once,
so a second operator finds it. The scope is typed as an operator says it (`鹿城区`, `鹿城区/五马街道`,
a community's id) or in the stored form (`street:鹿城区/五马街道`); a scope that names no community,
or a rule that cannot run over it, is reported under the field and nothing is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from core.assessment import ROUND_KIND, Round, load_round, open_round, save_round
from core.errors import ShegongError, ValidationError
from core.i18n import msg, t
from core.model import Community, Period
from core.scope import Scope
from core.scope import describe_scope_text as stored_scope_label
from tui.bindings import key, translate_bindings
from tui.labels import enum_label, listing
from tui.messages import RowSelected
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from tui.app import ShegongApp

KNOWN_SHOWN = 8


@dataclass(frozen=True)
class OpenedRound:
    """The round to show, whether it was resumed from the registry, and whether it is saved."""

    round: Round
    resumed: bool
    saved: bool


def _few(items: Sequence[str]) -> str:
    shown = listing(list(items[:KNOWN_SHOWN]))
    return shown + (
        t("ui.round.scope.more", count=len(items) - KNOWN_SHOWN) if len(items) > KNOWN_SHOWN else ""
    )


def resolve_scope(text: str, communities: Sequence[Community]) -> Scope:
    """The scope `text` names, checked against the registry: `all` (or nothing), a stored form
    (`district:…`, `street:区/街道`, `community:id`), a community id, a district, `区/街道`, or a
    street name found in one district only. Refused, with the names that exist, if it covers no
    community."""
    text = text.strip()
    if text in ("", "all") or ":" in text:
        scope = Scope.parse(text)
    elif any(c.id == text for c in communities):
        scope = Scope(community=text)
    elif "/" in text:
        district, street = (part.strip() for part in text.split("/", 1))
        scope = Scope(district=district, street=street)
    elif any(c.district == text for c in communities):
        scope = Scope(district=text)
    else:
        districts = sorted({c.district for c in communities if c.street == text})
        if len(districts) > 1:
            choices = listing([f"{d}/{text}" for d in districts])
            raise ValidationError("scope", msg("ui.round.scope.ambiguous", street=text, choices=choices))
        scope = Scope(district=districts[0], street=text) if districts else Scope(district="", street=text)
    if any(scope.contains(c) for c in communities):
        return scope
    if scope.community:
        known = sorted(c.id for c in communities)
    elif scope.street:
        known = sorted({f"{c.district}/{c.street}" for c in communities})
    else:
        known = sorted({c.district for c in communities})
    raise ValidationError("scope", msg("ui.round.scope.empty", scope=text, known=_few(known)))


def saved_rounds(rounds: Sequence[Round]) -> list[tuple[str, ...]]:
    return [
        (
            str(r.year),
            enum_label(Period(r.period)),
            stored_scope_label(r.scope),
            str(len(r.entries)),
            t("ui.round.state.closed") if r.closed else t("ui.round.state.open"),
        )
        for r in rounds
    ]


@dataclass
class OpenDone(Message):
    opened: OpenedRound


@dataclass
class OpenFailed(Message):
    text: str


class OpenRoundScreen(ModalScreen[OpenedRound | None]):
    """Year, period and scope, then `enter`; or `enter` on a saved round; `esc` cancels."""

    DEFAULT_CSS = """
    OpenRoundScreen {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 76;
            height: auto;
            max-height: 100%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & .open-row {
            height: 1;
            margin-top: 1;
        }
        & .open-row Label {
            width: auto;
            padding-right: 1;
        }
        & #open-year {
            width: 8;
            margin-right: 2;
        }
        & #open-period {
            width: 20;
        }
        & #open-scope {
            width: 1fr;
        }
        & #open-scope-hint, #open-hint {
            color: $text-muted;
            height: auto;
        }
        & #open-error {
            color: $error;
            height: auto;
        }
        & #open-saved {
            height: auto;
            max-height: 7;
            margin-top: 1;
            border: round $primary-muted;
            border-title-color: $text;
        }
        & #open-saved:focus {
            border: round $accent;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "round_open.cancel"),
        key("ctrl+s", "submit", "round_open.submit"),
    ]

    def __init__(self, year: int, period: str = Period.YEAR_END.value, scope: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self._year = year
        self._period = period
        self._scope = scope
        self.rounds: list[Round] = []
        self.busy = False

    @property
    def shegong(self) -> ShegongApp:
        return cast("ShegongApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("ui.round.open.title")
            with Horizontal(classes="open-row"):
                yield Label(t("ui.round.open.year"))
                yield Input(str(self._year), id="open-year", compact=True, type="integer", max_length=4)
                yield Label(t("ui.round.open.period"))
                yield Select(
                    [(enum_label(p), p.value) for p in Period],
                    value=self._period,
                    allow_blank=False,
                    id="open-period",
                    compact=True,
                )
            with Horizontal(classes="open-row"):
                yield Label(t("ui.round.open.scope"))
                yield Input(
                    self._scope,
                    id="open-scope",
                    compact=True,
                    placeholder=t("ui.round.open.scope_placeholder"),
                )
            yield Static(t("ui.round.open.scope_hint"), id="open-scope-hint", markup=False)
            yield Static("", id="open-error", markup=False)
            saved = VirtualTable(
                [
                    Column("year", t("ui.round.open.col.year"), max_width=6),
                    Column("period", t("ui.round.open.col.period"), max_width=10),
                    Column("scope", t("ui.round.open.col.scope"), max_width=30, flex=True),
                    Column("workers", t("ui.round.open.col.workers"), max_width=6, align="right"),
                    Column("state", t("ui.round.open.col.state"), max_width=10),
                ],
                id="open-saved",
                empty_text=t("ui.round.open.none_saved"),
                select_text=t("ui.key.round_open.resume"),
            )
            saved.border_title = t("ui.round.open.saved")
            yield saved
            yield Static(t("ui.round.open.hint"), id="open-hint", markup=False)

    def on_mount(self) -> None:
        registry = self.shegong.registry
        rounds = []
        for name in registry.list_documents(ROUND_KIND):
            head, _, scope = name.partition("@")
            year, _, period = head.partition("-")
            try:
                found = load_round(registry, int(year), period, scope)
            except (ShegongError, ValueError):
                continue  # a damaged document: the CLI's `round list` names it
            if found is not None:
                rounds.append(found)
        self.rounds = sorted(rounds, key=lambda r: (not r.closed, r.year, r.period, r.scope), reverse=True)
        self.query_one("#open-saved", VirtualTable).set_data(saved_rounds(self.rounds))
        self.query_one("#open-scope", Input).focus()

    def _error(self, text: str) -> None:
        self.query_one("#open-error", Static).update(text)

    # --- choosing -------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        year_text = self.query_one("#open-year", Input).value.strip()
        if not year_text.isdigit() or not 1949 <= int(year_text) <= 2200:
            self._error(t("ui.round.open.bad_year", value=year_text))
            self.query_one("#open-year", Input).focus()
            return
        period = str(self.query_one("#open-period", Select).value)
        try:
            scope = resolve_scope(
                self.query_one("#open-scope", Input).value, self.shegong.registry.communities()
            )
        except ValidationError as exc:
            self._error(t("ui.round.open.bad_scope", problem=exc.problem.render()))
            self.query_one("#open-scope", Input).focus()
            return
        self._start(int(year_text), period, scope)

    @on(RowSelected, "#open-saved")
    def _resume(self, event: RowSelected) -> None:
        if isinstance(event.key, int) and event.key < len(self.rounds):
            self.dismiss(OpenedRound(self.rounds[event.key], resumed=True, saved=True))

    def _start(self, year: int, period: str, scope: Scope) -> None:
        self.busy = True
        self._error(t("ui.common.computing"))
        self._open(year, period, scope)

    @work(thread=True, exclusive=True, group="round-open")
    def _open(self, year: int, period: str, scope: Scope) -> None:
        app = self.shegong
        try:
            existing = load_round(app.registry, year, period, str(scope))
            if existing is not None:
                self.post_message(OpenDone(OpenedRound(existing, resumed=True, saved=True)))
                return
            opened = open_round(app.registry, app.rules, year, scope, period)
            if not app.read_only:
                save_round(app.registry, opened)
        except ShegongError as exc:
            self.post_message(OpenFailed(t("ui.round.open.failed", reason=exc.render())))
            return
        except Exception as exc:  # a plugin's bug: say so here, keep the app running
            self.post_message(OpenFailed(t("ui.round.open.failed", reason=f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(OpenDone(OpenedRound(opened, resumed=False, saved=not app.read_only)))

    def on_open_done(self, message: OpenDone) -> None:
        self.busy = False
        self.dismiss(message.opened)

    def on_open_failed(self, message: OpenFailed) -> None:
        self.busy = False
        self._error(message.text)

    def action_cancel(self) -> None:
        self.dismiss(None)
