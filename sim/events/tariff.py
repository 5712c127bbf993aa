"""A tariff on a sector of the targets' exports."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from sim.events.base import Context, EventBase

SECTOR_SALIENCE = {
    # How much a tariff on the sector weighs in the target's view of the relationship (assumption:
    # autos carry Japan's largest export to the US; steel is small in trade but symbolic).
    "steel": 0.5,
    "aluminium": 0.3,
    "autos": 1.0,
    "semiconductors": 0.7,
    "agriculture": 0.4,
    "all": 1.2,
}
SECTORS = tuple(SECTOR_SALIENCE)


class Tariff(EventBase):
    """The imposer sets its tariff on a sector of the targets' exports (0 lifts it)."""

    default_domain: ClassVar[str] = "trade"
    type: Literal["tariff"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    sector: Literal["steel", "aluminium", "autos", "semiconductors", "agriculture", "all"]
    rate: float = Field(ge=0.0, le=5.0, description="0.25 = 25 per cent")

    def apply(self, c: Context) -> None:
        """A tariff is a state: the change in its rate is the costly signal (a cut is
        cooperation)."""
        j, s = c.at(self.by), SECTORS.index(self.sector)
        for code in self.targets:
            i = c.at(code)
            old = c.state.tariffs[:, s, j, i]
            change = c.masked((self.rate - old) * SECTOR_SALIENCE[self.sector])
            c.state.tariffs[:, s, j, i] = np.where(c.mask, self.rate, old)
            c.state.tariff_severity[:, i, j] += change
            c.acts.costly[:, i, j] -= change
            c.acts.economic_harm[:, i, j] += np.maximum(change, 0.0)
