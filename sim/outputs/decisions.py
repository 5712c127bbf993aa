"""What the scenario's rules decided, as a tidy table for a run folder (``decisions.csv``)."""

from __future__ import annotations

import pandas as pd

from sim.engine.ensemble import Ensemble

COLUMNS = ["replicate", "actor", "act", "target", "count"]


def decision_table(ensemble: Ensemble) -> pd.DataFrame:
    """One row per replicate and (actor, act, target) the rules ever chose: how many times it was
    chosen there (0 in replicates where it never was). Empty, with its columns, without rules."""
    frames = [pd.DataFrame({"replicate": range(len(counts)), "actor": actor, "act": act,
                            "target": target, "count": counts.astype(int)})
              for (actor, act, target), counts in ensemble.decisions.items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
