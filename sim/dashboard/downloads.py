"""What a page offers to download, as bytes: tables, the scenario, the students' handout.

Every function writes what ``python -m sim run`` and ``python -m sim handout`` write, with their
own code: the summary table as ``summary.csv``, the scenario as a run folder's ``scenario.yml``,
the handout built from a run folder written by :func:`sim.outputs.run_writer.write_run` (the
writer of ``sim run``). The figures are :func:`sim.dashboard.charts.figure_file`.
"""

from __future__ import annotations

import dataclasses
import tempfile
import textwrap
from pathlib import Path

import pandas as pd

from sim.dashboard.charts import DRAWING
from sim.engine.ensemble import Ensemble
from sim.figures.looks import Look
from sim.scenario import Scenario

CHANGED = "-changed"  # in a download's file name when the page's settings differ from the file's
TITLE_CHANGES = 70  # characters of the changes shown in a figure's title

FLOAT_FORMAT = "%.5g"  # as sim run writes its tables


def summary_csv(summary: pd.DataFrame) -> bytes:
    """The summary table as ``sim run`` writes ``summary.csv``."""
    return summary.to_csv(index=False, float_format=FLOAT_FORMAT).encode("utf-8")


def handout_html(ensemble: Ensemble, look: Look) -> bytes:
    """The students' handout (``sim handout``) of ``ensemble``, its figures drawn in ``look``:
    the ensemble is written into a temporary run folder by ``sim run``'s own writer first."""
    from sim.outputs import handout
    from sim.outputs.run_writer import write_run

    with tempfile.TemporaryDirectory(prefix="alliance-sim-handout-") as parent:
        folder = Path(parent) / "run"
        with DRAWING:  # the figures are drawn in this process, in the global rcParams
            write_run(ensemble, folder, plots_too=True, look=look)
        return handout.build(folder).encode("utf-8")


def marked(settled: Scenario, changes: list[str]) -> Scenario:
    """``settled`` as the downloads show it: with ``changes`` (:func:`sim.dashboard.session
    .changed`), its name (the figures' titles) says "changed in the dashboard: ..." and its
    description (the handout's story, the YAML) ends with the full line of changes."""
    if not changes:
        return settled
    line = "; ".join(changes)
    return settled.model_copy(update={
        "name": f"{settled.name} (changed in the dashboard: "
                f"{textwrap.shorten(line, TITLE_CHANGES, placeholder=' ...')})",
        "description": f"{settled.description.strip()}\n\nChanged in the dashboard: {line}."})


def with_scenario(ensemble: Ensemble, scenario: Scenario) -> Ensemble:
    """``ensemble``'s numbers under ``scenario``'s name and description (for the handout)."""
    return dataclasses.replace(ensemble, scenario=scenario)


def file_name(scenario_name: str, what: str, changed: bool = False) -> str:
    """A download's file name: ``trump_second_term-summary.csv``, or
    ``trump_second_term-changed-summary.csv`` when the page's settings are not the file's."""
    from sim.outputs.run_folder import slug

    return f"{slug(scenario_name)}{CHANGED if changed else ''}-{what}"
