"""``python -m sim sensitivity SWEEP_DIR``: which parameters move a sweep's outcomes.

Reads a sweep folder (:mod:`sim.analysis.experiments.sweep_reader`), averages each point's
replicates (the analysis is of the expected outcome), computes Sobol indices or Morris elementary
effects (:mod:`sim.analysis.experiments.sensitivity`) and writes ``sensitivity.csv``,
``metadata.json`` and one plot per outcome into ``SWEEP_DIR/sensitivity`` (or ``--out``), whole or
not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import sim
from sim.analysis.experiments import sensitivity as sa
from sim.analysis.experiments.sweep_reader import Sweep, read_sweep
from sim.commands import arguments
from sim.errors import UserError
from sim.figures.looks import REPORT, Look
from sim.outputs import run_folder as output

MEANING = {
    "S1": "first-order Sobol index: share of the expected outcome's variance due to the "
          "parameter alone",
    "ST": "total Sobol index: share due to the parameter with all its interactions",
    "S2": "second-order Sobol index: share due to the interaction of the two parameters",
    "mu_star": "Morris mu*: mean absolute elementary effect (importance), per whole range",
    "mu": "Morris mu: mean signed elementary effect (direction), per whole range",
    "sigma": "Morris sigma: spread of the elementary effects (non-linearity or interaction)",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sensitivity", help="Sobol indices or Morris screening of a sweep's outcomes; write a "
                            "table and one plot per outcome")
    p.add_argument("sweep", type=Path, metavar="SWEEP_DIR",
                   help="sweep folder written by `python -m sim sweep FILE`")
    p.add_argument("--outcome", action="append", metavar="NAME",
                   help="outcome to analyse (repeatable; default: all of the sweep's)")
    p.add_argument("--out", type=Path, help="folder to create (default: SWEEP_DIR/sensitivity)")
    p.add_argument("--top", type=arguments.positive, default=3,
                   help="parameters per outcome in the printed table (default: 3)")
    p.add_argument("--no-plots", action="store_true", help="skip the plots")
    arguments.add_look(p, focus=False)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    sweep = read_sweep(args.sweep)
    sa.check_method(sweep.method)
    sa.choose_outcomes(sweep.outcome_names, args.outcome)
    folder = output.prepare(args.out or args.sweep / "sensitivity", "")
    result = sa.analyse(sweep, args.outcome)
    if result.table.empty:
        raise UserError("no chosen outcome varies over the sweep, so no parameter moves it",
                        valid="other outcomes, or wider parameter ranges")
    write_sensitivity(result, sweep, folder, plots_too=not args.no_plots,
                      look=arguments.look(args), formats=args.formats)
    print_summary(result, sweep, args.top)
    print(f"\nWrote {folder}")
    return 0


def write_sensitivity(result: sa.Sensitivity, sweep: Sweep, folder: Path,
                      plots_too: bool = True, look: Look = REPORT,
                      formats: tuple[str, ...] = ("png",)) -> None:
    """Write the folder whole (or not at all), the plots in ``look`` and each of ``formats``."""
    with output.atomic_folder(folder) as tmp:
        result.table.to_csv(tmp / "sensitivity.csv", index=False, float_format="%.6g")
        output.write_json(tmp / "metadata.json", _metadata(result, sweep))
        if plots_too:
            from sim.figures import (
                sensitivity as plots,  # matplotlib is slow to import; only plots need it
            )

            plots.make_sensitivity_plots(result.table, result.method, tmp / "plots",
                                         replicates=sweep.design["replicates"], look=look,
                                         formats=formats)


def _metadata(result: sa.Sensitivity, sweep: Sweep) -> dict:
    from importlib.metadata import version

    return {
        "sweep": str(sweep.folder),
        "method": result.method,
        "analysed": (f"the expected outcome: the mean of the {sweep.design['replicates']} "
                     "replicates at each point, before any index is computed"),
        "indices": {k: v for k, v in MEANING.items() if k in set(result.table["index"])},
        "conf": (f"half-width of the {sa.CONF_LEVEL:.0%} bootstrap interval "
                 f"({sa.RESAMPLES} resamples; none for mu and sigma)"),
        "bootstrap_seed": sa.bootstrap_seed(sweep.design["seed"]),
        "outcomes": sorted(set(result.table["outcome"])),
        "flat_outcomes": list(result.flat),
        "replicate_noise": {k: round(float(v), 6) for k, v in result.noise.items()},
        "replicate_noise_means": ("share of the outcome's variance between replicates of the "
                                  "same point: randomness the averaging removes"),
        "design": sweep.design,
        "package_version": sim.__version__,
        "git_revision": output.git_revision(),
        "salib": version("SALib"),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def print_summary(result: sa.Sensitivity, sweep: Sweep, top: int) -> None:
    """The top parameters per outcome, as a rich table."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    index = sa.MAIN_INDEX[result.method]
    label = {"ST": "ST (total share)", "mu_star": "mu* (mean |effect|)"}[index]
    table = Table(title=f"{'Sobol' if result.method == 'sobol' else 'Morris'} sensitivity of "
                        f"the expected outcome (mean of {sweep.design['replicates']} "
                        "replicates per point)", title_justify="left")
    for column in ("outcome", "#", "parameter", label, "± 95%", "replicate noise"):
        table.add_column(column, justify="right" if column not in ("outcome", "parameter")
                         else "left", overflow="fold")
    value_format = ".3f" if result.method == "sobol" else ".3g"
    shown = sa.top_parameters(result, top)
    for outcome, rows in shown.groupby("outcome", sort=False):
        name = f"{escape(sa.describe_outcome(outcome))}\n[dim]{escape(outcome)}[/dim]"
        noise = f"{result.noise[outcome]:.0%}"
        for row in rows.itertuples(index=False):
            first = row.rank == 1
            unsure = " †" if row.conf > abs(row.value) else ""
            table.add_row(name if first else "", str(row.rank), escape(row.parameter),
                          f"{row.value:{value_format}}{unsure}", _half_width(row.conf, row.value),
                          noise if first else "", end_section=row.rank == len(rows))
    console = Console(width=120)
    console.print(table)
    notes = []
    if not sa.wider_than_index(shown).empty:
        notes.append("† the interval is wider than the index: not told apart from zero.")
    if result.flat:
        notes.append(f"Not analysed (the same expected value at every point): "
                     f"{', '.join(result.flat)}.")
    notes.append("Replicate noise: share of the outcome's variance between replicates of one "
                 "point, which averaging removes.")
    console.print("\n".join(notes), highlight=False)


def _half_width(conf: float, value: float) -> str:
    """The interval's half-width to two figures; 0 when it is rounding noise beside the value."""
    return "0" if conf <= 1e-9 * max(1.0, abs(value)) else f"{conf:.2g}"
