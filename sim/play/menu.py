"""The moves a team may choose, by the role of its actor, with what the literature says they do.

Every move is an act of an existing event kind (:mod:`sim.events`): the menu only says which kinds
fit a role, which of their fields a team sets, and what the others are. A parameter's range is read
from the event kind's own field (its ``ge``/``le``), so the menu can never offer what a scenario
file could not say. The explanations cite the literature of docs/ODD.md (References); they say what
the move does *in this model*, in words a student can weigh before choosing.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sim.events import EVENT_TYPES, EventBase
from sim.events.agreement import Agreement
from sim.events.arm import Arm
from sim.events.defence_demand import DefenceDemand
from sim.events.partnership import Partnership
from sim.events.reassurance import Reassurance
from sim.events.reengagement import Reengagement
from sim.events.rhetoric import Rhetoric
from sim.events.tariff import SECTORS, Tariff
from sim.scenario import Scenario

ROLES = ("patron", "challenger", "ally")


@dataclass(frozen=True)
class Parameter:
    """One value a team chooses: a number within the event field's range, or one of its options.

    ``name`` is the event kind's field the value goes to, so a refusal names the same field a
    scenario file would use."""

    name: str
    label: str
    kind: type[EventBase]
    default: Any

    @property
    def options(self) -> tuple[str, ...]:
        """The allowed texts of a choice (a Literal field); empty for a number."""
        annotation = self.kind.model_fields[self.name].annotation
        return tuple(typing.get_args(annotation)) if typing.get_origin(annotation) is \
            typing.Literal else ()

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high) of a number, from the event field's constraints."""
        meta = self.kind.model_fields[self.name].metadata
        low = next(m.ge for m in meta if hasattr(m, "ge"))
        high = next(m.le for m in meta if hasattr(m, "le"))
        return float(low), float(high)

    @property
    def unit(self) -> str:
        return self.kind.model_fields[self.name].description or ""


# make(actor, target, values, scenario) -> the event's fields (no timing, name or source)
Maker = Callable[[str, "str | None", dict[str, Any], Scenario], dict[str, Any]]


@dataclass(frozen=True)
class Option:
    """One move on a role's menu."""

    key: str
    title: str
    kind: type[EventBase] | None  # None: doing nothing
    explanation: str
    make: Maker
    targets: str = "none"  # whom it may be aimed at: none, allies (other allies and partners)
    parameters: tuple[Parameter, ...] = field(default=())

    @property
    def event_type(self) -> str:
        return "" if self.kind is None else self.kind.model_fields["type"].annotation.__args__[0]


def _number(kind: type[EventBase], name: str, label: str, default: float) -> Parameter:
    return Parameter(name, label, kind, default)


def _tariff(actor, target, values, scenario) -> dict:
    return {"type": "tariff", "by": actor, "targets": [target], "sector": values["sector"],
            "rate": values["rate"]}


def _lift(actor, target, values, scenario) -> dict:
    return {"type": "tariff", "by": actor, "targets": [target], "sector": values["sector"],
            "rate": 0.0}


def _reassure(costly: bool) -> Maker:
    def make(actor, target, values, scenario) -> dict:
        return {"type": "reassurance", "by": actor, "targets": [target], "costly": costly,
                "intensity": values["intensity"]}
    return make


def _rhetoric(tone: str | None) -> Maker:
    def make(actor, target, values, scenario) -> dict:
        return {"type": "rhetoric", "by": actor, "targets": [target],
                "tone": tone or values["tone"], "intensity": values["intensity"]}
    return make


def _demand(actor, target, values, scenario) -> dict:
    return {"type": "defence_demand", "by": actor, "targets": [target],
            "target_pct": values["target_pct"]}


def _court(actor, target, values, scenario) -> dict:  # the ally re-engages the challenger
    return {"type": "reengagement", "actor": target, "partner": actor,
            "intensity": values["intensity"]}


def _agreement(partner: str) -> Maker:
    """An agreement signed with the target (``partner="target"``) or with the patron."""
    def make(actor, target, values, scenario) -> dict:
        other = target if partner == "target" else scenario.patron
        return {"type": "agreement", "by": actor, "targets": [other], "action": "sign",
                "severity": values["severity"]}
    return make


def _arm(actor, target, values, scenario) -> dict:
    return {"type": "arm", "actor": actor, "pct": values["pct"]}


def _partner(actor, target, values, scenario) -> dict:
    return {"type": "partnership", "members": [actor, target], "strength": values["strength"]}


def _engage(side: str) -> Maker:
    def make(actor, target, values, scenario) -> dict:
        other = scenario.challenger if side == "challenger" else scenario.patron
        return {"type": "reengagement", "actor": actor, "partner": other,
                "intensity": values["intensity"]}
    return make


def _nothing(actor, target, values, scenario) -> dict:
    return {}


SECTOR = Parameter("sector", "export sector", Tariff, "steel")
RATE = _number(Tariff, "rate", "tariff rate (0.25 = 25%)", 0.25)
NOTHING = Option(
    "nothing", "Wait and see", None,
    "Do nothing this round. Your actor's own rule is switched off while your team plays it, so "
    "nothing happens on your side; the others and the scripted events go on.", _nothing)

PATRON: tuple[Option, ...] = (
    Option("tariff", "Tariff on an ally's exports", Tariff,
           "A tariff is a costly defection: a deed, which counts far more than words (Fearon "
           "1997). The ally's trust in you falls, its grievance grows and its trade drifts away; "
           "an aggrieved ally is what the challenger's wedge works on (Crawford 2011).",
           _tariff, "allies", (SECTOR, RATE)),
    Option("lift_tariff", "Lift a tariff", Tariff,
           "Cutting a tariff in force is costly cooperation: the cut counts as a good deed "
           "(Fearon 1997), and trade returns slowly. Lifting a tariff that is not in force does "
           "nothing.", _lift, "allies", (SECTOR,)),
    Option("statement", "Reassuring statement or summit", Reassurance,
           "Cheap talk: words cost you nothing, so allies discount them (Fearon 1997). It helps "
           "a little; a deed the same month swamps it.", _reassure(False), "allies",
           (_number(Reassurance, "intensity", "how warm (0..1)", 0.5),)),
    Option("pledge", "Binding pledge or deployment", Reassurance,
           "A costly signal that ties your hands (Fearon 1997): it counts several times a "
           "statement. Supporting an ally eases its fear of abandonment, at the price of a "
           "greater risk of entrapment for you (Snyder 1984).", _reassure(True), "allies",
           (_number(Reassurance, "intensity", "how binding (0..1)", 0.5),)),
    Option("reproach", "Public reproach", Rhetoric,
           "Firmness toward an ally rather than conciliation (Snyder 1984): it restrains the "
           "ally, but as negative cheap talk it lowers trust a little and feeds its fear of "
           "abandonment.", _rhetoric("negative"), "allies",
           (_number(Rhetoric, "intensity", "how harsh (0..1)", 0.5),)),
    Option("defence_demand", "Demand more defence spending", DefenceDemand,
           "Burden-sharing: allies under-provide while they trust your umbrella (Olson & "
           "Zeckhauser 1966). The ally concedes part of the gap, less the more it resents "
           "pressure from outside, and reads the demand as a reproach.", _demand, "allies",
           (_number(DefenceDemand, "target_pct", "demanded spending (% of GDP)", 3.0),)),
    NOTHING,
)

CHALLENGER: tuple[Option, ...] = (
    Option("court", "Court an ally: re-engagement", Reengagement,
           "The wedge of selective accommodation (Crawford 2011): engaging a state aggrieved "
           "with its patron pulls its economic alignment toward you; goodwill is heard both "
           "ways.", _court, "allies",
           (_number(Reengagement, "intensity", "how much engagement (0..1)", 0.5),)),
    Option("trade_offer", "Trade inducement (an agreement)", Agreement,
           "A reward offered to pull an ally away from its patron (Crawford 2011): a costly "
           "good deed, so the ally's trust in you rises.", _agreement("target"), "allies",
           (_number(Agreement, "severity", "value of the deal (0..2)", 0.5),)),
    Option("coerce", "Coercive tariff", Tariff,
           "The punitive wedge (China's tariffs on Australia in 2020; Crawford 2011). A costly "
           "defection: the ally's trust in you falls, and distrust of a strong neighbour raises "
           "the threat it feels, which pulls it toward its patron (Walt 1987).", _tariff,
           "allies", (Parameter("sector", "export sector", Tariff, "agriculture"), RATE)),
    Option("lift_tariff", "Lift a tariff", Tariff,
           "Cutting a tariff in force is costly cooperation (Fearon 1997).", _lift, "allies",
           (Parameter("sector", "export sector", Tariff, "agriculture"),)),
    Option("rhetoric", "Warning or charm", Rhetoric,
           "Cheap talk (Fearon 1997): a warning lowers trust in you a little, charm raises it a "
           "little; neither weighs like a deed.", _rhetoric(None), "allies",
           (Parameter("tone", "tone", Rhetoric, "positive"),
            _number(Rhetoric, "intensity", "how strong (0..1)", 0.5))),
    NOTHING,
)

ALLY: tuple[Option, ...] = (
    Option("arm", "Raise your own defence spending", Arm,
           "Self-help: an ally that doubts its patron's protection spends more on its own "
           "defence (Snyder 1984; Lanoszka 2015). The pledge raises your defence goal; spending "
           "approaches it over the following months.", _arm, "none",
           (_number(Arm, "pct", "added to the goal (% of GDP)", 0.2),)),
    Option("partner", "Partnership with another ally", Partnership,
           "Spokes drawing together: allies that fear abandonment build ties with each other, a "
           "quasi-alliance (Cha 2000). Ties grow for both, and each hears the other's goodwill.",
           _partner, "partners",
           (_number(Partnership, "strength", "how close (0..1)", 0.3),)),
    Option("hedge", "Re-engage China (hedge)", Reengagement,
           "Hedging: economic engagement with the challenger while staying with the patron in "
           "security (Kuik 2008; Lim & Cooper 2015). Your economic alignment moves toward China; "
           "the security axis barely moves.", _engage("challenger"), "none",
           (_number(Reengagement, "intensity", "how much engagement (0..1)", 0.5),)),
    Option("engage_patron", "Talks with the patron", Reengagement,
           "Summit diplomacy with the patron: goodwill heard both ways, but cheap talk (Fearon "
           "1997), so it moves trust only a little.", _engage("patron"), "none",
           (_number(Reengagement, "intensity", "how much engagement (0..1)", 0.5),)),
    Option("invest", "Agreement or investment with the patron", Agreement,
           "A costly deed toward the patron, sinking costs to show commitment (Fearon 1997): the "
           "patron's trust in you rises; your own view of the patron does not change by it.",
           _agreement("patron"), "none",
           (_number(Agreement, "severity", "size of the deal (0..2)", 0.5),)),
    NOTHING,
)

MENUS: dict[str, tuple[Option, ...]] = {"patron": PATRON, "challenger": CHALLENGER,
                                        "ally": ALLY}
assert all(o.kind is None or o.event_type in EVENT_TYPES for m in MENUS.values() for o in m)


def role_of(actor: str, scenario: Scenario) -> str | None:
    """patron, challenger or ally (its allies and partners); None for any other actor."""
    if actor == scenario.patron:
        return "patron"
    if actor == scenario.challenger:
        return "challenger"
    return "ally" if actor in scenario.allies() else None


def menu(actor: str, scenario: Scenario) -> tuple[Option, ...]:
    """The moves that fit ``actor``'s role (none for an actor no team can play)."""
    role = role_of(actor, scenario)
    return MENUS[role] if role else ()


def targets(option: Option, actor: str, scenario: Scenario) -> list[str]:
    """Whom ``actor`` may aim ``option`` at: the allies and partners (for a partnership, the
    like-minded ones other than itself), or nobody."""
    if option.targets == "none":
        return []
    allies = [c for c in scenario.allies() if c != actor]
    if option.targets == "partners":
        return [c for c in allies if scenario.actors[c].like_minded
                and scenario.actors[actor].like_minded]
    return allies


def sector_options() -> tuple[str, ...]:
    return SECTORS


# What a move does, in a sentence that starts with the team that moved: an event's own fields
# may name another actor first (China courting Japan is Japan's re-engagement with China), so the
# game's texts (round report, debrief, the game's YAML) say who moved with these words.
VERBS: dict[str, str] = {
    "tariff": "puts a tariff on {target}'s exports", "lift_tariff": "lifts a tariff on {target}",
    "statement": "reassures {target}", "pledge": "makes a binding pledge to {target}",
    "reproach": "reproaches {target}", "defence_demand": "demands more defence of {target}",
    "court": "courts {target}", "trade_offer": "offers {target} a trade deal",
    "coerce": "puts a coercive tariff on {target}", "rhetoric": "warns or charms {target}",
    "arm": "raises its defence spending", "partner": "partners with {target}",
    "hedge": "re-engages {challenger}", "engage_patron": "holds talks with {patron}",
    "invest": "signs an agreement with {patron}", "nothing": "waits and sees",
}
KIND_WORDS = {"reengagement": "re-engagement", "defence_demand": "defence demand"}


def said(option: Option, actor: str, target: str | None, scenario: Scenario) -> str:
    """The move in words, the team first: "CHN courts JPN (re-engagement)"."""
    verb = VERBS.get(option.key, option.title).format(
        target=target or "", patron=scenario.patron, challenger=scenario.challenger)
    kind = KIND_WORDS.get(option.event_type, option.event_type.replace("_", " "))
    return f"{actor} {verb}" + (f" ({kind})" if kind else "")
