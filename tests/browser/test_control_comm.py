"""A reconnecting page's widget reload (``benchmarks/server_load.py --comm-probe``): each
session's ``request_states`` is answered on its own websocket, on the control comm it opened,
with its own widgets only (sim/dashboard/control_comm.py; before it, B's whole widget state
went to A's browser). Protocol clients, no browser; here because it starts the real server.
"""

from __future__ import annotations

from tests.browser.conftest import Dashboard, run_async
from tests.browser.test_server_load import benchmark


def test_each_page_reloads_its_own_widgets_on_its_own_comm(tmp_path):
    bench = benchmark()
    server = Dashboard(games=tmp_path / "games", log=tmp_path / "log").start()
    try:
        lines = run_async(bench.comm_probe(server.url))
        log = (tmp_path / "log").read_text(errors="replace")  # before the stop's own traces
    finally:
        server.stop()
    assert lines[:2] == [
        "A's request_states: its widgets' states went on A's websocket addressed to A's "
        "control comm (its own)",
        "B's request_states: its widgets' states went on B's websocket addressed to B's "
        "control comm (its own)",
    ], log
    # the fallback's comm_info_request lists only the target asked for (widgets' comms), so
    # not the page's own control comms, for which the page would throw "Comm is already created"
    assert lines[2].startswith("A's comm_info_request for target jupyter.widget lists ")
    assert lines[2].endswith("(jupyter.widget: " + lines[2].split(" lists ")[1].split()[0]
                             + "), 0 of them opened by A itself"), lines[2]
    assert "Traceback" not in log, log  # no handler failed on the server
