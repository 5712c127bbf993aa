"""The patron's demand that allies spend more on defence."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from sim.events.base import Context, EventBase


class DefenceDemand(EventBase):
    """The patron demands that the targets spend a share of GDP on defence."""

    default_domain: ClassVar[str] = "security"
    type: Literal["defence_demand"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    target_pct: float = Field(ge=0.0, le=10.0, description="per cent of GDP, e.g. 3")

    def apply(self, c: Context) -> None:
        """A demand to spend more: it sets the target the ally weighs, and reads as a
        reproach."""
        j = c.at(self.by)
        for code in self.targets:
            i = c.at(code)
            c.state.demand[:, i] = np.where(c.mask, self.target_pct, c.state.demand[:, i])
            c.acts.cheap[:, i, j] -= c.masked(c.params.demand_reproach)
