"""Defence effort: own plans, self-help, and a partial answer to the patron's demands.

Olson & Zeckhauser 1966: allies under-provide while they trust the patron's umbrella; Lanoszka 2015:
doubts about the patron drive self-help. Target = plan + self_help * excess abandonment fear
+ conceded share of the demanded gap, where the conceded share grows with abandonment fear and
shrinks with the state's reactance to outside demands ("[Japan] determines its defence spending,
not at the direction of any other country"). Spending moves toward the target, at most
``max_ramp`` points a year (a fiscal ceiling) and never above the state's ceiling.
"""

from __future__ import annotations

import numpy as np


def target(plan: np.ndarray, fear: np.ndarray, initial_fear: np.ndarray, demand: np.ndarray,
           reactance: np.ndarray, self_help: float, compliance: float) -> np.ndarray:
    excess = np.maximum(fear - initial_fear[None], 0.0)
    own = plan[None] + self_help * excess
    willingness = np.minimum(fear / np.maximum(initial_fear[None], 1e-9), 1.0)
    conceded = compliance * (1.0 - reactance[None]) * willingness
    return own + conceded * np.maximum(demand - own, 0.0)


def adjust(current: np.ndarray, goal: np.ndarray, ceiling: np.ndarray, speed: float,
           max_ramp_per_year: float) -> np.ndarray:
    step = np.clip(speed * (goal - current), -max_ramp_per_year / 12, max_ramp_per_year / 12)
    return np.minimum(current + step, np.maximum(ceiling[None], current))
