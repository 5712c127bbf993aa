"""The states in the model: who they are and how they start.

An :class:`ActorSpec` is plain data. A scenario can add an actor (India, say), change any field
of an existing one, or drop one, in YAML, with the same fields and the same validation. Every
default value below carries its evidence in :data:`SOURCES`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.evidence.provenance import Source, assumption, commentary, literature, survey

Role = Literal["patron", "challenger", "ally", "partner", "revisionist"]
Tier = Literal["none", "partnership", "access", "treaty"]
Share = Field(ge=0.0, le=1.0)
Axis = Field(ge=-1.0, le=1.0)


class PlanPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: dt.date
    pct: float = Field(ge=0.0, le=50.0)


class ActorSpec(BaseModel):
    """One state's identity and initial condition.

    Alignments run from -1 (with the challenger, China) to +1 (with the patron, the US). Shares and
    trust are on the 0..1 scale of the surveys they come from (share of respondents).
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    role: Role
    capability: float = Share
    like_minded: bool
    location: tuple[float, float]  # (latitude, longitude) of the point threats are measured from
    offensive: float = Share
    dependence: float = Share  # security dependence on the patron
    commitment: Tier = "none"  # tier of the patron's commitment to this state
    defence_spending: float = Field(ge=0.0, le=50.0)  # % of GDP
    defence_plan: list[PlanPoint] = []
    defence_ceiling: float = Field(default=5.0, ge=0.0, le=50.0)
    reactance: float = Field(default=0.3, ge=0.0, le=1.0)  # resistance to demands from outside
    economic_anchor: float = Field(default=0.5, ge=0.0, le=1.0)  # share of economic ties that holds
    alignment_economic: float = Axis
    alignment_security: float = Axis
    threat: float = Share
    alliance_support: float = Share
    trust: dict[str, float] = {}
    trade: dict[str, float] = {}
    ties: dict[str, float] = {}
    trust_default: float = Field(default=0.2, ge=0.0, le=1.0)


DEFAULT_ACTORS: dict[str, ActorSpec] = {
    "US": ActorSpec(
        name="United States", role="patron", capability=0.30, like_minded=True,
        location=(38.9, -77.0), offensive=0.9, dependence=0.0, defence_spending=3.4,
        alignment_economic=1.0, alignment_security=1.0, threat=0.3, alliance_support=1.0,
        trust={"JPN": 0.6, "KOR": 0.55, "AUS": 0.65, "PHL": 0.5, "TWN": 0.45, "EUR": 0.5,
               "UKR": 0.4, "CHN": 0.1, "RUS": 0.1},
        trade={"CHN": 0.11, "JPN": 0.05, "KOR": 0.04, "EUR": 0.18, "TWN": 0.03}),
    "JPN": ActorSpec(
        name="Japan", role="ally", capability=0.05, like_minded=True, location=(35.7, 139.7),
        offensive=0.3, dependence=0.75, commitment="treaty", defence_spending=1.6,
        defence_plan=[PlanPoint(date=dt.date(2025, 1, 1), pct=1.6),
                      PlanPoint(date=dt.date(2027, 4, 1), pct=2.0)],
        defence_ceiling=3.0, reactance=0.6, economic_anchor=0.521,
        alignment_economic=0.3, alignment_security=0.85, threat=0.815, alliance_support=0.849,
        trust={"US": 0.34, "AUS": 0.30, "KOR": 0.23, "CHN": 0.06, "RUS": 0.02, "PHL": 0.25,
               "TWN": 0.30, "EUR": 0.30, "UKR": 0.25},
        trade={"US": 0.18, "CHN": 0.20, "KOR": 0.05, "AUS": 0.04, "EUR": 0.10, "TWN": 0.05},
        ties={"AUS": 0.6, "KOR": 0.4, "PHL": 0.45, "EUR": 0.4, "TWN": 0.2, "UKR": 0.25}),
    "CHN": ActorSpec(
        name="China", role="challenger", capability=0.22, like_minded=False,
        location=(30.0, 120.0), offensive=0.8, dependence=0.0, defence_spending=1.7,
        alignment_economic=-1.0, alignment_security=-1.0, threat=0.4, alliance_support=0.05,
        trust={"RUS": 0.55, "US": 0.1, "JPN": 0.1}, trust_default=0.12,
        trade={"US": 0.11, "JPN": 0.06, "KOR": 0.05, "EUR": 0.14, "RUS": 0.04, "AUS": 0.04},
        ties={"RUS": 0.7}),
    "KOR": ActorSpec(
        name="South Korea", role="ally", capability=0.03, like_minded=True,
        location=(37.5, 127.0), offensive=0.3, dependence=0.7, commitment="treaty",
        defence_spending=2.6, alignment_economic=0.1, alignment_security=0.75, threat=0.7,
        alliance_support=0.75,
        trust={"US": 0.5, "JPN": 0.2, "CHN": 0.1, "RUS": 0.05, "AUS": 0.3, "EUR": 0.3},
        trade={"US": 0.14, "CHN": 0.21, "JPN": 0.07},
        ties={"JPN": 0.4, "AUS": 0.2, "PHL": 0.15, "EUR": 0.2}),
    "AUS": ActorSpec(
        name="Australia", role="ally", capability=0.02, like_minded=True,
        location=(-35.3, 149.1), offensive=0.3, dependence=0.55, commitment="treaty",
        defence_spending=2.0, alignment_economic=0.0, alignment_security=0.8, threat=0.5,
        alliance_support=0.83,
        trust={"US": 0.56, "CHN": 0.2, "JPN": 0.45, "KOR": 0.3, "RUS": 0.05, "EUR": 0.4},
        trade={"US": 0.08, "CHN": 0.30, "JPN": 0.09},
        ties={"JPN": 0.6, "PHL": 0.3, "KOR": 0.2, "EUR": 0.3}),
    "PHL": ActorSpec(
        name="Philippines", role="ally", capability=0.005, like_minded=True,
        location=(14.6, 121.0), offensive=0.2, dependence=0.85, commitment="treaty",
        defence_spending=1.3, alignment_economic=0.1, alignment_security=0.7, threat=0.7,
        alliance_support=0.8,
        trust={"US": 0.6, "CHN": 0.1, "JPN": 0.45, "AUS": 0.35, "RUS": 0.05},
        trade={"US": 0.14, "CHN": 0.18, "JPN": 0.09},
        ties={"JPN": 0.45, "AUS": 0.3, "KOR": 0.15, "TWN": 0.1}),
    "TWN": ActorSpec(
        name="Taiwan", role="partner", capability=0.01, like_minded=True,
        location=(25.0, 121.5), offensive=0.2, dependence=0.95, commitment="partnership",
        defence_spending=2.5, alignment_economic=-0.1, alignment_security=0.8, threat=0.85,
        alliance_support=0.6,
        trust={"US": 0.45, "CHN": 0.08, "JPN": 0.4, "RUS": 0.02},
        trade={"US": 0.18, "CHN": 0.22, "JPN": 0.1},
        ties={"JPN": 0.2, "PHL": 0.1}),
    "EUR": ActorSpec(
        name="Europe", role="partner", capability=0.15, like_minded=True,
        location=(50.8, 4.4), offensive=0.4, dependence=0.5, commitment="treaty",
        defence_spending=1.9, alignment_economic=0.2, alignment_security=0.6, threat=0.6,
        alliance_support=0.6,
        trust={"US": 0.45, "CHN": 0.15, "RUS": 0.05, "JPN": 0.45, "UKR": 0.5},
        trade={"US": 0.16, "CHN": 0.15, "RUS": 0.01},
        ties={"JPN": 0.4, "UKR": 0.6, "AUS": 0.3, "KOR": 0.2}),
    "RUS": ActorSpec(
        name="Russia", role="revisionist", capability=0.07, like_minded=False,
        location=(55.7, 37.6), offensive=0.8, dependence=0.0, defence_spending=7.1,
        defence_ceiling=10.0, alignment_economic=-0.7, alignment_security=-0.8, threat=0.5,
        alliance_support=0.05,
        trust={"CHN": 0.6, "US": 0.1}, trust_default=0.05,
        trade={"CHN": 0.34, "US": 0.01, "EUR": 0.1},
        ties={"CHN": 0.7}),
    "UKR": ActorSpec(
        name="Ukraine", role="partner", capability=0.01, like_minded=True,
        location=(50.4, 30.5), offensive=0.3, dependence=0.9, commitment="partnership",
        defence_spending=34.0, defence_ceiling=40.0, alignment_economic=0.4,
        alignment_security=0.7, threat=0.95, alliance_support=0.7,
        trust={"US": 0.5, "EUR": 0.6, "RUS": 0.02, "CHN": 0.1, "JPN": 0.45},
        trade={"EUR": 0.5, "CHN": 0.1, "US": 0.03},
        ties={"EUR": 0.6, "JPN": 0.25}),
}

_CABINET = "Cabinet Office survey on diplomacy (Oct-Nov 2024)"
_AFFINITY_NOTE = "affinity share x 34/84.9, the ratio of trust to affinity Japan shows for the US"

# Evidence for the default values: (actor, field) -> Source. Fields not listed for an actor share
# the generic source under ("*", field).
SOURCES: dict[tuple[str, str], Source] = {
    ("JPN", "trust.US"): survey("Yomiuri-Gallup poll (November 2024): 34% trust the US"),
    ("JPN", "trust.AUS"): survey(_CABINET, f"76.0% affinity; {_AFFINITY_NOTE}"),
    ("JPN", "trust.KOR"): survey(_CABINET, f"56.3% affinity; {_AFFINITY_NOTE}"),
    ("JPN", "trust.CHN"): survey(_CABINET, f"14.7% affinity; {_AFFINITY_NOTE}"),
    ("JPN", "trust.RUS"): survey(_CABINET, f"5.0% affinity; {_AFFINITY_NOTE}"),
    ("JPN", "alliance_support"): survey(_CABINET, "84.9% affinity toward the US as a proxy"),
    ("JPN", "threat"): survey("MOFA telephone poll (3-9 Feb 2025): 81.5% see a more severe "
                              "security environment"),
    ("JPN", "economic_anchor"): commentary(
        "52.1 percent of Japanese citizens still see economic cooperation with the US as critical",
        "the underlying MOFA poll (Feb 2025) asked where ties would strengthen: 52.1% named "
        "economy, trade and finance; encoded as the share of economic ties that holds whatever "
        "happens"),
    ("JPN", "reactance"): commentary(
        "[Japan] determines its defence spending, not at the direction of any other country",
        "0.6: most of an outside demand is resisted"),
    ("JPN", "defence_plan"): literature(
        "Japan National Security Strategy (Dec 2022): defence and related spending at 2% of GDP "
        "in FY2027", "start 1.6% in Jan 2025 interpolated on that path"),
    ("JPN", "ties"): literature("Japan-Australia RAA (2022), Japan-Philippines RAA (2024), Camp "
                                "David summit (2023)", "strengths are assumptions"),
    ("AUS", "trust.US"): survey("Lowy Institute Poll 2024: 56% trust the US to act responsibly"),
    ("AUS", "alliance_support"): survey(
        "Lowy Institute Poll 2024: 83% see the alliance as important"),
    ("AUS", "trust.CHN"): assumption("Lowy polls put trust in China near 20% after 2020; "
                                     "the 2024 figure is not in the brief's data"),
    ("PHL", "trust.US"): survey("Pew Global Attitudes 2017: 78% favourable to the US",
                                "lowered to 0.6 for trust rather than favourability (assumption)"),
    ("*", "trust"): assumption("no survey of this dyad in the brief; set from the actors' "
                               "alignment and history, rounded (e.g. Korea, Taiwan, Europe and "
                               "Ukraine in the US)"),
    ("*", "defence_spending"): survey("SIPRI Military Expenditure Database, 2024 (% of GDP)",
                                      "Japan's start on its NSS path"),
    ("*", "capability"): assumption("share of world military and economic power, rounded from "
                                    "SIPRI spending and World Bank GDP"),
    ("*", "alignment_economic"): assumption("from trade shares with the US and China (IMF DOTS, "
                                            "rounded)"),
    ("*", "alignment_security"): assumption("treaty allies near +0.8, partners lower; China's "
                                            "strategic partner Russia near -0.8"),
    ("*", "dependence"): assumption("reliance on US forces for deterrence: highest for Taiwan, "
                                    "Ukraine and the Philippines; South Korea's large own "
                                    "forces put it below Japan"),
    ("*", "commitment"): literature("US treaties: Japan 1960, ROK 1953, ANZUS 1951, Philippines "
                                    "1951, NATO 1949; Taiwan Relations Act 1979 (no treaty)"),
    ("*", "threat"): assumption("share of the public seeing a severe threat, by exposure"),
    ("*", "alliance_support"): assumption("public support for the US alliance, by history"),
    ("*", "trade"): assumption("share of the state's goods trade, IMF DOTS 2023, rounded"),
    ("*", "ties"): assumption("partnership density of the Biden-era like-minded network"),
    ("*", "reactance"): assumption("governments resist part of any demand from outside"),
    ("*", "economic_anchor"): assumption("half of economic ties hold whatever happens"),
    ("*", "offensive"): assumption("offensive capability, Walt 1987's third threat component"),
    ("*", "location"): assumption("capital, or China's eastern seaboard, as the point of threat"),
    ("*", "role"): literature("the brief's actor roles: patron, challenger, treaty allies, "
                              "partners, revisionist Russia aligned with China"),
    ("*", "like_minded"): assumption("liberal democracies in the US-led network count as "
                                     "like-minded; China and Russia do not"),
    ("*", "defence_ceiling"): assumption("fiscal and political ceiling on defence spending "
                                         "(% of GDP); wartime Ukraine and Russia far higher"),
    ("*", "defence_plan"): assumption("no announced path: spending held at its 2024 level"),
    ("*", "trust_default"): assumption("trust in a state with no entry of its own: low, "
                                       "rounded"),
}


def with_article(name: str) -> str:
    """ "United States" -> "the United States"; "Japan" -> "Japan" (for sentences and titles)."""
    return f"the {name}" if name.startswith(("United ", "Philippines", "Netherlands")) else name


def source_of(code: str, field: str) -> Source:
    """The evidence for one actor field, falling back to the field's generic source."""
    key = field.split(".")[0]
    for candidate in ((code, field), (code, key), ("*", key)):
        if candidate in SOURCES:
            return SOURCES[candidate]
    return assumption("default of the actor schema")
