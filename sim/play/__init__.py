"""The role-play game: a lecturer starts a game from a scenario, teams play actors round by round,
and the class's path is compared with the scenario as scripted (issue 10, item 2).

- :mod:`sim.play.menu`: the moves that fit each role, with what the literature says they do;
- :mod:`sim.play.moves`: a team's move checked and made a dated event;
- :mod:`sim.play.script`: the game's scenario (team actors' rules off, their later decisions
  dropped, the class's moves added);
- :mod:`sim.play.rounds`: rounds in months, and running the game to a round's end;
- :mod:`sim.play.report`: what a round did;
- :mod:`sim.play.debrief`: the class's path against the scenario as scripted;
- :mod:`sim.play.storage`: the saved game, written atomically;
- :mod:`sim.play.game`: the game itself (thread-safe); :mod:`sim.play.registry`: the games a
  server holds.
"""

from sim.play.game import Game, Submitted
from sim.play.moves import Move, MoveRefused
from sim.play.registry import registry

__all__ = ["Game", "Move", "MoveRefused", "Submitted", "registry"]
