"""A state raises its own defence goal (self-help): an ally arming because it doubts its patron."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from sim.events.base import Context, EventBase


class Arm(EventBase):
    """A state pledges more defence spending of its own: self-help when it fears abandonment
    (Snyder 1984; Lanoszka 2015)."""

    default_domain: ClassVar[str] = "security"
    type: Literal["arm"]
    actor: str
    pct: float = Field(ge=0.0, le=2.0, description="% of GDP added to the defence goal")
    max_pledge_pct: float = Field(default=10.0, ge=0.0, le=10.0,
                                  description="% of GDP: the most all pledges may add")

    def apply(self, c: Context) -> None:
        """Adds ``pct`` to the state's defence pledge (at most ``max_pledge_pct`` in all); its
        defence goal is the plan plus the pledge, which spending approaches at the usual speed."""
        i = c.at(self.actor)
        pledge = c.state.defence_pledge[:, i]
        c.state.defence_pledge[:, i] = np.where(
            c.mask, np.minimum(pledge + self.pct, self.max_pledge_pct), pledge)
