"""Decision rules a scenario may give its actors: the ``policies:`` section.

Events are what the scenario scripts; policies are what actors choose, each month, from the state
of their own replicate. There is one rule per role, each optional:

- ``patron``: when an ally's trust in the patron falls below a threshold, the patron either
  reassures it (conciliation) or keeps pressing it (firmness): Snyder 1984's choice between
  supporting an ally, which eases its fear of abandonment, and standing firm, which restrains it.
- ``challenger``: when an ally's grievance against the patron rises above a threshold, the
  challenger either courts it (cheap engagement, the wedge of selective accommodation, Crawford
  2011) or coerces it (a tariff on one of its exports, as China did to Australia in 2020).
- ``allies``: when an ally's fear of abandonment has risen above its starting level by a
  threshold, it raises its defence spending (self-help, Snyder 1984; Lanoszka 2015) and seeks a
  partner among the other allies who fear abandonment too (Cha 2000).

Each rule waits ``cooldown_months`` after acting toward a state before it acts toward that state
again. The sizes are the same fields the reused event kinds take (a reassurance's ``intensity``, a
tariff's ``sector`` and ``rate``, a partnership's ``strength``), bounded the same way.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.events.tariff import Sector

Cooldown = Field(default=6, ge=1, le=120, description="months before acting toward a state again")


class PatronPolicy(BaseModel):
    """The patron reassures, or presses, an ally whose trust in it has fallen."""

    model_config = ConfigDict(extra="forbid")

    stance: Literal["reassure", "press"] = "reassure"
    trust_below: float = Field(default=0.3, ge=0.0, le=1.0,
                               description="act when the ally's trust in the patron is below this")
    targets: list[str] | None = Field(default=None, min_length=1,
                                      description="default: every ally and partner")
    costly: bool = False  # reassure: a binding pledge (costly) or a statement (cheap talk)
    intensity: float = Field(default=0.5, ge=0.0, le=1.0,
                             description="size of the reassurance, or of the reproach")
    cooldown_months: int = Cooldown


class ChallengerPolicy(BaseModel):
    """The challenger courts, or coerces, an ally aggrieved with the patron (Crawford 2011)."""

    model_config = ConfigDict(extra="forbid")

    stance: Literal["induce", "coerce"] = "induce"
    grievance_above: float = Field(default=0.2, ge=0.0, le=1.0,
                                   description="act when the ally's grievance against the patron "
                                               "is above this")
    targets: list[str] | None = Field(default=None, min_length=1,
                                      description="default: every ally and partner")
    intensity: float = Field(default=0.5, ge=0.0, le=1.0,
                             description="induce: size of the engagement offered")
    sector: Sector = "agriculture"  # coerce: the export sector taxed
    rate: float = Field(default=0.25, ge=0.0, le=5.0, description="coerce: 0.25 = 25 per cent")
    cooldown_months: int = Cooldown


class AllyPolicy(BaseModel):
    """Allies arm and seek partners as their fear of abandonment grows (Snyder 1984; Cha 2000)."""

    model_config = ConfigDict(extra="forbid")

    actors: list[str] | None = Field(default=None, min_length=1,
                                     description="the allies that decide; default: every ally "
                                                 "and partner")
    fear_rise_above: float = Field(default=0.05, ge=0.0, le=1.0,
                                   description="act when abandonment fear exceeds its starting "
                                               "level by more than this")
    respond: Literal["arm", "partner", "both"] = "both"
    arm_pct: float = Field(default=0.1, ge=0.0, le=2.0,
                           description="% of GDP added to the defence goal per decision")
    max_pledge_pct: float = Field(default=0.5, ge=0.0, le=10.0,
                                  description="% of GDP: the most all decisions may add")
    partners: list[str] | None = Field(default=None, min_length=1,
                                       description="whom it may partner; default: every ally "
                                                   "and partner")
    strength: float = Field(default=0.2, ge=0.0, le=1.0, description="strength of a partnership")
    cooldown_months: int = Field(default=12, ge=1, le=120,
                                 description="months before deciding again")


ROLES: dict[str, type[BaseModel]] = {
    "patron": PatronPolicy, "challenger": ChallengerPolicy, "allies": AllyPolicy}

# Fields of a policy that name actors (checked against the scenario's actors by the loader).
POLICY_ACTOR_FIELDS = ("targets", "actors", "partners")


class Policies(BaseModel):
    """The rules in force; a role without one decides nothing (its acts are scripted, if any)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    patron: PatronPolicy | None = None
    challenger: ChallengerPolicy | None = None
    allies: AllyPolicy | None = None

    @property
    def any(self) -> bool:
        return any(getattr(self, role) is not None for role in ROLES)
