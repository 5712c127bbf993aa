"""Words about a third party (the patron blaming Ukraine, justifying Russia's actions), read by
every other state as cheap talk about the speaker's commitments to states like it."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from sim.events.base import Context, EventBase


class RemarkAbout(EventBase):
    """Cheap talk about a third party (blaming Ukraine, justifying Russia's invasion of it),
    which others read as news about the speaker's commitments to states like that party."""

    default_domain: ClassVar[str] = "security"
    type: Literal["remark_about"]
    by: str = "US"
    about: str = Field(description="the state whose treatment the words concern")
    tone: Literal["negative", "positive"] = "negative"
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)

    def apply(self, c: Context) -> None:
        """Each observer k hears the remark as its own cheap talk, weighted as observation
        weighs what was done to ``about`` (``weight_observed`` times k's attention and
        similarity, Crescenzi et al. 2012): words are not a deed done to k, so the month's own
        shocks do not mask them. The party itself is not written to (what it hears would be
        observed again by the others)."""
        speaker, party = c.at(self.by), c.at(self.about)
        sign = 1.0 if self.tone == "positive" else -1.0
        weights = observer_weights(c, party)
        for k in range(c.base.size):
            if k in (speaker, party) or not np.any(weights[k]):
                continue
            c.acts.cheap[:, k, speaker] += c.masked(sign * self.intensity
                                                    * c.params.weight_observed * weights[k])


def observer_weights(c: Context, party: int) -> list[float | np.ndarray]:
    """W[k, party] of :func:`sim.engine.mechanics.observation.similarity` (a test checks they
    agree): k's dependence x likeness in dependence x like-mindedness x same tier (or
    ``observed_other_tier``). Written here because events sit below the engine."""
    b = c.base
    dep = b.dependence
    out: list[float | np.ndarray] = []
    for k in range(b.size):
        tier = 1.0 if b.commitment[k] == b.commitment[party] else c.params.observed_other_tier
        alike = 1.0 - abs(dep[k] - dep[party])
        out.append(0.0 if k == party else dep[k] * alike * float(b.like_minded[k, party]) * tier)
    return out
