"""``python -m sim patterns [FILE]``: check the eight patterns over an ensemble, with the run."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import paths
from sim.analysis.patterns.readings import Runs
from sim.analysis.patterns.report import (
    PLAUSIBLE,
    POSTERIOR,
    report,
    steps,
    undiscriminating_patterns,
)
from sim.analysis.patterns.table import CONTROL_CEILING, SPECS
from sim.commands import arguments
from sim.commands.progress import progress_bar
from sim.errors import UserError
from sim.outputs import run_folder as output
from sim.outputs.run_writer import write_run
from sim.scenario.settings import load_with_settings

SPECS_BY_NUMBER = {spec.number: spec for spec in SPECS}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("patterns", help="check the patterns a credible run must reproduce")
    p.add_argument("scenario", type=Path, nargs="?",
                   default=paths.scenario_file("trump_second_term"),
                   help="scenario playing the commentary's 2025 (default: trump_second_term)")
    p.add_argument("--replicates", type=arguments.positive, default=200)
    p.add_argument("--seed", type=arguments.seed)
    p.add_argument("--vary", help="parameters drawn per replicate for the parameter-uncertainty "
                   "columns, as in sim sweep (default: every global parameter with a plausible "
                   "range except structural ones and press_weight)")
    p.add_argument("--posterior", action="store_true",
                   help="draw the parameter-uncertainty columns from the calibration's posterior "
                        "sample (sim/evidence/posterior.csv) instead of the plausible ranges")
    p.add_argument("--out", type=Path, help="run folder (default: runs/patterns-NAME-TIME-PID)")
    arguments.add_settings(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.posterior and args.vary:
        raise UserError("--posterior and --vary both say what the parameters draw from",
                        valid="one of them")
    scenario = load_with_settings(args.scenario, args.settings)
    if args.seed is not None:
        scenario = scenario.model_copy(update={"seed": args.seed})
    folder = output.prepare(args.out, f"patterns-{scenario.name}")
    with progress_bar("Pattern readings", steps()) as advance:
        table, checked = report(scenario, args.replicates, args.vary, advance,
                                posterior=args.posterior)
    write_run(Runs(scenario, args.replicates).main, folder,
              extra={"patterns.csv": table, "controls.csv": checked})
    print(format_table(table))
    print(f"\nWrote {folder}")
    known_miss = table["pattern"].map(lambda n: not SPECS_BY_NUMBER[n].reproduced)
    ok = (table["passes"] | known_miss).all() and not undiscriminating_patterns(table)
    return 0 if ok else 1  # a documented miss is reported (MISS), not a new failure


def format_table(table) -> str:
    """Patterns first, then consistency checks: verdict, quantity with noise only and with
    parameter uncertainty (median [10-90%]), the share of the parameter space where it holds,
    and the controls (share holding there; a pattern must hold in at most CONTROL_CEILING)."""
    lines = []
    drawn = f"with {table['parameters'].iloc[0] if 'parameters' in table else PLAUSIBLE}"
    for kind, rows in table.groupby("kind", sort=False):
        title = ("Patterns (evidence: each fails in its controls)" if kind == "pattern" else
                 "Consistency checks (guaranteed by construction or holding in a control: "
                 "not evidence)")
        lines += ["", title,
                  f"{'#':<3}{'holds in':>9}{'needs':>7}  {'':<5}{'noise only':>24}"
                  f"{drawn:>30}{'holds':>7}  controls"]
        for row in rows.itertuples():
            verdict = "PASS" if row.passes else "FAIL"
            if not SPECS_BY_NUMBER[row.pattern].reproduced:
                verdict = "MISS"  # a known miss, recorded in docs/TRACE.md, not tuned away
            lines.append(f"{row.pattern:<3}{row.fraction:>9.1%}{row.threshold:>7.0%}  "
                         f"{verdict:<5}{_interval(row.median, row.low, row.high):>24}"
                         f"{_interval(row.param_median, row.param_low, row.param_high):>30}"
                         f"{row.param_share:>7.0%}  {row.controls}")
            lines.append(f"{'':<5}{row.claim}; quantity: {row.quantity} ({row.unit})")
    lines.append(f"\nParameter uncertainty ({drawn}): each replicate draws its parameters "
                 + ("from the calibration's posterior sample." if POSTERIOR in drawn else
                    "uniformly from their plausible ranges."))
    lines.append(f"A control fails when the pattern holds in at most {CONTROL_CEILING:.0%} of "
                 "its replicates; 'holds' is the share of replicates, each with its own drawn "
                 "parameters, in which the pattern holds. MISS: a pattern the model is known not "
                 "to reproduce (docs/TRACE.md).")
    return "\n".join(lines).lstrip("\n")


def _interval(median: float, low: float, high: float) -> str:
    return f"{median:.3g} [{low:.3g}, {high:.3g}]"
