"""The eight patterns a credible run must reproduce (pattern-oriented modelling, Grimm et al. 2005).

Each pattern is checked per replicate over an ensemble of the commentary's 2025 timeline (and, where
a pattern is a comparison, of variants of it without some events, run with common random numbers),
and reported as the fraction of replicates in which it holds, against a threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from sim.engine.ensemble import Ensemble, run_ensemble
from sim.errors import UserError
from sim.events import domain_of
from sim.scenario import Scenario

ASIAN_ALLIES = ("JPN", "KOR", "AUS", "PHL", "TWN")
JAPAN_PARTNERS = ("AUS", "PHL", "KOR", "EUR")


class Runs:
    """The scenario and its counterfactual variants, run on demand with the same seed."""

    def __init__(self, scenario: Scenario, replicates: int, progress=None):
        self.scenario = scenario
        self.replicates = replicates
        self.progress = progress

    def without(self, keep: Callable) -> Ensemble:
        events = [e for e in self.scenario.events if keep(e)]
        variant = self.scenario.model_copy(update={"events": events})
        return run_ensemble(variant, replicates=self.replicates, progress=self.progress)

    @cached_property
    def main(self) -> Ensemble:
        return run_ensemble(self.scenario, replicates=self.replicates, progress=self.progress)

    @cached_property
    def trade_only(self) -> Ensemble:
        return self.without(lambda e: domain_of(e.event) != "security" or _background(e))

    @cached_property
    def security_only(self) -> Ensemble:
        return self.without(lambda e: domain_of(e.event) != "trade")

    @cached_property
    def no_ukraine(self) -> Ensemble:
        return self.without(lambda e: e.event.type != "support_cut")


def _background(timed) -> bool:
    """Stochastic crises are the background of every variant, not a shock to remove."""
    return timed.event.probability is not None


@dataclass(frozen=True)
class Pattern:
    number: int
    claim: str
    threshold: float
    check: Callable[[Runs], np.ndarray]  # one bool per replicate


def _month(runs: Runs, months: int) -> int:
    return min(months, runs.scenario.horizon_months)


def trust_falls_but_us_preferred(runs: Runs) -> np.ndarray:
    e = runs.main
    us, china = e.trust("JPN", "US"), e.trust("JPN", "CHN")
    falls = us[:, _month(runs, 6)] <= us[:, 0] - 0.05  # the shocks come in Feb-Apr 2025
    preferred = (us > china).all(axis=1)
    aligned = (e.measure("alignment_economic", "JPN") + e.measure("alignment_security", "JPN")) > 0
    no_switch = (e.measure("alignment_security", "JPN") > 0).all(axis=1)
    return falls & preferred & aligned.all(axis=1) & no_switch


def economic_hedging_first(runs: Runs) -> np.ndarray:
    e, t = runs.main, _month(runs, 12)
    econ = e.measure("alignment_economic", "JPN")
    sec = e.measure("alignment_security", "JPN")
    d_econ, d_sec = econ[:, t] - econ[:, 0], sec[:, t] - sec[:, 0]
    hedging = e.measure("hedging", "JPN")
    return (d_econ <= -0.03) & (np.abs(d_sec) < 0.05) & (hedging[:, t] > hedging[:, 0])


def ties_strengthen(runs: Runs) -> np.ndarray:
    e, t = runs.main, _month(runs, 24)
    ties = e.dyads["ties"]
    j = e.index("JPN")
    return np.all([ties[:, t, j, e.index(p)] > ties[:, 0, j, e.index(p)] + 0.02
                   for p in JAPAN_PARTNERS], axis=0)


def defence_toward_own_path(runs: Runs) -> np.ndarray:
    spend = runs.main.measure("defence_spending", "JPN")
    japan = runs.scenario.actors["JPN"]
    plan_end = japan.defence_plan[-1].pct if japan.defence_plan else japan.defence_spending
    return (spend[:, -1] >= plan_end - 0.1) & (spend.max(axis=1) < 3.0) & (spend[:, -1] < 2.75)


def ukraine_lowers_asian_credibility(runs: Runs) -> np.ndarray:
    e, base, t = runs.main, runs.no_ukraine, _month(runs, 6)
    drop = {c: base.trust(c, "US")[:, t] - e.trust(c, "US")[:, t] for c in ASIAN_ALLIES}
    everywhere = np.all([drop[c] > 0 for c in ASIAN_ALLIES], axis=0)
    most_dependent = np.minimum(drop["TWN"], drop["PHL"]) > np.maximum.reduce(
        [drop["JPN"], drop["KOR"], drop["AUS"]])
    return everywhere & most_dependent


def bundled_shocks_hurt_more(runs: Runs) -> np.ndarray:
    t = _month(runs, 12)
    both = runs.main.trust("JPN", "US")[:, t]
    return (both < runs.trade_only.trust("JPN", "US")[:, t]) & (
        both < runs.security_only.trust("JPN", "US")[:, t])


def rebuilds_slower_than_falls(runs: Runs) -> np.ndarray:
    trust = runs.main.trust("JPN", "US").astype(float)
    low = trust.argmin(axis=1)
    rows = np.arange(len(trust))
    fall = (trust[:, 0] - trust[rows, low]) / np.maximum(low, 1)
    months_after = trust.shape[1] - 1 - low
    rebuild = (trust[:, -1] - trust[rows, low]) / np.maximum(months_after, 1)
    return (low > 0) & (months_after > 0) & (fall > rebuild)


def russia_china_stable(runs: Runs) -> np.ndarray:
    e = runs.main
    ok = np.ones(e.replicates, dtype=bool)
    for name in ("alignment_economic", "alignment_security"):
        series = e.measure(name, "RUS")
        ok &= (np.abs(series - series[:, :1]) < 0.1).all(axis=1)
    trust = e.trust("RUS", "CHN")
    return ok & (np.abs(trust - trust[:, :1]) < 0.05).all(axis=1)


PATTERNS = (
    Pattern(1, "Japan's trust in the US falls clearly (5+ points within six months) while the US "
               "stays the preferred partner and there is no bloc switch", 0.9,
            trust_falls_but_us_preferred),
    Pattern(2, "Japan hedges on the economic axis first; security alignment barely moves", 0.9,
            economic_hedging_first),
    Pattern(3, "Japan's ties with Australia, the Philippines, South Korea and Europe strengthen",
            0.9, ties_strengthen),
    Pattern(4, "Japan's defence spending rises to its own 2% path, not to the demanded 3%", 0.9,
            defence_toward_own_path),
    Pattern(5, "The US handling of Ukraine lowers US credibility in Asia, most for Taiwan and "
               "the Philippines", 0.8, ukraine_lowers_asian_credibility),
    Pattern(6, "Trade and security shocks bundled hurt trust more than either alone", 0.9,
            bundled_shocks_hurt_more),
    Pattern(7, "Trust rebuilds more slowly than it fell", 0.9, rebuilds_slower_than_falls),
    Pattern(8, "Russia-China alignment stays stable", 0.95, russia_china_stable),
)


NEEDED = ("US", "CHN", "RUS", "EUR", "UKR", *ASIAN_ALLIES)


def evaluate(runs: Runs) -> pd.DataFrame:
    """One row per pattern: the fraction of replicates in which it holds, and the verdict."""
    missing = [code for code in NEEDED if code not in runs.scenario.actors]
    if missing:
        raise UserError(f"the patterns are about the commentary's actors; this scenario lacks "
                        f"{', '.join(missing)}", file=runs.scenario.files[0] if
                        runs.scenario.files else None,
                        valid="a scenario with the ten shipped actors, e.g. trump_second_term.yml")
    rows = []
    for p in PATTERNS:
        holds = p.check(runs)
        fraction = float(np.mean(holds))
        rows.append({"pattern": p.number, "claim": p.claim, "fraction": fraction,
                     "threshold": p.threshold, "passes": fraction >= p.threshold})
    return pd.DataFrame(rows)
