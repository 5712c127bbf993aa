"""The chart pictures drawn in painter processes (sim/dashboard/drawing.py): the same bytes as
drawn in the server, a dead painter replaced, Ctrl-C left to the server."""

from __future__ import annotations

import os
import signal
import time

import pytest

pytest.importorskip("solara")

from sim import paths  # noqa: E402
from sim.dashboard import charts, drawing  # noqa: E402
from sim.dashboard import results as store  # noqa: E402
from sim.dashboard.session import Settings, settle  # noqa: E402
from sim.figures.looks import Look  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


@pytest.fixture(scope="module")
def picture_of():
    """(Painters, function drawing one chart of a small ensemble in the server's thread)."""
    scenario = load_scenario(paths.scenario_file("tariff_escalation"))
    results = store.Results()
    painters = drawing.Painters(1)
    yield painters, results, settle(scenario, Settings.of(scenario, replicates=20))
    painters.close()


def pid_of(painters: drawing.Painters) -> int:
    return painters._executor().submit(os.getpid).result()


def test_a_painter_draws_the_picture_the_server_would(picture_of):
    painters, results, settled = picture_of
    for key, look in (("trust", Look("slides", "JPN")), ("alignment", Look("report"))):
        chart = charts.BY_KEY[key]
        summary = results.summary(settled, chart.measures)
        mine = charts.screen_png(chart, summary, settled, look)
        theirs = painters.screen_png(chart, summary, settled, look)
        assert theirs[:8] == b"\x89PNG\r\n\x1a\n" and theirs == mine
    assert pid_of(painters) != os.getpid()


def test_a_painter_that_dies_is_replaced_and_the_picture_drawn(picture_of):
    painters, results, settled = picture_of
    chart = charts.BY_KEY["defence"]
    summary = results.summary(settled, chart.measures)
    dead = pid_of(painters)
    os.kill(dead, signal.SIGKILL)
    time.sleep(0.5)  # the pool notices a dead worker from its own thread
    picture = painters.screen_png(chart, summary, settled, Look("report"))
    assert picture == charts.screen_png(chart, summary, settled, Look("report"))
    assert pid_of(painters) != dead


def test_a_painter_leaves_ctrl_c_to_the_server(picture_of):
    """The terminal's Ctrl-C reaches every process of the server's group: a painter must not
    die of it with a traceback of its own (the server shuts it down)."""
    painters, results, settled = picture_of
    pid = pid_of(painters)
    os.kill(pid, signal.SIGINT)
    time.sleep(0.3)
    chart = charts.BY_KEY["trust"]
    assert painters.screen_png(chart, results.summary(settled, chart.measures), settled,
                               Look("report"))
    assert pid_of(painters) == pid


def test_the_server_draws_in_painters_when_the_command_says_so(monkeypatch):
    monkeypatch.setattr(store, "_shared", None)
    monkeypatch.delenv(drawing.PAINTERS_VARIABLE, raising=False)
    assert store.shared().painters is None  # rendered in a notebook or a test: no processes
    monkeypatch.setattr(store, "_shared", None)
    monkeypatch.setenv(drawing.PAINTERS_VARIABLE, "2")
    monkeypatch.setattr(drawing.Painters, "start", lambda self: None)  # no processes here
    assert store.shared().painters.workers == 2
    monkeypatch.setattr(store, "_shared", None)
    monkeypatch.setenv(drawing.PAINTERS_VARIABLE, "two")
    with pytest.raises(ValueError, match="ALLIANCE_SIM_PAINTERS='two': expected a whole"):
        store.shared()
    monkeypatch.setattr(store, "_shared", None)
