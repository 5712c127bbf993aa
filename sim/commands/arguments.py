"""Argument types shared by the verbs: numbers are checked where they are parsed.

The rules are those of the Python API (:mod:`sim.checks`); here a bad number gets argparse's own
message (``error: argument --seed: ...``) and exit code 2, never a traceback from deep inside
numpy.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection

from sim import checks
from sim.errors import UserError
from sim.figures.looks import FORMATS, STYLES, Look  # no matplotlib import

MAX_SEED = checks.MAX_SEED


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def seed(text: str) -> int:
    """A root seed: a whole number from 0 to 2**63 - 1."""
    value = _whole(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to {MAX_SEED}, "
                                         f"got {value}")
    return value


def positive(text: str) -> int:
    """A count of at least 1 (replicates, orders)."""
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def workers(text: str) -> int:
    """Worker processes: at least 1, at most the machine's cores (the API's rule)."""
    try:
        return checks.workers(_whole(text))
    except ValueError as exc:  # argparse names the option itself
        raise argparse.ArgumentTypeError(str(exc).removeprefix("workers ")) from None


def grid_points(text: str) -> int:
    """Points per parameter on a calibration grid: at least 2 (the two ends of the range)."""
    value = _whole(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2 (both ends of each range), got "
                                         f"{value}")
    return value


def reading(text: str) -> str:
    """When to read a series: end, YYYY-MM, low, high, low_month, loss, change:FROM..TO."""
    from sim.analysis.outcomes import WHEN, WHEN_GRAMMAR

    if not WHEN.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a reading; {WHEN_GRAMMAR}")
    return text


def setting(text: str) -> tuple[str, float]:
    """``name=value`` of --set: a parameter or ACTOR.FIELD (checked against the scenario later)."""
    name, equals, value = text.partition("=")
    try:
        if not equals or not name.strip():
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected name=value (e.g. forgetting=0.95 or JPN.dependence=0.8), got {text!r}"
        ) from None


def add_settings(parser: argparse.ArgumentParser) -> None:
    """``--set name=value`` (repeatable): override a parameter or an actor's value."""
    parser.add_argument("--set", type=setting, action="append", default=[], metavar="NAME=VALUE",
                        dest="settings",
                        help="override a parameter (forgetting=0.95) or an actor's value "
                             "(JPN.dependence=0.8), checked like the scenario file; repeatable")


def figure_formats(text: str) -> tuple[str, ...]:
    """``png,svg,pdf``: the figure files to write, each a format the figures know."""
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"unknown figure format {', '.join(unknown) or text!r}; "
                                         f"valid: {', '.join(FORMATS)}")
    return wanted


def add_look(parser: argparse.ArgumentParser, focus: bool = True) -> None:
    """``--style``, ``--focus`` (unless ``focus`` is False: figures that are not about actors)
    and ``--formats``: how the figures look and which files they are written to."""
    parser.add_argument("--style", choices=STYLES, default="report",
                        help="report (default) or slides: large type, a colour-blind-safe "
                             "palette and line styles, for a projector")
    if focus:
        parser.add_argument("--focus", metavar="ACTOR",
                            help="highlight one actor (a code such as JPN) and grey the rest")
    parser.add_argument("--formats", type=figure_formats, default=("png",),
                        help=f"figure files to write, comma-separated from {','.join(FORMATS)} "
                             "(default png)")


def look(args: argparse.Namespace, actors: Collection[str] = ()) -> Look:
    """The figures' look from --style and --focus, the focus checked against ``actors`` (the
    ones the figures can highlight)."""
    focus = getattr(args, "focus", None)
    if focus is not None and focus not in actors:
        raise UserError(f"--focus {focus}: not an actor these figures can highlight",
                        valid=", ".join(actors))
    return Look(getattr(args, "style", "report"), focus)
