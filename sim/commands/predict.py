"""``python -m sim predict``: the 2025 predictions from the calibrated posterior, frozen."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import paths
from sim.analysis import predict
from sim.commands import arguments


def default_out() -> Path:
    root = paths.checkout() or Path.cwd()
    return root / "docs" / "predictions-2025.csv"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help="predict the 2025 polls from the calibrated posterior")
    p.add_argument("--replicates", type=arguments.positive, default=predict.REPLICATES,
                   help=f"replicates per posterior draw (default {predict.REPLICATES})")
    p.add_argument("--out", type=Path, help="CSV to write (default docs/predictions-2025.csv)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    table = predict.predictions(args.replicates)
    out = args.out or default_out()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(predict.csv_text(table), encoding="utf-8")
    print(table.drop(columns="basis").to_string(index=False))
    print(f"wrote {out}")
    return 0
