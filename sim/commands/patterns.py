"""``python -m sim patterns [FILE]``: check the eight patterns over an ensemble, with the run."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import paths
from sim.analysis.patterns import Runs, evaluate
from sim.commands import arguments
from sim.commands.progress import progress_bar
from sim.commands.run import write_run
from sim.outputs import run_folder as output
from sim.scenario.settings import load_with_settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("patterns", help="check the patterns a credible run must reproduce")
    p.add_argument("scenario", type=Path, nargs="?",
                   default=paths.scenario_file("trump_second_term"),
                   help="scenario playing the commentary's 2025 (default: trump_second_term)")
    p.add_argument("--replicates", type=arguments.positive, default=200)
    p.add_argument("--seed", type=arguments.seed)
    p.add_argument("--out", type=Path, help="run folder (default: runs/patterns-NAME-TIME-PID)")
    arguments.add_settings(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    scenario = load_with_settings(args.scenario, args.settings)
    if args.seed is not None:
        scenario = scenario.model_copy(update={"seed": args.seed})
    folder = output.prepare(args.out, f"patterns-{scenario.name}")
    # the main run and up to three counterfactual variants
    with progress_bar("Pattern ensembles", 4 * args.replicates) as advance:
        runs = Runs(scenario, args.replicates, progress=advance)
        table = evaluate(runs)
    write_run(runs.main, folder, extra={"patterns.csv": table})
    print(format_table(table))
    print(f"\nWrote {folder}")
    return 0 if table["passes"].all() else 1


def format_table(table) -> str:
    lines = [f"{'#':<3}{'holds in':>9}{'needs':>7}  {'':<5} claim"]
    for row in table.itertuples():
        verdict = "PASS" if row.passes else "FAIL"
        lines.append(f"{row.pattern:<3}{row.fraction:>9.1%}{row.threshold:>7.0%}  {verdict:<5} "
                     f"{row.claim}")
    return "\n".join(lines)
