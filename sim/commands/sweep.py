"""``python -m sim sweep FILE``: run a design of experiments over the uncertain inputs.

Writes a sweep folder (:mod:`sim.outputs.sweep_writer`) that ``sim sensitivity`` and
``sim discover`` read. A sweep interrupted by Ctrl-C, a kill or a full disk keeps every chunk it
finished; ``sim sweep --resume DIR`` runs the rest and gives the same bits as a sweep that was
never interrupted.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

import pandas as pd

from sim.analysis.experiments import design as designs
from sim.analysis.experiments import sweep
from sim.commands import arguments
from sim.commands.progress import progress_bar
from sim.errors import UserError
from sim.outputs import sweep_writer
from sim.outputs.run_folder import prepare
from sim.scenario import Scenario, load_scenario
from sim.scenario.settings import load_with_settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="run a design over uncertain parameters (for sensitivity "
                                     "analysis and scenario discovery)")
    p.add_argument("scenario", type=Path, nargs="?", help="scenario YAML file")
    p.add_argument("--method", choices=(*designs.METHODS, designs.POSTERIOR), default="lhs",
                   help="design: grid, lhs (Latin hypercube), morris, sobol (Saltelli), or "
                        "posterior (--samples draws of the calibration's posterior sample)")
    p.add_argument("--vary", default=designs.ALL_ASSUMPTIONS,
                   help="inputs to vary: name[,name...] (a parameter, or ACTOR.FIELD such as "
                        "JPN.dependence), each optionally =LOW:HIGH; or all-assumptions "
                        "(the default)")
    p.add_argument("--samples", type=arguments.positive, default=64,
                   help="sobol: base sample N; morris: trajectories; lhs, posterior: points; "
                        "grid: levels")
    p.add_argument("--replicates", type=arguments.positive, default=10,
                   help="replicates per point (default 10)")
    p.add_argument("--outcome", action="append", metavar="NAME",
                   help="an outcome to record, e.g. trust:JPN:US@low (repeatable; default: the "
                        "focal ally's trust, alignments and spending)")
    p.add_argument("--second-order", action="store_true", help="sobol: second-order indices")
    p.add_argument("--seed", type=arguments.seed, help="root seed (default: the scenario's)")
    p.add_argument("--out", type=Path,
                   help="sweep folder to create (default: runs/NAME-sweep-TIME)")
    p.add_argument("--chunk-runs", type=arguments.positive, default=sweep.CHUNK_RUNS,
                   help="replicate-runs per chunk: the work a kill can lose, and the memory "
                        f"one chunk needs (default {sweep.CHUNK_RUNS}, about 100 MB)")
    p.add_argument("--resume", type=Path, metavar="DIR", help="finish an interrupted sweep")
    p.add_argument("--workers", type=arguments.positive, default=1,
                   help="local worker processes (at most the machine's cores)")
    p.add_argument("--scheduler", help="Dask: 'local' for a LocalCluster of --workers processes, "
                                       "or tcp://HOST:PORT of a running scheduler")
    arguments.add_settings(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    sweep.check_executor(args.workers, args.scheduler)
    if args.resume is not None:
        folder, plan = _resumed(args)
    else:
        if args.scenario is None:
            raise UserError("give a scenario file, or --resume DIR",
                            valid="python -m sim sweep scenarios/trump_second_term.yml")
        folder, plan = _planned(args)
    scenario, experiments, outcomes, replicates, seed, chunks = plan
    todo = [c for c in chunks if c.index not in sweep_writer.done(folder, len(chunks))]
    job = functools.partial(_chunk_outcomes, scenario=scenario, experiments=experiments,
                            outcomes=outcomes, replicates=replicates, seed=seed)
    points = sum(c.last - c.first for c in todo)
    try:
        with progress_bar(f"Sweeping {scenario.name}", points) as advance:
            for chunk, table in sweep.execute(todo, job, args.workers, args.scheduler):
                sweep_writer.write_chunk(folder, chunk.index, table)
                advance(chunk.last - chunk.first)
    except KeyboardInterrupt:
        finished = len(sweep_writer.done(folder, len(chunks)))
        print(f"interrupted: {finished} of {len(chunks)} chunks are written; finish with\n"
              f"  python -m sim sweep --resume {folder}")
        return 130
    table = sweep_writer.finish(folder, len(chunks))
    print(f"{len(experiments)} points x {replicates} replicates, "
          f"{table['outcome'].nunique()} outcomes\nWrote {folder}")
    return 0


def _chunk_outcomes(chunk: sweep.Chunk, scenario: Scenario, experiments: pd.DataFrame,
                    outcomes, replicates: int, seed: int) -> pd.DataFrame:
    rows = experiments.iloc[chunk.first:chunk.last]
    return sweep.evaluate_points(scenario, rows, outcomes, replicates, seed)


def _planned(args: argparse.Namespace):
    scenario = load_with_settings(args.scenario, args.settings)
    seed = scenario.seed if args.seed is None else args.seed
    outcome_names = args.outcome or sweep.default_outcomes(scenario)
    outcomes = sweep.outcomes_of(outcome_names, scenario)
    experiments, design = _design(args, scenario, seed)
    design["replicates"] = args.replicates
    design["chunk_points"] = sweep.chunk_points(args.replicates, args.chunk_runs)
    chunks = sweep.chunks(len(experiments), design["chunk_points"])
    folder = prepare(args.out, f"{scenario.name}-sweep")
    sweep_writer.create(folder, scenario, design, experiments,
                        [o.name for o in outcomes], len(chunks))
    return folder, (scenario, experiments, outcomes, args.replicates, seed, chunks)


def _design(args: argparse.Namespace, scenario: Scenario, seed: int):
    if args.method != designs.POSTERIOR:
        inputs = designs.uncertainties(scenario, args.vary)
        return designs.sample(args.method, inputs, args.samples, seed,
                              second_order=args.second_order)
    if args.vary != designs.ALL_ASSUMPTIONS:
        raise UserError("--method posterior draws the calibrated parameters together: it takes "
                        "no --vary", valid="leave out --vary, or use another method")
    from sim.analysis.experiments.uncertainty import posterior_design

    return posterior_design(args.samples, seed)


def _resumed(args: argparse.Namespace):
    folder = args.resume
    design, experiments, meta, status = sweep_writer.read_plan(folder)
    scenario = load_scenario(folder / "scenario.yml")
    sweep_writer.check_resumable(folder, meta, load_scenario(args.scenario)
                                 if args.scenario is not None else None)
    outcomes = sweep.outcomes_of(design["outcomes"], scenario)
    chunks = sweep.chunks(len(experiments), design["chunk_points"])
    if len(chunks) != design["chunks"]:
        raise UserError("the sweep folder's chunks do not match its design", file=str(folder),
                        valid="a folder written by `python -m sim sweep`")
    if status.get("complete"):
        print(f"{folder} is complete already; nothing to do")
    return folder, (scenario, experiments, outcomes, design["replicates"], design["seed"],
                    chunks)
