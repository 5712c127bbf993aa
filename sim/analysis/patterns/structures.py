"""The rival structures compared (issue 8, item 5): the numbers behind docs/STRUCTURES.md.

Each variant is today's model with one ``structure:`` choice changed (:data:`VARIANTS`), run on
the commentary's 2025 timeline with the same seed and replicates (common random numbers), and read
two ways: the share of replicates in which each pattern of the brief holds (with whether its
controls still fail, :mod:`sim.analysis.patterns.report`), and the headline numbers of Japan's
trust in the US (its low, the month of the low, the end of 2025, the end of the horizon).

A third reading is the calibration fit (:func:`calibration_fit`): the calibration scenario
(``scenarios/trump_first_term_and_transition.yml``) run under the variant's structure at the
default's posterior (the variants are not re-calibrated), scored as the calibration scores a
point (:mod:`sim.analysis.calibration.abc`): the ABC distance at the posterior median parameters and
measurement offsets/scales, and the number of survey targets inside the posterior predictive
90% band (every posterior draw, the calibration's replicates, sampling error included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.calibration import abc, calibrate
from sim.analysis.calibration.targets import load_targets
from sim.analysis.patterns.readings import Runs, evaluate
from sim.analysis.patterns.report import controls
from sim.scenario import Scenario
from sim.scenario.structure import Structure

MONTHS_2025 = 12  # the end of 2025, for a scenario that starts in January 2025
FIT_REPLICATES = 200  # replicates at the posterior median point: the distance is their mean
FIT_MEASURES = ("fit_distance", "fit_covered", "fit_targets")


@dataclass(frozen=True)
class Variant:
    label: str
    structure: Structure


VARIANTS = (
    Variant("pooled, fixed, loosening", Structure()),
    Variant("reputation: per_domain", Structure(reputation="per_domain")),
    Variant("anchor: drifting", Structure(anchor="drifting")),
    Variant("dilemma: tradeoff", Structure(dilemma="tradeoff")),
    Variant("all three", Structure(reputation="per_domain", anchor="drifting",
                                   dilemma="tradeoff")),
)


def comparison(scenario: Scenario, replicates: int,
               advance: Callable[[int], None] | None = None) -> pd.DataFrame:
    """A tidy table: per variant, one row per pattern (share holding, passes, controls fail),
    one per headline number (median across replicates) and one per calibration-fit measure
    (:data:`FIT_MEASURES`)."""
    frames = []
    for variant in VARIANTS:
        run = scenario.model_copy(update={"structure": variant.structure})
        runs = Runs(run, replicates)
        table = evaluate(runs)
        checked = controls(run, replicates)
        fails = checked.groupby("pattern")["fails"].all()
        rows = [{"variant": variant.label, "measure": "pattern", "pattern": int(r.pattern),
                 "value": r.fraction, "passes": bool(r.passes),
                 "discriminates": bool(fails.get(r.pattern, True))}
                for r in table.itertuples()]
        rows += [{"variant": variant.label, "measure": name, "pattern": None, "value": value,
                  "passes": None, "discriminates": None}
                 for name, value in headline(runs).items()]
        rows += [{"variant": variant.label, "measure": name, "pattern": None, "value": value,
                  "passes": None, "discriminates": None}
                 for name, value in calibration_fit(variant.structure).items()]
        frames.append(pd.DataFrame(rows))
        if advance:
            advance(1)
    return pd.concat(frames, ignore_index=True)


def headline(runs: Runs) -> dict[str, float]:
    """Japan's trust in the US: medians across replicates of its low, the month of the low
    (months after the start), its level at the end of 2025 and at the end of the horizon; and
    Japan's security alignment at the end of 2025 (where the dilemma's structures differ) and
    its two hedging indices then (distance from the poles; mixed signals)."""
    trust = runs.main.trust("JPN", runs.scenario.patron)  # (R, T + 1)
    end_2025 = min(MONTHS_2025, trust.shape[1] - 1)
    security = runs.main.measure("alignment_security", "JPN")
    mixed = runs.main.measure("mixed_signals", "JPN")
    hedged = runs.main.measure("hedging", "JPN")
    return {"japan_security_2025_end": float(np.median(security[:, end_2025])),
            "japan_hedging_2025_end": float(np.median(hedged[:, end_2025])),
            "japan_mixed_signals_2025_end": float(np.median(mixed[:, end_2025])),
            "japan_trust_low": float(np.median(trust.min(axis=1))),
            "japan_trust_low_month": float(np.median(trust.argmin(axis=1))),
            "japan_trust_2025_end": float(np.median(trust[:, end_2025])),
            "japan_trust_end": float(np.median(trust[:, -1]))}


def calibration_fit(structure: Structure, replicates: int = FIT_REPLICATES,
                    seed: int = calibrate.DEFAULTS["seed"]) -> dict[str, float]:
    """The calibration fit of a structure at the default's posterior (no re-calibration).

    ``fit_distance``: the ABC distance (:func:`sim.analysis.calibration.abc.distance`: mean over
    replicates of the RMS sampling-error z-score over targets) of the posterior median point
    (fitted parameters and measurement offsets/scales), over ``replicates`` replicates;
    ``fit_covered``: how many of the ``fit_targets`` survey targets lie inside the posterior
    predictive band (:data:`sim.analysis.calibration.calibrate.BAND`, 5th to 95th percentile) of
    the simulated polls of every posterior draw, at the calibration's replicates per draw."""
    scenario = calibrate.calibration_scenario().model_copy(update={"structure": structure})
    targets = load_targets()
    fitted = list(calibrate.FITTED)
    posterior = calibrate.load_posterior()
    median = posterior.median().to_frame().T
    values = abc.model_values(scenario, median, fitted, targets, replicates, seed)
    polls = abc.read_polls(values, median, targets, poll_rng(seed))
    draws = abc.model_values(scenario, posterior, fitted, targets,
                             calibrate.DEFAULTS["replicates"], seed)
    band = calibrate.predictive(abc.read_polls(draws, posterior, targets, poll_rng(seed)),
                                targets)
    return {"fit_distance": float(abc.distance(polls, targets)[0]),
            "fit_covered": float(sum(t["covered"] for t in band)),
            "fit_targets": float(len(targets))}


def poll_rng(seed: int) -> np.random.Generator:
    """The calibration's stream of sampling error
    (:func:`sim.analysis.calibration.abc.rejection`)."""
    return np.random.default_rng(np.random.SeedSequence([seed, 1]))
