"""Write a run folder: the tables, the resolved scenario, the metadata and the figures of an
ensemble, whole or not at all.

``python -m sim run`` writes its folder with :func:`write_run`; so does ``sim patterns``, so every
run folder is the same files. The dashboard's handout of what is on screen needs only the files
``sim handout`` reads, written by the same code (:func:`write_for_handout`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.figures.looks import Look
from sim.figures.workers import FigureWorkers
from sim.outputs import run_folder as output

# Mesa, pandas and pyarrow are imported when a folder is written, not for `python -m sim --help`.
if TYPE_CHECKING:
    import pandas as pd

    from sim.engine.ensemble import Ensemble
    from sim.scenario import Scenario


def write_run(ensemble: Ensemble, folder: Path, plots_too: bool = True,
              seconds: float | None = None, extra: dict | None = None,
              figures: FigureWorkers | None = None,
              with_parameters: Ensemble | None = None, look: Look | None = None,
              formats: tuple[str, ...] = ("png",)) -> str:
    """Write the run folder whole (or not at all); return the summary text.

    ``extra`` maps file names to further tables (DataFrames) to write as CSV beside the results.
    With ``figures`` (started workers, closed here), the plots are drawn there while the tables
    are written; without, here after them. ``with_parameters`` is the same run with parameter
    uncertainty: its band joins the summary table, the plots and the printed summary, and its
    drawn values are written to ``parameters.csv``. ``look`` (default the report's) and
    ``formats`` say how the figures are drawn and in which files.
    """
    from sim.analysis import tables as results
    from sim.analysis.event_record import event_record
    from sim.engine.schedule import stream_names
    from sim.outputs.report import summary_text

    scenario = ensemble.scenario
    summary = results.quantiles(ensemble)
    end = results.end_state(ensemble)
    wider_end = None
    if scenario.policies.any:  # what the actors' decision rules did, per replicate
        from sim.outputs.decisions import decision_table

        extra = {**(extra or {}), "decisions.csv": decision_table(ensemble)}
    if with_parameters is not None:
        summary = results.with_parameter_band(summary, results.quantiles(with_parameters))
        wider_end = results.end_state(with_parameters)
        extra = {**(extra or {}), "parameters.csv": results.drawn_parameters(with_parameters)}
    text = summary_text(ensemble, end, wider_end)
    with output.atomic_folder(folder) as tmp:
        try:
            if plots_too and figures is not None:
                figures.draw(summary, scenario, tmp / "plots", look, formats)
            results.write_tidy(ensemble, tmp / "results.parquet")
            _write_handout_tables(tmp, scenario, summary, end)
            results.bloc_energy(ensemble).to_csv(tmp / "bloc_energy.csv", index=False,
                                                 float_format="%.5g")
            results.per_replicate(ensemble).to_csv(tmp / "replicates.csv", index=False)
            output.write_json(tmp / "metadata.json", output.metadata(
                scenario, ensemble.seed, ensemble.replicates, stream_names(scenario.events),
                run_seconds=seconds, commitment_tests=float(ensemble.commitment_tests.sum()),
                commitments_honoured=float(ensemble.commitments_honoured.sum())))
            (tmp / "summary.txt").write_text(text + "\n", encoding="utf-8")
            event_record(scenario, ensemble.seed, ensemble.replicates).to_csv(  # which moved
                tmp / "events.csv", index=False, float_format="%.5g")
            for name, table in (extra or {}).items():
                table.to_csv(tmp / name, index=False, float_format="%.5g")
            if plots_too and figures is not None:
                figures.wait()
            elif plots_too:
                from sim.figures import run as plots  # matplotlib is slow to import

                plots.make_plots(ensemble, summary, tmp / "plots", look or plots.REPORT,
                                 formats)
        finally:
            if figures is not None:
                figures.close()  # before a failed folder is removed: no worker writes into it
    return text


def _write_handout_tables(tmp: Path, scenario: Scenario, summary: pd.DataFrame,
                          end: pd.DataFrame) -> None:
    """The tables ``sim handout`` reads besides the figures (:data:`sim.outputs.handout.NEEDED`)."""
    summary.to_csv(tmp / "summary.csv", index=False, float_format="%.5g")
    end.to_csv(tmp / "end_state.csv", index=False, float_format="%.5g")
    output.write_yaml(tmp / "scenario.yml", scenario.as_dict())


def write_for_handout(ensemble: Ensemble, folder: Path, summary: pd.DataFrame | None = None,
                      figures: FigureWorkers | None = None, look: Look | None = None) -> None:
    """The part of a run folder that ``sim handout`` reads (``scenario.yml``, ``summary.csv``,
    ``end_state.csv`` and ``plots/``), whole or not at all, each file as :func:`write_run`
    writes it: the handout built from it is the one built from the whole folder. The other
    tables (the tidy results, the replicates, the events) are a second of work it does not need.

    ``summary``: the ensemble's :func:`~sim.analysis.tables.quantiles` if computed already;
    ``figures``: as for :func:`write_run` (with their interface; closed here), else drawn here.
    """
    from sim.analysis import tables as results

    scenario = ensemble.scenario
    summary = results.quantiles(ensemble) if summary is None else summary
    with output.atomic_folder(folder) as tmp:
        try:
            if figures is not None:
                figures.draw(summary, scenario, tmp / "plots", look)
            _write_handout_tables(tmp, scenario, summary, results.end_state(ensemble))
            if figures is not None:
                figures.wait()
            else:
                from sim.figures import run as plots

                plots.make_plots(ensemble, summary, tmp / "plots", look or plots.REPORT)
        finally:
            if figures is not None:
                figures.close()
