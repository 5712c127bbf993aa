"""A role-play game: a scenario plus the class's moves, played round by round and saved as it goes.

The lecturer starts a game from a scenario and gives teams actors; each round every team submits
one move (:mod:`sim.play.menu`); when all have moved (or the lecturer advances) the round runs by
re-running the game's scenario from the start (:mod:`sim.play.rounds`), and a report says what
happened (:mod:`sim.play.report`). The game is saved after every move and every round
(:mod:`sim.play.storage`); :meth:`Game.load` resumes it exactly.

One team, one move per round: a second submission in the same round replaces the first (the
answer says so), so a team can change its mind until the round runs. A move for a round that has
run is refused as late; one for a later round as early.

Thread safety: the dashboard serves many sessions in threads, all holding the same :class:`Game`.
Everything that reads or changes the state runs under one lock; :attr:`Game.version` (a number that
grows with every change) can be polled without it to know when to refresh.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import checks, paths
from sim.errors import UserError
from sim.outputs.run_folder import slug
from sim.play import storage
from sim.play.debrief import Debrief, class_paths, debrief
from sim.play.menu import Option, menu, role_of
from sim.play.moves import Move, MoveRefused, event_of, find_option, move_words
from sim.play.report import RoundReport, round_report
from sim.play.rounds import Calendar, Run, run_to
from sim.play.script import as_yaml, game_scenario
from sim.scenario import Scenario, load_scenario

MAX_REPLICATES = 10_000  # a round re-runs the game: a class waits for it
DEFAULT_ROUNDS = 4  # a seminar's length: a year in quarterly rounds


@dataclass(frozen=True)
class Submitted:
    """The answer to a submitted move: what replaced what, and the round's report if the move
    completed the round."""

    move: Move
    replaced: Move | None
    report: RoundReport | None

    @property
    def message(self) -> str:
        text = f"{self.move.actor}: '{self.move.option}' for round {self.move.round} accepted"
        if self.replaced is not None:
            text += f" (it replaces your earlier move '{self.replaced.option}')"
        if self.report is not None:
            text += f"; every team has moved, so round {self.report.round} has run"
        return text


@dataclass(frozen=True)
class Snapshot:
    """What a page shows of the game, read at one moment under the game's lock: the round, its
    moves so far and the last report always belong together."""

    version: int
    round: int  # the round being played; rounds + 1 when the game is over
    played: int
    rounds: int
    dates: tuple[dt.date, dt.date] | None  # first and last month of the round (None: over)
    pending: dict[str, Move]  # this round's moves so far, by team
    waiting: list[str]  # teams that have not moved this round
    report: RoundReport | None  # of the last round played

    @property
    def over(self) -> bool:
        return self.played >= self.rounds


def load_named(scenario: str | Path) -> Scenario:
    """A shipped scenario by name (``trump_second_term``) or a scenario file by path."""
    text = str(scenario)
    if "/" not in text and "\\" not in text and not text.endswith((".yml", ".yaml")):
        shipped = paths.scenario_file(text)
        if not shipped.is_file():
            names = sorted(p.stem for p in paths.scenario_dir().glob("*.yml"))
            raise UserError(f"no shipped scenario is called {text!r}", where="scenario",
                            valid=", ".join(names) + ", or a scenario file's path")
        return load_scenario(shipped)
    return load_scenario(Path(text))


class Game:
    """A game in progress; make one with :meth:`start` or :meth:`load`."""

    def __init__(self, folder: Path, state: storage.GameFile):
        self.folder = folder
        self._state = state
        self._lock = threading.RLock()
        self._drawing = threading.RLock()  # for cached tables and figures: a page drawing one
        # does not hold up a team's move (taken before the game's lock, never after it)
        self._scripted: Scenario | None = None
        self._run: Run | None = None
        self._cache: dict[Any, tuple[Any, Any]] = {}  # name -> (key, value)
        self._texts: dict[int, str] = {}  # rounds played -> the game's YAML (played rounds
        # never change, so the text of k rounds is made once)

    # --- starting and resuming ----------------------------------------------------------------
    @classmethod
    def start(cls, name: str, scenario: str | Path, teams: list[str], *, replicates: int = 100,
              round_months: int = 3, first_month: int = 0, rounds: int | None = None,
              seed: int | None = None, auto_advance: bool = True, root: Path | None = None,
              resume: bool = False) -> Game:
        """A new game saved under ``root`` (default the games folder); an existing game of the
        same name is refused unless ``resume``, which returns it as saved. ``rounds``: how many
        rounds the game lasts (default :data:`DEFAULT_ROUNDS`, or as many as the scenario's
        horizon holds if fewer); it ends after them."""
        name = _checked_name(name)
        folder = storage.game_folder(name, root)
        if (folder / storage.STATE).exists() or folder.exists():
            if resume:
                return cls.load(folder)
            raise UserError(f"a game called {name!r} exists already", file=str(folder),
                            where="name", valid="another name, or resume the saved game")
        base = load_named(scenario)
        replicates = _bounded("replicates", replicates, 1, MAX_REPLICATES)
        first_month = _bounded("first_month", first_month, 0, base.horizon_months - 1)
        round_months = _bounded("round_months", round_months, 1,
                                base.horizon_months - first_month)
        most = Calendar.most_rounds(base.horizon_months, first_month, round_months)
        rounds = _bounded("rounds", min(DEFAULT_ROUNDS, most) if rounds is None else rounds,
                          1, most)
        seed = _bounded("seed", base.seed if seed is None else seed, 0, checks.MAX_SEED)
        scripted = {**base.as_dict(), "seed": seed, "replicates": replicates}
        scripted.pop("uncertainty", None)
        state = storage.GameFile(
            format=storage.FORMAT, name=name, source=str(scenario),
            teams=_checked_teams(teams, base), first_month=first_month,
            round_months=round_months, rounds=rounds, replicates=replicates, seed=seed,
            auto_advance=auto_advance, played=0, version=0, scripted=scripted)
        game = cls(folder, state)
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise UserError(f"cannot make the game's folder: {exc.strerror or exc}",
                            file=str(folder), valid="a games folder that can be written") from None
        with game._lock:
            game._save()
        return game

    @classmethod
    def load(cls, folder: Path) -> Game:
        """The game saved in ``folder``, exactly where it was (round, pending moves)."""
        game = cls(folder, storage.read_state(folder))
        with game._lock:
            game._check_moves()
            game._write_scenarios()  # they follow from game.json; rewritten if missing or stale
        return game

    # --- reading ------------------------------------------------------------------------------
    @property
    def version(self) -> int:
        """Grows with every change (a move, a round); cheap to poll."""
        return self._state.version

    @property
    def name(self) -> str:
        return self._state.name

    @property
    def source(self) -> str:
        """The scenario the game started from, as the lecturer gave it."""
        return self._state.source

    @property
    def teams(self) -> list[str]:
        return list(self._state.teams)

    @property
    def calendar(self) -> Calendar:
        s = self._state
        return Calendar(s.first_month, s.round_months, s.rounds)

    @property
    def played(self) -> int:
        """Rounds played so far."""
        return self._state.played

    @property
    def round(self) -> int:
        """The round being played (moves go to it); ``rounds + 1`` when the game is over."""
        return self._state.played + 1

    @property
    def over(self) -> bool:
        return self._state.played >= self._state.rounds

    @property
    def replicates(self) -> int:
        return self._state.replicates

    @property
    def scripted(self) -> Scenario:
        """The scenario as scripted, at the game's seed and size."""
        with self._lock:
            if self._scripted is None:
                path = self.folder / storage.SCRIPTED
                _write_if_changed(path, self._scripted_yaml())
                self._scripted = load_scenario(path)
            return self._scripted

    def round_dates(self, k: int | None = None) -> tuple[dt.date, dt.date]:
        """First and last month of round ``k`` (default: the current one)."""
        months = self.calendar.months(self.round if k is None else k)
        return (self.scripted.month_date(months.start),
                self.scripted.month_date(months.stop - 1))

    def menu(self, actor: str) -> tuple[Option, ...]:
        return menu(actor, self.scripted)

    def role(self, actor: str) -> str | None:
        return role_of(actor, self.scripted)

    def moves(self, k: int | None = None) -> list[Move]:
        """Every move (of round ``k`` only, if given), in the order submitted."""
        with self._lock:
            return [Move(**m.model_dump()) for m in self._state.moves
                    if k is None or m.round == k]

    def pending(self) -> dict[str, Move]:
        """This round's moves so far, by team."""
        return {m.actor: m for m in self.moves(self.round)}

    def waiting(self) -> list[str]:
        """Teams that have not moved this round."""
        moved = self.pending()
        return [t for t in self.teams if t not in moved]

    def reports(self) -> list[RoundReport]:
        with self._lock:
            return [RoundReport.from_dict(r) for r in self._state.reports]

    def snapshot(self) -> Snapshot:
        """The round, its moves and the last report, read together (a round running meanwhile
        is either all in it or not at all)."""
        with self._lock:
            pending = self.pending()
            return Snapshot(
                version=self.version, round=self.round, played=self.played,
                rounds=self._state.rounds, dates=None if self.over else self.round_dates(),
                pending=pending, waiting=[t for t in self.teams if t not in pending],
                report=RoundReport.from_dict(self._state.reports[-1])
                if self._state.reports else None)

    def scenario_yaml(self) -> str:
        """The game as played so far, as a scenario file: ``python -m sim run`` replays it."""
        with self._lock:
            return self._yaml(self.played)

    def latest_run(self) -> Run:
        """The game run to the end of the last round played (to its first month before that)."""
        with self._lock:
            if self._run is None or self._run.month != self._end_month():
                self._run = self._play(self.played)
            return self._run

    def paths(self) -> Any:
        """The class's path so far for every ally and partner (a long table: month, date, actor,
        measure, path, p10, median, p90)."""
        return self.cached("paths", lambda: class_paths(self.latest_run(),
                                                        self.scripted.allies()), self.played)

    def debrief(self) -> Debrief:
        """The class's path against the scenario as scripted, to the end of the last round
        played, for every ally and partner."""
        def make() -> Debrief:
            scripted = run_to(self.scripted, self.replicates, self._state.seed,
                              self._end_month())
            return debrief(self.latest_run(), scripted, self.scripted.allies())
        return self.cached("debrief", make, self.played)

    def round_starts(self) -> list[dt.date]:
        """First month of each round played and of the current one (for figures)."""
        last = min(self.round, self._state.rounds)
        return [self.round_dates(k)[0] for k in range(1, last + 1)]

    def cached(self, name: Any, make, key: Any = None) -> Any:
        """``make()``, computed once per ``key`` (default: per version of the game), for
        tables and figures that many pages show."""
        key = self.version if key is None else key
        with self._drawing:
            made, value = self._cache.get(name, (None, None))
            if made != key:
                value = make()
                self._cache[name] = (key, value)
            return value

    # --- changing -----------------------------------------------------------------------------
    def submit(self, actor: str, option: str, values: dict[str, Any] | None = None,
               round: int | None = None) -> Submitted:
        """Record ``actor``'s move for ``round`` (default: the current one), replacing any
        earlier move of that team in the round; run the round if every team has now moved (and
        the game advances by itself). Refusals are :class:`MoveRefused` with the reason."""
        with self._lock:
            k = self.round if round is None else round
            self._check_open(actor, k)
            move = Move(k, actor, option, dict(values or {}))
            find_option(actor, option, self.scripted)
            event_of(move, self.scripted, self.round_dates(k)[0], self.name)  # or refused
            move = Move(k, actor, option, self._complete(move))
            replaced = self.pending().get(actor)
            kept = [m for m in self._state.moves if not (m.round == k and m.actor == actor)]
            self._state.moves = kept + [storage.MoveRecord(**move.as_dict())]
            self._changed()
            report = None
            if self._state.auto_advance and not self.waiting():
                report = self.advance()
            return Submitted(move, replaced, report)

    def advance(self) -> RoundReport:
        """Run the current round with the moves made (teams that did not move do nothing),
        save, and return its report."""
        with self._lock:
            if self.over:
                raise UserError(f"the game is over: all {self._state.rounds} rounds are played",
                                where="round", valid="the debrief, or a new game")
            k = self.round
            run = self._play(k)
            moves = [self._described(m) for m in self.moves(k)]
            names = {e["name"] for e in self._move_events(k)}
            report = round_report(run, self.calendar, k, moves, self.teams, names)
            self._state.played = k
            self._state.reports.append(report.as_dict())
            self._run = run
            self._changed()
            return report

    # --- inside -------------------------------------------------------------------------------
    def _check_open(self, actor: str, k: int) -> None:
        if actor not in self._state.teams:
            raise MoveRefused(f"no team plays {actor!r} in this game", where="actor",
                              valid=", ".join(self._state.teams))
        if self.over:
            raise MoveRefused("the game is over: no more moves", where="round",
                              valid="the debrief")
        if k < self.round:
            raise MoveRefused(f"too late: round {k} has been played; the class is in round "
                              f"{self.round}", where="round", valid=f"round: {self.round}")
        if k > self.round:
            raise MoveRefused(f"round {k} has not started; the class is in round {self.round}",
                              where="round", valid=f"round: {self.round}")

    def _complete(self, move: Move) -> dict[str, Any]:
        """The move's values with the menu's defaults filled in (what will be played)."""
        from sim.play.moves import checked_values

        option = find_option(move.actor, move.option, self.scripted)
        return checked_values(option, move.actor, move.values, self.scripted)

    def _described(self, move: Move) -> dict[str, Any]:
        option = find_option(move.actor, move.option, self.scripted)
        return {**move.as_dict(), "title": option.title,
                "said": move_words(move, self.scripted)}

    def move_texts(self, upto: int | None = None) -> list[str]:
        """The class's moves of rounds 1 .. ``upto`` (default: those played) in words, the team
        that moved first: "round 1: CHN courts JPN (re-engagement)"."""
        upto = self.played if upto is None else upto
        return [f"round {m.round}: {move_words(m, self.scripted)}"
                for m in sorted(self.moves(), key=lambda m: m.round)
                if m.round <= upto and find_option(m.actor, m.option, self.scripted).kind]

    def _move_events(self, upto: int) -> list[dict[str, Any]]:
        """The moves of rounds 1 .. ``upto`` as events, in round order."""
        events = []
        for move in sorted(self.moves(), key=lambda m: m.round):
            if move.round <= upto:
                event = event_of(move, self.scripted, self.round_dates(move.round)[0], self.name)
                if event is not None:
                    events.append(event)
        return events

    def _yaml(self, upto: int) -> str:
        if upto not in self._texts:  # only the latest, and the scripted one, are needed again
            self._texts = {k: v for k, v in self._texts.items() if k < 0}
            self._texts[upto] = self._make_yaml(upto)
        return self._texts[upto]

    def _make_yaml(self, upto: int) -> str:
        s = self._state
        start = self.scripted.month_date(s.first_month)
        description = (
            f"Role-play game '{s.name}' on the scenario {s.scripted['name']} ({s.source}): teams "
            f"play {', '.join(s.teams)} from {start:%B %Y} in rounds of {s.round_months} months; "
            f"{upto} of {s.rounds} rounds played. The teams' actors follow no rule and their "
            "scripted decisions from the game's start are dropped; their moves are the events "
            "whose source names the class. python -m sim run replays the game bit for bit."
            + (" The class's moves: " + "; ".join(self.move_texts(upto)) + "."
               if self.move_texts(upto) else ""))
        data = game_scenario(s.scripted, s.teams, s.first_month, self._move_events(upto),
                             f"game {slug(s.name)}", description)
        return as_yaml(data)

    def _end_month(self) -> int:
        return self.calendar.record_span(self.played)[1] if self.played else \
            self._state.first_month

    def _play(self, k: int) -> Run:
        """Run the game with the moves of rounds 1 .. k to the end of round k (to the game's
        first month for k = 0), from the very file that replays it."""
        path = self.folder / f".round-{k}.yml"
        storage.write_atomic(path, self._yaml(k))
        try:
            scenario = load_scenario(path)
        finally:
            path.unlink(missing_ok=True)
        if k == 0:
            return run_to(scenario, self.replicates, self._state.seed, self._state.first_month)
        before, after = self.calendar.record_span(k)
        return run_to(scenario, self.replicates, self._state.seed, after, snapshot=before)

    def _changed(self) -> None:
        self._state.version += 1
        self._save()

    def _save(self) -> None:
        storage.save_state(self.folder, self._state)
        self._write_scenarios()

    def _write_scenarios(self) -> None:
        """Write both scenario files (they follow from the state); unchanged ones stay."""
        _write_if_changed(self.folder / storage.SCRIPTED, self._scripted_yaml())
        _write_if_changed(self.folder / storage.PLAYED, self._yaml(self.played))

    def _scripted_yaml(self) -> str:
        if -1 not in self._texts:
            self._texts[-1] = as_yaml(self._state.scripted)  # it never changes
        return self._texts[-1]

    def _check_moves(self) -> None:
        """Every saved move must still be playable (a hand-edited game.json may not be)."""
        for move in self.moves():
            try:
                event_of(move, self.scripted, self.round_dates(move.round)[0], self.name)
            except UserError as exc:
                raise UserError(f"the saved game holds a move that cannot be played: {exc}",
                                file=str(self.folder / storage.STATE), where="moves",
                                valid="restore game.json from a copy") from None


def _checked_name(name: str) -> str:
    text = (name or "").strip()
    if not text or len(text) > 80:
        raise UserError(f"a game's name must be 1 to 80 characters, got {name!r}", where="name",
                        valid="a short name such as 'seminar-3'")
    return text


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        storage.write_atomic(path, text)


def _bounded(what: str, value: Any, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (text such as "100" from a form is taken)."""
    try:
        number = checks.whole(what, value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise UserError(f"{what} must be a whole number from {low} to {high}, got {value!r}",
                        where=what, valid=f"{what}: {low} to {high}")
    return number


def _checked_teams(teams: list[str], scenario: Scenario) -> list[str]:
    playable = [scenario.patron, scenario.challenger, *scenario.allies()]
    if not teams:
        raise UserError("a game needs at least one team", where="teams",
                        valid=", ".join(playable))
    for code in teams:
        if code not in playable:
            raise UserError(f"no team can play {code!r} in {scenario.name}", where="teams",
                            valid=", ".join(playable))
    if len(set(teams)) != len(teams):
        raise UserError("each actor may have one team only", where="teams",
                        valid="distinct codes, e.g. US, JPN, CHN")
    return list(teams)
