"""The record of a run: every measure, every month, every replicate, in preallocated arrays.

Arrays are stored month-major, ``(T + 1, R, ...)``, so recording a month writes one contiguous
block, and in float32, which halves the memory of large ensembles; the model computes in float64.
"""

from __future__ import annotations

import numpy as np

from sim.engine.mechanics import hedging
from sim.engine.world import State
from sim.measures import DYADIC, MEASURES, STORAGE


class History:
    """``arrays[name]``: (T + 1, R, N) per state, (T + 1, R, N, N) per pair.

    Pass ``out`` (a dict of such arrays, e.g. slices of a larger ensemble) to record into existing
    storage.
    """

    def __init__(self, codes: tuple[str, ...], replicates: int, months: int, patron: int,
                 challenger: int, out: dict[str, np.ndarray] | None = None):
        self.patron, self.challenger = patron, challenger
        self.arrays = out if out is not None else allocate(len(codes), replicates, months)
        self.commitment_tests = np.zeros(replicates)
        self.commitments_honoured = np.zeros(replicates)
        # decisions made by the scenario's rules (and moves given from outside), per replicate:
        # counts[(actor, kind of act, target)]; the simulation fills it as it decides
        self.decisions: dict[tuple[str, str, str], np.ndarray] = {}

    def record(self, t: int, s: State) -> None:
        """Store month ``t``."""
        derived = {
            "hedging": hedging.hedging(s.alignment_economic, s.alignment_security),
            "mixed_signals": hedging.mixed_signals(s.alignment_economic, s.alignment_security),
            "grievance_with_patron": s.grievance[:, :, self.patron],
            "trade_with_patron": s.trade[:, :, self.patron],
            "trade_with_challenger": s.trade[:, :, self.challenger],
        }
        for name in MEASURES:
            self.arrays[name][t] = derived[name] if name in derived else getattr(s, name)
        for name in DYADIC:
            self.arrays[name][t] = getattr(s, name)
        self.commitment_tests = s.commitment_tests.copy()
        self.commitments_honoured = s.commitments_honoured.copy()


def allocate(n: int, replicates: int, months: int) -> dict[str, np.ndarray]:
    """Empty storage for ``replicates`` replicates of ``n`` actors over ``months`` months."""
    t = months + 1
    out = {m: np.empty((t, replicates, n), STORAGE) for m in MEASURES}
    out.update({m: np.empty((t, replicates, n, n), STORAGE) for m in DYADIC})
    return out


def block_of(arrays: dict[str, np.ndarray], first: int, count: int) -> dict[str, np.ndarray]:
    """Views of replicates ``first .. first + count - 1`` of ``arrays``."""
    return {k: v[:, first:first + count] for k, v in arrays.items()}
