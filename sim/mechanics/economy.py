"""Grievance and economic interdependence.

Costly economic defections (tariffs, investment blocks) leave a grievance that fades slowly
(Crawford 2011: the challenger's wedge offers target states with a grievance against the patron).
Active tariffs divert trade: the trade share the target keeps with the imposer falls toward
``exp(-elasticity * severity)`` of its initial level (assumption, after Fajgelbaum et al. 2020).
"""

from __future__ import annotations

import numpy as np

from sim.scenario.events import SECTOR_SALIENCE


def grievance(current: np.ndarray, harm: np.ndarray, gain: float, decay: float) -> np.ndarray:
    """G <- (1 - decay) G + (1 - G) * min(1, gain * harm): bounded in [0, 1]."""
    return (1.0 - decay) * current + (1.0 - current) * np.minimum(1.0, gain * harm)


def tariff_severity(tariffs: np.ndarray) -> np.ndarray:
    """Salience-weighted tariff on i's exports by j: (R, S, j, i) -> (R, i, j)."""
    salience = np.array(list(SECTOR_SALIENCE.values()))
    total = np.zeros(tariffs.shape[:1] + tariffs.shape[2:])
    for s, weight in enumerate(salience):
        total += weight * tariffs[:, s]
    return np.swapaxes(total, 1, 2)


def trade(current: np.ndarray, initial: np.ndarray, severity: np.ndarray, elasticity: float,
          speed: float) -> np.ndarray:
    """Trade shares move toward their tariff-diverted target at ``speed`` per month."""
    target = initial[None] * np.exp(-elasticity * severity)
    return current + speed * (target - current)
