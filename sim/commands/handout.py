"""``python -m sim handout RUN_DIR``: a self-contained HTML handout of a run for students."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("handout", help="write a student handout (one HTML file, prints to PDF) "
                                       "from a run folder")
    p.add_argument("run_dir", type=Path, help="a folder written by 'python -m sim run'")
    p.add_argument("--out", type=Path,
                   help="HTML file to create (default: RUN_DIR-handout.html beside the folder; "
                        "the run folder itself is never changed)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from sim.outputs.handout import write

    folder = args.run_dir
    out = args.out or folder.resolve().with_name(folder.resolve().name + "-handout.html")
    print(f"Wrote {write(folder, out)}")
    return 0
