"""``python -m sim discover SWEEP_DIR --where EXPR``: which assumptions lead to an outcome.

Reads a complete sweep folder, marks the points where the condition holds in at least ``--share``
of the replicates, runs PRIM over the sweep's parameters, picks a box from the peeling trajectory,
checks it on fresh samples, and writes ``SWEEP_DIR/discovery-<slug>/`` (or ``--out``) whole or not
at all (:mod:`sim.analysis.experiments.discovery`).
"""

from __future__ import annotations

import argparse
import re
import zlib
from pathlib import Path

import pandas as pd

from sim.analysis.experiments import conditions, discovery
from sim.analysis.experiments.sweep_reader import read_sweep
from sim.commands import arguments
from sim.errors import UserError
from sim.figures.looks import Look
from sim.outputs import run_folder as output

DEFAULT_FRESH = 100  # fresh points drawn in the box, and as many in the whole space


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "discover", help="scenario discovery: which ranges of the swept assumptions make a "
                         "condition on the outcomes likely (PRIM)")
    p.add_argument("sweep", type=Path, help="a complete sweep folder (python -m sim sweep)")
    p.add_argument("--where", required=True, metavar="EXPR",
                   help="condition over outcome names, e.g. \"alignment_security:JPN@end < 0.5 "
                        "or trust:JPN:US@2025-07 < 0.25\" (and, or, not, parentheses; names "
                        "bare or in backticks)")
    p.add_argument("--share", type=_fraction, default=0.5,
                   help="a point is of interest when the condition holds in at least this share "
                        "of its replicates (default: 0.5)")
    p.add_argument("--min-coverage", type=_fraction, default=0.5,
                   help="choose the densest box covering at least this share of the points of "
                        "interest (default: 0.5)")
    p.add_argument("--box", type=_count, help="choose box K of the trajectory instead "
                                           "(see trajectory.csv)")
    p.add_argument("--fresh", type=_count, default=DEFAULT_FRESH,
                   help=f"fresh points to run in the box, and as many in the whole space, to "
                        f"check it out of sample; 0 skips (default: {DEFAULT_FRESH})")
    p.add_argument("--seed", type=arguments.seed,
                   help="seed of the fresh samples and their runs (default: the sweep's)")
    p.add_argument("--out", type=Path, help="folder to create (default: "
                                            "SWEEP_DIR/discovery-<slug of the condition>)")
    arguments.add_look(p, focus=False)
    p.set_defaults(func=main)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, got {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share above 0 and at most 1, got {text!r}")
    return value


def slug(condition: str) -> str:
    """A folder-safe name for a condition, with a short hash so near-identical ones differ."""
    words = re.sub(r"[^a-z0-9]+", "-", condition.lower()).strip("-")[:48].strip("-")
    return f"{words or 'condition'}-{zlib.crc32(condition.encode()):08x}"[:60]


def main(args: argparse.Namespace, evaluate: discovery.Evaluate | None = None) -> int:
    """Run the verb; ``evaluate`` runs fresh design points (default: the sweep's evaluator)."""
    sweep = read_sweep(args.sweep)
    condition = conditions.parse(args.where)
    conditions.check_names(condition, sweep.outcomes["outcome"].unique())
    folder = output.prepare(args.out or args.sweep / f"discovery-{slug(condition.text)}", "")
    interest = discovery.points_of_interest(sweep.outcomes, condition, args.share)
    found = int(interest["of_interest"].sum())
    if found == 0 or found == len(interest):
        what = "no point is" if found == 0 else "every point is"
        raise UserError(f"{what} of interest ({condition.text} holds in at least "
                        f"{args.share:.0%} of the replicates of {found} of {len(interest)} "
                        f"points): there is nothing to tell apart; nothing was written",
                        where="--where", valid="a condition that holds at some points and not "
                                               "at others, or another --share")
    seed = sweep.design["seed"] if args.seed is None else args.seed
    result = _discover(sweep, condition, interest, args, seed, evaluate)
    _write(folder, result, arguments.look(args), args.formats)
    print(result["summary"])
    print(f"\nWrote {folder}")
    return 0


def _discover(sweep, condition: conditions.Condition, interest, args, seed: int,
              evaluate: discovery.Evaluate | None) -> dict:
    bounds = discovery.bounds_of(sweep.design)
    peeling = discovery.peel(sweep.experiments[list(bounds)], interest["of_interest"].to_numpy())
    chosen = discovery.choose_box(peeling.trajectory, args.min_coverage, args.box)
    box = discovery.box_table(peeling.limits[chosen], peeling.limits[0], bounds)
    note = ""
    if args.fresh == 0:
        note = "(--fresh 0)"
    elif evaluate is None:
        evaluate, note = sweep_evaluator(args.sweep, sweep, condition, seed)
    fresh = None
    if evaluate is not None and args.fresh > 0:
        fresh = discovery.fresh_check(box, bounds, evaluate, condition, args.share,
                                      args.fresh, seed)
    if note and fresh is None:
        print(f"note: fresh check skipped: {note}")
    trajectory = peeling.trajectory.assign(chosen=peeling.trajectory["box"] == chosen)
    text = discovery.summary(condition, args.share, interest, trajectory, chosen, box, fresh,
                             note)
    settings = {"condition": condition.text, "outcomes_read": condition.names,
                "share": args.share, "min_coverage": args.min_coverage, "box": args.box,
                "chosen_box": chosen, "fresh_points": args.fresh if fresh is not None else 0,
                "seed": seed, "sweep": str(args.sweep), "prim": _prim_version(),
                "peel_alpha": discovery.PEEL_ALPHA, "mass_min": discovery.MASS_MIN}
    return {"points": sweep.experiments.merge(interest, on="point"), "trajectory": trajectory,
            "chosen": chosen, "box": box, "fresh": fresh, "summary": text,
            "settings": settings}


def sweep_evaluator(path: Path, sweep, condition: conditions.Condition,
                    seed: int) -> tuple[discovery.Evaluate | None, str]:
    """The sweep runner's ``evaluate_points`` on the scenario the sweep ran
    (``SWEEP_DIR/scenario.yml``), reading only the outcomes the condition needs; or a note why
    not."""
    try:
        from sim.analysis.experiments.sweep import evaluate_points, outcomes_of
    except ImportError as exc:
        return None, f"the sweep evaluator is not available ({exc})"
    if not (path / "scenario.yml").is_file():
        return None, f"{path} has no scenario.yml to run fresh points with"
    from sim.scenario import load_scenario

    scenario = load_scenario(path / "scenario.yml")
    outcomes = outcomes_of(condition.names, scenario)
    replicates = int(sweep.design["replicates"])

    def evaluate(experiments: pd.DataFrame) -> pd.DataFrame:
        return evaluate_points(scenario, experiments, outcomes, replicates, seed)

    return evaluate, ""


def _prim_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"ema_workbench {version('ema_workbench')} (ema_workbench.analysis.prim)"
    except PackageNotFoundError:
        return "ema_workbench"


def _write(folder: Path, result: dict, look: Look, formats: tuple[str, ...]) -> None:
    from sim.figures.discovery import write_trajectory_plot  # matplotlib only when writing

    with output.atomic_folder(folder) as tmp:
        result["box"].to_csv(tmp / "box.csv", index=False, float_format="%.6g")
        result["trajectory"].to_csv(tmp / "trajectory.csv", index=False, float_format="%.6g")
        result["points"].to_csv(tmp / "points.csv", index=False, float_format="%.6g")
        if result["fresh"] is not None:
            result["fresh"].to_csv(tmp / "fresh_check.csv", index=False, float_format="%.6g")
        settings = result["settings"]
        write_trajectory_plot(result["trajectory"], result["chosen"], tmp / "trajectory.png",
                              settings["condition"],
                              settings["min_coverage"] if settings["box"] is None else None,
                              look, formats)
        (tmp / "summary.txt").write_text(result["summary"] + "\n", encoding="utf-8")
        output.write_json(tmp / "discovery.json", result["settings"])
