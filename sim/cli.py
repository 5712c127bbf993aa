"""Command line: ``python -m sim VERB ...``. A thin layer over the package.

Bad input (a :class:`~sim.errors.UserError`) is printed as a located message, never a traceback,
and exits with code 2. Only the chosen verb's module is imported, so ``validate`` does not pay for
Mesa, pandas and matplotlib. SIGTERM is handled like Ctrl-C: the run stops, its temporary folder
is removed, and the exit code is the conventional 128 + signal number.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator

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
    "predict": "sim.commands.predict",
    "docs": "sim.commands.docs",
    "sweep": "sim.commands.sweep",
    "sensitivity": "sim.commands.sensitivity",
    "discover": "sim.commands.discover",
    "handout": "sim.commands.handout",
    "dashboard": "sim.commands.dashboard",
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


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so run folders clean up after themselves."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` in this process and stops its
    worker processes (which would otherwise finish their queued work before the pool closes)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler; a caller in a thread keeps the default
        return
    main_pid = os.getpid()

    def terminate(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:  # a forked worker: die as if no handler were set
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once is enough; let the clean-up finish
        for child in multiprocessing.active_children():
            child.terminate()
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    verb = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(verb).parse_args(argv)
    try:
        with sigterm_unwinds():
            return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 128 + signal.SIGINT
    except Terminated:
        print("terminated; nothing was written", file=sys.stderr)
        return 128 + signal.SIGTERM
