"""Every number says where it comes from; commentary quotes are found verbatim in seeds/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.evidence.actors import DEFAULT_ACTORS, SOURCES, source_of
from sim.evidence.params import declarations
from sim.evidence.register import register_table

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "seeds" / "000_a9ecee4038376df4.txt").read_text(encoding="utf-8")
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yml"))


def test_seed_is_an_exact_copy_of_the_shared_commentary():
    shared = ROOT.parent / "shared" / "seeds" / "000_a9ecee4038376df4.txt"
    if not shared.exists():
        pytest.skip("the shared folder is not beside this checkout")
    assert (ROOT / "seeds" / shared.name).read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("row", declarations(), ids=lambda r: r["name"])
def test_every_parameter_declares_unit_range_and_source(row):
    assert row["unit"] and row["doc"]
    assert row["low"] <= row["default"] <= row["high"]
    assert row["source"].kind in {"commentary", "survey", "literature", "assumption", "calibrated"}
    assert len(row["source"].text) > 10


def test_commentary_quotes_of_parameters_and_actors_are_verbatim():
    sources = [d["source"] for d in declarations()] + list(SOURCES.values())
    quotes = [s.text for s in sources if s.kind == "commentary"]
    assert len(quotes) >= 5
    for quote in quotes:
        assert quote in SEED_TEXT, quote


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_event_quotes_in_scenarios_are_verbatim(path):
    events = yaml.safe_load(path.read_text(encoding="utf-8")).get("events", [])
    for event in events:
        if event.get("quote"):
            assert event["quote"] in SEED_TEXT, (path.name, event.get("name"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_event_says_where_it_comes_from(path):
    events = yaml.safe_load(path.read_text(encoding="utf-8")).get("events", [])
    for event in events:
        assert event.get("quote") or event.get("source"), (path.name, event.get("name"))


def test_every_actor_value_has_a_source_and_the_register_lists_them():
    for code in DEFAULT_ACTORS:
        for field in ("capability", "dependence", "defence_spending", "alignment_security"):
            assert source_of(code, field).text
    table = register_table(include_actors=True)
    assert {"JPN.trust.US", "forgetting", "JPN.reactance"} <= set(table["name"])
    japan_trust = table.set_index("name").loc["JPN.trust.US"]
    assert japan_trust["value"] == 0.34 and "Yomiuri" in japan_trust["source"]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_event_says_how_its_date_is_known(path):
    """A user's file may leave date_known out (then it is "assumed"); a shipped one may not, and a
    date said to be reported names its source."""
    events = yaml.safe_load(path.read_text(encoding="utf-8")).get("events", [])
    for event in events:
        where = (path.name, event.get("name"))
        assert event.get("date_known") in {"stated", "reported", "assumed"}, where
        if event["date_known"] == "reported":
            assert event.get("source"), where
        if event["date_known"] == "stated":
            assert event.get("quote"), where
        if event.get("probability") is not None:  # a monthly chance is never a known date
            assert event["date_known"] == "assumed", where
