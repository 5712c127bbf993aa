"""Event kinds a scenario can schedule: one module each, holding what a YAML event may say (its
schema) and what it does to the world (its ``apply``).

To add a kind, write its module beside these and list its class in ``KINDS`` below; the loader,
the engine and the ODD's event table find it there.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from sim.events.agreement import Agreement
from sim.events.arm import Arm
from sim.events.base import Acts, Context, EventBase
from sim.events.defence_demand import DefenceDemand
from sim.events.investment_block import InvestmentBlock
from sim.events.partnership import Partnership
from sim.events.reassurance import Reassurance
from sim.events.reengagement import Reengagement
from sim.events.remark_about import RemarkAbout
from sim.events.rhetoric import Rhetoric
from sim.events.security_crisis import SecurityCrisis
from sim.events.support_cut import SupportCut
from sim.events.tariff import SECTORS, Tariff

KINDS: tuple[type[EventBase], ...] = (
    Tariff, Agreement, InvestmentBlock, Rhetoric, DefenceDemand, SupportCut, Reassurance,
    Reengagement, SecurityCrisis, Partnership, RemarkAbout, Arm,
)

Event = Annotated[Union[KINDS], Field(discriminator="type")]  # noqa: UP007 (a tuple of kinds)

EVENT_TYPES: dict[str, type[EventBase]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls for cls in KINDS
}

# Fields that name actors (checked against the scenario's actors by the loader).
ACTOR_FIELDS = ("by", "targets", "partner", "actor", "location", "members", "about")


def domain_of(event: EventBase) -> str:
    """Trade, security or diplomacy: what kind of shock an event is (to bundle or separate them)."""
    return event.domain or event.default_domain


__all__ = ["ACTOR_FIELDS", "EVENT_TYPES", "KINDS", "SECTORS", "Acts",
           "Context", "Event", "EventBase", "domain_of"]
