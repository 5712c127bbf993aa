"""Calibration figures: posterior marginals and pairs over the prior, and predictive checks."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def pairs(prior: pd.DataFrame, posterior: pd.DataFrame, names: Sequence[str]) -> Figure:
    """Marginal histograms (diagonal) and pairwise scatter of the posterior (dark) over the
    prior sample (light): a ridge shows as a narrow diagonal band."""
    k = len(names)
    fig, axes = plt.subplots(k, k, figsize=(2.2 * k, 2.2 * k), squeeze=False)
    shown = prior.iloc[:3000]
    for i, yname in enumerate(names):
        for j, xname in enumerate(names):
            ax = axes[i, j]
            if i == j:
                lo, hi = prior[xname].min(), prior[xname].max()
                ax.hist(posterior[xname], bins=20, range=(lo, hi), color="tab:blue")
                ax.set_yticks([])
            elif i > j:
                ax.scatter(shown[xname], shown[yname], s=2, color="0.85", rasterized=True)
                ax.scatter(posterior[xname], posterior[yname], s=4, color="tab:blue")
            else:
                ax.axis("off")
                continue
            if i == k - 1:
                ax.set_xlabel(xname, fontsize=8)
            if j == 0 and i != j:
                ax.set_ylabel(yname, fontsize=8)
            ax.tick_params(labelsize=6)
    fig.suptitle("Posterior (blue) over the prior sample (grey)")
    fig.tight_layout()
    return fig


def predictive(targets: Sequence[dict]) -> Figure:
    """Each target's survey value (dot) against its posterior predictive 90% band (bar)."""
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(targets) + 1.2))
    y = np.arange(len(targets))[::-1]
    for yi, t in zip(y, targets, strict=True):
        colour = "tab:blue" if t["covered"] else "tab:red"
        ax.plot([100 * t["low"], 100 * t["high"]], [yi, yi], color=colour, lw=4, alpha=0.5)
        ax.plot(100 * t["median"], yi, "|", color=colour, ms=10)
        ax.plot(100 * t["survey"], yi, "ko", ms=4)
    ax.set_yticks(y, [f"{t['actor']} {t['construct']} {t['date'][:7]}" for t in targets],
                  fontsize=8)
    ax.set_xlim(0, 100)
    ax.grid(axis="x", alpha=0.3)
    covered = sum(t["covered"] for t in targets)
    ax.set_title(f"Posterior predictive check: {covered} of {len(targets)} polls of 2017-2021 "
                 "inside the model's 90% band", fontsize=10)
    ax.set_xlabel("share (%): survey (dot), posterior predictive 90% band (bar; red: missed)")
    fig.tight_layout()
    return fig
