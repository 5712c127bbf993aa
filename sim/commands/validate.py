"""``python -m sim validate FILE...``: check scenarios without running them.

Every file is checked, and every problem found in each is shown, in line order: a teacher can
check a folder of students' files at once. Exit code 2 if any file has a problem, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.analysis.event_record import silent_events
from sim.errors import UserError, problems
from sim.scenario import load_scenario


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("scenarios", type=Path, nargs="+", help="scenario YAML files")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.scenarios:
        try:
            s = load_scenario(path)
        except UserError as exc:
            failed += 1
            found = problems(exc)
            print(f"{path}: {len(found)} problem{'s' if len(found) > 1 else ''}",
                  file=sys.stdout, flush=True)
            for problem in found:
                print(f"error: {problem}", file=sys.stderr, flush=True)
            continue
        chain = " <- ".join(Path(f).name for f in s.files)
        print(f"{path}: ok ({s.name}; {len(s.actors)} actors, {len(s.events)} events, "
              f"{s.horizon_months} months from {s.start:%Y-%m}, {s.replicates} replicates; "
              f"inherits {chain})", flush=True)
        for line in silent_events(s):  # a warning, not a failure: the file is valid
            print(f"{path}: {line}", flush=True)
    if failed and len(args.scenarios) > 1:
        print(f"{failed} of {len(args.scenarios)} files have problems", file=sys.stderr,
              flush=True)
    return 2 if failed else 0
