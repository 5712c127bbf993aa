"""The eight patterns a credible run must reproduce (pattern-oriented modelling, Grimm et al. 2005).

Each pattern reads one quantity per replicate (its effect size) and tests it, over an ensemble of
the commentary's 2025 timeline (and, where a pattern is a comparison, of variants of it without
some events, run with common random numbers); it is reported as the quantity's median and
interval and the fraction of replicates in which it holds, against a threshold. Definitions,
thresholds, controls and sources are declared in :mod:`sim.analysis.patterns.table`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from sim.analysis.patterns.table import CONSISTENCY, SPECS, PatternSpec
from sim.engine.ensemble import Ensemble, run_ensemble
from sim.errors import UserError
from sim.events import domain_of
from sim.scenario import Scenario

ASIAN_ALLIES = ("JPN", "KOR", "AUS", "PHL", "TWN")
JAPAN_PARTNERS = ("AUS", "PHL", "KOR", "EUR")


class Runs:
    """The scenario and its counterfactual variants, run on demand with the same seed."""

    def __init__(self, scenario: Scenario, replicates: int, progress=None,
                 varied: Mapping[str, np.ndarray] | None = None):
        self.scenario = scenario
        self.replicates = replicates
        self.progress = progress
        self.varied = varied  # parameters drawn per replicate, shared by every variant

    def without(self, keep: Callable) -> Ensemble:
        events = [e for e in self.scenario.events if keep(e)]
        variant = self.scenario.model_copy(update={"events": events})
        return run_ensemble(variant, replicates=self.replicates, progress=self.progress,
                            varied=self.varied)

    @cached_property
    def main(self) -> Ensemble:
        return run_ensemble(self.scenario, replicates=self.replicates, progress=self.progress,
                            varied=self.varied)

    @cached_property
    def quiet(self) -> Ensemble:
        """The same world with its background crises only: what the acts are measured against."""
        return self.without(_background)

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
class Reading:
    """One pattern over one ensemble: its quantity and whether it holds, per replicate."""

    quantity: np.ndarray
    holds: np.ndarray


@dataclass(frozen=True)
class Pattern:
    spec: PatternSpec
    read: Callable[[Runs], Reading]

    @property
    def number(self) -> int:
        return self.spec.number

    @property
    def claim(self) -> str:
        return self.spec.claim

    @property
    def threshold(self) -> float:
        return self.spec.threshold

    def check(self, runs: Runs) -> np.ndarray:
        """One bool per replicate."""
        return self.read(runs).holds


def _month(runs: Runs, months: int) -> int:
    return min(months, runs.scenario.horizon_months)


def trust_falls_but_us_preferred(runs: Runs) -> Reading:
    e = runs.main
    us, china = e.trust("JPN", "US"), e.trust("JPN", "CHN")
    fall = 100.0 * (us[:, 0] - us[:, _month(runs, 6)])  # the shocks come in Feb-Apr 2025
    preferred = (us > china).all(axis=1)
    aligned = (e.measure("alignment_economic", "JPN") + e.measure("alignment_security", "JPN")) > 0
    no_switch = (e.measure("alignment_security", "JPN") > 0).all(axis=1)
    return Reading(fall, (fall >= 5.0) & preferred & aligned.all(axis=1) & no_switch)


def economic_hedging_first(runs: Runs) -> Reading:
    e, quiet, t = runs.main, runs.quiet, _month(runs, 12)

    def change(name: str) -> np.ndarray:  # (R, T + 1): the acts' effect, noise cancelled
        moved, calm = e.measure(name, "JPN"), quiet.measure(name, "JPN")
        return 100.0 * ((moved - moved[:, :1]) - (calm - calm[:, :1]))

    econ, sec = change("alignment_economic"), change("alignment_security")
    hedging = e.measure("hedging", "JPN")
    holds = (econ[:, t] <= -3.0) & (sec.min(axis=1) >= -2.0) & (hedging[:, t] > hedging[:, 0])
    return Reading(econ[:, t] - sec[:, t], holds)


def ties_strengthen(runs: Runs) -> Reading:
    e, t = runs.main, _month(runs, 24)
    ties = e.dyads["ties"]
    j = e.index("JPN")
    rise = np.min([ties[:, t, j, e.index(p)] - ties[:, 0, j, e.index(p)]
                   for p in JAPAN_PARTNERS], axis=0) * 100.0
    return Reading(rise, rise > 2.0)


DEMANDED = 3.0  # % of GDP: the call the commentary reports


def defence_toward_own_path(runs: Runs) -> Reading:
    spend = runs.main.measure("defence_spending", "JPN")
    japan = runs.scenario.actors["JPN"]
    plan_end = japan.defence_plan[-1].pct if japan.defence_plan else japan.defence_spending
    covered = 100.0 * (spend[:, -1] - plan_end) / (DEMANDED - plan_end)
    return Reading(covered, (covered >= 10.0) & (covered < 50.0) & (spend.max(axis=1) < DEMANDED))


def ukraine_lowers_asian_credibility(runs: Runs) -> Reading:
    e, base, t = runs.main, runs.no_ukraine, _month(runs, 6)
    drop = {c: 100.0 * (base.trust(c, "US")[:, t] - e.trust(c, "US")[:, t]) for c in ASIAN_ALLIES}
    everywhere = np.all([drop[c] > 0 for c in ASIAN_ALLIES], axis=0)
    most_dependent = np.minimum(drop["TWN"], drop["PHL"]) > np.maximum.reduce(
        [drop["JPN"], drop["KOR"], drop["AUS"]])
    return Reading(np.mean(list(drop.values()), axis=0), everywhere & most_dependent)


def bundled_shocks_hurt_more(runs: Runs) -> Reading:
    t = _month(runs, 12)
    both = runs.main.trust("JPN", "US")[:, t]
    worse_alone = np.minimum(runs.trade_only.trust("JPN", "US")[:, t],
                             runs.security_only.trust("JPN", "US")[:, t])
    extra = 100.0 * (worse_alone - both)
    return Reading(extra, extra > 0)


def rebuilds_slower_than_falls(runs: Runs) -> Reading:
    trust = runs.main.trust("JPN", "US").astype(float)
    low = trust.argmin(axis=1)
    rows = np.arange(len(trust))
    fall = (trust[:, 0] - trust[rows, low]) / np.maximum(low, 1)
    months_after = trust.shape[1] - 1 - low
    rebuild = (trust[:, -1] - trust[rows, low]) / np.maximum(months_after, 1)
    ratio = np.divide(fall, rebuild, out=np.full(len(trust), np.inf), where=rebuild > 0)
    return Reading(ratio, (low > 0) & (months_after > 0) & (fall > rebuild))


def russia_china_stable(runs: Runs) -> Reading:
    e = runs.main
    moves = [np.abs(series - series[:, :1]).max(axis=1)
             for series in (e.measure(n, "RUS") for n in ("alignment_economic",
                                                          "alignment_security"))]
    move = np.maximum(*moves)
    trust = e.trust("RUS", "CHN")
    steady_trust = (np.abs(trust - trust[:, :1]) < 0.05).all(axis=1)
    return Reading(100.0 * move, (move < 0.1) & steady_trust)


READERS = {1: trust_falls_but_us_preferred, 2: economic_hedging_first, 3: ties_strengthen,
           4: defence_toward_own_path, 5: ukraine_lowers_asian_credibility,
           6: bundled_shocks_hurt_more, 7: rebuilds_slower_than_falls, 8: russia_china_stable}
PATTERNS = tuple(Pattern(s, READERS[s.number]) for s in SPECS)


NEEDED = ("US", "CHN", "RUS", "EUR", "UKR", *ASIAN_ALLIES)


def require_actors(scenario: Scenario) -> None:
    missing = [code for code in NEEDED if code not in scenario.actors]
    if missing:
        raise UserError(f"the patterns are about the commentary's actors; this scenario lacks "
                        f"{', '.join(missing)}", file=scenario.files[0] if
                        scenario.files else None,
                        valid="a scenario with the ten shipped actors, e.g. trump_second_term.yml")


def summary(values: np.ndarray) -> tuple[float, float, float]:
    """Median and 10-90% interval, ignoring replicates where the quantity is undefined."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (np.nan, np.nan, np.nan)
    low, median, high = np.percentile(finite, [10, 50, 90])
    return float(median), float(low), float(high)


def evaluate(runs: Runs, advance: Callable[[int], None] | None = None) -> pd.DataFrame:
    """One row per pattern: its quantity (median, 10-90%), the fraction of replicates in which
    it holds, and the verdict."""
    require_actors(runs.scenario)
    rows = []
    for p in PATTERNS:
        reading = p.read(runs)
        fraction = float(np.mean(reading.holds))
        median, low, high = summary(reading.quantity)
        rows.append({"pattern": p.number, "kind": p.spec.kind, "claim": p.claim,
                     "quantity": p.spec.quantity, "unit": p.spec.unit, "median": median,
                     "low": low, "high": high, "fraction": fraction,
                     "threshold": p.threshold, "passes": fraction >= p.threshold})
        if advance:
            advance(1)
    return pd.DataFrame(rows)


__all__ = ["CONSISTENCY", "PATTERNS", "Pattern", "Reading", "Runs", "evaluate", "summary"]
