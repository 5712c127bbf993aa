"""An agreement among like-minded states."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class Partnership(EventBase):
    """An agreement among like-minded states (reciprocal access, joint exercises)."""

    default_domain: ClassVar[str] = "security"
    type: Literal["partnership"]
    members: list[str] = Field(min_length=2)
    strength: float = Field(default=0.3, ge=0.0, le=1.0)

    def apply(self, c: Context) -> None:
        """An agreement among like-minded states strengthens every tie among its members."""
        members = [c.at(code) for code in self.members]
        for i in members:
            for j in members:
                if i != j:
                    c.acts.ties[:, i, j] += c.masked(self.strength)
                    c.acts.cheap[:, i, j] += c.masked(self.strength)
