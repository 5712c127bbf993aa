"""Checks of the numbers the Python API takes (seeds, counts, workers), in one place.

The CLI checks its text arguments with the same rules (:mod:`sim.commands.arguments`); these
checks guard the Python entry points (:class:`~sim.engine.model.AllianceModel`,
:func:`~sim.engine.ensemble.run_ensemble`), so a bad value is a :class:`ValueError` that says
what is wrong and what would be valid, never a truncated seed, an ``IndexError`` or memory
nobody wrote.
"""

from __future__ import annotations

import numbers
import os

MAX_SEED = 2**63 - 1  # numpy's SeedSequence takes any non-negative int; Mesa's stdlib Random too


def whole(name: str, value: object) -> int:
    """``value`` as an int: an int, a numpy integer, or the text of a whole number.

    Text is taken because a dashboard's text box delivers "42"; floats are refused rather than
    truncated (3.7 is not seed 3), and so are booleans (True is not replicate count 1).
    """
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise ValueError(f"{name} must be a whole number, got {value!r} "
                     f"({type(value).__name__})")


def seed(value: object) -> int:
    """A root seed: a whole number from 0 to 2**63 - 1."""
    number = whole("seed", value)
    if not 0 <= number <= MAX_SEED:
        raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, got {number}")
    return number


def count(name: str, value: object, minimum: int = 1) -> int:
    """A count of at least ``minimum`` (replicates, block size, first replicate)."""
    number = whole(name, value)
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {number}")
    return number


def cores() -> int:
    """Cores this process may run on (its CPU affinity where the system says, as in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers(value: object) -> int:
    """Worker processes: at least 1 and at most the machine's cores.

    More processes than cores only add memory (each holds its own blocks) and time (they take
    turns); since the numbers are the same with any number of workers, refusing costs nothing
    but a changed option, where capping silently would hide a mistake.
    """
    number = count("workers", value)
    available = cores()
    if number > available:
        raise ValueError(f"workers must be at most {available}, the cores of this machine, got "
                         f"{number} (results are the same with any number of workers)")
    return number
