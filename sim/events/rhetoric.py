"""Cheap talk: a remark, negative or positive."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class Rhetoric(EventBase):
    """Cheap talk: a remark, negative (the freeloading jibe) or positive."""

    default_domain: ClassVar[str] = "diplomacy"
    type: Literal["rhetoric"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    tone: Literal["negative", "positive"] = "negative"
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)

    def apply(self, c: Context) -> None:
        """Cheap talk (Fearon 1997): it counts, but far less than a costly act."""
        sign = 1.0 if self.tone == "positive" else -1.0
        for code in self.targets:
            c.acts.cheap[:, c.at(code), c.at(self.by)] += c.masked(sign * self.intensity)
