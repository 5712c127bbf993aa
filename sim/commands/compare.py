"""``python -m sim compare A.yml B.yml [C.yml ...]``: run scenarios with common random numbers and
write their levels, their paired differences from the first, and plots, into one run folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.analysis import compare
from sim.commands import arguments
from sim.commands.progress import progress_bar
from sim.engine.schedule import stream_names
from sim.errors import UserError
from sim.figures.looks import REPORT, Look
from sim.outputs import run_folder as output
from sim.scenario import Scenario, check_size
from sim.scenario.settings import load_with_settings

FOCUS = ("JPN",)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="run scenarios with the same seed; write levels, paired differences "
                        "from the first, and plots")
    p.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO",
                   help="two or more scenario YAML files; the first is the reference")
    p.add_argument("--out", type=Path, help="run folder to create (default: runs/compare-...)")
    p.add_argument("--seed", type=arguments.seed,
                   help="root seed for every scenario (default: the first's)")
    p.add_argument("--replicates", type=arguments.positive,
                   help="replicates of every scenario (default: the first's)")
    p.add_argument("--workers", type=arguments.workers, default=1,
                   help="worker processes (same numbers)")
    p.add_argument("--at", type=arguments.reading, default="end",
                   help="when to read the headline differences: end (default), YYYY-MM, low "
                        "(each replicate's lowest), loss (below the start, summed), ...")
    p.add_argument("--no-plots", action="store_true", help="skip the plots")
    arguments.add_look(p)
    arguments.add_settings(p)
    p.set_defaults(func=main)


def load_all(paths: list[Path], replicates: int | None, seed: int | None,
             settings: list[tuple[str, float]] = ()) -> list[Scenario]:
    """Load the files, check they can be compared and that the runs fit in memory."""
    if len(paths) < 2:
        raise UserError("compare needs at least two scenario files",
                        valid="python -m sim compare A.yml B.yml [C.yml ...]")
    if replicates is not None and replicates < 1:
        raise UserError("--replicates must be at least 1", valid="a positive whole number")
    scenarios = [load_with_settings(p, settings) for p in paths]
    compare.check_comparable(scenarios)
    size = {"seed": scenarios[0].seed if seed is None else seed,
            "replicates": scenarios[0].replicates if replicates is None else replicates}
    scenarios = [s.model_copy(update=size) for s in scenarios]
    for s in scenarios:
        check_size(s)
    return scenarios


def main(args: argparse.Namespace) -> int:
    scenarios = load_all(args.scenarios, args.replicates, args.seed, args.settings)
    look = arguments.look(args, scenarios[0].allies())  # the focus plot is of an ally
    folder = output.prepare(
        args.out, "compare-" + "-vs-".join(dict.fromkeys(s.name for s in scenarios)))
    started = time.perf_counter()
    total = len(scenarios) * scenarios[0].replicates
    with progress_bar(f"Running {len(scenarios)} scenarios", total) as advance:
        comparison = compare.compare(scenarios, workers=args.workers, progress=advance)
    text = write_comparison(comparison, folder, args.at, plots_too=not args.no_plots,
                            seconds=time.perf_counter() - started, look=look,
                            formats=args.formats)
    print(text)
    print(f"\nWrote {folder}")
    return 0


def write_comparison(comparison: compare.Comparison, folder: Path, at: str = "end",
                     plots_too: bool = True, seconds: float | None = None,
                     look: Look = REPORT, formats: tuple[str, ...] = ("png",)) -> str:
    """Write the comparison folder whole (or not at all); return the printed table. The figures
    are drawn in ``look`` (its focus actor gets the focus plot, else :data:`FOCUS`) and written
    in each of ``formats``."""
    reference = comparison.reference.scenario
    end = compare.differences_at(comparison, at)
    names = {c: spec.name for c, spec in reference.actors.items()}
    poles = (names[reference.challenger], names[reference.patron])
    text = compare.format_differences(end, names, poles)
    with output.atomic_folder(folder) as tmp:
        levels = compare.level_table(comparison)
        differences = compare.difference_table(comparison)
        levels.to_csv(tmp / "comparison.csv", index=False, float_format="%.6g")
        differences.to_csv(tmp / "differences.csv", index=False, float_format="%.6g")
        end.to_csv(tmp / "differences_at.csv", index=False, float_format="%.6g")
        (tmp / "differences_at.txt").write_text(text + "\n", encoding="utf-8")
        (tmp / "scenarios").mkdir()
        for k, (label, ensemble) in enumerate(zip(comparison.labels, comparison.ensembles,
                                                  strict=True), start=1):
            output.write_yaml(tmp / "scenarios" / f"{k}_{output.slug(label)}.yml",
                              ensemble.scenario.as_dict())
        if plots_too:
            from sim.figures import (
                compare as plots_compare,  # matplotlib is slow to import; only plots need it
            )

            plots_compare.make_comparison_plots(
                levels, differences, comparison.scenarios, tmp / "plots",
                focus=(look.focus,) if look.focus else FOCUS, look=look, formats=formats)
        output.write_json(tmp / "metadata.json", _metadata(comparison, tmp, seconds))
    return text


def _metadata(comparison: compare.Comparison, tmp: Path, seconds: float | None) -> dict:
    first = comparison.reference.scenario
    meta = output.metadata(first, comparison.seed, comparison.replicates, [],
                           run_seconds=seconds)
    for key in ("scenario", "scenario_files", "scenario_hash", "streams"):
        meta.pop(key)
    meta["comparison"] = ("each scenario ran with the same seed and replicates (common random "
                          "numbers); differences are scenario minus the first, per replicate")
    meta["scenarios"] = [
        {"label": label, "name": e.scenario.name, "files": e.scenario.files,
         "scenario_hash": e.scenario.digest(), "events": len(e.scenario.events),
         "streams": stream_names(e.scenario.events)}
        for label, e in zip(comparison.labels, comparison.ensembles, strict=True)]
    meta["files"] = sorted([str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file()]
                           + ["metadata.json"])
    return meta

