"""The patron cuts its support to a partner (Ukraine), and others watch."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class SupportCut(EventBase):
    """The patron cuts a share of its support to a partner; others watch."""

    default_domain: ClassVar[str] = "security"
    type: Literal["support_cut"]
    by: str = "US"
    partner: str
    fraction: float = Field(ge=0.0, le=1.0, description="share of support cut, 0.5 = half")

    def apply(self, c: Context) -> None:
        """The patron withdraws support from a partner: a costly defection others observe."""
        c.acts.costly[:, c.at(self.partner), c.at(self.by)] -= c.masked(
            c.params.support_cut_severity * self.fraction)
