"""``benchmarks/server_load.py`` in its quick form: four protocol clients (no browser) against a
real ``python -m sim dashboard``, all at once, and its checks of what each session reads back.

Here with the browser tests because it starts the real server (tests/browser/conftest.py marks
it slow and browser); one regime only: both take about 100 s on this machine.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.browser.conftest import run_async

ROOT = Path(__file__).resolve().parents[2]


def benchmark():
    """benchmarks/server_load.py as a module (benchmarks/ is not a package)."""
    path = ROOT / "benchmarks" / "server_load.py"
    spec = importlib.util.spec_from_file_location("server_load", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_four_sessions_at_once_each_read_back_only_their_own(tmp_path):
    bench = benchmark()
    problems, figures = run_async(bench.run_regime("at-once", 4, 0.0, tmp_path, after=0))
    visits = figures["sessions"]
    assert problems == []
    assert all(v.first is not None and v.answer is not None and v.picture_changed
               for v in visits)
    assert [v.name for v in visits] == ["forgetting", "negativity_bias", "weight_costly",
                                        "cheap_talk_ratio"]
    assert figures["client cpu"] < figures["server cpu"] / 2  # it measures the server

    # the checks see it when a session reads back another's state
    a, b = visits[0], visits[1]
    a.status, b.status = b.status, a.status
    a.picture, b.picture = b.picture, a.picture
    problems = bench.check([a, b], "")
    assert any(p.startswith("session 0 (forgetting ArrowRight): its status reads "
                            "'Up to date; changed: negativity_bias") for p in problems)
    assert "session 1 (negativity_bias ArrowRight): its chart is not the one its settings " \
           "draw, but that of session(s) [0]" in problems


def test_a_message_for_another_pages_widget_is_an_error():
    bench = benchmark()
    visit = bench.Visit(0, slider=0, key="ArrowRight")
    client = bench.Client("http://127.0.0.1:1", visit)
    client._handle({"header": {"msg_type": "comm_msg"}, "parent_header": {}, "buffers": [],
                    "content": {"comm_id": "not-mine", "data": {"method": "update",
                                                                 "state": {"v_model": 1}}}})
    assert visit.errors and "not-mine" in visit.errors[0]
    assert client.foreign
