"""Saved games: one folder per game, written atomically, read back or refused in words.

``<games>/<game name made safe>/`` holds

- ``game.json``: the game's state (teams, calendar, every move, the round reports, the scenario
  as scripted): the truth a resumed game starts from;
- ``scenario.yml``: the game as played so far (the class's moves of the rounds played), which
  ``python -m sim run`` replays bit for bit;
- ``scripted.yml``: the scenario as scripted, at the game's seed and size (the debrief's
  reference; ``python -m sim compare scripted.yml scenario.yml`` pairs them too).

Both YAML files follow from ``game.json``. Every file is written to a temporary sibling and moved
into place with ``os.replace``, so a crash leaves the old file or the new one, never half of one.
A missing or unreadable ``game.json`` is a :class:`~sim.errors.UserError`, never replaced.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import UserError
from sim.outputs.run_folder import slug

GAMES_ENV = "ALLIANCE_SIM_GAMES"
DEFAULT_GAMES = Path("runs") / "games"
FORMAT = "alliance-sim game 1"
STATE, PLAYED, SCRIPTED = "game.json", "scenario.yml", "scripted.yml"


def games_root() -> Path:
    """The games folder: ``$ALLIANCE_SIM_GAMES`` (set by ``python -m sim dashboard --games``),
    else ``runs/games``."""
    return Path(os.environ.get(GAMES_ENV) or DEFAULT_GAMES)


def game_folder(name: str, root: Path | None = None) -> Path:
    """The folder of the game called ``name``: its name made safe as one folder name."""
    return (games_root() if root is None else root) / slug(name)


class MoveRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    round: int = Field(ge=1)
    actor: str
    option: str
    values: dict[str, Any] = {}


class GameFile(BaseModel):
    """What ``game.json`` holds; validated when read, so a damaged file is caught, not used."""

    model_config = ConfigDict(extra="forbid")

    format: str
    name: str
    source: str  # the scenario the game started from, as the lecturer gave it
    teams: list[str] = Field(min_length=1)
    first_month: int = Field(ge=0)
    round_months: int = Field(ge=1)
    rounds: int = Field(ge=1)
    replicates: int = Field(ge=1)
    seed: int = Field(ge=0)
    auto_advance: bool = True
    played: int = Field(ge=0)
    moves: list[MoveRecord] = []
    reports: list[dict[str, Any]] = []
    version: int = Field(ge=0)
    scripted: dict[str, Any]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole: a temporary sibling, flushed to disk, then renamed."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot save the game: {exc.strerror or exc}", file=str(path),
                        valid="a games folder that can be written (--games DIR)") from None


def save_state(folder: Path, state: GameFile) -> None:
    write_atomic(folder / STATE, json.dumps(state.model_dump(mode="json"), indent=1) + "\n")


def read_state(folder: Path) -> GameFile:
    """The saved state of the game in ``folder``, or a :class:`UserError` saying what is wrong."""
    path = folder / STATE
    restore = ("restore game.json from a copy, or start a new game under another name (a saved "
               "game is never replaced)")
    if not path.is_file():
        what = "holds no saved game" if folder.is_dir() else "does not exist"
        raise UserError(f"no saved game here: the folder {what}", file=str(path),
                        valid="the name of a saved game (a folder with a game.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"the saved game is corrupt and cannot be read ({exc})", file=str(path),
                        valid=restore) from None
    try:
        state = GameFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise UserError(f"the saved game is corrupt: {first['msg']}", file=str(path),
                        where=where, valid=restore) from None
    if state.format != FORMAT:
        raise UserError(f"the saved game has format {state.format!r}, not {FORMAT!r}",
                        file=str(path), where="format", valid=restore)
    return state
