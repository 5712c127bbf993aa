"""A security crisis, which may test the patron's commitment."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from sim.events.base import Context, EventBase


class SecurityCrisis(EventBase):
    """A crisis at a location raises threat nearby and may test the patron's commitment."""

    default_domain: ClassVar[str] = "security"
    draws_every_month: ClassVar[bool] = True  # whether the patron honours it is drawn
    type: Literal["security_crisis"]
    location: str
    by: str = "CHN"
    severity: float = Field(default=0.5, ge=0.0, le=1.0)
    tests_commitment: bool = True

    def apply(self, c: Context) -> None:
        """A crisis raises threat near its location; where it tests the patron's commitment,
        the patron honours it with the base rate of Leeds, Long & Mitchell 2000, scaled by
        tier."""
        loc, aggressor, patron = c.at(self.location), c.at(self.by), c.base.patron
        c.acts.crisis[:, loc] += c.masked(self.severity)
        nearby = c.base.proximity[None, loc, :].copy()
        nearby[0, aggressor] = 0.0  # the aggressor does not judge itself
        c.acts.costly[:, :, aggressor] -= c.masked(self.severity)[:, None] * nearby
        if not self.tests_commitment or loc == patron:
            return
        chance = c.params.honour_rate * c.params.honour_factor(c.base.commitment[loc])
        honoured = c.honour_draw < chance
        c.state.commitment_tests += c.mask
        c.state.commitments_honoured += c.mask & honoured
        # Abandonment in a crisis is the costliest defection; help is costly cooperation.
        c.acts.costly[:, loc, patron] += c.masked(
            np.where(honoured, self.severity, -c.params.support_cut_severity * self.severity))
