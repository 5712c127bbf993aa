"""``python -m sim calibrate``: ABC calibration on the first Trump term and the 2021 rebound."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import paths
from sim.analysis.calibration import calibrate
from sim.commands import arguments

D = calibrate.DEFAULTS


def share(text: str) -> float:
    """A share in (0, 1], refused by argparse otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value:g} is not in (0, 1]")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="ABC calibration on the first Trump term and the 2021 "
                       "rebound, with an identifiability report")
    p.add_argument("--samples", type=arguments.positive, default=D["samples"],
                   help=f"prior points drawn (default {D['samples']})")
    p.add_argument("--replicates", type=arguments.positive, default=D["replicates"],
                   help=f"replicates per point (default {D['replicates']})")
    p.add_argument("--accept", type=share, default=D["accept"],
                   help=f"share of points kept (default {D['accept']})")
    p.add_argument("--seed", type=arguments.seed, default=D["seed"])
    p.add_argument("--figures", type=Path, help="folder for the pairs and predictive plots")
    p.add_argument("--write", action="store_true",
                   help="store the posterior (sim/evidence/posterior.csv), make its medians the "
                        "defaults (sim/evidence/calibrated.py) and regenerate docs/VALIDATION.md "
                        "and docs/calibration/*.png")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.write:
        calibrate.check_writable()

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total} points simulated", end="" if done < total else "\n", flush=True)

    result, record = calibrate.run(args.samples, args.replicates, args.accept, args.seed,
                                   progress)
    print(report(record))
    figures = args.figures or (paths.checkout() / "docs" / "calibration" if args.write else None)
    if figures:
        save_figures(result, record, figures)
    if args.write:
        calibrate.write(result, record)
        from sim.outputs import validation
        validation.write(record)
        print(f"wrote {calibrate.POSTERIOR_FILE}, {calibrate.CALIBRATED_FILE}, "
              f"{validation.VALIDATION_FILE} and {figures}")
    return 0


def save_figures(result, record: dict, folder: Path) -> None:
    import matplotlib.pyplot as plt

    from sim.figures import calibration as fig

    folder.mkdir(parents=True, exist_ok=True)
    for name, figure in (("pairs", fig.pairs(result.prior, result.posterior, calibrate.FITTED)),
                         ("predictive", fig.predictive(record["targets"]))):
        figure.savefig(folder / f"{name}.png", dpi=90, metadata={"Software": None},
                       bbox_inches="tight")  # long poll labels must not be cut
        plt.close(figure)


def report(record: dict) -> str:
    from sim.outputs.validation import identifiability_lines

    lines = [f"ABC rejection: {record['accepted']} of {record['samples']} points kept "
             f"(x {record['replicates']} replicates), tolerance {record['tolerance']:.2f} "
             "(RMS z-score)"]
    lines += identifiability_lines(record)
    covered = sum(t["covered"] for t in record["targets"])
    lines.append(f"posterior predictive: {covered} of {len(record['targets'])} targets inside "
                 "their 90% band")
    for t in record["targets"]:
        mark = "ok  " if t["covered"] else "MISS"
        lines.append(f"  {mark} {t['actor']} {t['construct']:<32}{t['date'][:7]}  survey "
                     f"{100 * t['survey']:5.1f}  model {100 * t['median']:5.1f} "
                     f"[{100 * t['low']:5.1f}, {100 * t['high']:5.1f}]")
    return "\n".join(lines)
