"""Random streams: distinct events never share one, and a run's written scenario reproduces it."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sim.engine.ensemble import run_ensemble
from sim.engine.rng import generator, stream_id
from sim.engine.schedule import stream_names
from sim.errors import ScenarioError
from sim.scenario import load_scenario

HEAD = """\
name: streams
start: 2025-01-01
horizon_months: 12
seed: 3
replicates: 3
events:
"""
RHETORIC = "{{type: rhetoric, {name}probability: 0.3, by: US, targets: [JPN], tone: negative}}"


def event(name: str | None = None) -> str:
    return "  - " + RHETORIC.format(name=f"name: '{name}', " if name else "") + "\n"


def test_names_that_collide_under_crc32_get_different_streams():
    assert zlib.crc32(b"plumless") == zlib.crc32(b"buckeroo")  # a known CRC32 collision
    assert stream_id("event:plumless") != stream_id("event:buckeroo")
    draws = [generator(7, 0, f"event:{n}").random(8) for n in ("plumless", "buckeroo")]
    assert not np.array_equal(*draws)


@given(st.text(), st.text())
def test_distinct_names_have_distinct_stream_ids(a, b):
    assert (stream_id(a) == stream_id(b)) == (a == b)


def test_a_stream_depends_on_its_name_replicate_and_seed_only():
    same = generator(7, 2, "perception").random(4)
    assert np.array_equal(same, generator(7, 2, "perception").random(4))
    assert not np.array_equal(same, generator(7, 3, "perception").random(4))
    assert not np.array_equal(same, generator(8, 2, "perception").random(4))


def test_a_hash_in_an_event_name_is_refused(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(HEAD + event("x") + event("x") + event("x#2"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert err.where == "events[2].name" and err.line == 9 and "'#'" in err.message
    assert "without '#'" in err.valid


def test_repeated_names_and_repeated_unnamed_events_get_their_own_streams(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(HEAD + event("x") + event("x") + event() + event())
    scenario = load_scenario(path)
    keys = [e.key for e in scenario.events]
    assert keys == ["x", "x#2", "rhetoric@0:US-JPN", "rhetoric@0:US-JPN#2"]
    assert len(set(stream_names(scenario.events))) == 2 + 4


def test_the_written_scenario_reproduces_the_run_bit_for_bit(tmp_path, assert_identical):
    """What a run folder records (``as_dict``) loads again to the same events, keys and draws."""
    path = tmp_path / "s.yml"
    path.write_text(HEAD + event("x") + event("x") + event() + event())
    first = load_scenario(path)
    written = tmp_path / "written" / "scenario.yml"
    written.parent.mkdir()
    written.write_text(yaml.safe_dump(first.as_dict(), sort_keys=False, allow_unicode=True))
    again = load_scenario(written)
    assert [e.key for e in again.events] == [e.key for e in first.events]
    assert again.digest() == first.digest()
    assert_identical(run_ensemble(first).arrays, run_ensemble(again).arrays)


def test_the_shipped_scenarios_reproduce_from_what_they_write(tmp_path):
    for path in sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yml")):
        first = load_scenario(path)
        written = tmp_path / path.name
        written.write_text(yaml.safe_dump(first.as_dict(), sort_keys=False, allow_unicode=True))
        again = load_scenario(written)
        assert [e.key for e in again.events] == [e.key for e in first.events], path.name
        assert again.digest() == first.digest(), path.name
