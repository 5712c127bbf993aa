"""A summit, statement or deployment that reassures."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class Reassurance(EventBase):
    """A summit, statement or deployment; costly when it binds the patron."""

    default_domain: ClassVar[str] = "diplomacy"
    type: Literal["reassurance"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    costly: bool = False
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)

    def apply(self, c: Context) -> None:
        """A summit or statement is cheap talk; a deployment or binding pledge is costly."""
        kind = c.acts.costly if self.costly else c.acts.cheap
        for code in self.targets:
            kind[:, c.at(code), c.at(self.by)] += c.masked(self.intensity)
