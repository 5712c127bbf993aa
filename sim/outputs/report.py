"""The short text summary a run prints and keeps: where each ally ends up, with bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine.ensemble import Ensemble
from sim.engine.mechanics.hedging import kuik_label
from sim.evidence.actors import with_article


def summary_text(ensemble: Ensemble, end: pd.DataFrame,
                 wider_end: pd.DataFrame | None = None) -> str:
    """A few lines a person reads first: trust (start, low, end) and alignment, with bands;
    with ``wider_end`` (the end state of the same run with parameter uncertainty) the end's band
    is given both ways."""
    sc = ensemble.scenario
    patron = sc.actors[sc.patron].name
    first, last = ensemble.dates[0], ensemble.dates[-1]
    lines = [f"{sc.name}: {ensemble.replicates} replicates, {first:%b %Y} to {last:%b %Y}, "
             f"seed {ensemble.seed}", ""]
    header = (f"{'actor':<14}{'trust in ' + patron + ': start, low, end [10-90%]':>44}"
              f"{'econ. align.':>14}{'sec. align.':>13}   stance (Kuik)")
    if wider_end is not None:
        header += "   end [10-90%] with parameter uncertainty"
    lines.append(header)
    for code in end["actor"].unique():
        rows = end[end["actor"] == code].set_index("measure")
        if code not in sc.allies():
            continue
        trust = rows.loc["trust_in_patron"]
        econ, sec = rows.loc["alignment_economic"], rows.loc["alignment_security"]
        median = np.median(ensemble.trust(code, sc.patron), axis=0)
        low = int(np.argmin(median))
        trust_cell = (f"{_pct(trust['start'])}, {_pct(median[low])} ({ensemble.dates[low]:%b %Y}), "
                      f"{_pct(trust['end_median'])} [{_pct(trust['end_p10'])}-"
                      f"{_pct(trust['end_p90'])}]")
        line = (f"{sc.actors[code].name:<14}{trust_cell:>44}"
                f"{econ['end_median']:>+14.2f}{sec['end_median']:>+13.2f}   "
                + kuik_label(econ["end_median"], sec["end_median"]))
        if wider_end is not None:
            wide = wider_end[(wider_end["actor"] == code)
                             & (wider_end["measure"] == "trust_in_patron")].iloc[0]
            line = (f"{line:<110}{_pct(wide['end_median'])} [{_pct(wide['end_p10'])}-"
                    f"{_pct(wide['end_p90'])}]")
        lines.append(line)
    tests = ensemble.commitment_tests.sum()
    if tests:
        rate = ensemble.commitments_honoured.sum() / tests
        base = sc.parameters.honour_rate
        lines += ["", f"Crises that tested the commitments of {with_article(patron)}: {tests:.0f} "
                      f"across "
                      f"replicates; honoured {rate:.0%} (chance {base:.1%} for a treaty ally, "
                      f"less for looser ties; Leeds et al. 2000: 74.5%)."]
    challenger = with_article(sc.actors[sc.challenger].name)
    bands = ("[10%-90%] across replicates at the end: noise only (perception noise and random "
             "events at the register's values)")
    if wider_end is not None:
        bands += ("; and with parameter uncertainty (each replicate also draws the uncertain "
                  "parameters from their plausible ranges: parameters.csv)")
    lines += ["", "Trust: median share trusting at the start, at its lowest and at the end, "
                  f"{bands}.", f"Alignment at the end: -1 with "
                  f"{challenger} .. +1 with {with_article(patron)}. Plots and tables are in the "
                  "run folder."]
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"
