"""``python -m sim validate FILE``: check a scenario without running it."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.scenario import load_scenario


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("scenarios", type=Path, nargs="+", help="scenario YAML files")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    for path in args.scenarios:
        s = load_scenario(path)
        chain = " <- ".join(Path(f).name for f in s.files)
        print(f"{path}: ok ({s.name}; {len(s.actors)} actors, {len(s.events)} events, "
              f"{s.horizon_months} months from {s.start:%Y-%m}, {s.replicates} replicates; "
              f"inherits {chain})")
    return 0
