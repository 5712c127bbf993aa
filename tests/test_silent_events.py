"""No silent events (issue 8, item 2): validate warns about events that cannot move anything, and
a run records which events moved something."""

from __future__ import annotations

import numpy as np

from sim.analysis.event_record import event_record, silent_events
from sim.scenario import load_scenario


def test_a_positive_remark_to_russia_is_flagged(write_scenario):
    path = write_scenario("events:\n  - {type: rhetoric, name: praise, month: 1, targets: [RUS], "
                          "tone: positive}\n")
    lines = silent_events(load_scenario(path))
    assert len(lines) == 1 and "'praise'" in lines[0] and "RUS" in lines[0]


def test_a_zero_sized_event_is_flagged_and_a_real_one_is_not(write_scenario):
    path = write_scenario("events:\n"
                          "  - {type: rhetoric, name: nothing, month: 1, targets: [JPN], "
                          "intensity: 0}\n"
                          "  - {type: rhetoric, name: jibe, month: 1, targets: [JPN]}\n")
    lines = silent_events(load_scenario(path))
    assert len(lines) == 1 and "'nothing' changes nothing" in lines[0]


def test_shipped_2025_record_has_no_silent_event(second_term):
    assert silent_events(second_term) == []


def test_the_run_record_counts_firings_and_sizes(write_scenario):
    path = write_scenario("events:\n"
                          "  - {type: rhetoric, name: jibe, month: 1, targets: [JPN], "
                          "intensity: 0.7}\n"
                          "  - {type: rhetoric, name: nothing, month: 2, targets: [JPN], "
                          "intensity: 0}\n"
                          "  - {type: rhetoric, name: maybe, probability: 0.5, targets: [JPN]}\n",
                          horizon_months=6, replicates=8)
    table = event_record(load_scenario(path), seed=1, replicates=8).set_index("event")
    assert table.at["jibe", "fired_replicates"] == 8 and table.at["jibe", "largest_act"] == 0.7
    assert table.at["jibe", "reached"] == "JPN" and table.at["jibe", "moved"]
    assert not table.at["nothing", "moved"]
    assert 0 < table.at["maybe", "mean_months_fired"] < 6
    assert np.isfinite(table["largest_act"]).all()


def test_validate_warns_with_exit_zero_and_run_writes_the_record(write_scenario, tmp_path,
                                                                  capsys):
    from sim.cli import main
    path = write_scenario("events:\n  - {type: rhetoric, name: praise, month: 1, "
                          "targets: [RUS], tone: positive}\n", horizon_months=3, replicates=2)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning: event 'praise' reaches only RUS" in out
    assert main(["run", str(path), "--out", str(tmp_path / "run"), "--no-plots"]) == 0
    import pandas as pd
    record = pd.read_csv(tmp_path / "run" / "events.csv")
    assert "praise" in set(record["event"])
