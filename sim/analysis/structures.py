"""The rival structures compared (issue 8, item 5): the numbers behind docs/STRUCTURES.md.

Each variant is today's model with one ``structure:`` choice changed (:data:`VARIANTS`), run on
the commentary's 2025 timeline with the same seed and replicates (common random numbers), and read
two ways: the share of replicates in which each pattern of the brief holds (with whether its
controls still fail, :mod:`sim.analysis.pattern_report`), and the headline numbers of Japan's
trust in the US (its low, the month of the low, the end of 2025, the end of the horizon).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.pattern_report import controls
from sim.analysis.patterns import Runs, evaluate
from sim.scenario import Scenario
from sim.scenario.structure import Structure

MONTHS_2025 = 12  # the end of 2025, for a scenario that starts in January 2025


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
    """A tidy table: per variant, one row per pattern (share holding, passes, controls fail)
    and one per headline number (median across replicates)."""
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
