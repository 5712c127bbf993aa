"""``python -m sim predict``: the 2025 predictions from the calibrated posterior, frozen."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import paths
from sim.analysis.calibration import predict
from sim.commands import arguments
from sim.errors import UserError


def default_out() -> Path:
    root = paths.checkout() or Path.cwd()
    return root / "docs" / "predictions-2025.csv"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help="predict the 2025 polls from the calibrated posterior")
    p.add_argument("--replicates", type=arguments.positive, default=predict.REPLICATES,
                   help=f"replicates per posterior draw (default {predict.REPLICATES})")
    p.add_argument("--out", type=Path, help="CSV to write (default docs/predictions-2025.csv)")
    p.add_argument("--refreeze", action="store_true",
                   help="replace existing predictions that differ (say why in docs/TRACE.md: "
                        "predictions are frozen before the data)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    table = predict.predictions(args.replicates)
    out = args.out or default_out()
    text = predict.csv_text(table)
    print(table.drop(columns="basis").to_string(index=False))
    if out.exists() and out.read_text(encoding="utf-8") == text:
        print(f"{out}: unchanged")
        return 0
    if out.exists() and not args.refreeze:
        raise UserError("these predictions differ from the frozen ones, which are kept",
                        file=str(out), valid="--refreeze to replace them before the data is "
                        "in, with the reason in docs/TRACE.md; or --out another file")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)  # whole or not at all
    print(f"wrote {out}")
    return 0
