"""The role-play pages: the lecturer's (``/play``) and each team's (``/play/<CODE>``).

The game lives in :mod:`sim.play` (one object per game, shared by every session of this server
process, thread-safe, saved after every move and round, in the folder ``$ALLIANCE_SIM_GAMES``).
The pages only read it and pass the clicks on; each polls the server's current game and its
version (:func:`use_game`), so it shows a game started, a move made or a round run elsewhere
within a couple of seconds, without a reload. Refusals (a move out of range, late, a
corrupt saved game) are shown on the page in the words of :mod:`sim.errors`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import parse_qs

import solara
import solara.lab

from sim import paths
from sim.errors import UserError
from sim.play import registry
from sim.play.game import DEFAULT_ROUNDS, Game, Snapshot, load_named
from sim.play.menu import Option, targets
from sim.play.moves import MoveRefused
from sim.play.registry import is_lecturer

from .play_views import (
    CSS,
    POLL_SECONDS,
    ClassPath,
    DebriefView,
    NumberField,
    ReportView,
    table,
)

LOCKED = ("The lecturer runs the game from the lecturer's link, which has the key "
          "(/play?key=...): this page only shows the game.")
ROUND_LENGTHS = {"a month": 1, "a quarter (3 months)": 3, "half a year": 6, "a year": 12}


_LECTURERS: set[str] = set()  # browser sessions that opened the lecturer's link, this process


def _session() -> str | None:
    """The browser session (a cookie of Solara's), or None outside a server (tests)."""
    try:
        return solara.get_session_id()
    except Exception:  # noqa: BLE001 (no kernel context: rendered headless)
        return None


def _shipped() -> list[str]:
    return sorted(p.stem for p in paths.scenario_dir().glob("*.yml"))


def _current() -> tuple[Game | None, str | None]:
    """The server's current game, or the reason there is none to show."""
    try:
        return registry().current(), None
    except UserError as exc:
        return None, str(exc)


def use_game(poll_seconds: float) -> tuple[Game | None, str | None, int, Callable[[], None]]:
    """The server's current game (the one the lecturer started or resumed last, in any tab),
    the reason there is none, the game's version, and a function that looks again at once.

    One worker thread per page re-reads the registry's current game and its version every
    ``poll_seconds`` (a dictionary look-up and a number): the page renders again when a game
    was started or resumed elsewhere, or when this one changed (a team's move, a round run).
    Solara stops the thread when the page closes (or the session is culled), so a closed
    page polls no more. ``poll_seconds <= 0``: no polling (tests render what they set up)."""
    tick, set_tick = solara.use_state(0)
    game, problem = solara.use_memo(_current, dependencies=[tick])
    version, set_version = solara.use_state(game.version if game else -1)

    def poll(cancel: threading.Event) -> None:
        while poll_seconds > 0 and not cancel.wait(poll_seconds):
            if _current()[0] is not game:
                set_tick(lambda t: t + 1)  # a new game: read it (this thread ends, another starts)
                return
            if game is not None:
                set_version(game.version)

    solara.use_thread(poll, dependencies=[game, tick, poll_seconds], intrusive_cancel=False)
    return game, problem, version, lambda: set_tick(lambda t: t + 1)


# --- the lecturer ------------------------------------------------------------------------------


@solara.component
def LecturerPage(poll_seconds: float = POLL_SECONDS):
    """Start or resume a game, watch the teams move, run rounds, debrief."""
    search = solara.use_router().search or ""
    key = (parse_qs(search.lstrip("?")).get("key") or [None])[0]
    session = _session()
    allowed = is_lecturer(key) or (session is not None and session in _LECTURERS)
    if allowed and key and session is not None:
        _LECTURERS.add(session)  # the dashboard's tabs lead back to /play without the key
    leaving, set_leaving = solara.use_state(False)  # the lecturer asked for the start form
    current, problem, version, look_again = use_game(poll_seconds)  # started here or elsewhere
    game = None if leaving else current
    with solara.Column(classes=["play-page"]):
        solara.Style(CSS)
        solara.Markdown("# Role play")
        if problem and not leaving:
            solara.Error(problem)
        if not allowed:
            solara.Info(LOCKED)
            if game is None:
                solara.Markdown("No game is running yet.")
            else:
                Board(game, version, on_leave=None)
        elif game is None:
            StartForm(on_game=lambda _: (look_again(), set_leaving(False)),  # now current
                      back=current if leaving else None, on_back=lambda: set_leaving(False))
        else:
            Board(game, version, on_leave=lambda: set_leaving(True))


@solara.component
def StartForm(on_game, back: Game | None = None, on_back=None):
    """Start a game or resume a saved one; ``back``: the current game, to return to (a refused
    resume leaves it current)."""
    scenarios = _shipped()
    scenario, set_scenario = solara.use_state("trump_second_term_with_policies"
                                              if "trump_second_term_with_policies" in scenarios
                                              else scenarios[0])
    name, set_name = solara.use_state("seminar")
    teams, set_teams = solara.use_state(["US", "CHN", "JPN", "KOR", "AUS"])
    replicates, set_replicates = solara.use_state("100")  # as typed: see NumberField
    length, set_length = solara.use_state("a quarter (3 months)")
    rounds, set_rounds = solara.use_state(str(DEFAULT_ROUNDS))
    error, set_error = solara.use_state(None)
    loaded = solara.use_memo(lambda: _playable(scenario), dependencies=[scenario])
    playable = loaded if isinstance(loaded, list) else []
    saved = registry().saved()

    def start() -> None:
        try:  # the numbers as typed, or their refusal (never an earlier number)
            on_game(registry().start(name, scenario, [t for t in teams if t in playable],
                                     replicates=_whole("replicates")(replicates),
                                     round_months=ROUND_LENGTHS[length],
                                     rounds=_whole("rounds")(rounds)))
        except UserError as exc:
            set_error(str(exc))

    def resume(folder: str) -> None:
        try:
            on_game(registry().open(folder))
        except UserError as exc:
            set_error(str(exc))

    if back is not None and on_back is not None:
        solara.Button(f"Back to the game '{back.name}'", on_click=on_back, outlined=True)
    with solara.Card("Start a game"):
        solara.Select("scenario", scenarios, scenario, on_value=set_scenario)
        if isinstance(loaded, str):
            solara.Error(loaded)
        solara.InputText("name of the game (its folder)", name, on_value=set_name)
        solara.SelectMultiple("teams (actors the class plays)",
                              [t for t in teams if t in playable], playable,
                              on_value=set_teams)
        NumberField("replicates", replicates, set_replicates, _whole("replicates"))
        solara.Select("a round is", list(ROUND_LENGTHS), length, on_value=set_length)
        NumberField("rounds (the game ends after them; 4 quarterly rounds are a year)",
                    rounds, set_rounds, _whole("rounds"))
        solara.Button("Start the game", on_click=start, color="primary")
    if error:
        solara.Error(error)
    if saved:
        with solara.Card("Resume a saved game"):
            for folder in saved:
                solara.Button(f"Resume {folder}", on_click=lambda f=folder: resume(f),
                              outlined=True)


def _whole(name: str):
    """A reader of a whole number typed into the field ``name`` (the game checks its range)."""
    def read(text: str) -> int:
        try:
            return int(str(text).strip())
        except ValueError:
            raise UserError(f"{name} must be a whole number, got {text!r}", where=name,
                            valid=f"{name}: a whole number, in digits") from None
    return read


def _playable(scenario: str) -> list[str] | str:
    """The actors a team may play in ``scenario`` (or the located error loading it)."""
    try:
        s = load_named(scenario)
    except UserError as exc:
        return str(exc)
    return [s.patron, s.challenger, *s.allies()]


@solara.component
def Board(game: Game, version: int, on_leave):
    """The game in progress. ``version`` (the game's, as last polled) is a prop so that the
    board renders again when the game changes elsewhere (callbacks do not count as changes).
    ``on_leave`` None: the board only shows the game (a visitor without the lecturer's key)."""
    error, set_error = solara.use_state(None)
    _, set_played = solara.use_state(game.played)  # to render again after a round ran here
    now = game.snapshot()  # one reading: the round, its moves and the last report agree
    first, last = now.dates or (None, None)
    solara.Markdown(
        f"## {game.name}\n\n{game.scripted.name} ({game.replicates} replicates); teams: "
        + ", ".join(f"[{t}](/play/{t})" for t in game.teams)
        + (f"\n\n**Round {now.round} of {now.rounds}: {first:%b %Y} to "
           f"{last:%b %Y}**" if first else f"\n\n**The game is over: {now.played} rounds.**"))

    def advance() -> None:
        try:
            game.advance()
            set_error(None)
            set_played(game.played)
        except UserError as exc:
            set_error(str(exc))

    if not now.over:
        rows = [[t, f"moved: {now.pending[t].option}" if t in now.pending else "waiting…"]
                for t in game.teams]
        solara.Markdown(table(["team", "this round"], rows))
    if on_leave is not None:  # the lecturer's (None: read only, for anyone without the key)
        with solara.Row():
            if not now.over:
                solara.Button(f"Run round {now.round} now", on_click=advance, color="primary")
            solara.Button("Start or resume another game", on_click=on_leave, outlined=True)
    if error:
        solara.Error(error)
    with solara.lab.Tabs(lazy=True):
        with solara.lab.Tab(f"Round {now.report.round} report" if now.report else "Round report"):
            ReportView(now.report)
        with solara.lab.Tab("Debrief"):
            DebriefView(game, now.played)


# --- a team ------------------------------------------------------------------------------------


@solara.component
def TeamPage(actor: str, poll_seconds: float = POLL_SECONDS):
    """A team's menu, its move for the round, and what happened."""
    game, problem, _, _ = use_game(poll_seconds)  # renders again when the game changes
    with solara.Column(classes=["play-page"]):
        solara.Style(CSS)
        if game is None:
            solara.Markdown(f"# Team {actor}")
            if problem:
                solara.Error(problem)
            solara.Info("No game is running yet: wait for the lecturer to start one.")
            return
        name = game.scripted.actors[actor].name if actor in game.scripted.actors else actor
        role = {"patron": "the patron", "challenger": "the challenger",
                "ally": "an ally of the patron"}.get(game.role(actor) or "", "no role")
        solara.Markdown(f"# Team {name} ({actor})\n\nGame **{game.name}**; you play "
                        f"{name}, {role}.")
        if actor not in game.teams:
            solara.Warning(f"No team plays {actor} in this game; the teams are "
                           f"{', '.join(game.teams)}.")
            return
        now = game.snapshot()  # one reading: the round, its moves and the last report agree
        if now.over:
            solara.Success(f"The game is over after {now.played} rounds: see the lecturer's "
                           "debrief.")
        else:
            MoveForm(game, actor, now)
        ReportView(now.report, highlight=actor)
        shown = [actor] if game.role(actor) == "ally" else (
            [t for t in game.teams if game.role(t) == "ally"] or game.scripted.allies()[:3])
        if now.played:
            ClassPath(game, now.played, shown, f"The class's path so far: {', '.join(shown)}")


@solara.component
def MoveForm(game: Game, actor: str, now: Snapshot):
    """Choose a move from the menu, set its values, submit; refusals shown here. The form
    starts from the move the team submitted for this round, if any (also after a restart)."""
    options = list(game.menu(actor))
    k = now.round
    first, last = now.dates
    pending = now.pending.get(actor)
    chosen, set_title = solara.use_state(None)  # None: nothing chosen on this page yet
    edited, set_values = solara.use_state(None)
    answer, set_answer = solara.use_state(None)  # (round, ok, text) of the last submission
    submitted = next((o for o in options if pending and o.key == pending.option), None)
    title = chosen or (submitted or options[0]).title
    option = next((o for o in options if o.title == title), options[0])
    values = edited if edited is not None else (
        dict(pending.values) if pending is not None and option is submitted else {})
    solara.Markdown(f"## Round {k} of {now.rounds}: {first:%b %Y} to {last:%b %Y}")
    if pending is not None:
        solara.Success(f"Your move this round: {pending.option} "
                       f"({', '.join(f'{a} {b}' for a, b in pending.values.items()) or '-'}). "
                       "You may change it until the round runs.")
    else:
        solara.Info(f"Waiting for your move. Teams still to move: {', '.join(now.waiting)}")

    def submit() -> None:
        try:
            done = game.submit(actor, option.key, _chosen(option, values, game, actor), round=k)
            set_answer((k, True, done.message))
        except UserError as exc:
            set_answer((k, False, str(exc)))

    with solara.Card("Your move"):
        solara.Select("move", [o.title for o in options], option.title,
                      on_value=lambda t: (set_title(t), set_values({}), set_answer(None)))
        solara.Markdown(option.explanation)
        Inputs(option, values, set_values, targets(option, actor, game.scripted))
        solara.Button(f"Submit for round {k}", on_click=submit, color="primary")
    if answer is not None and (answer[0] == k or not answer[1]):  # a refusal stays in view
        (solara.Success if answer[1] else solara.Error)(answer[2])


def _chosen(option: Option, values: dict, game: Game, actor: str) -> dict:
    """The values as the team set them, defaults for those it left; a number field holds the
    text typed, and text that is not a number is refused (never replaced by an earlier value)."""
    out = {p.name: _number(p, values[p.name]) if p.name in values and not p.options
           else values.get(p.name, p.default) for p in option.parameters}
    whom = targets(option, actor, game.scripted)
    if whom:
        out["target"] = values.get("target", whom[0])
    return out


def _number(p, text) -> float:
    if not isinstance(text, str):
        return text
    low, high = p.bounds
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise MoveRefused(f"{p.name} must be a number from {low:g} to {high:g}, got {text!r}",
                          where=p.name, valid=f"{p.name}: a number from {low:g} to {high:g}"
                          ) from None


@solara.component
def Inputs(option: Option, values: dict, set_values, whom: list[str]):
    def setter(name: str):
        return lambda value: set_values({**values, name: value})

    if whom:
        solara.Select("aimed at", whom, values.get("target", whom[0]),
                      on_value=setter("target"))
    for p in option.parameters:
        if p.options:
            solara.Select(p.label, list(p.options), values.get(p.name, p.default),
                          on_value=setter(p.name))
        else:
            low, high = p.bounds
            NumberField(f"{p.label}: from {low:g} to {high:g}",
                        str(values.get(p.name, f"{p.default:g}")), setter(p.name),
                        lambda text, p=p: _number(p, text))
