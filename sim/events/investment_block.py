"""Scrutiny or a block of an investment (Nippon Steel)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from sim.events.base import Context, EventBase


class InvestmentBlock(EventBase):
    """Scrutiny or a block of an investment by the target's firms (Nippon Steel)."""

    default_domain: ClassVar[str] = "trade"
    type: Literal["investment_block"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    action: Literal["scrutiny", "block"] = "scrutiny"
    value_bn: float = Field(default=1.0, ge=0.0, le=1000.0, description="USD billion")

    def apply(self, c: Context) -> None:
        """Scrutiny or a block of the target's investment: a costly economic defection whose
        weight grows with the deal's size (half weight at
        ``investment_half_weight_bn``)."""
        j = c.at(self.by)
        p = c.params
        base = p.block_severity if self.action == "block" else p.scrutiny_severity
        severity = c.masked(base * self.value_bn / (self.value_bn + p.investment_half_weight_bn))
        for code in self.targets:
            i = c.at(code)
            c.acts.costly[:, i, j] -= severity
            c.acts.economic_harm[:, i, j] += severity
