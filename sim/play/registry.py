"""The games a server process holds: one :class:`~sim.play.game.Game` per saved game, shared by
every browser session (a lecturer's page and the teams' pages act on the same object).

The registry does no work when imported; the first call makes it, for the games folder of that
moment (``$ALLIANCE_SIM_GAMES``, else ``runs/games``).
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from sim.play import storage
from sim.play.game import Game


class Games:
    """The games of one games folder, loaded on first use and kept."""

    def __init__(self, root: Path):
        self.root = root
        self._games: dict[Path, Game] = {}
        self._lock = threading.Lock()
        self._current: Path | None = None  # the game the lecturer started or opened last

    def get(self, name: str) -> Game:
        """The game called ``name``, loaded from disk the first time (a missing or corrupt
        saved game is a :class:`~sim.errors.UserError`)."""
        folder = storage.game_folder(name, self.root)
        with self._lock:
            if folder not in self._games:
                self._games[folder] = Game.load(folder)
            return self._games[folder]

    def start(self, name: str, scenario: str | Path, teams: list[str], **options) -> Game:
        """A new game (see :meth:`Game.start`), or the saved one with ``resume=True``; it
        becomes the current game."""
        folder = storage.game_folder(name, self.root)
        with self._lock:
            if not (options.get("resume") and folder in self._games):
                self._games[folder] = Game.start(name, scenario, teams, root=self.root,
                                                 **options)
            self._current = folder
            return self._games[folder]

    def open(self, name: str) -> Game:
        """The saved game called ``name``, made the current game (the lecturer resumes it).

        Its ``game.json`` is read again even when the game is held already: a saved game that
        has gone missing or corrupt since is refused in words (a :class:`~sim.errors.UserError`),
        and the current game stays what it was."""
        folder = storage.game_folder(name, self.root)
        storage.read_state(folder)  # or the reason it cannot be resumed
        game = self.get(name)
        with self._lock:
            self._current = game.folder
        return game

    def current(self) -> Game | None:
        """The game the teams' pages join: the one the lecturer started or opened last, or,
        after a restart, the saved game changed last; None if there is none."""
        with self._lock:
            folder = self._current
        if folder is None:
            saved = [self.root / n / storage.STATE for n in self.saved()]
            if not saved:
                return None
            folder = max(saved, key=lambda p: p.stat().st_mtime_ns).parent
        return self.get(folder.name)

    def saved(self) -> list[str]:
        """Names of the saved games in the folder (their folders' names), sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / storage.STATE).is_file())


LECTURER_KEY_ENV = "ALLIANCE_SIM_LECTURER_KEY"


def new_lecturer_key() -> str:
    """A fresh random key for the lecturer's link (``/play?key=...``); ``sim dashboard`` sets
    it as ``$ALLIANCE_SIM_LECTURER_KEY`` for the server it starts."""
    return secrets.token_urlsafe(8)


def lecturer_key() -> str | None:
    """The key the lecturer's actions need: ``$ALLIANCE_SIM_LECTURER_KEY``, or None (no key
    needed: tests, a laptop the class does not reach)."""
    return os.environ.get(LECTURER_KEY_ENV) or None


def is_lecturer(key: str | None) -> bool:
    """Whether ``key`` (from the page's URL) opens the lecturer's actions."""
    expected = lecturer_key()
    return expected is None or (bool(key) and secrets.compare_digest(str(key), expected))


def lecturer_path(key: str | None = None) -> str:
    """The lecturer's page with its key, for the server's start-up message: ``/play?key=...``."""
    key = lecturer_key() if key is None else key
    return "/play" + (f"?key={key}" if key else "")


_REGISTRIES: dict[Path, Games] = {}
_LOCK = threading.Lock()


def registry(root: Path | None = None) -> Games:
    """The process's registry for ``root`` (default: the games folder as set now)."""
    root = (storage.games_root() if root is None else root).resolve()
    with _LOCK:
        if root not in _REGISTRIES:
            _REGISTRIES[root] = Games(root)
        return _REGISTRIES[root]
