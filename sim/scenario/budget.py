"""The size of an ensemble: refuse, before any work starts, a run that would not fit in memory."""

from __future__ import annotations

from typing import Protocol

from sim.errors import ScenarioError
from sim.measures import DYADIC, MEASURES, STORAGE
from sim.scenario.schema import Scenario

MAX_RUN_BYTES = 8 * 2**30  # refuse ensembles whose run would need more memory than this
TABLE_OVERHEAD = 12


class Located(Protocol):
    """Where a value sits in a scenario file (the loader's origins)."""

    def error(self, message: str, keys: tuple, valid: str | None = None) -> ScenarioError: ...


def check_size(scenario: Scenario, origin: Located | None = None) -> None:
    """Refuse ensembles that would not fit in memory, before any work starts.

    The record holds every measure of every replicate and month (:mod:`sim.engine.history`); writing
    the tidy table and the quantiles takes up to ``TABLE_OVERHEAD`` times as much again (measured:
    634 MB at the peak of a 1,000-replicate run whose record is 61 MB).
    """
    n = len(scenario.actors)
    cells = n * len(MEASURES) + n * n * len(DYADIC)
    per_replicate = (scenario.horizon_months + 1) * cells * STORAGE().itemsize * TABLE_OVERHEAD
    needed = scenario.replicates * per_replicate
    if needed <= MAX_RUN_BYTES:
        return
    limit = int(MAX_RUN_BYTES / per_replicate)
    message = (f"{scenario.replicates} replicates x {scenario.horizon_months} months x {n} "
               f"actors would need about {needed / 2**30:.0f} GiB of memory, more than the "
               f"{MAX_RUN_BYTES // 2**30} GiB allowed")
    valid = f"at most {limit} replicates for this horizon and actor set"
    if origin is None:  # the number came from the command line (--replicates) or from code
        raise ScenarioError(message, valid=valid + " (--replicates or the scenario's replicates)")
    raise origin.error(message, ("replicates",), valid=valid)
