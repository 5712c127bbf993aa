"""Predictions for the 2025 polls, frozen before the data: the calibrated posterior played forward.

Each posterior draw (``sim/evidence/posterior.csv``: model parameters and measurement offsets and
scales) runs ``replicates`` replicates of the 2025 timeline (``scenarios/trump_second_term.yml``,
which starts from the surveyed levels of late 2024). Each prediction names the month it refers
to and the construct it predicts:

- levels where the scenario starts from the same construct (Japan's trust: Yomiuri-Gallup's 34%;
  Australia's trust and alliance support: Lowy 2024's 56% and 83%), with the poll's binomial
  sampling error added;
- changes since January 2025 for Pew's favourable view, read through the fitted favourable scale:
  the project holds no verified 2024 Pew level to anchor a level on;
- Japan's preferred partner as the share of runs in each class.
Bands are the 5th and 95th percentiles over draws x replicates.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim import paths
from sim.analysis.calibration import measurement
from sim.analysis.calibration.calibrate import FITTED, load_posterior
from sim.calendar import months_between
from sim.engine.ensemble import Ensemble, run_points
from sim.scenario import load_scenario

SCENARIO = "trump_second_term"
REPLICATES = 2
START = dt.date(2025, 1, 1)
COLUMNS = ["quantity", "country", "construct", "month", "statistic", "median", "low_5",
           "high_95", "basis"]


def ensemble(replicates: int = REPLICATES) -> tuple[Ensemble, pd.DataFrame]:
    scenario = load_scenario(paths.scenario_file(SCENARIO))
    posterior = load_posterior()
    settings = {name: posterior[name].to_numpy() for name in FITTED}
    return run_points(scenario, settings, replicates, scenario.seed), posterior


def _at(ens: Ensemble, values: np.ndarray, when: dt.date) -> np.ndarray:
    return values[:, months_between(ens.scenario.start, when)]


def _row(quantity, country, construct, when, statistic, draws, basis) -> dict:
    lo, med, hi = np.percentile(draws, [5, 50, 95])
    return {"quantity": quantity, "country": country, "construct": construct,
            "month": f"{when:%Y-%m}", "statistic": statistic, "median": round(float(med), 3),
            "low_5": round(float(lo), 3), "high_95": round(float(hi), 3), "basis": basis}


def predictions(replicates: int = REPLICATES) -> pd.DataFrame:
    ens, posterior = ensemble(replicates)
    rng = np.random.default_rng(np.random.SeedSequence([ens.seed, 2]))
    rows = []
    jpn_trust = ens.trust("JPN", "US")
    mid = dt.date(2025, 6, 1)
    rows.append(_row("Japan's trust in the US", "Japan", "trust in the US (Yomiuri-Gallup; "
                     "34% in Nov 2024)", mid, "share", measurement.survey(
                         rng, _at(ens, jpn_trust, mid), 1000),
                     "model trust, started at the Yomiuri level; n=1000 sampling error"))
    march = dt.date(2025, 3, 1)
    rows.append(_row("Australia's trust in the US", "Australia", measurement.TRUST, march,
                     "share", measurement.survey(rng, _at(ens, ens.trust("AUS", "US"), march),
                                                 1200),
                     "model trust (Lowy scale; 56% in 2024); n=1200 sampling error"))
    support = ens.measure("alliance_support", "AUS")
    rows.append(_row("Australia's support for the alliance", "Australia", measurement.SUPPORT,
                     march, "share", measurement.survey(rng, _at(ens, support, march), 1200),
                     "model alliance support (83% in 2024); n=1200 sampling error"))
    spring = dt.date(2025, 4, 1)
    scale = np.repeat(posterior["favourable_scale"].to_numpy(), replicates)
    for code, country in (("JPN", "Japan"), ("KOR", "South Korea"), ("AUS", "Australia")):
        trust = ens.trust(code, "US")
        change = scale * (_at(ens, trust, spring) - _at(ens, trust, START))
        rows.append(_row("Pew favourable view of the US", country, measurement.FAVOURABLE,
                         spring, "change since Jan 2025 (share)", change,
                         "favourable scale x model trust change; no verified 2024 Pew level"))
    rows += preferred_partner(ens, mid)
    return pd.DataFrame(rows, columns=COLUMNS)


def preferred_partner(ens: Ensemble, when: dt.date) -> list[dict]:
    """US: trust in the US above China's and both alignment axes toward the US; China: the
    reverse on trust and security; both: anything else (hedging)."""
    us = _at(ens, ens.trust("JPN", "US"), when)
    cn = _at(ens, ens.trust("JPN", "CHN"), when)
    security = _at(ens, ens.measure("alignment_security", "JPN"), when)
    economic = _at(ens, ens.measure("alignment_economic", "JPN"), when)
    classes = {"US": (us > cn) & (security > 0) & (economic > 0),
               "China": (cn > us) & (security < 0)}
    classes["both"] = ~(classes["US"] | classes["China"])
    return [{"quantity": "Japan's preferred partner", "country": "Japan",
             "construct": f"preferred partner: {name}", "month": f"{when:%Y-%m}",
             "statistic": "share of runs", "median": round(float(mask.mean()), 3),
             "low_5": "", "high_95": "", "basis": "trust and alignment, per run"}
            for name, mask in classes.items()]


def csv_text(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n")
