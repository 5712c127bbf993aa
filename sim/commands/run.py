"""``python -m sim run FILE``: run a scenario's ensemble and write a run folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.commands import arguments
from sim.figures.workers import FigureWorkers
from sim.outputs import run_folder as output
from sim.outputs.run_writer import write_run
from sim.scenario import Scenario, check_size
from sim.scenario.settings import load_with_settings

# Mesa, pandas and pyarrow are imported by main() and write_run(), not for `python -m sim --help`.


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a scenario's ensemble; write tables, plots and a summary")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path, help="run folder to create (default: runs/NAME-TIME-PID)")
    p.add_argument("--seed", type=arguments.seed, help="root seed (default: the scenario's)")
    p.add_argument("--replicates", type=arguments.positive,
                   help="number of replicates (default: the scenario's)")
    p.add_argument("--workers", type=arguments.workers, default=1,
                   help="worker processes (same numbers)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    arguments.add_look(p)
    p.add_argument("--uncertainty", nargs="?", const="all-assumptions", metavar="VARY",
                   help="also run with each replicate drawing these parameters from their "
                        "plausible ranges (default all-assumptions; or e.g. forgetting,"
                        "tie_growth=0.3:0.9; or 'posterior': one draw of the calibration's "
                        "posterior sample per replicate), and show both bands (default: the "
                        "scenario's 'uncertainty:', if any)")
    arguments.add_settings(p)
    p.set_defaults(func=main)


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Load the scenario and apply --seed and --replicates, checking sizes up front."""
    scenario = load_with_settings(args.scenario, args.settings)
    update = {k: getattr(args, k) for k in ("seed", "replicates") if getattr(args, k) is not None}
    scenario = scenario.model_copy(update=update)
    check_size(scenario)
    return scenario


def main(args: argparse.Namespace) -> int:
    scenario = scenario_from_args(args)
    vary = args.uncertainty or scenario.uncertainty
    drawer = _drawer(scenario, vary) if vary else None  # checked before any work
    look = arguments.look(args, scenario.actors)
    folder = output.prepare(args.out, scenario.name)
    from sim.commands.progress import progress_bar
    from sim.engine.ensemble import run_ensemble

    figures = None if args.no_plots else FigureWorkers()  # they import matplotlib meanwhile

    started = time.perf_counter()
    runs = 2 if drawer else 1
    with progress_bar(f"Running {scenario.name}", runs * scenario.replicates) as advance:
        ensemble = run_ensemble(scenario, workers=args.workers, progress=advance)
        wider = None
        if drawer:  # the same replicates and noise, each with its own parameter values
            drawn = drawer(scenario.replicates, ensemble.seed)
            wider = run_ensemble(scenario, workers=args.workers, progress=advance, varied=drawn)
    text = write_run(ensemble, folder, plots_too=not args.no_plots,
                     seconds=time.perf_counter() - started, figures=figures,
                     with_parameters=wider, look=look, formats=args.formats)
    print(text)
    print(f"\nWrote {folder}")
    return 0


def _drawer(scenario: Scenario, vary: str):
    from sim.analysis.experiments.uncertainty import drawer

    return drawer(scenario, vary)
