"""Approximate Bayesian computation by rejection, batched over parameter points.

Why not pyabc: its ABC-SMC needs a database, redis-free but heavy dependencies (sqlalchemy,
distributed, scikit-learn), and evaluates one point per call. Here the model runs thousands of
parameter points in one vectorised simulation (:func:`sim.engine.ensemble.run_points`, with
common random numbers), so plain rejection over a large prior sample costs a minute and is exact
to reproduce: same seed, same prior sample, same noise, same posterior.

The steps (Pritchard et al. 1999; Beaumont 2010, Annu. Rev. Ecol. Evol. Syst. 41):
1. draw ``samples`` points from the uniform priors (model parameters: their registered plausible
   ranges; measurement offsets and scales: :mod:`sim.analysis.calibration.measurement`);
2. simulate each point ``replicates`` times on the calibration scenario and read every target
   through the measurement model, adding each poll's binomial sampling error;
3. distance of a point: the root-mean-square of (simulated poll - observed) / sampling sd over
   targets, averaged over its replicates;
4. keep the ``accept`` share of points nearest the data: the posterior sample. The tolerance
   (the largest kept distance) is reported with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.calibration import measurement
from sim.analysis.calibration.targets import Target
from sim.calendar import months_between
from sim.engine.ensemble import run_points
from sim.scenario import Scenario

Progress = Callable[[int, int], None]  # (points done, points in all)


@dataclass
class AbcResult:
    prior: pd.DataFrame  # every point drawn, with its distance
    posterior: pd.DataFrame  # the accepted points, nearest first
    polls: np.ndarray  # (accepted, replicates, targets): simulated polls of the accepted points
    tolerance: float


def draw_prior(priors: dict[str, tuple[float, float]], samples: int, seed: int) -> pd.DataFrame:
    """``samples`` points uniform on each range, from the calibration's own stream."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    return pd.DataFrame({name: rng.uniform(lo, hi, samples) for name, (lo, hi) in priors.items()})


def model_values(scenario: Scenario, points: pd.DataFrame, model_names: Sequence[str],
                 targets: Sequence[Target], replicates: int, seed: int, chunk: int = 500,
                 progress: Progress | None = None) -> np.ndarray:
    """(points, replicates, targets): the model quantity each target reads, per replicate."""
    months = [months_between(scenario.start, t.date) for t in targets]
    out = np.empty((len(points), replicates, len(targets)))
    codes = tuple(scenario.actors)
    patron = codes.index(scenario.patron)
    for first in range(0, len(points), chunk):
        part = points.iloc[first:first + chunk]
        settings = {name: part[name].to_numpy() for name in model_names}
        ens = run_points(scenario, settings, replicates, seed)
        for j, (t, month) in enumerate(zip(targets, months, strict=True)):
            i = codes.index(t.actor)
            if measurement.CONSTRUCTS[t.construct].model_measure == "trust":
                values = ens.arrays["trust"][month, :, i, patron]
            else:
                values = ens.arrays["alliance_support"][month, :, i]
            out[first:first + len(part), :, j] = values.reshape(len(part), replicates)
        if progress:
            progress(first + len(part), len(points))
    return out


def read_polls(values: np.ndarray, points: pd.DataFrame, targets: Sequence[Target],
               rng: np.random.Generator) -> np.ndarray:
    """Simulated polls: each target's construct read off the model, plus sampling error."""
    out = np.empty_like(values)
    nuisance = {k: points[k].to_numpy()[:, None] for k in measurement.nuisance_priors()}
    for j, t in enumerate(targets):
        construct = measurement.CONSTRUCTS[t.construct]
        offset, scale = measurement.offset_scale(construct, nuisance)
        share = measurement.read(construct, values[:, :, j], offset, scale)
        out[:, :, j] = measurement.survey(rng, share, t.n)
    return out


def distance(polls: np.ndarray, targets: Sequence[Target]) -> np.ndarray:
    """(points,) mean over replicates of the RMS sampling-error z-score over targets."""
    observed = np.array([t.value for t in targets])
    sd = np.array([measurement.sampling_sd(t.value, t.n) for t in targets])
    z = (polls - observed) / sd
    return np.sqrt(np.mean(z ** 2, axis=2)).mean(axis=1)


def rejection(scenario: Scenario, targets: Sequence[Target],
              model_priors: dict[str, tuple[float, float]], samples: int, replicates: int,
              accept: float, seed: int, progress: Progress | None = None) -> AbcResult:
    """ABC rejection: the ``accept`` share of ``samples`` prior points nearest the targets."""
    priors = {**model_priors, **measurement.nuisance_priors()}
    prior = draw_prior(priors, samples, seed)
    values = model_values(scenario, prior, list(model_priors), targets, replicates, seed,
                          progress=progress)
    polls = read_polls(values, prior, targets, np.random.default_rng(
        np.random.SeedSequence([seed, 1])))
    prior["distance"] = distance(polls, targets)
    keep = max(2, int(round(accept * samples)))
    order = np.argsort(prior["distance"].to_numpy(), kind="stable")[:keep]
    posterior = prior.iloc[order].reset_index(drop=True)
    return AbcResult(prior=prior, posterior=posterior, polls=polls[order],
                     tolerance=float(posterior["distance"].iloc[-1]))
