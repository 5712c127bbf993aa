"""Command line: ``python -m sim VERB ...``. A thin layer over the package.

Bad input (a :class:`~sim.errors.UserError`) is printed as a located message, never a traceback,
and exits with code 2.
"""

from __future__ import annotations

import argparse
import sys

from sim import __version__
from sim.commands import (
    attribute,
    calibrate,
    compare,
    docs,
    params,
    patterns,
    run,
    validate,
)
from sim.errors import UserError

COMMANDS = (run, validate, params, patterns, compare, attribute, calibrate, docs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sim",
        description="Simulate trust, hedging and alliance politics when a patron's reliability "
                    "comes into doubt.")
    parser.add_argument("--version", action="version", version=f"alliance-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
