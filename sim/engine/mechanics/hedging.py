"""Alignment on two axes, the hedging index, and Kuik's spectrum.

Economic and security alignment run from -1 (with the challenger) to +1 (with the patron) and are
kept apart: economic pragmatism and binding engagement move first, security alignment last (Kuik
2008; Lim & Cooper 2015). Each axis moves a share of the way to a target each month:

economic target = e0 + (1 - anchor) * [g_T (T - T0) - wedge * G * china_share - pull * engagement]
security target = s0 + g_S (T - T0) + g_threat (threat - threat0) + (support - support0)
                  - g_E max(0, entrapment - entrapment0)

The wedge term is Crawford 2011: the challenger's offers work on states with a grievance against
the patron, the more so the more they trade with the challenger. Threat pushes toward the patron
(Walt 1987: balancing); public support for the alliance holds the government back (assumption: one
for one); fear of being dragged into the patron's conflicts keeps it at a distance (Snyder 1984).
"""

from __future__ import annotations

import numpy as np

# Kuik 2008's spectrum, from alignment with the patron against the challenger (balancing) to
# alignment with the challenger (bandwagoning). Cut points on the mean of the two axes are ours.
KUIK_SPECTRUM = (
    (0.75, "pure balancing"),
    (0.45, "indirect balancing"),
    (0.15, "dominance denial"),
    (-0.15, "economic pragmatism"),
    (-0.45, "binding engagement"),
    (-0.75, "limited bandwagoning"),
    (-np.inf, "pure bandwagoning"),
)


def economic_target(initial: np.ndarray, anchor: np.ndarray, trust_change: np.ndarray,
                    grievance: np.ndarray, challenger_share: np.ndarray,
                    engagement: np.ndarray, trust_gain: float, wedge_pull: float,
                    engagement_pull: float) -> np.ndarray:
    drift = (trust_gain * trust_change - wedge_pull * grievance * challenger_share
             - engagement_pull * engagement)
    return np.clip(initial + (1.0 - anchor) * drift, -1.0, 1.0)


def security_target(initial: np.ndarray, trust_change: np.ndarray, threat_change: np.ndarray,
                    support_change: np.ndarray, entrapment_rise: np.ndarray, trust_gain: float,
                    threat_gain: float, support_gain: float,
                    entrapment_gain: float,
                    tightening: np.ndarray | float = 0.0) -> np.ndarray:
    """``tightening``: the trade-off structure's pull toward the patron (see
    :func:`sim.engine.mechanics.alliance_dilemma.tightening`); zero in the loosening one."""
    return np.clip(initial + trust_gain * trust_change + threat_gain * threat_change
                   + support_gain * support_change
                   - entrapment_gain * np.maximum(entrapment_rise, 0.0) + tightening, -1.0, 1.0)


def adjust(current: np.ndarray, target: np.ndarray, speed: float, drift: np.ndarray,
           fixed: np.ndarray) -> np.ndarray:
    """Move ``speed`` of the way to the target, plus random drift; poles stay where they are."""
    moved = np.clip(current + speed * (target - current) + drift, -1.0, 1.0)
    return np.where(fixed[None], current, moved)


def hedging(economic: np.ndarray, security: np.ndarray) -> np.ndarray:
    """Distance from full alignment with either pole: 0 when both axes sit at the same pole, 1 when
    the axes cancel out (economically with one side, militarily with the other) or sit at zero."""
    return 1.0 - np.abs(economic + security) / 2.0


def mixed_signals(economic: np.ndarray, security: np.ndarray) -> np.ndarray:
    """Hedging as mixed signals (Kuik 2008; Lim & Cooper 2015): half the divergence between the
    axes, 0 when economic and security alignment send the same signal (wherever they sit), 1 when
    they sit at opposite poles. Recorded next to :func:`hedging`, which calls a state at zero on
    both axes fully hedged though it sends no contradictory signal at all."""
    return np.abs(economic - security) / 2.0


def kuik_label(economic: float, security: float) -> str:
    """Kuik's label for one state's position (pure strategies need both axes at the pole)."""
    mean = (economic + security) / 2.0
    pole = KUIK_SPECTRUM[0][0]  # how close to a pole both axes must be for a pure strategy
    if economic >= pole and security >= pole:
        return "pure balancing"
    if economic <= -pole and security <= -pole:
        return "pure bandwagoning"
    for cut, label in KUIK_SPECTRUM[1:-1]:
        if mean >= cut:
            return label
    return "limited bandwagoning"
