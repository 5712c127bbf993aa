"""Words about a third party reach observers as cheap talk, weighted like observation, and are not
masked by what the observer itself suffers in the same month (issue 8, item 2)."""

from __future__ import annotations

import numpy as np
import pytest
from pytest import approx

from sim.engine.mechanics.observation import similarity
from sim.engine.simulation import Simulation
from sim.scenario import load_scenario
from tests.test_event_effects import schedule_for

REMARK = "  - {type: remark_about, month: 1, about: UKR, tone: negative, intensity: 0.8}\n"


def test_each_observer_hears_the_remark_weighted_as_it_observes_the_party(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, REMARK)
    acts = schedule.acts(1, state, scenario.parameters)
    p = scenario.parameters
    weights = similarity(base.dependence, base.like_minded, base.commitment,
                         p.observed_other_tier)
    us, ukr = base.index("US"), base.index("UKR")
    expected = np.zeros((base.size, base.size))
    for k in range(base.size):
        if k not in (us, ukr):
            expected[k, us] = -0.8 * p.weight_observed * weights[k, ukr]
    assert acts.cheap[0] == approx(expected, abs=1e-12)
    assert acts.cheap[0, base.index("TWN"), us] < 0  # Taiwan reads Ukraine's fate as its own
    assert not acts.costly.any() and not acts.economic_harm.any()


def test_the_remark_reaches_japan_in_a_month_japan_is_itself_hit(write_scenario):
    """Observation nets what k suffered itself; a remark heard by k is not netted away."""
    tariff = "  - {type: tariff, month: 1, targets: [JPN], sector: steel, rate: 0.5}\n"

    def trust_of_japan(body: str) -> float:
        path = write_scenario(body + "remove_events: [Taiwan Strait tension, Korean peninsula "
                              "tension, South China Sea incident]\n", horizon_months=3,
                              replicates=2)
        sim = Simulation(load_scenario(path), replicates=2)
        while not sim.over:
            sim.step()
        s, b = sim.state, sim.base
        return float(s.trust[0, b.index("JPN"), b.index("US")])

    events = "events:\n" + tariff
    assert trust_of_japan(events + REMARK) < trust_of_japan(events) - 1e-6


def test_a_remark_about_a_state_no_one_is_like_moves_no_one(write_scenario):
    schedule, state, scenario, base = schedule_for(
        write_scenario, "  - {type: remark_about, month: 1, about: RUS, tone: positive}\n")
    acts = schedule.acts(1, state, scenario.parameters)
    assert not acts.cheap.any()


@pytest.mark.parametrize("party", ["UKR", "TWN", "PHL", "AUS"])
def test_event_weights_agree_with_the_observation_mechanism(write_scenario, party):
    schedule, state, scenario, base = schedule_for(write_scenario, REMARK.replace("UKR", party))
    acts = schedule.acts(1, state, scenario.parameters)
    p = scenario.parameters
    weights = similarity(base.dependence, base.like_minded, base.commitment,
                         p.observed_other_tier)
    us, j = base.index("US"), base.index(party)
    heard = -acts.cheap[0, :, us] / (0.8 * p.weight_observed)
    expected = weights[:, j].copy()
    expected[[us, j]] = 0.0
    assert heard == approx(expected, abs=1e-12)
