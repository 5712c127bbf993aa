"""Parameter uncertainty in an ordinary run: each replicate draws its own parameter values.

Without it, a run's bands show perception noise and random events only: the spread a world with
exactly these parameter values would produce. With it, replicate r also draws each uncertain
parameter uniformly from its plausible range (the evidence register's, or a range given in
``--uncertainty``), from a stream of its own (``uncertainty:<name>``), so the draws do not depend
on how the ensemble is cut into blocks, and replicate r sees the same noise as in the run
without parameter uncertainty (common random numbers): the two bands differ only by the
parameters. Actor values and the parameters that shape the world's fixed arrays take one value
per run, so they cannot be drawn per replicate: sweep them instead (``sim sweep``).

``--uncertainty posterior`` draws from the calibration's posterior sample instead
(``sim/evidence/posterior.csv``): replicate r takes one whole row (its model parameters, so their
correlations are kept), chosen by its own stream ``uncertainty:posterior``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from sim.analysis.calibration.calibrate import load_posterior
from sim.analysis.experiments.design import POSTERIOR, Uncertain, uncertainties
from sim.engine.rng import Streams, generator
from sim.errors import UserError
from sim.evidence.params import STRUCTURAL, declarations
from sim.scenario import Scenario

NOISE_ONLY = "noise only"
WITH_PARAMETERS = "noise and parameter uncertainty"
POSTERIOR_STREAM = "uncertainty:posterior"

Drawer = Callable[[int, int], dict[str, np.ndarray]]  # (replicates, seed) -> values per replicate


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


def posterior_parameters(posterior: pd.DataFrame | None = None) -> pd.DataFrame:
    """The posterior sample's model-parameter columns (those the register declares), one row a
    draw: the measurement model's offsets and scales and the ABC distance are not parameters."""
    sample = load_posterior() if posterior is None else posterior
    declared = {row["name"] for row in declarations()}
    return sample[[c for c in sample.columns if c in declared]].reset_index(drop=True)


def posterior_rows(replicates: int, seed: int, size: int) -> np.ndarray:
    """The posterior row each replicate takes, from its own stream: replicate r gets the same row
    whatever the ensemble's size or blocks."""
    u = Streams(seed, np.arange(replicates)).uniform(POSTERIOR_STREAM, (1,))[:, 0]
    return np.minimum((u * size).astype(np.int64), size - 1)


def draw_posterior(replicates: int, seed: int,
                   posterior: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """One posterior draw per replicate: every model parameter of the row it takes."""
    sample = posterior_parameters(posterior)
    rows = posterior_rows(replicates, seed, len(sample))
    return {name: sample[name].to_numpy()[rows] for name in sample.columns}


def drawer(scenario: Scenario, vary: str) -> Drawer:
    """How a run with ``--uncertainty VARY`` draws its replicates' values: from the posterior
    (``posterior``), or uniformly over the plausible ranges of the inputs ``vary`` names (checked
    here, before any work)."""
    if vary.strip() == POSTERIOR:
        posterior_parameters()  # read now: a missing file fails before the run
        return lambda replicates, seed: draw_posterior(replicates, seed)
    inputs = uncertain_inputs(scenario, vary)
    return lambda replicates, seed: draw(inputs, replicates, seed)


def posterior_design(samples: int, seed: int) -> tuple[pd.DataFrame, dict]:
    """A sweep design of ``samples`` posterior draws (``sim sweep --method posterior``): the
    experiments table (``point`` and one column per model parameter) and the design's record.

    The rows are a seeded shuffle of the posterior sample, without replacement while ``samples``
    is at most its size and resampled with replacement beyond (the posterior.csv order is nearest
    point first, so its first rows would not be a fair draw). The bounds are the sample's range.
    """
    sample = posterior_parameters()
    rng = generator(seed, 0, "design:posterior")
    rows = rng.choice(len(sample), size=samples, replace=samples > len(sample))
    experiments = sample.iloc[rows].reset_index(drop=True)
    experiments.insert(0, "point", np.arange(samples))
    names = list(sample.columns)
    design = {"method": POSTERIOR, "samples": samples, "seed": seed,
              "problem": {"names": names,
                          "bounds": [[float(sample[n].min()), float(sample[n].max())]
                                     for n in names]},
              "sources": {n: "calibration posterior (sim/evidence/posterior.csv)" for n in names},
              "options": {"posterior_rows": [int(r) for r in rows]}}
    return experiments, design
