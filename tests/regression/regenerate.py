"""Regenerate the baseline regression files after an intended change of the model's numbers.

    python tests/regression/regenerate.py

Then bump ``sim.MODEL_VERSION`` and say in the commit message why the numbers moved.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.tables import quantiles
from sim.engine.ensemble import run_ensemble
from sim.scenario import load_scenario

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = {"baseline": 16, "trump_second_term": 16}
MEASURES = ["trust", "ties", "alignment_economic", "alignment_security", "hedging", "threat",
            "abandonment_fear", "entrapment_fear", "defence_spending", "alliance_support",
            "grievance_with_patron", "trade_with_patron", "trade_with_challenger"]


def regression_table(name: str, replicates: int) -> pd.DataFrame:
    """Quantiles of the headline measures, every month, for a fixed seed and size."""
    ensemble = run_ensemble(load_scenario(ROOT / "scenarios" / f"{name}.yml"),
                            replicates=replicates)
    table = quantiles(ensemble, MEASURES)
    table = table[table["actor"].isin(["JPN", "AUS", "PHL", "TWN", "RUS"])]
    return table.drop(columns=["date"]).reset_index(drop=True)


def main() -> None:
    for name, replicates in CASES.items():
        path = HERE / f"{name}.csv"
        regression_table(name, replicates).to_csv(path, index=False, float_format="%.7g")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
