"""Scenarios: YAML files that say what happens (events) and to whom (actors), validated."""

from sim.scenario.budget import check_size
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario, TimedEvent

__all__ = ["Scenario", "TimedEvent", "check_size", "load_scenario"]
