"""Third-party observation: k learns about j from how j treats others like k.

Crescenzi et al. 2012 (reputations are formed from others' experience); Snyder 1984 (the more a
state depends on the patron, the closer it watches for signs of abandonment). The weight of i's
experience for observer k is k's attention (its dependence on the patron) times their similarity:
both like-minded, alike in dependence, and alike in the form of the patron's commitment (a state
reads most into the fate of one protected as it is: Taiwan, with no treaty, into Ukraine's;
a different tier keeps ``observed_other_tier`` of the weight). This is how the US handling of
Ukraine reaches Taiwan and the Philippines more than Australia.
"""

from __future__ import annotations

import numpy as np


def similarity(dependence: np.ndarray, like_minded: np.ndarray, tier: tuple[str, ...],
               other_tier: float) -> np.ndarray:
    """W[k, i]: how much k reads i's treatment as news about its own (zero on the diagonal)."""
    alike = 1.0 - np.abs(dependence[:, None] - dependence[None, :])
    same_tier = np.array([[a == b for b in tier] for a in tier])
    weight = dependence[:, None] * alike * like_minded * np.where(same_tier, 1.0, other_tier)
    idx = np.arange(len(dependence))
    weight[..., idx, idx] = 0.0
    return weight


def observed(direct: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Evidence k gains about j: sum over i of W[k, i] * max(direct[i, j] - direct[k, j], 0).

    Only treatment k did not receive itself is news: a remark made to every ally at once is
    evidence once, not once per ally observed. ``direct`` is (R, N, N) evidence (positive or
    negative, separately); the sum runs as a loop over i so each replicate is computed alike.
    """
    out = np.zeros_like(direct)
    acting = np.flatnonzero(direct.any(axis=(0, 1)))  # most months, few states act at all
    if acting.size == 0:
        return out
    acts = direct[:, :, acting]
    seen = np.zeros_like(acts)
    per_replicate = weights if weights.ndim == 3 else weights[None]
    for i in range(direct.shape[1]):
        seen += per_replicate[:, :, i, None] * np.maximum(acts[:, i, None, :] - acts, 0.0)
    out[:, :, acting] = seen
    # nobody learns about j from j's treatment of j, nor about itself
    n = direct.shape[1]
    out[:, np.arange(n), np.arange(n)] = 0.0
    return out
