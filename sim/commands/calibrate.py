"""``python -m sim calibrate``: fit response speeds to the first Trump term's surveys."""

from __future__ import annotations

import argparse

from sim.analysis import calibrate
from sim.commands import arguments


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="fit response speed and size to first-term surveys")
    p.add_argument("--replicates", type=arguments.positive, default=64,
                   help="replicates per evaluation")
    p.add_argument("--grid", type=arguments.grid_points, default=6,
                   help="grid points per parameter")
    p.add_argument("--write", action="store_true",
                   help="make the fitted values the defaults (rewrites sim/calibrated.py)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.write:
        calibrate.check_writable()
    record = calibrate.fit(calibrate.first_term(), replicates=args.replicates, grid=args.grid,
                           progress=lambda msg: print(msg, flush=True))
    print(f"\nfitted: {record['values']}  RMSE {record['rmse_points']:.2f} survey points")
    print(f"{'actor':<6}{'measure':<18}{'when':<24}{'survey':>8}{'model':>8}")
    for t in record["targets"]:
        when = f"{t['since']} to {t['date']}" if t["since"] else t["date"]
        print(f"{t['actor']:<6}{t['measure']:<18}{when:<24}{t['survey']:>+8.2f}"
              f"{t['model']:>+8.2f}")
    if args.write:
        calibrate.write_calibrated(record)
        print(f"\nwrote {calibrate.CALIBRATED_FILE}")
    return 0
