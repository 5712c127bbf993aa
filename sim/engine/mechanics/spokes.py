"""Spoke-to-spoke ties (Cha 2000, the quasi-alliance model).

Two allies of one patron draw together when both fear abandonment more than they did: a tie grows
with the smaller of the two excess fears x their shared threat x like-mindedness x a basis for the
tie, saturating at 1, and relaxes toward its initial strength without that push. The basis is the
larger of their common exposure to one hostile state (the smaller of their proximities to it) and
the tie they already have (assumption: Japan and Europe share no neighbour but have a partnership
to build on; Taiwan and Ukraine have neither). Partnership agreements add to the tie.
"""

from __future__ import annotations

import numpy as np


def basis(initial: np.ndarray, proximity: np.ndarray, hostile: np.ndarray,
          like_minded: np.ndarray) -> np.ndarray:
    """B[i, k]: what a tie between i and k can grow from (zero unless both are like-minded)."""
    common = np.zeros_like(initial)
    for h in np.flatnonzero(hostile):
        common = np.maximum(common, np.minimum(proximity[:, h, None], proximity[None, :, h]))
    return np.maximum(common, initial) * like_minded


def update(ties: np.ndarray, initial: np.ndarray, fear: np.ndarray, initial_fear: np.ndarray,
           threat: np.ndarray, basis_: np.ndarray, agreements: np.ndarray, growth: float,
           decay: float) -> np.ndarray:
    excess = np.maximum(fear - initial_fear[None], 0.0)
    root_threat = np.sqrt(threat)
    # growth x min(excess_i, excess_k) x sqrt(threat_i threat_k) x basis, built in place
    push = np.minimum(excess[:, :, None], excess[:, None, :])
    push *= root_threat[:, :, None]
    push *= root_threat[:, None, :]
    push *= growth * basis_[None]
    push += agreements
    np.minimum(push, 1.0, out=push)
    out = ties + (1.0 - ties) * push - decay * (ties - initial[None])
    n = ties.shape[1]
    out[:, np.arange(n), np.arange(n)] = 0.0
    return np.clip(out, 0.0, 1.0, out=out)
