"""Grievance and economic interdependence.

Costly economic defections (tariffs, investment blocks) leave a grievance that fades slowly
(Crawford 2011: the challenger's wedge offers target states with a grievance against the patron).
Active tariffs divert trade: the trade share the target keeps with the imposer falls toward
``exp(-elasticity * severity)`` of its initial level (assumption, after Fajgelbaum et al. 2020).
"""

from __future__ import annotations

import numpy as np


def grievance(current: np.ndarray, harm: np.ndarray, gain: float, decay: float) -> np.ndarray:
    """G <- (1 - decay) G + (1 - G) * min(1, gain * harm): bounded in [0, 1]."""
    return (1.0 - decay) * current + (1.0 - current) * np.minimum(1.0, gain * harm)


def trade_target(initial: np.ndarray, severity: np.ndarray, elasticity: float) -> np.ndarray:
    """Where trade shares head under the active tariffs: ``severity[r, i, j]`` is the
    salience-weighted tariff j imposes on i."""
    return initial[None] * np.exp(-elasticity * severity)


def trade(current: np.ndarray, target: np.ndarray, speed: float) -> np.ndarray:
    """Trade shares move ``speed`` of the way toward their target each month."""
    return current + speed * (target - current)
