"""The record of a run: every measure, every month, every replicate, in preallocated arrays."""

from __future__ import annotations

import numpy as np

from sim.mechanics import hedging, landscape
from sim.world import State

# Per-state measures, with units for tables and plots.
MEASURES: dict[str, str] = {
    "alignment_economic": "-1 China .. +1 US",
    "alignment_security": "-1 China .. +1 US",
    "hedging": "0 aligned .. 1 hedged",
    "threat": "0..1",
    "abandonment_fear": "0..1",
    "entrapment_fear": "0..1",
    "defence_spending": "% of GDP",
    "alliance_support": "share of public",
}
# Per-pair measures: row i's view of column j.
DYADIC: dict[str, str] = {
    "trust": "share trusting (0..1)",
    "ties": "tie strength (0..1)",
    "grievance": "0..1",
    "trade": "share of i's trade",
}


class History:
    """Arrays ``measures[name]`` of shape (R, T + 1, N) and ``dyads[name]`` of (R, T + 1, N, N)."""

    def __init__(self, codes: tuple[str, ...], replicates: int, months: int):
        n = len(codes)
        self.codes = codes
        self.measures = {m: np.empty((replicates, months + 1, n)) for m in MEASURES}
        self.dyads = {m: np.empty((replicates, months + 1, n, n)) for m in DYADIC}
        self.bloc_energy = np.empty((replicates, months + 1))
        self.commitment_tests = np.zeros(replicates)
        self.commitments_honoured = np.zeros(replicates)

    def record(self, t: int, s: State, size: np.ndarray) -> None:
        """Store month ``t``; ``size`` (capabilities) weighs the bloc-energy diagnostic."""
        for name in MEASURES:
            value = (hedging.hedging(s.alignment_economic, s.alignment_security)
                     if name == "hedging" else getattr(s, name))
            self.measures[name][:, t] = value
        for name in DYADIC:
            self.dyads[name][:, t] = getattr(s, name)
        bloc = np.where(s.alignment_security >= 0.0, 1, -1)
        self.bloc_energy[:, t] = landscape.energy(size, landscape.propensity(s.trust), bloc)
        self.commitment_tests = s.commitment_tests.copy()
        self.commitments_honoured = s.commitments_honoured.copy()

    @property
    def replicates(self) -> int:
        return self.bloc_energy.shape[0]
