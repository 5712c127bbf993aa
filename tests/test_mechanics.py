"""Known answers for each mechanism: a hand-checkable update from the rule in its docstring, and the
limiting cases that pin what the rule means (no evidence keeps trust, full trust means no fear...).

Arrays carry the replicate as first axis where the model passes them so; the expected numbers are
worked out by hand in each test, from the formula, not by calling the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pytest import approx

from sim.engine.mechanics import (
    alliance_dilemma,
    defence,
    economy,
    hedging,
    landscape,
    observation,
    opinion,
    reputation,
    spokes,
    threat,
)
from sim.engine.rng import Streams
from sim.engine.schedule import EventSchedule
from sim.engine.world import build_baseline, initial_state
from sim.scenario import load_scenario


def a1(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


# --- reputation (Beta reputation with forgetting; Kydd 2005, Josang & Ismail 2002) -------------

def beta_month(a: float, b: float, positive: float = 0.0, negative: float = 0.0,
               forgetting: float = 0.9, bias: float = 2.0, prior: tuple[float, float] = (6.8, 13.2),
               noise: float | None = None) -> tuple[float, float]:
    """One month of ``reputation.update`` on scalars; returns the new (a, b)."""
    ev_for, ev_against = a1(a), a1(b)
    reputation.update(ev_for, ev_against, a1(prior[0]), a1(prior[1]), a1(positive),
                      a1(negative), forgetting, bias, None if noise is None else a1(noise))
    return float(ev_for[0]), float(ev_against[0])


def trust_of(a: float, b: float) -> float:
    return float(reputation.trust(a1(a), a1(b))[0])


def test_reputation_known_answer():
    # Japan's trust in the US, 0.34 with 20 pseudo-acts: a = 6.8, b = 13.2; one defection.
    a, b = beta_month(6.8, 13.2, positive=0.0, negative=1.0, forgetting=0.9, bias=2.0)
    # a = 0.9 * 6.8 + 0.1 * 6.8 + 0 = 6.8;  b = 0.9 * 13.2 + 0.1 * 13.2 + 2 * 1 = 15.2
    assert a == approx(6.8)
    assert b == approx(15.2)
    assert trust_of(a, b) == approx(6.8 / 22.0)


def test_reputation_routine_noise_scales_only_the_cooperative_flow():
    a, b = beta_month(6.8, 13.2, positive=0.5, negative=0.0, noise=1.5)
    assert a == approx(0.9 * 6.8 + 0.1 * 6.8 * 1.5 + 0.5)
    assert b == approx(13.2)


def test_no_evidence_and_no_noise_keeps_trust_at_the_prior():
    a, b = 6.8, 13.2
    for _ in range(120):
        a, b = beta_month(a, b)
    assert trust_of(a, b) == approx(0.34, abs=1e-12)
    assert (a, b) == (approx(6.8, abs=1e-12), approx(13.2, abs=1e-12))


def test_without_events_trust_drifts_back_at_the_rate_of_forgetting():
    # b's excess over the prior (2 after the defection) decays by `forgetting` each month
    a, b = beta_month(6.8, 13.2, negative=1.0)
    for _ in range(12):
        a, b = beta_month(a, b)
    assert b - 13.2 == approx(2.0 * 0.9**12)
    assert a == approx(6.8)


def test_evidence_splits_signed_acts_and_weighs_cheap_talk_by_the_ratio():
    positive, negative = reputation.evidence(a1(0.5, -1.0, 0.0), a1(0.0, 0.0, -1.0),
                                             weight_costly=4.0, cheap_talk_ratio=0.2)
    assert positive == approx([2.0, 0.0, 0.0])
    assert negative == approx([0.0, 4.0, 0.8])


def test_costly_evidence_moves_trust_more_than_cheap_talk():
    """Fearon 1997: a tariff moves beliefs more than a remark of the same magnitude."""
    costly = reputation.evidence(a1(-1.0), a1(0.0), weight_costly=4.0, cheap_talk_ratio=0.2)
    cheap = reputation.evidence(a1(0.0), a1(-1.0), weight_costly=4.0, cheap_talk_ratio=0.2)
    after_costly = trust_of(*beta_month(6.8, 13.2, costly[0][0], costly[1][0]))
    after_cheap = trust_of(*beta_month(6.8, 13.2, cheap[0][0], cheap[1][0]))
    assert after_costly < after_cheap < 0.34


def test_trust_is_lost_faster_than_it_is_rebuilt_at_even_trust():
    """Slovic 1993: from trust 0.5, a defection costs more than an equal cooperation restores."""
    drop = 0.5 - trust_of(*beta_month(10.0, 10.0, negative=1.0, prior=(10.0, 10.0)))
    rise = trust_of(*beta_month(10.0, 10.0, positive=1.0, prior=(10.0, 10.0))) - 0.5
    assert drop > rise > 0
    # and a defection followed by an equal cooperation leaves trust below where it started
    a, b = beta_month(10.0, 10.0, negative=1.0, prior=(10.0, 10.0))
    a, b = beta_month(a, b, positive=1.0, prior=(10.0, 10.0))
    assert trust_of(a, b) < 0.5


def test_one_defection_outweighs_one_cooperation_exactly_above_one_over_one_plus_bias():
    """With bias k, a defection then an equal cooperation ends lower iff trust > 1 / (1 + k)."""
    for trust0, ends_lower in ((0.40, True), (0.30, False)):
        a0, b0 = 20 * trust0, 20 * (1 - trust0)
        a, b = beta_month(a0, b0, negative=0.1, prior=(a0, b0), bias=2.0)
        a, b = beta_month(a, b, positive=0.1, prior=(a0, b0), bias=2.0)
        assert (trust_of(a, b) < trust0) is ends_lower


def test_current_calculus_reads_capability_and_stakes_not_acts():
    """Press 2005: present power and present interests move credibility, past acts do not.
    The trustee's stake in the truster is the ratio of their trade now to at the start."""
    initial = np.array([[1.0, 0.34], [0.1, 1.0]])
    unchanged = np.ones((2, 2))
    assert reputation.current_calculus(initial, a1(1.0, 1.0), unchanged) == approx(initial)
    moved = reputation.current_calculus(initial, a1(1.0, 1.5), unchanged)
    assert moved == approx(np.array([[1.0, 0.51], [0.1, 1.0]]))
    halved_stake = np.array([[1.0, 0.5], [1.0, 1.0]])  # the trustee trades half as much with 0
    assert reputation.current_calculus(initial, a1(1.0, 1.0), halved_stake) == approx(
        np.array([[1.0, 0.17], [0.1, 1.0]]))
    assert reputation.current_calculus(initial, a1(3.0, 3.0), unchanged).max() == 1.0  # clipped


def test_perception_noise_is_mean_one_with_the_given_spread():
    assert reputation.perception_noise(a1(0.0, 0.5, 0.9), 0.0) == approx([1.0, 1.0, 1.0])
    u = np.linspace(0.0, 1.0, 200_001)
    noise = reputation.perception_noise(u, 0.25)
    assert noise.mean() == approx(1.0, abs=1e-6)
    assert noise.std() == approx(0.25, rel=1e-3)
    assert noise.min() > 0 and reputation.perception_noise(a1(0.0), 0.5)[0] > 0


# --- observation (Crescenzi et al. 2012) -------------------------------------------------------

# the patron, two dependent allies, a less dependent partner, a rival
DEPENDENCE = a1(0.0, 0.9, 0.85, 0.5, 0.0)
LIKE = a1(1, 1, 1, 1, 0).astype(bool)
TIERS = ("none", "treaty", "treaty", "partnership", "none")
OTHER_TIER = 0.7


def weights() -> np.ndarray:
    return observation.similarity(DEPENDENCE, LIKE[:, None] & LIKE[None, :], TIERS, OTHER_TIER)


def test_similarity_known_answer():
    w = weights()
    # W[2, 1] = dependence_2 * (1 - |0.85 - 0.9|) * like-minded * same tier = 0.85 * 0.95
    assert w[2, 1] == approx(0.85 * 0.95)
    # W[3, 1] = 0.5 * (1 - 0.4) * 1 * OTHER_TIER (partnership vs treaty)
    assert w[3, 1] == approx(0.5 * 0.6 * OTHER_TIER)
    assert w[0, 1] == 0.0  # the patron depends on nobody: it does not watch


def test_similarity_is_zero_on_the_diagonal_and_for_non_like_minded_pairs():
    w = weights()
    assert np.all(np.diag(w) == 0.0)
    assert np.all(w[4, :] == 0.0) and np.all(w[:, 4] == 0.0)


def test_an_act_on_i_seen_by_k_is_weighted_by_w_k_i():
    w = weights()
    direct = np.zeros((1, 5, 5))
    direct[0, 1, 0] = 2.0  # the patron (0) defects on state 1
    seen = observation.observed(direct, w)
    for k in (2, 3, 4):
        assert seen[0, k, 0] == approx(w[k, 1] * 2.0)
    assert seen[0, 1, 0] == 0.0  # the victim already knows: no news
    assert np.count_nonzero(seen[0, :, 1:]) == 0  # only news about the actor


def test_a_remark_made_to_everyone_is_no_news_to_anyone():
    direct = np.zeros((2, 5, 5))
    direct[:, 1:, 0] = 0.7  # the same act toward every other state, in both replicates
    assert np.all(observation.observed(direct, weights()) == 0.0)


def test_only_the_part_an_observer_did_not_receive_is_news():
    w = weights()
    direct = np.zeros((1, 5, 5))
    direct[0, 1, 0], direct[0, 2, 0] = 1.0, 0.25
    seen = observation.observed(direct, w)
    assert seen[0, 2, 0] == approx(w[2, 1] * 0.75)
    assert seen[0, 3, 0] == approx(w[3, 1] * 1.0 + w[3, 2] * 0.25)


def test_the_more_dependent_and_alike_observer_learns_more():
    direct = np.zeros((1, 5, 5))
    direct[0, 1, 0] = 1.0
    seen = observation.observed(direct, weights())
    assert seen[0, 2, 0] > seen[0, 3, 0] > 0.0


def test_no_acts_no_observation():
    assert np.all(observation.observed(np.zeros((3, 5, 5)), weights()) == 0.0)


# --- economy ------------------------------------------------------------------------------

def test_grievance_known_answer():
    g = economy.grievance(a1(0.2), a1(0.1), gain=1.5, decay=0.04)
    assert g[0] == approx(0.96 * 0.2 + 0.8 * 0.15)


def test_zero_harm_decays_grievance_by_exactly_one_minus_decay():
    current = a1(0.0, 0.3, 1.0)
    assert np.array_equal(economy.grievance(current, np.zeros(3), 1.5, 0.04), 0.96 * current)


@pytest.mark.parametrize("gain", [0.3, 4.0])
def test_grievance_stays_in_unit_interval(gain):
    current = np.linspace(0.0, 1.0, 11)[:, None] * np.ones((1, 5))
    harm = np.array([0.0, 0.01, 0.5, 2.0, 50.0])[None, :] * np.ones((11, 1))
    g = economy.grievance(current, harm, gain, 0.01)
    assert g.min() >= 0.0 and g.max() <= 1.0


def test_trade_moves_speed_of_the_way_to_its_tariff_diverted_target():
    target = economy.trade_target(a1(0.18), a1(0.125)[None], elasticity=1.2)
    assert target[0, 0] == approx(0.18 * math.exp(-1.2 * 0.125))
    new = economy.trade(a1(0.18)[None], target, speed=0.05)
    assert new[0, 0] == approx(0.18 + 0.05 * (target[0, 0] - 0.18))
    no_tariff = economy.trade_target(a1(0.18), a1(0.0)[None], 1.2)
    assert economy.trade(a1(0.18)[None], no_tariff, 0.05)[0, 0] == 0.18


# --- threat (Walt 1987) ----------------------------------------------------------------------

PROXIMITY = np.array([[1.0, 0.6, 0.2], [0.6, 1.0, 0.3], [0.2, 0.3, 1.0]])
HOSTILE = np.array([False, True, False])


def raw(trust_in_hostile: float = 0.1, capability: float = 0.22, proximity=PROXIMITY):
    trust = np.ones((1, 3, 3))
    trust[0, :, 1] = trust_in_hostile
    return threat.raw_threat(trust, a1(0.3, capability, 0.05), proximity, a1(0.9, 0.8, 0.3),
                             HOSTILE)


def test_raw_threat_known_answer():
    # capability 0.22 x proximity x offensive 0.8 x distrust 0.9; the hostile state fears not itself
    assert raw()[0] == approx([0.22 * 0.6 * 0.8 * 0.9, 0.0, 0.22 * 0.3 * 0.8 * 0.9])


def test_no_capability_no_threat():
    assert np.all(raw(capability=0.0) == 0.0)


def test_more_distrust_or_proximity_more_threat():
    assert raw(trust_in_hostile=0.05)[0, 0] > raw(trust_in_hostile=0.5)[0, 0]
    closer = PROXIMITY.copy()
    closer[0, 1] = 0.9
    assert raw(proximity=closer)[0, 0] > raw()[0, 0]


def test_crisis_salience_decays_and_adds_severity_times_proximity():
    crisis = np.zeros((1, 3))
    crisis[0, 2] = 0.4  # a crisis at state 2
    out = threat.crisis_salience(a1(0.2, 0.0, 0.1)[None], crisis, PROXIMITY, decay=0.15)
    assert out[0] == approx([0.85 * 0.2 + 0.4 * 0.2, 0.4 * 0.3, 0.85 * 0.1 + 0.4 * 1.0])


def test_threat_is_the_surveyed_level_when_raw_threat_is_unchanged_and_no_crisis():
    initial = a1(0.815, 0.4, 0.5)
    raw_initial = a1(0.1, 0.0, 0.05)  # state 1 faces no raw threat: it keeps its level
    out = threat.threat(raw_initial[None], raw_initial, initial, np.zeros((1, 3)))
    assert np.array_equal(out[0], initial)
    doubled = threat.threat(2 * raw_initial[None], raw_initial, initial, np.zeros((1, 3)))
    assert doubled[0] == approx([1.0, 0.4, 1.0])  # 2 x 0.815 clipped; 0.4 kept; 2 x 0.5


# --- alliance security dilemma (Snyder 1984) ------------------------------------------------

def test_abandonment_is_threat_times_dependence_times_distrust():
    fear = alliance_dilemma.abandonment(a1(0.815, 0.5)[None], a1(0.75, 0.55), a1(0.34, 0.56)[None])
    assert fear[0] == approx([0.815 * 0.75 * 0.66, 0.5 * 0.55 * 0.44])


def test_full_trust_means_no_fear_of_abandonment():
    assert np.all(alliance_dilemma.abandonment(a1(0.9)[None], a1(0.95), a1(1.0)[None]) == 0.0)


def test_entrapment_known_answer():
    crisis = a1(0.0, 0.3, 0.1)[None]
    fear = alliance_dilemma.entrapment(a1(0.5, 0.8, 0.2)[None], crisis, a1(0.6, -1.0, 1.0)[None],
                                       exposure_floor=0.2)
    # exposure = 0.2 + max crisis 0.3 = 0.5; shared interest = (1 + s) / 2
    assert fear[0] == approx([0.5 * 0.5 * 0.2, 0.8 * 0.5 * 1.0, 0.0])
    calm = alliance_dilemma.entrapment(a1(0.5)[None], np.zeros((1, 1)), a1(0.6)[None],
                                       exposure_floor=0.3)
    assert calm[0, 0] == approx(0.5 * 0.3 * 0.2)  # the floor of exposure


# --- hedging (Kuik 2008) ----------------------------------------------------------------------

def test_hedging_index_at_the_poles_and_when_the_axes_cancel():
    assert hedging.hedging(a1(1.0), a1(1.0))[0] == 0.0
    assert hedging.hedging(a1(-1.0), a1(-1.0))[0] == 0.0
    assert hedging.hedging(a1(1.0), a1(-1.0))[0] == 1.0
    assert hedging.hedging(a1(0.0), a1(0.0))[0] == 1.0
    assert hedging.hedging(a1(0.3), a1(0.85))[0] == approx(1 - 1.15 / 2)


@pytest.mark.parametrize(("economic", "security", "label"), [
    (0.8, 0.9, "pure balancing"),
    (1.0, 0.6, "indirect balancing"),  # mean 0.8, but security short of the pole
    (0.3, 0.85, "indirect balancing"),  # Japan at the start
    (0.2, 0.2, "dominance denial"),
    (0.0, 0.0, "economic pragmatism"),
    (-0.3, -0.3, "binding engagement"),
    (-0.6, -0.6, "limited bandwagoning"),
    (-1.0, -0.6, "limited bandwagoning"),  # mean -0.8, but security short of the pole
    (-0.8, -0.8, "pure bandwagoning"),
])
def test_kuik_label(economic, security, label):
    assert hedging.kuik_label(economic, security) == label


def test_kuik_labels_cover_the_spectrum():
    grid = np.linspace(-1, 1, 21)
    labels = {hedging.kuik_label(e, s) for e in grid for s in grid}
    assert labels == {label for _, label in hedging.KUIK_SPECTRUM}


def test_economic_target_known_answer():
    target = hedging.economic_target(
        a1(0.3), a1(0.521), trust_change=a1(-0.1), grievance=a1(0.2), challenger_share=a1(0.5),
        engagement=a1(0.4), trust_gain=0.8, wedge_pull=0.5, engagement_pull=0.3)
    drift = 0.8 * -0.1 - 0.5 * 0.2 * 0.5 - 0.3 * 0.4
    assert target[0] == approx(0.3 + (1 - 0.521) * drift)


def test_security_target_known_answer():
    target = hedging.security_target(
        a1(0.85, 0.85), trust_change=a1(-0.1, -0.1), threat_change=a1(0.05, 0.05),
        support_change=a1(-0.01, -0.01), entrapment_rise=a1(0.1, -0.1), trust_gain=0.3,
        threat_gain=0.6, support_gain=2.0, entrapment_gain=0.3)
    # 0.85 + 0.3 x -0.1 + 0.6 x 0.05 + 2 x -0.01, less 0.3 x the rise in entrapment fear (a fall:
    # none)
    assert target == approx([0.85 - 0.03 + 0.03 - 0.02 - 0.03, 0.85 - 0.03 + 0.03 - 0.02])


def test_alignment_moves_speed_of_the_way_and_the_poles_stay_put():
    current = a1(0.3, 1.0, -1.0)[None]
    goal = a1(0.1, 0.0, 0.0)[None]
    fixed = np.array([False, True, True])
    moved = hedging.adjust(current, goal, 0.1, np.zeros((1, 3)), fixed)
    assert moved[0] == approx([0.28, 1.0, -1.0])
    drifted = hedging.adjust(current, current, 0.1, np.full((1, 3), 0.01), fixed)
    assert drifted[0] == approx([0.31, 1.0, -1.0])


# --- spoke-to-spoke ties (Cha 2000) -----------------------------------------------------------

INITIAL_TIES = np.array([[0.0, 0.0, 0.0, 0.0],
                         [0.0, 0.0, 0.4, 0.0],
                         [0.0, 0.4, 0.0, 0.7],
                         [0.0, 0.0, 0.7, 0.0]])
TIE_BASIS = np.array([[0.0, 0.0, 0.0, 0.0],
                      [0.0, 0.0, 0.6, 0.0],
                      [0.0, 0.6, 0.0, 0.0],  # 2 and 3 are not like-minded: no basis
                      [0.0, 0.0, 0.0, 0.0]])
INITIAL_FEAR = a1(0.0, 0.3, 0.3, 0.3)


def tie_month(ties, fear, threat_=(0.3, 0.8, 0.5, 0.6), agreements=None, growth=0.6, decay=0.02):
    return spokes.update(ties[None], INITIAL_TIES, a1(*fear)[None], INITIAL_FEAR,
                         a1(*threat_)[None], TIE_BASIS,
                         np.zeros((1, 4, 4)) if agreements is None else agreements[None],
                         growth, decay)[0]


def test_spoke_tie_known_answer():
    out = tie_month(INITIAL_TIES, (0.0, 0.5, 0.4, 0.3))
    # excess fears 0.2 and 0.1: shared 0.1; shared threat sqrt(0.8 * 0.5); basis 0.6
    push = 0.6 * 0.1 * math.sqrt(0.4) * 0.6
    assert out[1, 2] == approx(0.4 + 0.6 * push)
    assert out[1, 2] == out[2, 1]


def test_without_excess_fear_ties_relax_toward_their_initial_strength_by_decay():
    ties = INITIAL_TIES + 0.2 * (INITIAL_TIES > 0)
    out = tie_month(ties, (0.0, 0.3, 0.3, 0.3))  # fears at their initial level
    assert out[1, 2] == approx(0.6 - 0.02 * 0.2)
    assert out[2, 3] == approx(0.9 - 0.02 * 0.2)
    at_initial = tie_month(INITIAL_TIES, (0.0, 0.1, 0.2, 0.0))  # fears below initial: no push
    assert np.array_equal(at_initial, INITIAL_TIES)


def test_a_tie_grows_only_when_both_fear_more():
    only_one = tie_month(INITIAL_TIES, (0.0, 0.9, 0.3, 0.3))
    both = tie_month(INITIAL_TIES, (0.0, 0.9, 0.6, 0.3))
    assert only_one[1, 2] == approx(0.4)
    assert both[1, 2] > 0.4


def test_a_pair_with_no_basis_never_grows():
    out = tie_month(INITIAL_TIES, (0.0, 1.0, 1.0, 1.0), threat_=(1.0, 1.0, 1.0, 1.0), growth=10.0)
    assert out[2, 3] == approx(0.7)


def test_ties_stay_in_unit_interval_with_a_zero_diagonal():
    agreements = np.full((4, 4), 0.9)
    out = tie_month(np.full((4, 4), 0.95), (1.0, 1.0, 1.0, 1.0), threat_=(1.0,) * 4,
                    agreements=agreements, growth=10.0, decay=0.0)
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.all(np.diag(out) == 0.0)


def test_tie_basis_is_common_exposure_or_an_existing_tie_among_like_minded():
    proximity = np.array([[1.0, 0.2, 0.5, 0.1],
                          [0.2, 1.0, 0.3, 0.6],
                          [0.5, 0.3, 1.0, 0.4],
                          [0.1, 0.6, 0.4, 1.0]])
    initial = np.zeros((4, 4))
    initial[1, 2] = initial[2, 1] = 0.9
    like = np.array([True, True, True, False])
    b = spokes.basis(initial, proximity, np.array([False, False, False, True]),
                     like[:, None] & like[None, :])
    # common exposure to hostile 3: min(prox[0, 3], prox[1, 3]) = 0.1; an existing tie wins
    assert b[0, 1] == approx(0.1)
    assert b[0, 2] == approx(0.1)
    assert b[1, 2] == approx(0.9)
    assert np.all(b[3] == 0.0) and np.all(b[:, 3] == 0.0)


# --- defence effort (Olson & Zeckhauser 1966; Lanoszka 2015) ----------------------------------

def target(fear: float, demand: float, plan: float = 2.0):
    return defence.target(a1(plan), a1(fear)[None], a1(0.2), a1(demand)[None], a1(0.6),
                          self_help=2.0, compliance=0.4)[0, 0]


def test_defence_target_is_the_plan_at_initial_fear_without_demand():
    assert target(0.2, 0.0) == 2.0


def test_a_demand_raises_the_target_by_compliance_times_acceptance_times_the_gap():
    assert target(0.2, 3.0) == approx(2.0 + 0.4 * (1 - 0.6) * 1.0)
    # more fear: self-help adds 2 x 0.1, and the conceded gap is measured from there
    assert target(0.3, 3.0) == approx(2.2 + 0.4 * 0.4 * 0.8)
    # less fear: willingness 0.1 / 0.2 halves the concession
    assert target(0.1, 3.0) == approx(2.0 + 0.4 * 0.4 * 0.5 * 1.0)
    # a demand below the plan asks nothing
    assert target(0.2, 1.0) == 2.0


def test_defence_adjust_known_answer_and_ramp_limit():
    step = defence.adjust(a1(1.6, 2.0)[None], a1(1.7, 3.0)[None], a1(3.0, 3.0), speed=0.08,
                          max_ramp_per_year=0.4)
    assert step[0] == approx([1.6 + 0.08 * 0.1, 2.0 + 0.4 / 12])
    down = defence.adjust(a1(2.0)[None], a1(1.0)[None], a1(3.0), 0.08, 0.4)
    assert down[0, 0] == approx(2.0 - 0.4 / 12)


def test_defence_never_rises_above_the_ceiling_nor_faster_than_the_ramp():
    current = a1(1.6, 2.99, 3.5)[None]  # the last already above its ceiling
    for _ in range(60):
        nxt = defence.adjust(current, a1(10.0, 10.0, 10.0)[None], a1(3.0, 3.0, 3.0), 0.3, 1.5)
        assert np.all(nxt - current <= 1.5 / 12 + 1e-12)
        assert np.all(nxt <= np.maximum(3.0, current))
        current = nxt
    assert current[0] == approx([3.0, 3.0, 3.5])


# --- public opinion ----------------------------------------------------------------------------

def test_opinion_moves_speed_of_the_way_toward_initial_plus_gain_times_trust_change():
    out = opinion.update(a1(0.8)[None], a1(0.849), a1(-0.1)[None], speed=0.05, trust_gain=0.25)
    assert out[0, 0] == approx(0.8 + 0.05 * (0.849 - 0.025 - 0.8))
    at_rest = opinion.update(a1(0.849)[None], a1(0.849), a1(0.0)[None], 0.05, 0.25)
    assert at_rest[0, 0] == 0.849


# --- landscape (Axelrod & Bennett 1993) ------------------------------------------------------

SIZE = a1(1.0, 2.0, 3.0)
PROPENSITY = np.array([[0.0, 0.5, -0.2],
                       [0.5, 0.0, 0.05],
                       [-0.2, 0.05, 0.0]])


def test_propensity_is_mutual_trust_above_indifference():
    trust = np.array([[1.0, 0.6], [0.2, 1.0]])
    assert landscape.propensity(trust, 0.25) == approx(np.array([[0.75, 0.15], [0.15, 0.75]]))
    assert landscape.propensity(trust, 0.5) == approx(np.array([[0.5, -0.1], [-0.1, 0.5]]))


@pytest.mark.parametrize(("bloc", "expected"), [
    ((1, 1, 1), 0.0),
    ((1, 1, -1), 1 * 3 * -0.2 + 2 * 3 * 0.05),  # 0 and 1 apart from 2
    ((1, -1, -1), 1 * 2 * 0.5 + 1 * 3 * -0.2),  # 0 apart from 1 and 2
    ((1, -1, 1), 1 * 2 * 0.5 + 2 * 3 * 0.05),  # 1 apart from 0 and 2
])
def test_energy_of_a_three_state_configuration(bloc, expected):
    assert landscape.energy(SIZE, PROPENSITY, np.array(bloc)) == approx(expected)


def test_energy_is_computed_per_replicate():
    blocs = np.array([[1, 1, -1], [1, -1, 1]])
    assert landscape.energy(SIZE, PROPENSITY, blocs) == approx([-0.3, 1.3])


def test_settle_ends_where_no_single_switch_lowers_energy():
    end = landscape.settle(SIZE, PROPENSITY, np.array([1, -1, 1]))
    e = landscape.energy(SIZE, PROPENSITY, end)
    for i in range(3):
        flipped = end.copy()
        flipped[i] = -flipped[i]
        assert landscape.energy(SIZE, PROPENSITY, flipped) >= e
    # the minimum puts 2 (repelled by 0) apart from the pair 0-1: 3 x -0.2 + 6 x 0.05 = -0.3
    assert end[0] == end[1] != end[2]
    assert e == approx(-0.3)


def test_best_switch_is_none_at_a_local_minimum():
    assert landscape.best_switch(SIZE, PROPENSITY, np.array([1, 1, -1])) is None
    assert np.array_equal(landscape.best_switch(SIZE, PROPENSITY, np.array([1, 1, 1])),
                          [1, 1, -1])


# --- events become acts (sim/engine/schedule.py) ---------------------------------------------

def schedule_for(write_scenario, events: str, replicates: int = 5):
    scenario = load_scenario(write_scenario(
        "events:\n" + events + "remove_events: [Taiwan Strait tension, Korean peninsula tension, "
        "South China Sea incident]\n", horizon_months=6, replicates=replicates))
    base = build_baseline(scenario)
    state = initial_state(base, replicates, scenario.parameters.prior_strength)
    streams = Streams(scenario.seed, np.arange(replicates))
    return EventSchedule(scenario.events, base, streams, 6), state, scenario.parameters, base


def test_a_zero_tariff_where_there_is_none_is_no_act(write_scenario):
    schedule, state, params, _ = schedule_for(
        write_scenario,
        "  - {type: tariff, month: 1, targets: [JPN, KOR], sector: steel, rate: 0}\n")
    acts = schedule.acts(1, state, params)
    for name in ("costly", "cheap", "economic_harm", "crisis", "engagement", "ties"):
        assert np.all(getattr(acts, name) == 0.0), name
    assert np.all(state.tariff_severity == 0.0)


def test_raising_then_lowering_a_tariff_gives_equal_and_opposite_costly_acts(write_scenario):
    schedule, state, params, base = schedule_for(write_scenario, (
        "  - {type: tariff, month: 1, targets: [JPN], sector: steel, rate: 0.25}\n"
        "  - {type: tariff, month: 3, targets: [JPN], sector: steel, rate: 0}\n"))
    jpn, us = base.index("JPN"), base.index("US")
    raised = schedule.acts(1, state, params)
    assert raised.costly[:, jpn, us] == approx(-0.25 * 0.5)  # rate x steel's salience
    assert raised.economic_harm[:, jpn, us] == approx(0.125)
    assert state.tariff_severity[:, jpn, us] == approx(0.125)
    lowered = schedule.acts(3, state, params)
    assert np.array_equal(lowered.costly, -raised.costly)
    assert np.all(lowered.economic_harm == 0.0)  # lifting a tariff harms nobody
    assert np.all(state.tariff_severity == 0.0)
    assert np.all(state.tariffs == 0.0)


def test_a_security_crisis_tests_commitments_exactly_where_it_fires(write_scenario):
    schedule, state, params, base = schedule_for(write_scenario, (
        "  - {type: security_crisis, name: strait, location: TWN, probability: 0.5, "
        "severity: 0.4}\n"), replicates=40)
    for month in range(6):
        schedule.acts(month, state, params)
    fired = schedule.fires[0].sum(axis=1)
    assert 0 < fired.sum() < 40 * 6  # the seed makes some fire, not all
    assert np.array_equal(state.commitment_tests, fired)
    chance = params.honour_rate * params.honour_factor(base.commitment[base.index("TWN")])
    honoured = ((schedule.honour_draws[0] < chance) & schedule.fires[0]).sum(axis=1)
    assert np.array_equal(state.commitments_honoured, honoured)
