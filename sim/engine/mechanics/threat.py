"""Threat perception (Walt 1987): power x proximity x offensive capability x perceived intentions.

Perceived intentions are read as distrust (1 - T[i, j]) of each hostile state j (the challenger and
revisionists). The index is scaled so each state starts at its surveyed level; crises add salience
near their location that decays.
"""

from __future__ import annotations

import numpy as np


def raw_threat(trust: np.ndarray, capability: np.ndarray, proximity: np.ndarray,
               offensive: np.ndarray, hostile: np.ndarray) -> np.ndarray:
    """Sum over hostile j != i of capability_j * proximity_ij * offensive_j * (1 - T_ij).

    ``capability`` is (N,), or (R, N) when it differs by replicate."""
    r, n = trust.shape[0], trust.shape[1]
    out = np.zeros((r, n))
    for j in np.flatnonzero(hostile):
        term = (capability[..., j, None] * proximity[None, :, j] * offensive[j]
                * (1 - trust[:, :, j]))
        term[:, j] = 0.0
        out += term
    return out


def crisis_salience(current: np.ndarray, crisis: np.ndarray, proximity: np.ndarray,
                    decay: float) -> np.ndarray:
    """Salience decays; each crisis adds its severity times proximity to the crisis."""
    out = (1.0 - decay) * current
    for loc in np.flatnonzero(crisis.any(axis=0)):  # most months see no crisis anywhere
        out += crisis[:, loc, None] * proximity[None, :, loc]
    return out


def threat(raw: np.ndarray, raw_initial: np.ndarray, initial: np.ndarray,
           salience: np.ndarray) -> np.ndarray:
    """Surveyed level scaled by the change in raw threat, plus crisis salience, in [0, 1]."""
    ratio = np.divide(raw, raw_initial, out=np.ones_like(raw), where=raw_initial > 0)
    return np.clip(initial * ratio + salience, 0.0, 1.0)
