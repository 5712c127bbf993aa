"""The alliance model on Mesa: one agent per state, a monthly clock, a DataCollector.

:class:`AllianceModel` is a thin Mesa wrapper around the numeric core
(:class:`~sim.engine.simulation.Simulation`): every step is the core's step, and each
:class:`Nation` agent is a handle onto its rows of the core's arrays. Ensembles run the core
directly (:mod:`sim.engine.ensemble`); this class is for Mesa's tools: ``running``,
``datacollector``, ``batch_run`` and dashboards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import mesa
import numpy as np

from sim import checks, paths
from sim.engine.history import History
from sim.engine.mechanics import hedging
from sim.engine.schedule import EventSchedule
from sim.engine.simulation import Simulation
from sim.engine.world import Baseline, State
from sim.scenario import Scenario, load_scenario

FOCUS = "JPN"  # the state whose view of its patron is the headline of this project
# DataCollector columns: model properties named as strings, so the model stays picklable (a lambda
# would not). Each is the mean over the replicates stepped together (one for batch_run), NaN in
# a scenario without Japan.
REPORTERS = ("japan_trust_in_patron", "japan_abandonment_fear", "japan_alignment_security",
             "japan_hedging")


class Nation(mesa.Agent):
    """A state. Its numbers are views into the model's arrays, one value per replicate."""

    def __init__(self, model: AllianceModel, index: int, code: str, name: str):
        super().__init__(model)
        self.index = index
        self.code = code
        self.name = name

    def trust_in(self, other: str) -> np.ndarray:
        return self.model.state.trust[:, self.index, self.model.base.index(other)]

    @property
    def alignment_economic(self) -> np.ndarray:
        return self.model.state.alignment_economic[:, self.index]

    @property
    def alignment_security(self) -> np.ndarray:
        return self.model.state.alignment_security[:, self.index]

    @property
    def defence_spending(self) -> np.ndarray:
        return self.model.state.defence_spending[:, self.index]

    def __repr__(self) -> str:
        return f"Nation({self.code})"


class AllianceModel(mesa.Model):
    """Trust, hedging and alliance politics under doubts about a patron.

    Args:
        scenario: a resolved :class:`Scenario`, a path to a YAML file, or the name of a shipped
            scenario (``"baseline"``), so a model can be built from keyword values alone (as a
            dashboard or ``mesa.batch_run`` would).
        seed: root seed (default: the scenario's): a whole number, or its text.
        replicates: how many replicates to step together (default: the scenario's).
        first_replicate: index of the first replicate in this block.
        out: storage to record into (see :func:`sim.engine.history.allocate`); default: new arrays.

    ``running`` turns False when the step that reaches the horizon is done; stepping after that
    raises a ``RuntimeError`` (Mesa's runners check ``running`` first).
    """

    def __init__(self, scenario: Scenario | str | Path = "baseline", seed: int | None = None,
                 replicates: int | None = None, first_replicate: int = 0,
                 out: dict[str, np.ndarray] | None = None):
        scenario = _as_scenario(scenario)
        seed = checks.seed(scenario.seed if seed is None else seed)  # Mesa's streams too
        super().__init__(seed=seed)
        self.simulation = Simulation(scenario, seed, replicates, first_replicate, out)
        self.nations = [Nation(self, i, code, name) for i, (code, name)
                        in enumerate(zip(self.base.codes, self.base.names, strict=True))]
        codes = self.base.codes
        self._focus = codes.index(FOCUS) if FOCUS in codes else None
        self.datacollector = mesa.DataCollector(model_reporters={r: r for r in REPORTERS})
        self.datacollector.collect(self)

    def step(self) -> None:
        """One month of the core (its docstring lists the phases), then the reporters."""
        self.simulation.step()
        self.running = not self.simulation.over
        self.datacollector.collect(self)

    def run(self) -> History:
        """Step to the horizon and return the record."""
        while not self.simulation.over:
            self.step()
        return self.history

    # --- the core's state, for agents, dashboards and tests ------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self.simulation.scenario

    @property
    def root_seed(self) -> int:
        return self.simulation.root_seed

    @property
    def months(self) -> int:
        return self.simulation.months

    @property
    def params(self):
        return self.simulation.params

    @property
    def base(self) -> Baseline:
        return self.simulation.base

    @property
    def state(self) -> State:
        return self.simulation.state

    @property
    def schedule(self) -> EventSchedule:
        return self.simulation.schedule

    @property
    def history(self) -> History:
        return self.simulation.history

    @property
    def date(self) -> dt.date:
        """Calendar date of the current month."""
        return self.scenario.month_date(self.simulation.month)

    # --- reporters: Japan's headline measures, mean over replicates -----------------------------
    @property
    def japan_trust_in_patron(self) -> float:
        return self._focus_mean(self.state.trust[:, :, self.base.patron])

    @property
    def japan_abandonment_fear(self) -> float:
        return self._focus_mean(self.state.abandonment_fear)

    @property
    def japan_alignment_security(self) -> float:
        return self._focus_mean(self.state.alignment_security)

    @property
    def japan_hedging(self) -> float:
        s = self.state
        return self._focus_mean(hedging.hedging(s.alignment_economic, s.alignment_security))

    def _focus_mean(self, per_state: np.ndarray) -> float:
        """Mean over replicates of Japan's column of ``per_state`` (R, N)."""
        if self._focus is None:
            return float("nan")
        return float(per_state[:, self._focus].mean())


def _as_scenario(scenario: Scenario | str | Path) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    path = Path(scenario)
    if not path.suffix and not path.exists():
        path = paths.scenario_file(str(scenario))
    return load_scenario(path)
