"""What one browser session has chosen, and the scenario those choices make.

:class:`Settings` is a frozen, hashable value (events switched off, parameter values, replicates,
seed): a page keeps one in its own state and uses it as the key of its caches. :func:`settle`
lays it over a loaded scenario, checking every value as ``sim run --set`` would;
:func:`scenario_yaml` writes the result as a file that ``python -m sim run`` reproduces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import yaml

from sim import checks
from sim.scenario import Scenario, check_size
from sim.scenario.settings import apply_settings

DEFAULT_REPLICATES = 200
MAX_REPLICATES = 2000  # a live page answers within seconds; more belongs to `sim run`


@dataclass(frozen=True)
class Settings:
    """A session's choices over a scenario.

    ``events_off``: keys of the scenario's events switched off; ``parameters``: (name, value)
    pairs of global parameters (:func:`sim.evidence.params.names`), sorted by name;
    ``replicates`` and ``seed`` of the ensemble.
    """

    events_off: frozenset[str] = frozenset()
    parameters: tuple[tuple[str, float], ...] = ()
    replicates: int = DEFAULT_REPLICATES
    seed: int = 0

    @classmethod
    def of(cls, scenario: Scenario, replicates: int = DEFAULT_REPLICATES) -> Settings:
        """A scenario as it is: every event on, no parameter moved, its own seed."""
        return cls(replicates=replicates, seed=scenario.seed)

    def with_event(self, key: str, on: bool) -> Settings:
        off = self.events_off - {key} if on else self.events_off | {key}
        return replace(self, events_off=frozenset(off))

    def with_parameter(self, name: str, value: float) -> Settings:
        values = dict(self.parameters)
        values[name] = float(value)
        return replace(self, parameters=tuple(sorted(values.items())))

    def without_parameter(self, name: str) -> Settings:
        return replace(self, parameters=tuple(p for p in self.parameters if p[0] != name))

    def value(self, name: str, scenario: Scenario) -> float:
        """The parameter's value: the session's, or the scenario's own."""
        return dict(self.parameters).get(name, float(getattr(scenario.parameters, name)))


def settle(scenario: Scenario, settings: Settings) -> Scenario:
    """``scenario`` with ``settings`` applied; a :class:`sim.errors.UserError` names a bad value.

    Events are switched off by key (each event keeps its own random stream, so switching one off
    leaves every other draw alone). Parameter-uncertainty runs are for ``sim run --uncertainty``:
    the page shows noise-only bands, so the settled scenario asks for none.
    """
    replicates = checks.count("replicates", settings.replicates)
    if replicates > MAX_REPLICATES:
        raise ValueError(f"replicates: at most {MAX_REPLICATES} on the page, got {replicates}")
    events = [e for e in scenario.events if e.key not in settings.events_off]
    settled = scenario.model_copy(update={
        "events": events, "seed": checks.seed(settings.seed), "replicates": replicates,
        "uncertainty": None})
    settled = apply_settings(settled, dict(settings.parameters), origin="slider")
    check_size(settled)
    return settled


def changed(scenario: Scenario, settings: Settings) -> list[str]:
    """What the settings change, in words, for a page's caption and the YAML's description."""
    words = [f"{name} = {value:g}" for name, value in settings.parameters
             if value != getattr(scenario.parameters, name)]
    off = [e.key for e in scenario.events if e.key in settings.events_off]
    if off:
        words.append("events off: " + "; ".join(off))
    return words


def scenario_yaml(scenario: Scenario, base: Scenario | None = None,
                  settings: Settings | None = None) -> str:
    """The settled scenario as YAML that ``python -m sim run`` loads and reproduces (the resolved
    form a run folder's ``scenario.yml`` has); with ``base`` and ``settings`` its description
    also says what was changed on the page."""
    data = scenario.as_dict()
    if base is not None and settings is not None and changed(base, settings):
        data["description"] = (f"{scenario.description.strip()}\n\nChanged in the dashboard: "
                               + "; ".join(changed(base, settings)) + ".").strip()
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

