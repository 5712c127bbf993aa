"""Parameter uncertainty in an ordinary run: each replicate draws its own parameter values.

Without it, a run's bands show perception noise and random events only: the spread a world with
exactly these parameter values would produce. With it, replicate r also draws each uncertain
parameter uniformly from its plausible range (the evidence register's, or a range given in
``--uncertainty``), from a stream of its own (``uncertainty:<name>``), so the draws do not depend
on how the ensemble is cut into blocks, and replicate r sees the same noise as in the run
without parameter uncertainty (common random numbers): the two bands differ only by the
parameters. Actor values and the parameters that shape the world's fixed arrays take one value
per run, so they cannot be drawn per replicate: sweep them instead (``sim sweep``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.analysis.design import Uncertain, uncertainties
from sim.engine.rng import Streams
from sim.errors import UserError
from sim.evidence.params import STRUCTURAL
from sim.scenario import Scenario

NOISE_ONLY = "noise only"
WITH_PARAMETERS = "noise and parameter uncertainty"


def uncertain_inputs(scenario: Scenario, vary: str) -> list[Uncertain]:
    """The parameters to draw, named as in ``--vary``; actor values and structural parameters
    are refused (they take one value per run)."""
    inputs = uncertainties(scenario, vary)
    named = [u.name for u in inputs if "." in u.name or u.name in STRUCTURAL]
    if named:
        raise UserError(f"{', '.join(named)} take one value per run, not one per replicate",
                        valid="global parameters only; sweep actor values with `sim sweep`")
    return inputs


def draw(inputs: Sequence[Uncertain], replicates: int, seed: int) -> dict[str, np.ndarray]:
    """One value per replicate of each input, uniform on its range, from its own stream."""
    streams = Streams(seed, np.arange(replicates))
    return {u.name: u.low + (u.high - u.low) * streams.uniform(f"uncertainty:{u.name}", (1,))[:, 0]
            for u in inputs}
