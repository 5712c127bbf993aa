"""Calibration: ABC rejection on the first Trump term and the 2021 rebound.

The scenario ``scenarios/trump_first_term_and_transition.yml`` plays January 2017 to June 2021;
the targets (:mod:`sim.analysis.calibration.targets`) are Pew and Lowy polls of that fall and
recovery, read through the measurement model (:mod:`sim.analysis.calibration.measurement`); the
search is ABC rejection (:mod:`sim.analysis.calibration.abc`). The result is a posterior sample
(``sim/evidence/posterior.csv``) that runs can draw from, its medians as the defaults
(``sim/evidence/calibrated.py``), and an identifiability summary: shrinkage of each parameter,
parameters piled on a bound, the forgetting x weight correlation, and posterior predictive
coverage of every target.
"""

from __future__ import annotations

import pprint
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim import paths
from sim.analysis.calibration import abc, measurement
from sim.analysis.calibration.targets import EXCLUDED, Target, load_targets
from sim.errors import UserError
from sim.evidence.params import declarations
from sim.scenario import Scenario, load_scenario

FITTED = ("forgetting", "weight_costly", "negativity_bias", "cheap_talk_ratio", "opinion_speed")
SCENARIO = "trump_first_term_and_transition"
EVIDENCE = Path(__file__).parents[2] / "evidence"
CALIBRATED_FILE = EVIDENCE / "calibrated.py"
POSTERIOR_FILE = EVIDENCE / "posterior.csv"
DEFAULTS = {"samples": 20000, "replicates": 4, "accept": 0.025, "seed": 20170120}
BAND = (5, 95)  # the posterior predictive band, percentiles
NEAR_BOUND = 0.05  # share of a range: a posterior piled within it is flagged


def calibration_scenario() -> Scenario:
    return load_scenario(paths.scenario_file(SCENARIO))


def model_priors() -> dict[str, tuple[float, float]]:
    """Uniform priors of the fitted parameters: their registered plausible ranges."""
    return {d["name"]: (d["low"], d["high"]) for d in declarations() if d["name"] in FITTED}


def run(samples: int, replicates: int, accept: float, seed: int,
        progress: abc.Progress | None = None) -> tuple[abc.AbcResult, dict]:
    """The ABC calibration and its record (what calibrated.py and VALIDATION.md show)."""
    targets = load_targets()
    result = abc.rejection(calibration_scenario(), targets, model_priors(), samples, replicates,
                           accept, seed, progress)
    return result, summarise(result, targets, samples, replicates, accept, seed)


def summarise(result: abc.AbcResult, targets: Sequence[Target], samples: int, replicates: int,
              accept: float, seed: int) -> dict:
    post = result.posterior
    priors = {**model_priors(), **measurement.nuisance_priors()}
    parameters = {}
    for name, (lo, hi) in priors.items():
        q5, q50, q95 = (float(v) for v in np.percentile(post[name], [5, 50, 95]))
        shrinkage = 1 - (q95 - q5) / (0.9 * (hi - lo))  # 0: as wide as the prior's 90%
        parameters[name] = {"median": round(q50, 4), "low": round(q5, 4), "high": round(q95, 4),
                            "prior": [lo, hi], "shrinkage": round(shrinkage, 3),
                            "bound": on_bound(post[name].to_numpy(), lo, hi)}
    return {
        "method": "ABC rejection (sim/analysis/calibration/abc.py)",
        "scenario": f"scenarios/{SCENARIO}.yml",
        "samples": samples, "replicates": replicates, "accept": accept, "seed": seed,
        "accepted": len(post), "tolerance": round(result.tolerance, 4),
        "parameters": parameters,
        "correlations": correlations(post),
        "half_life_months": half_life(post["forgetting"].to_numpy()),
        "targets": predictive(result.polls, targets),
        "excluded": dict(EXCLUDED),
    }


def on_bound(values: np.ndarray, lo: float, hi: float) -> str:
    """'lower' or 'upper' if a fifth or more of the posterior lies within 5% of that bound (a
    uniform prior puts 5% there), else ''."""
    width = NEAR_BOUND * (hi - lo)
    if np.mean(values <= lo + width) >= 0.2:
        return "lower"
    if np.mean(values >= hi - width) >= 0.2:
        return "upper"
    return ""


def correlations(post: pd.DataFrame) -> dict[str, float]:
    """Spearman rank correlations between fitted parameters above 0.3 in size: ridges."""
    ranks = post[list(FITTED)].rank()
    corr = ranks.corr().to_numpy()
    out = {}
    for i, a in enumerate(FITTED):
        for j in range(i + 1, len(FITTED)):
            if abs(corr[i, j]) >= 0.3:
                out[f"{a} x {FITTED[j]}"] = round(float(corr[i, j]), 3)
    return out


def half_life(forgetting: np.ndarray) -> dict[str, float]:
    """Months for past evidence to lose half its weight: ln 0.5 / ln(forgetting)."""
    months = np.log(0.5) / np.log(forgetting)
    q5, q50, q95 = np.percentile(months, [5, 50, 95])
    return {"median": round(float(q50), 1), "low": round(float(q5), 1),
            "high": round(float(q95), 1)}


def predictive(polls: np.ndarray, targets: Sequence[Target]) -> list[dict]:
    """Posterior predictive band of every target (simulated polls, sampling error included)."""
    flat = polls.reshape(-1, len(targets))
    lo, med, hi = np.percentile(flat, [BAND[0], 50, BAND[1]], axis=0)
    return [{"actor": t.actor, "construct": t.construct, "date": t.date.isoformat(),
             "survey": t.value, "n": t.n, "median": round(float(m), 4),
             "low": round(float(a), 4), "high": round(float(b), 4),
             "covered": bool(a <= t.value <= b), "source": t.source}
            for t, a, m, b in zip(targets, lo, med, hi, strict=True)]


def coverage(record: dict) -> float:
    return float(np.mean([t["covered"] for t in record["targets"]]))


def check_writable() -> None:
    """Refuse, before a long fit, to rewrite the defaults of an installed package."""
    if paths.checkout() is None:
        raise UserError("--write rewrites sim/evidence/calibrated.py of a source checkout; this "
                        "installation has none", valid="run without --write, or from a clone of "
                        "the repository")


def posterior_table(result: abc.AbcResult) -> str:
    """The posterior sample as CSV text (fixed rounding: the file is reproduced exactly)."""
    return result.posterior.to_csv(index=False, float_format="%.6g", lineterminator="\n")


def calibrated_text(record: dict) -> str:
    values = {name: record["parameters"][name]["median"] for name in FITTED}
    fit = {k: v for k, v in record.items() if k != "excluded"}
    return ('"""Calibrated parameter values: written by `python -m sim calibrate --write`; do not '
            'edit by hand.\n\nCALIBRATED holds the posterior medians of the ABC calibration on\n'
            f'`scenarios/{SCENARIO}.yml`; the posterior sample is in posterior.csv\nbeside this '
            'file; FIT records the run and its posterior predictive checks.\n"""\n\n'
            f"CALIBRATED = {pprint.pformat(values, sort_dicts=False)}\n\n"
            f"FIT = {pprint.pformat(fit, sort_dicts=False, width=96)}\n")


def write(result: abc.AbcResult, record: dict, calibrated: Path = CALIBRATED_FILE,
          posterior: Path = POSTERIOR_FILE) -> None:
    posterior.write_text(posterior_table(result), encoding="utf-8")
    calibrated.write_text(calibrated_text(record), encoding="utf-8")


def load_posterior(path: Path = POSTERIOR_FILE) -> pd.DataFrame:
    """The stored posterior sample, nearest point first."""
    return pd.read_csv(path)

