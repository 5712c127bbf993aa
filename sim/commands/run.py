"""``python -m sim run FILE``: run a scenario's ensemble and write a run folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sim.commands import arguments
from sim.figures.looks import Look
from sim.figures.workers import FigureWorkers
from sim.outputs import run_folder as output
from sim.scenario import Scenario, check_size
from sim.scenario.settings import load_with_settings

# Mesa, pandas and pyarrow are imported by main() and write_run(), not for `python -m sim --help`.
if TYPE_CHECKING:
    from sim.engine.ensemble import Ensemble


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
    from sim.analysis.uncertainty import drawer

    return drawer(scenario, vary)


def write_run(ensemble: Ensemble, folder: Path, plots_too: bool = True,
              seconds: float | None = None, extra: dict | None = None,
              figures: FigureWorkers | None = None,
              with_parameters: Ensemble | None = None, look: Look | None = None,
              formats: tuple[str, ...] = ("png",)) -> str:
    """Write the run folder whole (or not at all); return the summary text.

    ``extra`` maps file names to further tables (DataFrames) to write as CSV beside the results.
    With ``figures`` (started workers, closed here), the plots are drawn there while the tables
    are written; without, here after them. ``with_parameters`` is the same run with parameter
    uncertainty: its band joins the summary table, the plots and the printed summary, and its
    drawn values are written to ``parameters.csv``. ``look`` (default the report's) and
    ``formats`` say how the figures are drawn and in which files.
    """
    from sim.analysis import tables as results
    from sim.analysis.event_record import event_record
    from sim.engine.schedule import stream_names
    from sim.outputs.report import summary_text

    scenario = ensemble.scenario
    summary = results.quantiles(ensemble)
    end = results.end_state(ensemble)
    wider_end = None
    if scenario.policies.any:  # what the actors' decision rules did, per replicate
        from sim.outputs.decisions import decision_table

        extra = {**(extra or {}), "decisions.csv": decision_table(ensemble)}
    if with_parameters is not None:
        summary = results.with_parameter_band(summary, results.quantiles(with_parameters))
        wider_end = results.end_state(with_parameters)
        extra = {**(extra or {}), "parameters.csv": results.drawn_parameters(with_parameters)}
    text = summary_text(ensemble, end, wider_end)
    with output.atomic_folder(folder) as tmp:
        try:
            if plots_too and figures is not None:
                figures.draw(summary, scenario, tmp / "plots", look, formats)
            results.write_tidy(ensemble, tmp / "results.parquet")
            summary.to_csv(tmp / "summary.csv", index=False, float_format="%.5g")
            end.to_csv(tmp / "end_state.csv", index=False, float_format="%.5g")
            results.bloc_energy(ensemble).to_csv(tmp / "bloc_energy.csv", index=False,
                                                 float_format="%.5g")
            results.per_replicate(ensemble).to_csv(tmp / "replicates.csv", index=False)
            output.write_yaml(tmp / "scenario.yml", scenario.as_dict())
            output.write_json(tmp / "metadata.json", output.metadata(
                scenario, ensemble.seed, ensemble.replicates, stream_names(scenario.events),
                run_seconds=seconds, commitment_tests=float(ensemble.commitment_tests.sum()),
                commitments_honoured=float(ensemble.commitments_honoured.sum())))
            (tmp / "summary.txt").write_text(text + "\n", encoding="utf-8")
            event_record(scenario, ensemble.seed, ensemble.replicates).to_csv(  # which moved
                tmp / "events.csv", index=False, float_format="%.5g")
            for name, table in (extra or {}).items():
                table.to_csv(tmp / name, index=False, float_format="%.5g")
            if plots_too and figures is not None:
                figures.wait()
            elif plots_too:
                from sim.figures import run as plots  # matplotlib is slow to import

                plots.make_plots(ensemble, summary, tmp / "plots", look or plots.REPORT,
                                 formats)
        finally:
            if figures is not None:
                figures.close()  # before a failed folder is removed: no worker writes into it
    return text
