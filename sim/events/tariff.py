"""A tariff on a sector of the targets' exports."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from sim.events.base import Context, EventBase

Sector = Literal["steel", "aluminium", "autos", "semiconductors", "agriculture", "all"]
SECTORS: tuple[str, ...] = Sector.__args__  # each with its salience, a parameter


class Tariff(EventBase):
    """The imposer sets its tariff on a sector of the targets' exports (0 lifts it)."""

    default_domain: ClassVar[str] = "trade"
    type: Literal["tariff"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    sector: Sector
    rate: float = Field(ge=0.0, le=5.0, description="0.25 = 25 per cent")

    def apply(self, c: Context) -> None:
        """A tariff is a state: the change in its rate is the costly signal (a cut is
        cooperation)."""
        j, s = c.at(self.by), SECTORS.index(self.sector)
        salience = c.params.sector_salience()[self.sector]
        for code in self.targets:
            i = c.at(code)
            old = c.state.tariffs[:, s, j, i]
            change = c.masked((self.rate - old) * salience)
            c.state.tariffs[:, s, j, i] = np.where(c.mask, self.rate, old)
            c.state.tariff_severity[:, i, j] += change
            c.acts.costly[:, i, j] -= change
            c.acts.economic_harm[:, i, j] += np.maximum(change, 0.0)
