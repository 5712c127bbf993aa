"""Two states talk again (the Japan-China exchange)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class Reengagement(EventBase):
    """Diplomatic re-engagement of one state with another (the Japan-China exchange)."""

    default_domain: ClassVar[str] = "diplomacy"
    type: Literal["reengagement"]
    actor: str
    partner: str
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)

    def apply(self, c: Context) -> None:
        """Two states talk again: engagement rises and each hears the other's goodwill."""
        i, j = c.at(self.actor), c.at(self.partner)
        c.acts.engagement[:, i, j] += c.masked(self.intensity)
        c.acts.cheap[:, i, j] += c.masked(self.intensity)
        c.acts.cheap[:, j, i] += c.masked(self.intensity)
