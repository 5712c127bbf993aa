"""Bloc structure as a landscape (Axelrod & Bennett 1993).

Energy E = sum over pairs i < j of size_i * size_j * propensity_ij * distance_ij, where distance is
1 for states in different blocs and 0 otherwise, and a positive propensity means the two attract.
A configuration is stable when no single state lowers E by switching bloc. Used as a diagnostic of
the run (low energy: blocs follow affinities) and, in the tests, as an invariant: a myopic switch
never raises E.
"""

from __future__ import annotations

import numpy as np


def propensity(trust: np.ndarray, indifference: float) -> np.ndarray:
    """Mutual trust above ``indifference`` attracts, below repels (``bloc_indifference``)."""
    return (trust + np.swapaxes(trust, -1, -2)) / 2.0 - indifference


def energy(size: np.ndarray, propensity_: np.ndarray, bloc: np.ndarray) -> np.ndarray:
    """Frustration of a two-bloc configuration; ``bloc`` is (..., N) of +1/-1."""
    apart = bloc[..., :, None] != bloc[..., None, :]
    weights = size[:, None] * size[None, :] * propensity_ * apart
    upper = np.triu(np.ones(weights.shape[-2:], dtype=bool), k=1)
    pairs = np.where(upper, weights, 0.0)
    return pairs.reshape(*pairs.shape[:-2], -1).sum(axis=-1)


def best_switch(size: np.ndarray, propensity_: np.ndarray, bloc: np.ndarray) -> np.ndarray | None:
    """The single switch that lowers energy most, or None at a local minimum (one configuration)."""
    current = energy(size, propensity_, bloc)
    best, best_energy = None, current
    for i in range(len(bloc)):
        trial = bloc.copy()
        trial[i] = -trial[i]
        e = energy(size, propensity_, trial)
        if e < best_energy - 1e-12:
            best, best_energy = trial, e
    return best


def settle(size: np.ndarray, propensity_: np.ndarray, bloc: np.ndarray) -> np.ndarray:
    """Follow myopic switches to a local minimum."""
    while (nxt := best_switch(size, propensity_, bloc)) is not None:
        bloc = nxt
    return bloc
