"""``python -m sim attribute FILE``: which event cost how much trust.

Runs the scenario, the scenario without each dated event, and the scenario without any, all with
the same seed (common random numbers), and writes the paired effects
(:mod:`sim.analysis.attribute`):
leave-one-out effects, their sum, the interaction and the total; optionally Shapley values.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from sim.analysis import attribute
from sim.commands import arguments
from sim.commands.progress import progress_bar
from sim.engine.schedule import stream_names
from sim.errors import UserError
from sim.figures.looks import REPORT, Look
from sim.outputs import run_folder as output
from sim.scenario import Scenario, check_size
from sim.scenario.settings import load_with_settings

DEFAULT_REPLICATES = 100  # every counterfactual is a full ensemble


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "attribute", help="which event cost how much trust: counterfactual runs without each "
                          "dated event, paired by replicate")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path, help="run folder to create (default: runs/attribute-...)")
    p.add_argument("--seed", type=arguments.seed,
                   help="root seed of every run (default: the scenario's)")
    p.add_argument("--replicates", type=arguments.positive, default=DEFAULT_REPLICATES,
                   help=f"replicates of every run (default: {DEFAULT_REPLICATES})")
    p.add_argument("--actors", type=_codes, default=["JPN"],
                   help="focus actors for the printed tables and waterfalls, e.g. JPN,KOR "
                        "(default: JPN); the CSV covers every ally and partner")
    p.add_argument("--shapley", action="store_true",
                   help=f"also Shapley values at the final month: exact up to "
                        f"{attribute.MAX_EXACT_SHAPLEY} dated events, else use --orders")
    p.add_argument("--orders", type=arguments.positive,
                   help=f"with --shapley: sample this many event orders instead of all subsets "
                        f"(at most {attribute.MAX_ORDERS})")
    p.add_argument("--workers", type=arguments.workers, default=1,
                   help="worker processes (same numbers)")
    p.add_argument("--at", type=arguments.reading, default="end",
                   help="read each run at: end (default), YYYY-MM, low (each replicate's "
                        "lowest), loss (below the start, summed), ...")
    p.add_argument("--no-plots", action="store_true", help="skip the waterfall plots")
    arguments.add_look(p, focus=False)  # each waterfall is of one actor already (--actors)
    arguments.add_settings(p)
    p.set_defaults(func=main)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def prepared(args: argparse.Namespace) -> Scenario:
    """The scenario with --seed and --replicates applied, and the focus actors checked."""
    if args.replicates < 1:
        raise UserError("--replicates must be at least 1", valid="a positive whole number")
    if args.orders is not None and (args.orders < 1 or not args.shapley):
        raise UserError("--orders needs --shapley and a positive number",
                        valid="--shapley --orders 20")
    attribute.check_orders(args.orders)
    scenario = load_with_settings(args.scenario, args.settings)
    update = {"replicates": args.replicates}
    if args.seed is not None:
        update["seed"] = args.seed
    scenario = scenario.model_copy(update=update)
    check_size(scenario)
    focus = scenario.allies()
    unknown = [c for c in args.actors if c not in focus]
    if unknown or not args.actors:
        raise UserError(f"not an ally or partner of the patron: {', '.join(unknown) or '(none)'}",
                        where="--actors", valid="comma-separated codes from " + ", ".join(focus))
    return scenario


def main(args: argparse.Namespace) -> int:
    scenario = prepared(args)
    folder = output.prepare(args.out, f"attribute-{scenario.name}")
    started = time.perf_counter()
    dated, _ = attribute.split_events(scenario)
    runs = len(dated) + 2
    with progress_bar(f"Attribution: {runs} runs", runs * scenario.replicates) as advance:
        result = attribute.attribute(scenario, workers=args.workers, progress=advance)
    table = attribute.attribution_table(result, args.at)
    shapley = None
    if args.shapley:
        shapley = _shapley(result, args.orders, args.workers)
        table = pd.concat([table, attribute.shapley_table(shapley, result)], ignore_index=True)
    text = "\n\n".join(attribute.format_attribution(table, result, actor, at=args.at)
                       for actor in args.actors)
    if shapley is not None:
        text += "\n\n" + "\n\n".join(attribute.format_shapley(table, result, actor, shapley)
                                     for actor in args.actors)
    write_attribution(result, table, text, folder, args.actors, plots_too=not args.no_plots,
                      seconds=time.perf_counter() - started, shapley=shapley,
                      look=arguments.look(args), formats=args.formats)
    print(text)
    print(f"\nWrote {folder}")
    return 0


def _shapley(result: attribute.Attribution, orders: int | None,
             workers: int) -> attribute.Shapley:
    if orders is None and len(result.attributed) > attribute.MAX_EXACT_SHAPLEY:
        attribute.shapley(result, orders)  # raises the explanation
    todo, _ = attribute.shapley_plan(result, orders)
    label = f"Shapley: {len(todo)} more runs"
    with progress_bar(label, max(1, len(todo)) * result.scenario.replicates) as advance:
        return attribute.shapley(result, orders, workers=workers, progress=advance)


def write_attribution(result: attribute.Attribution, table: pd.DataFrame, text: str,
                      folder: Path, actors: list[str], plots_too: bool = True,
                      seconds: float | None = None,
                      shapley: attribute.Shapley | None = None, look: Look = REPORT,
                      formats: tuple[str, ...] = ("png",)) -> None:
    """Write the attribution folder whole (or not at all), its figures in ``look`` and each of
    ``formats``."""
    sc = result.scenario
    with output.atomic_folder(folder) as tmp:
        table.to_csv(tmp / "attribution.csv", index=False, float_format="%.6g")
        (tmp / "attribution.txt").write_text(text + "\n", encoding="utf-8")
        output.write_yaml(tmp / "scenario.yml", sc.as_dict())
        if plots_too:
            from sim.figures import (
                compare as plots_compare,  # matplotlib is slow to import; only plots need it
            )

            plots_compare.make_attribution_plots(result, tmp / "plots", actors, look, formats)
        meta = output.metadata(sc, sc.seed, sc.replicates, stream_names(sc.events),
                               run_seconds=seconds, runs=result.runs)
        meta["attribution"] = {
            "method": ("paired by replicate (common random numbers). leave-one-out effect of e "
                       "= full - full without e; total = full - no dated events (background "
                       "only); interaction = total - sum of leave-one-out effects"),
            "attributed_events": [e.key for e in result.attributed],
            "background_events_not_attributed": [e.key for e in result.background],
            "at": "final: the last month; peak: the month of the largest |median effect|",
            "shapley": None if shapley is None else {
                "orders": shapley.orders or "exact (every subset)", "extra_runs": shapley.runs},
        }
        meta["files"] = sorted([str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file()]
                               + ["metadata.json"])
        output.write_json(tmp / "metadata.json", meta)
