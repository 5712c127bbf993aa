"""Command line: ``python -m sim VERB ...``. A thin layer over the package.

Bad input (a :class:`~sim.errors.UserError`) is printed as a located message, never a traceback,
and exits with code 2. Only the chosen verb's module is imported, so ``validate`` does not pay for
Mesa, pandas and matplotlib.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sim import __version__
from sim.errors import UserError

COMMANDS = {  # verb -> module with add_parser(subparsers) and main(args)
    "run": "sim.commands.run",
    "validate": "sim.commands.validate",
    "params": "sim.commands.params",
    "patterns": "sim.commands.patterns",
    "compare": "sim.commands.compare",
    "attribute": "sim.commands.attribute",
    "calibrate": "sim.commands.calibrate",
    "docs": "sim.commands.docs",
    "sweep": "sim.commands.sweep",
    "sensitivity": "sim.commands.sensitivity",
    "discover": "sim.commands.discover",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser for every verb, or for ``only`` one of them."""
    parser = argparse.ArgumentParser(
        prog="python -m sim",
        description="Simulate trust, hedging and alliance politics when a patron's reliability "
                    "comes into doubt.")
    parser.add_argument("--version", action="version", version=f"alliance-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb, module in COMMANDS.items():
        if only in (None, verb):
            importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    verb = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(verb).parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
