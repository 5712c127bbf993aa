"""Spoke-to-spoke ties (Cha 2000, the quasi-alliance model).

Two allies of one patron draw together when both fear abandonment more than they did: a tie grows
with the smaller of the two excess fears x their shared threat x like-mindedness, saturating at 1,
and relaxes toward its initial strength without that push. Partnership agreements add to it.
"""

from __future__ import annotations

import numpy as np


def update(ties: np.ndarray, initial: np.ndarray, fear: np.ndarray, initial_fear: np.ndarray,
           threat: np.ndarray, like_minded: np.ndarray, agreements: np.ndarray, growth: float,
           decay: float) -> np.ndarray:
    excess = np.maximum(fear - initial_fear[None], 0.0)
    shared_excess = np.minimum(excess[:, :, None], excess[:, None, :])
    shared_threat = np.sqrt(threat[:, :, None] * threat[:, None, :])
    push = growth * shared_excess * shared_threat * like_minded[None] + agreements
    out = ties + (1.0 - ties) * np.minimum(push, 1.0) - decay * (ties - initial[None])
    n = ties.shape[1]
    out[:, np.arange(n), np.arange(n)] = 0.0
    return np.clip(out, 0.0, 1.0)
