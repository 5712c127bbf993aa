"""Public support for the alliance: a lagged, inertial layer.

Support follows trust in the patron only a little and slowly: in Australia trust in the US fell by
tens of points in 2017-18 while support for the alliance held (Lowy Institute Poll: 77% in 2017,
76% in 2018). It holds back how far a government moves its security alignment.
"""

from __future__ import annotations

import numpy as np


def update(support: np.ndarray, initial: np.ndarray, trust_change: np.ndarray, speed: float,
           trust_gain: float) -> np.ndarray:
    goal = np.clip(initial[None] + trust_gain * trust_change, 0.0, 1.0)
    return support + speed * (goal - support)
