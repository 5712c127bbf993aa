"""Rival model structures a scenario may select: the ``structure:`` section (issue 8, item 5).

Each choice names documented alternatives; the first of each is today's model, and a scenario
without the section runs it bit for bit (tests/test_regression.py). docs/STRUCTURES.md compares
the variants (``python -m sim docs --structures``).

- ``reputation``: ``pooled`` keeps one Beta reputation per pair over all acts; ``per_domain``
  keeps economic reliability (trade acts) apart from security reliability (security and
  diplomatic acts), each with its own third-party observation, so a tariff on an observer in the
  month it watches the patron cut a partner's support no longer nets the two out. The evidence of
  each domain reaches the other with weight ``domain_spillover``; trust as recorded is the mean of
  the two (the survey question, "can the US be trusted", asks about both).
- ``anchor``: ``fixed`` pulls trust back toward its surveyed starting level; ``drifting`` lets that
  reference itself move toward current trust at ``anchor_drift`` per month, so damage can last
  (the commentary: trust "will seriously affect US perception in the long term").
- ``dilemma``: ``loosening`` lets fear act only through trust and entrapment (an ally drifts
  away); ``tradeoff`` adds Snyder 1984's other horn: a dependent ally that fears abandonment
  tightens its security alignment (``tightening_gain``), and so fears entrapment more.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

CHOICES = ("reputation", "anchor", "dilemma")


class Structure(BaseModel):
    """The structures in force; each default is today's model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reputation: Literal["pooled", "per_domain"] = "pooled"
    anchor: Literal["fixed", "drifting"] = "fixed"
    dilemma: Literal["loosening", "tradeoff"] = "loosening"

    @property
    def is_default(self) -> bool:
        return self == Structure()

    def changes(self) -> dict[str, str]:
        """The choices that differ from today's model (what a run folder records)."""
        return self.model_dump(exclude_defaults=True)
