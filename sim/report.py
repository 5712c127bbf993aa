"""The short text summary a run prints and keeps: where each ally ends up, with bands."""

from __future__ import annotations

import pandas as pd

from sim.ensemble import Ensemble
from sim.mechanics.hedging import kuik_label

_PERCENT = {"trust_in_patron", "trust_in_challenger"}


def summary_text(ensemble: Ensemble, end: pd.DataFrame) -> str:
    """A few lines a person reads first: trust and alignment at the end, with 10-90% bands."""
    sc = ensemble.scenario
    patron = sc.actors[sc.patron].name
    first, last = ensemble.dates[0], ensemble.dates[-1]
    lines = [f"{sc.name}: {ensemble.replicates} replicates, {first:%b %Y} to {last:%b %Y}, "
             f"seed {ensemble.seed}", ""]
    header = (f"{'actor':<14}{'trust in ' + patron:>30}{'economic align.':>20}"
              f"{'security align.':>20}   stance (Kuik)")
    lines.append(header)
    for code in end["actor"].unique():
        rows = end[end["actor"] == code].set_index("measure")
        if sc.actors[code].role not in ("ally", "partner"):
            continue
        trust = rows.loc["trust_in_patron"]
        econ, sec = rows.loc["alignment_economic"], rows.loc["alignment_security"]
        trust_cell = (f"{_pct(trust['start'])} -> {_pct(trust['end_median'])} "
                      f"[{_pct(trust['end_p10'])}-{_pct(trust['end_p90'])}]")
        lines.append(f"{sc.actors[code].name:<14}{trust_cell:>30}"
                     f"{econ['end_median']:>+20.2f}{sec['end_median']:>+20.2f}   "
                     + kuik_label(econ["end_median"], sec["end_median"]))
    tests = ensemble.commitment_tests.sum()
    if tests:
        rate = ensemble.commitments_honoured.sum() / tests
        lines += ["", f"Crises that tested the commitments of the {patron}: {tests:.0f} across "
                      f"replicates; honoured {rate:.0%} (base rate 74.5%, Leeds et al. 2000)."]
    lines += ["", "Trust: median share trusting at the end, [10%-90%] across replicates. "
                  "Alignment: -1 with China .. +1 with the US."]
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"
