"""Signing or leaving an agreement."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class Agreement(EventBase):
    """Signing (cooperation) or leaving (defection) an agreement with the targets: a trade pact
    (TPP), or another commitment they value (the Paris climate agreement)."""

    default_domain: ClassVar[str] = "trade"
    type: Literal["agreement"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    action: Literal["sign", "withdraw"]
    economic: bool = True  # leaving a trade pact also leaves a grievance
    severity: float = Field(default=0.5, ge=0.0, le=2.0, description="in costly-act units")

    def apply(self, c: Context) -> None:
        """Leaving an agreement is a costly defection (and, for a trade pact, an economic harm);
        signing one is costly cooperation."""
        j = c.at(self.by)
        for code in self.targets:
            i = c.at(code)
            if self.action == "withdraw":
                c.acts.costly[:, i, j] -= c.masked(self.severity)
                if self.economic:
                    c.acts.economic_harm[:, i, j] += c.masked(self.severity)
            else:
                c.acts.costly[:, i, j] += c.masked(self.severity)
