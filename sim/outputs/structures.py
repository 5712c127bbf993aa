"""docs/STRUCTURES.md's comparison block, from a stored table.

``python -m sim docs --structures`` runs :func:`sim.analysis.patterns.structures.comparison` on
:data:`SCENARIO` with :data:`REPLICATES` replicates and keeps the table in
``docs/structures/comparison.csv``; ``python -m sim docs`` then writes the block from that file
(:func:`structures_block`), so the figures are those of a real run, never typed in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim import paths
from sim.analysis.calibration.calibrate import DEFAULTS
from sim.analysis.calibration.calibrate import SCENARIO as CALIBRATION
from sim.analysis.patterns.structures import FIT_REPLICATES
from sim.analysis.patterns.table import SPECS
from sim.calendar import month_date
from sim.scenario import load_scenario

SCENARIO = "trump_second_term"
REPLICATES = 200
HEADLINES = (
    ("japan_trust_low", "Japan's trust in the US: low (median)", "{:.2f}"),
    ("japan_trust_low_month", "month of the low (median)", None),
    ("japan_trust_2025_end", "at the end of 2025 (median)", "{:.2f}"),
    ("japan_trust_end", "at the end of the horizon (median)", "{:.2f}"),
    ("japan_security_2025_end", "Japan's security alignment, end of 2025 (median)", "{:+.3f}"),
    ("japan_hedging_2025_end", "Japan's hedging, distance index, end of 2025 (median)",
     "{:.3f}"),
    ("japan_mixed_signals_2025_end", "Japan's hedging, mixed signals, end of 2025 (median)",
     "{:.3f}"),
)

FIT = {"fit_distance": "Calibration fit, 2017-2021: ABC distance at the posterior median",
       "fit_covered": "Calibration fit: survey targets inside the posterior predictive 90% band",
       "fit_targets": ""}
FIT_DRAW_REPLICATES = DEFAULTS["replicates"]


def folder() -> Path:
    root = paths.checkout()
    return (root if root is not None else Path.cwd()) / "docs" / "structures"


def structures_block(path: Path | None = None) -> str:
    """Variants side by side: each pattern's share of replicates holding (a mark when it
    passes its threshold, a note when a control no longer fails), then the headline numbers,
    then the calibration fit (at the default's posterior)."""
    path = path or folder() / "comparison.csv"
    if not path.is_file():
        return "*No comparison stored yet: run `python -m sim docs --structures`.*"
    table = pd.read_csv(path)
    variants = list(dict.fromkeys(table["variant"]))
    start = load_scenario(paths.scenario_file(SCENARIO)).start
    claims = {spec.number: spec.claim for spec in SPECS}
    header = ["", *[v + (" (default)" if i == 0 else "") for i, v in enumerate(variants)]]
    # the first variant is today's model (sim.analysis.patterns.structures.VARIANTS)
    rows = []
    patterns = table[table["measure"] == "pattern"]
    for number in sorted(patterns["pattern"].unique()):
        row = [f"{int(number)}. {claims.get(int(number), '')}"]
        for v in variants:
            r = patterns[(patterns["variant"] == v) & (patterns["pattern"] == number)].iloc[0]
            mark = "pass" if _true(r["passes"]) else "FAIL"
            note = "" if _true(r["discriminates"]) else ", a control holds"
            row.append(f"{r['value']:.0%} {mark}{note}")
        rows.append(row)
    for name, label, form in HEADLINES:
        found = table[table["measure"] == name].set_index("variant")["value"]
        if found.empty:  # a table stored before the measure was read
            continue
        rows.append([label, *[month_date(start, round(found[v])).strftime("%Y-%m")
                              if form is None else form.format(found[v]) for v in variants]])
    fit = {name: table[table["measure"] == name].set_index("variant")["value"]
           for name in FIT}
    if not any(found.empty for found in fit.values()):  # else a table stored before the fit
        rows.append([FIT["fit_distance"], *[f"{fit['fit_distance'][v]:.2f}" for v in variants]])
        rows.append([FIT["fit_covered"], *[f"{fit['fit_covered'][v]:.0f} of "
                                           f"{fit['fit_targets'][v]:.0f}" for v in variants]])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    intro = (f"`scenarios/{SCENARIO}.yml`, {REPLICATES} replicates per variant with the "
             "scenario's parameter values and the same seed (stored in "
             "`docs/structures/comparison.csv`; regenerate with `python -m sim docs "
             "--structures`). A pattern cell is the share of replicates in which it holds and "
             "whether that meets its threshold; 'a control holds' marks a pattern that no longer "
             "fails in one of its controls under that structure. The last two rows are the "
             f"calibration fit on `scenarios/{CALIBRATION}.yml` (2017 to mid-2021) under each "
             "structure, scored as `sim/analysis/calibration/abc.py` scores a point: the ABC "
             "distance (RMS sampling-error z-score over the survey targets, mean of "
             f"{FIT_REPLICATES} replicates) at the posterior median parameters and measurement "
             "offsets/scales, and the targets whose poll lies inside the posterior predictive "
             "90% band (every draw of `sim/evidence/posterior.csv`, "
             f"{FIT_DRAW_REPLICATES} replicates each, sampling error included). The variants "
             "were not re-calibrated: their fit is at the default structure's posterior.")
    return intro + "\n\n" + "\n".join(lines)


def _true(value: object) -> bool:
    return str(value).strip().lower() == "true"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", r"\|").replace("<", "&lt;")
