"""The dashboard's handout of what is on screen: the page ``sim run`` then ``sim handout`` make,
byte for byte, built from the ensemble and summary the screen computed, its figures drawn in the
server's figure process (not under the screen's drawing lock), once for every session."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest

pytest.importorskip("solara")

from sim.dashboard import downloads, handout_figures  # noqa: E402
from sim.dashboard.charts import DRAWING  # noqa: E402
from sim.dashboard.results import Results  # noqa: E402
from sim.dashboard.scenarios import load_source, shipped_source  # noqa: E402
from sim.dashboard.session import Settings, changed, settle  # noqa: E402
from sim.figures.looks import Look  # noqa: E402
from sim.outputs import handout  # noqa: E402
from sim.outputs.run_writer import write_run  # noqa: E402

SLIDES, REPORT = Look("slides", "JPN"), Look("report", None)


@pytest.fixture(scope="module")
def screen():
    """What the Explore page has computed for the screen: a scenario as settled (an event off,
    so the handout says what changed) and the store holding its ensemble."""
    tariffs = load_source(shipped_source("tariff_escalation")).model_copy(
        update={"horizon_months": 12})  # a year: the figures draw faster
    settings = Settings.of(tariffs, replicates=8).with_event("steel tariffs", False)
    settled = settle(tariffs, settings)
    return Results(), settled, downloads.marked(settled, changed(tariffs, settings))


_BEFORE: dict = {}


def cli_handout(ensemble, look) -> bytes:
    """The handout as before: the whole run folder written by ``sim run``'s writer, the figures
    drawn here, then ``sim handout``'s page (made once per look: seconds of drawing)."""
    key = (ensemble.scenario.digest(), ensemble.scenario.name, look)
    if key not in _BEFORE:
        with tempfile.TemporaryDirectory() as parent:
            folder = Path(parent) / "run"
            with DRAWING:
                write_run(ensemble, folder, plots_too=True, look=look)
            _BEFORE[key] = handout.build(folder).encode("utf-8")
    return _BEFORE[key]


def built_elsewhere(make):
    """``make()`` in another thread while this one holds the screen's drawing lock, as a
    session drawing its chart does; None if it waited for the lock (two minutes)."""
    made = []
    with DRAWING:
        worker = threading.Thread(target=lambda: made.append(make()), daemon=True)
        worker.start()
        worker.join(120)
    return made[0] if made else None


@pytest.mark.parametrize("look", [pytest.param(SLIDES, marks=pytest.mark.slow), REPORT],
                         ids=["slides", "report"])
def test_the_dashboards_handout_is_the_one_sim_run_and_sim_handout_make(screen, look):
    """Byte for byte; and the figures are drawn in the figure process: a session drawing its
    chart (holding DRAWING) does not hold the handout up, nor the handout every chart."""
    results, settled, shown = screen
    ensemble = downloads.with_scenario(results.ensemble(settled), shown)
    page = built_elsewhere(lambda: downloads.handout_html(ensemble, look,
                                                          results.summary(settled)))
    assert page is not None, "the handout waited for the screen's drawing lock"
    assert page == cli_handout(ensemble, look)
    text = page.decode()
    assert text.count('src="data:image/png;base64,') == 5
    assert "Changed in the dashboard: events off: steel tariffs." in text


def test_the_handout_is_built_once_for_every_session(screen, monkeypatch):
    results, settled, shown = screen
    built = []
    monkeypatch.setattr(downloads, "handout_html", lambda *a: built.append(a) or b"page")
    monkeypatch.setattr(downloads, "HANDOUTS", downloads.Newest(8))
    assert downloads.handout_of(results, settled, shown, SLIDES) == b"page"
    assert downloads.handout_of(results, settled, shown, SLIDES) == b"page"  # another session
    assert len(built) == 1
    ensemble, look, summary = built[0]
    assert ensemble.scenario is shown and look == SLIDES
    assert summary is results.summary(settled)  # the screen's, not computed again
    assert ensemble.arrays is results.ensemble(settled).arrays  # the screen's numbers
    downloads.handout_of(results, settled, settled, SLIDES)  # unchanged: its own name, story
    downloads.handout_of(results, settled, shown, REPORT)  # another look
    assert len(built) == 3


def test_the_handout_is_built_outside_solaras_traced_download_thread(screen, monkeypatch):
    """Solara runs a download's function in a thread it traces line by line (to cancel it):
    the handout is built in a thread of its own, untraced, at full speed."""
    import sys

    results, settled, shown = screen
    seen = []
    monkeypatch.setattr(downloads, "handout_html",
                        lambda *a: seen.append((threading.get_ident(), sys.gettrace())) or b"p")
    monkeypatch.setattr(downloads, "HANDOUTS", downloads.Newest(8))

    def traced():  # as solara.util.cancel_guard does in a FileDownload's thread
        def trace(frame, event, arg):
            return trace

        sys.settrace(trace)
        try:
            seen.append((threading.get_ident(), sys.gettrace()))
            downloads.handout_of(results, settled, shown, SLIDES)
        finally:
            sys.settrace(None)

    caller = threading.Thread(target=traced)
    caller.start()
    caller.join(60)
    (mine, traced_by), (builder, trace_there) = seen
    assert traced_by is not None  # the check would pass vacuously otherwise
    assert builder != mine and trace_there is None


def handout_with(figures, ensemble) -> bytes:
    from sim.outputs.run_writer import write_for_handout

    with tempfile.TemporaryDirectory() as parent:
        folder = Path(parent) / "run"
        write_for_handout(ensemble, folder, figures=figures.job(), look=REPORT)
        return handout.build(folder).encode("utf-8")


@pytest.mark.slow  # starts and kills a worker: seconds
def test_a_figure_worker_that_died_is_replaced(screen):
    results, settled, _ = screen
    figures = handout_figures.FigureProcess()
    try:
        figures.start()
        pool = figures._executor()
        (pid,) = [p.pid for p in pool._processes.values()]
        os.kill(pid, 9)  # out of memory, or killed by hand
        ensemble = results.ensemble(settled)
        assert handout_with(figures, ensemble) == cli_handout(ensemble, REPORT)
        assert figures._executor() is not pool
    finally:
        figures.close()


@pytest.mark.slow  # workers that die as they start: seconds
def test_where_no_worker_can_start_the_figures_are_drawn_here(screen, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    results, settled, _ = screen
    figures = handout_figures.FigureProcess()
    monkeypatch.setattr(figures, "_executor", lambda: ProcessPoolExecutor(
        1, initializer=os._exit, initargs=(3,)))  # each worker dies as it starts
    ensemble = results.ensemble(settled)
    assert handout_with(figures, ensemble) == cli_handout(ensemble, REPORT)
