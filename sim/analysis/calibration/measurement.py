"""Measurement model: how each survey construct reads the model's trust, and with what error.

The model's trust T[i, US] is defined on the scale of Lowy's "trust the US to act responsibly"
(share trusting it a great deal or somewhat): that construct reads T directly. Every other
construct has its own offset and scale, ``share = offset + scale * T`` (clipped to [0, 1]), with
both estimated in the calibration as nuisance parameters:

- Pew's favourable view of the US is warmer and moves with the country's image, not only its
  reliability;
- Pew's confidence in the US president measures the person: it falls 54-71 points when the
  president changes, far more than trust. Only polls within one presidency are used, and its
  scale says how strongly it co-moves with trust within that presidency.

Alliance support (Lowy: the alliance very or fairly important) is the model's own
``alliance_support``, read directly. A survey of n respondents reports the share with binomial
sampling error, sd sqrt(p (1 - p) / n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRUST = "trust to act responsibly"
FAVOURABLE = "favourable view"
CONFIDENCE = "confidence in president"
SUPPORT = "alliance important to security"


@dataclass(frozen=True)
class Construct:
    """A survey construct: the model quantity it reads and its offset and scale, fixed or with a
    uniform prior ``(low, high)``."""

    name: str
    model_measure: str  # "trust" (in the patron) or "alliance_support"
    offset: float | tuple[float, float]
    scale: float | tuple[float, float]

    def nuisance(self) -> dict[str, tuple[float, float]]:
        """Uniform priors of the offset and scale this construct estimates (none if fixed)."""
        out = {}
        for part in ("offset", "scale"):
            value = getattr(self, part)
            if isinstance(value, tuple):
                out[f"{self.key}_{part}"] = value
        return out

    @property
    def key(self) -> str:
        return self.name.split()[0]


CONSTRUCTS = {c.name: c for c in (
    Construct(TRUST, "trust", 0.0, 1.0),  # the anchor: defines the scale of the model's trust
    Construct(SUPPORT, "alliance_support", 0.0, 1.0),  # the model's own variable
    Construct(FAVOURABLE, "trust", (-0.25, 0.25), (0.5, 1.5)),
    Construct(CONFIDENCE, "trust", (-0.8, 0.4), (0.0, 2.0)),
)}


def nuisance_priors() -> dict[str, tuple[float, float]]:
    """Every estimated offset and scale, by name (e.g. ``favourable_offset``)."""
    out: dict[str, tuple[float, float]] = {}
    for construct in CONSTRUCTS.values():
        out.update(construct.nuisance())
    return out


def offset_scale(construct: Construct, values: dict[str, np.ndarray | float]
                 ) -> tuple[np.ndarray | float, np.ndarray | float]:
    """The construct's offset and scale: fixed, or from ``values`` (one per posterior point)."""
    parts = []
    for part in ("offset", "scale"):
        fixed = getattr(construct, part)
        parts.append(values[f"{construct.key}_{part}"] if isinstance(fixed, tuple) else fixed)
    return parts[0], parts[1]


def read(construct: Construct, model_value: np.ndarray, offset, scale) -> np.ndarray:
    """The share the survey would report without sampling error."""
    return np.clip(offset + scale * model_value, 0.0, 1.0)


def sampling_sd(share: np.ndarray | float, n: int) -> np.ndarray:
    """Binomial standard error of a share from n respondents (floored at 1/n: never zero)."""
    p = np.clip(share, 1.0 / n, 1.0 - 1.0 / n)
    return np.sqrt(p * (1.0 - p) / n)


def survey(rng: np.random.Generator, share: np.ndarray, n: int) -> np.ndarray:
    """A simulated poll: the share of n binomial respondents."""
    return rng.binomial(n, np.clip(share, 0.0, 1.0)) / n
