"""What a page offers to download, as bytes: tables, the scenario, the students' handout.

Every function writes what ``python -m sim run`` and ``python -m sim handout`` write, with their
own code: the summary table as ``summary.csv``, the scenario as a run folder's ``scenario.yml``,
the handout built from the files of a run folder it reads, written by ``sim run``'s writer
(:func:`sim.outputs.run_writer.write_for_handout`). The figures are
:func:`sim.dashboard.charts.figure_file`.
"""

from __future__ import annotations

import dataclasses
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from sim.dashboard.results import Newest, Results, ensemble_key
from sim.engine.ensemble import Ensemble
from sim.figures.looks import Look
from sim.scenario import Scenario

CHANGED = "-changed"  # in a download's file name when the page's settings differ from the file's
TITLE_CHANGES = 70  # characters of the changes shown in a figure's title

FLOAT_FORMAT = "%.5g"  # as sim run writes its tables
HANDOUTS = Newest(8)  # handouts built (1-2 MB each), by what determines them, for every session
# Threads that build handouts: not the download's own thread, which Solara traces line by line
# (solara.FileDownload's use_thread cancels by sys.settrace), making pandas' and YAML's Python
# code several times slower there (a handout's tables took 5 s instead of 0.3 s).
_BUILDERS = ThreadPoolExecutor(2, thread_name_prefix="alliance-sim-handout")


def summary_csv(summary: pd.DataFrame) -> bytes:
    """The summary table as ``sim run`` writes ``summary.csv``."""
    return summary.to_csv(index=False, float_format=FLOAT_FORMAT).encode("utf-8")


def handout_html(ensemble: Ensemble, look: Look, summary: pd.DataFrame | None = None) -> bytes:
    """The students' handout (``sim handout``) of ``ensemble``, its figures drawn in ``look``.

    The handout is built by ``sim handout``'s own code from the files of a run folder it reads,
    written into a temporary folder by ``sim run``'s writer
    (:func:`sim.outputs.run_writer.write_for_handout`): the same page as ``sim run`` then ``sim
    handout`` make. ``summary``: the ensemble's full summary table if the page has it already
    (:meth:`sim.dashboard.results.Results.summary`). The figures are drawn at print resolution
    by the server's figure process (:data:`sim.dashboard.handout_figures.FIGURES`, both cores)
    while the tables are written, not in the server's threads (where they held every session's
    charts up behind :data:`sim.dashboard.charts.DRAWING`)."""
    from sim.dashboard.handout_figures import FIGURES
    from sim.outputs import handout
    from sim.outputs.run_writer import write_for_handout

    with tempfile.TemporaryDirectory(prefix="alliance-sim-handout-") as parent:
        folder = Path(parent) / "run"
        write_for_handout(ensemble, folder, summary, figures=FIGURES.job(), look=look)
        return handout.build(folder).encode("utf-8")


def handout_of(results: Results, settled: Scenario, shown: Scenario, look: Look) -> bytes:
    """The handout of what is on screen: ``settled``'s ensemble and summary from ``results``
    (computed for the screen already), under ``shown``'s name and description (:func:`marked`),
    built once for every session that asks for the same scenario in the same look, in a thread
    of :data:`_BUILDERS` (the caller waits for it)."""
    key = (ensemble_key(settled), shown.digest(), shown.name, shown.description, look)

    def build() -> bytes:
        return handout_html(with_scenario(results.ensemble(settled), shown), look,
                            results.summary(settled))

    return HANDOUTS.get(key, lambda: _BUILDERS.submit(build).result())  # untraced: see above


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
