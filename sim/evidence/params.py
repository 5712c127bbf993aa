"""The model's global parameters, declared once.

Each field of :class:`Parameters` carries its unit, plausible range and source in its metadata
(:func:`param`). The scenario loader validates overrides against these declarations; sweeps and
sensitivity analyses read the ranges from here; ``python -m sim params`` prints the register.
Per-actor data (initial trust, defence plans, ...) lives in :mod:`sim.evidence.actors` with its
own sources.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from sim.evidence.calibrated import CALIBRATED, FIT
from sim.evidence.provenance import Source, assumption, calibrated, commentary, literature

_FIT_NOTE = (
    f"posterior median of `python -m sim calibrate` ({FIT['method']} on {FIT['scenario']}: the "
    f"first Trump term and the 2021 rebound; posterior sample in sim/evidence/posterior.csv)"
)


def param(default: float, *, unit: str, low: float, high: float, source: Source, doc: str) -> Any:
    """Declare a parameter: its default, unit, plausible range [low, high] and its evidence."""
    meta = {"unit": unit, "low": low, "high": high, "source": source, "doc": doc}
    return field(default=default, metadata=meta)


def _calibrated(name: str, **kw: Any) -> Any:
    return param(CALIBRATED[name], source=calibrated(_FIT_NOTE, kw.pop("note")), **kw)


# Parameters that shape the fixed arrays of the world (distances, trade not in the actor table):
# they take one value per simulation, never one per replicate.
STRUCTURAL = ("proximity_km", "background_trade")


@dataclass(frozen=True)
class Parameters:
    """Global mechanism parameters (per month unless a unit says otherwise).

    Each value is a number, or, in a simulation whose replicates carry their own values (a sweep,
    or a run with parameter uncertainty), an array with one value per replicate
    (:meth:`per_replicate`); :meth:`shaped` lines such arrays up with the state they act on.
    """

    # --- trust as reputation (Beta reputation with forgetting) -------------------------------
    prior_strength: float = param(
        20.0, unit="pseudo-acts", low=5.0, high=80.0,
        source=literature("Josang & Ismail 2002, Beta reputation system",
                          "assumption: a survey level is backed by ~20 acts' worth of evidence"),
        doc="Evidence behind the initial trust level: a = T0 * n0, b = (1 - T0) * n0.")
    forgetting: float = _calibrated(
        "forgetting", unit="retained per month", low=0.85, high=0.995,
        note="Josang & Ismail 2002; Crescenzi et al. 2012: reputations decay",
        doc="Share of past evidence (above the baseline) kept each month.")
    weight_costly: float = _calibrated(
        "weight_costly", unit="pseudo-acts per unit act", low=0.5, high=30.0,
        note="Fearon 1997: costly signals move beliefs",
        doc="Evidence added by a costly act of magnitude 1 (tariff, block, support cut).")
    cheap_talk_ratio: float = _calibrated(
        "cheap_talk_ratio", unit="ratio", low=0.05, high=0.6,
        note="Fearon 1997, Signaling Foreign Policy Interests: cheap talk weighs less",
        doc="Weight of cheap talk (rhetoric, statements) relative to a costly act.")
    negativity_bias: float = _calibrated(
        "negativity_bias", unit="ratio", low=1.0, high=4.0,
        note="Slovic 1993; Baumeister et al. 2001: trust is lost faster than it is rebuilt "
             "(literature value 2)",
        doc="Multiplier on negative evidence.")
    weight_observed: float = param(
        0.6, unit="ratio", low=0.0, high=1.5,
        source=literature("Crescenzi et al. 2012, ISQ: reputation from third-party experience",
                          "assumption for the size"),
        doc="Weight of an act observed on a similar third party, relative to one suffered "
            "directly.")
    observed_other_tier: float = param(
        0.7, unit="share of weight", low=0.3, high=1.0,
        source=assumption("a state reads most into the fate of one protected as it is (Taiwan, "
                          "with no treaty, into Ukraine's); another tier keeps part of the weight"),
        doc="Weight of a third party's treatment when the patron's commitment to it is of "
            "another tier.")
    press_weight: float = param(
        0.0, unit="share", low=0.0, high=1.0,
        source=literature("Press 2005, Calculating Credibility",
                          "rival rule: 1 judges credibility from present capability and "
                          "trade stake only"),
        doc="Mix of the 'current calculus' rival rule into trust (0 = pure reputation).")
    perception_noise: float = param(
        0.25, unit="sd (relative)", low=0.0, high=0.5,
        source=assumption("governments read the same act differently; gives ensemble spread"),
        doc="Mean-one uniform noise on each month's evidence and routine cooperation.")

    # --- rival structures (sim/scenario/structure.py; each acts only where a scenario selects it)
    domain_spillover: float = param(
        0.5, unit="share", low=0.0, high=1.0,
        source=assumption("with reputation: per_domain, news in one domain (trade, or security "
                          "and diplomacy) counts half as much in the other: a state that breaks "
                          "its word on trade is believed somewhat likelier to break it on "
                          "security, but not as likely as one that broke it there"),
        doc="Share of one domain's evidence that also counts in the other (per-domain "
            "reputation); 0 keeps them apart, 1 makes each domain hear all the news.")
    anchor_drift: float = param(
        0.05, unit="per month", low=0.005, high=0.2,
        source=commentary("in the short term may not have an impact but will seriously affect "
                          "US perception in the long term",
                          "size an assumption: the reference trust closes 5% of its gap to "
                          "current trust each month, a half-life of about a year"),
        doc="With anchor: drifting, the share of the way the reference trust (what routine "
            "cooperation restores) moves toward current trust each month.")

    # --- economy: grievance and interdependence ---------------------------------------------
    grievance_gain: float = param(
        1.5, unit="per unit severity", low=0.3, high=4.0,
        source=assumption("a 25% tariff on a core sector leaves a lasting grievance of ~0.35"),
        doc="Grievance added per unit of costly economic defection.")
    grievance_decay: float = param(
        0.04, unit="per month", low=0.01, high=0.2,
        source=assumption("grievances fade over a few years once the cause is removed"),
        doc="Monthly decay of grievance.")
    trade_elasticity: float = param(
        1.2, unit="per unit severity", low=0.2, high=3.0,
        source=assumption("order of magnitude of trade diversion after tariffs "
                          "(Fajgelbaum et al. 2020)"),
        doc="Fall of the trade share target per unit of active tariff severity.")
    trade_speed: float = param(
        0.05, unit="per month", low=0.01, high=0.2,
        source=assumption("trade reroutes over years, not months"),
        doc="Monthly adjustment of trade shares to their target.")
    background_trade: float = param(
        0.02, unit="share of trade", low=0.0, high=0.1,
        source=assumption("pairs whose trade the actor table does not give trade a little"),
        doc="Trade share of a pair not given in the actor table.")

    # --- alignment and hedging ---------------------------------------------------------------
    economic_speed: float = param(
        0.1, unit="per month", low=0.02, high=0.4,
        source=literature("Kuik 2008; Lim & Cooper 2015: economic pragmatism moves first",
                          "assumption for the size: most of the way within a year"),
        doc="Monthly adjustment of economic alignment toward its target.")
    security_speed: float = param(
        0.015, unit="per month", low=0.002, high=0.08,
        source=commentary(
            "which in the short term may not have an impact but will seriously affect US "
            "perception in the long term", "with Kuik 2008: security alignment moves last"),
        doc="Monthly adjustment of security alignment toward its target.")
    economic_trust_gain: float = param(
        0.8, unit="alignment per trust", low=0.0, high=2.0,
        source=assumption("economic alignment follows trust in the partner's reliability"),
        doc="Shift of the economic target per unit change in trust in the patron.")
    wedge_pull: float = param(
        0.5, unit="alignment per grievance", low=0.0, high=1.5,
        source=literature("Crawford 2011, Wedge Strategies: the challenger courts the aggrieved"),
        doc="Pull of the economic target toward the challenger per unit grievance with the patron.")
    engagement_pull: float = param(
        0.3, unit="alignment per engagement", low=0.0, high=1.0,
        source=literature("Kuik 2008: binding engagement"),
        doc="Pull of the economic target toward a state one re-engages diplomatically.")
    engagement_decay: float = param(
        0.03, unit="per month", low=0.005, high=0.2,
        source=assumption("diplomatic momentum fades over a few years unless renewed"),
        doc="Monthly decay of diplomatic re-engagement.")
    security_trust_gain: float = param(
        0.3, unit="alignment per trust", low=0.0, high=1.5,
        source=literature("Snyder 1984: doubts about the patron loosen the alliance"),
        doc="Shift of the security target per unit change in trust in the patron.")
    security_threat_gain: float = param(
        0.6, unit="alignment per threat", low=0.0, high=2.0,
        source=literature("Walt 1987: states balance against threat"),
        doc="Shift of the security target toward the patron per unit rise in threat.")
    entrapment_gain: float = param(
        0.3, unit="alignment per fear", low=0.0, high=1.5,
        source=literature("Snyder 1984: fear of entrapment makes allies keep their distance"),
        doc="Shift of the security target away from the patron per unit rise in entrapment fear.")
    alignment_noise: float = param(
        0.004, unit="per month (sd)", low=0.0, high=0.03,
        source=assumption("small idiosyncratic policy drift"),
        doc="Random monthly drift of each alignment axis.")

    # --- threat (Walt 1987) -----------------------------------------------------------------
    proximity_km: float = param(
        3000.0, unit="km", low=1000.0, high=8000.0,
        source=literature("Walt 1987: threat falls with distance", "assumption for the scale"),
        doc="Distance at which proximity falls to 1/e.")
    bloc_indifference: float = param(
        0.25, unit="trust", low=0.1, high=0.5,
        source=literature("Axelrod & Bennett 1993, landscape theory",
                          "assumption: mutual trust above a quarter attracts, below repels"),
        doc="Mutual trust at which two states neither attract nor repel (bloc energy only).")
    challenger_growth: float = param(
        0.02, unit="capability per year", low=0.0, high=0.06,
        source=assumption("China's share of capability keeps rising slowly (rise of China)"),
        doc="Yearly relative growth of revisionist capability.")
    crisis_decay: float = param(
        0.15, unit="per month", low=0.03, high=0.5,
        source=assumption("a crisis dominates threat perception for a few months"),
        doc="Monthly decay of crisis salience.")

    # --- alliance security dilemma and spoke ties -------------------------------------------
    tightening_gain: float = param(
        1.0, unit="alignment per unit fear", low=0.2, high=4.0,
        source=literature("Snyder 1984, The Security Dilemma in Alliance Politics: an ally "
                          "fearing abandonment may tighten its commitment, at the price of "
                          "entrapment", "assumption for the size"),
        doc="With dilemma: tradeoff, the rise of the security-alignment target per unit of "
            "dependence times the rise in abandonment fear.")
    tie_growth: float = param(
        0.6, unit="per month per unit fear", low=0.0, high=10.0,
        source=literature("Cha 2000, quasi-alliance model", "assumption for the size"),
        doc="Growth of spoke-to-spoke ties per unit of shared excess abandonment fear.")
    tie_decay: float = param(
        0.02, unit="per month", low=0.0, high=0.1,
        source=assumption("networks need upkeep; unattended ties fade over years"),
        doc="Monthly relaxation of ties toward their initial strength.")

    # --- defence effort ---------------------------------------------------------------------
    defence_speed: float = param(
        0.08, unit="per month", low=0.02, high=0.3,
        source=assumption("budgets move through annual cycles"),
        doc="Monthly adjustment of defence spending toward its target.")
    defence_max_ramp: float = param(
        0.4, unit="% GDP per year", low=0.1, high=1.5,
        source=assumption("fiscal ceiling: peacetime rises above 0.4 pp a year are rare (SIPRI)"),
        doc="Largest yearly rise in defence spending.")
    self_help: float = param(
        2.0, unit="% GDP per unit fear", low=0.0, high=6.0,
        source=literature("Lanoszka 2015, Do allies really free ride? (Survival 57(3)); "
                          "Olson & Zeckhauser 1966", "assumption for the size"),
        doc="Extra defence effort per unit of excess abandonment fear.")
    compliance: float = param(
        0.4, unit="share of demand gap", low=0.0, high=1.0,
        source=literature("Snyder 1984: abandonment fear buys partial compliance"),
        doc="Largest share of a demanded increase that a fearful, willing ally concedes.")

    # --- public opinion -------------------------------------------------------------------------
    opinion_speed: float = _calibrated(
        "opinion_speed", unit="per month", low=0.005, high=0.2,
        note="Lowy 2017-18: alliance support held while trust fell",
        doc="Monthly adjustment of public alliance support.")
    opinion_trust_gain: float = param(
        0.25, unit="support per trust", low=0.0, high=1.0,
        source=assumption("alliance support moves by a few points when trust moves by tens (Lowy)"),
        doc="Shift of alliance support per unit change in trust in the patron.")
    security_support_gain: float = param(
        1.0, unit="alignment per support", low=0.0, high=2.0,
        source=assumption("a government's security alignment follows public alliance support "
                          "one for one: the public constrains how far it can move"),
        doc="Pull of a change in public alliance support on the security-alignment target.")

    # --- crises and commitments ---------------------------------------------------------------
    honour_rate: float = param(
        0.745, unit="probability", low=0.22, high=0.9,
        source=literature("Leeds, Long & Mitchell 2000: obligations honoured 74.5% of the time"),
        doc="Chance the patron honours a treaty commitment when a crisis tests it.")
    # Looser commitments are kept less often (assumption for the sizes; Berkemeier & Fuhrmann
    # 2018 find 22% after 1945 across all alliance types).
    honour_access: float = param(
        0.8, unit="relative to a treaty", low=0.5, high=1.0,
        source=literature("Berkemeier & Fuhrmann 2018", "assumption: an access agreement binds "
                          "less than a treaty"),
        doc="Honouring chance under an access agreement, relative to a treaty.")
    honour_partnership: float = param(
        0.6, unit="relative to a treaty", low=0.3, high=0.9,
        source=literature("Berkemeier & Fuhrmann 2018", "assumption: a partnership binds less"),
        doc="Honouring chance for a partner without a treaty, relative to a treaty.")
    honour_none: float = param(
        0.3, unit="relative to a treaty", low=0.1, high=0.6,
        source=literature("Berkemeier & Fuhrmann 2018: 22% of obligations honoured after 1945",
                          "assumption: no commitment, little help"),
        doc="Honouring chance where the patron has no commitment, relative to a treaty.")
    patron_exposure_floor: float = param(
        0.2, unit="exposure", low=0.05, high=0.5,
        source=assumption("a global power is always somewhat exposed to conflict"),
        doc="The patron's conflict exposure without a crisis (entrapment fear, Snyder 1984).")

    def honour_factor(self, tier: str) -> float:
        """Honouring chance relative to a treaty commitment, by the tier of the commitment."""
        return {"treaty": 1.0, "access": self.honour_access,
                "partnership": self.honour_partnership, "none": self.honour_none}[tier]

    # --- what events weigh ---------------------------------------------------------------------
    scrutiny_severity: float = param(
        0.25, unit="costly-act units", low=0.0, high=1.0,
        source=commentary("some critical investments have also come under heightened scrutiny",
                          "size an assumption: a quarter of a full costly defection"),
        doc="Weight of investment scrutiny (at large deal size).")
    block_severity: float = param(
        0.6, unit="costly-act units", low=0.0, high=2.0,
        source=assumption("blocking a flagship deal is a clear costly defection"),
        doc="Weight of an investment block (at large deal size).")
    demand_reproach: float = param(
        0.5, unit="cheap-talk units", low=0.0, high=1.0,
        source=commentary("effectively categorising Japan as a freeloading country",
                          "a demand framed as a reproach is heard as negative cheap talk"),
        doc="Negative cheap talk carried by a defence-spending demand.")
    support_cut_severity: float = param(
        1.5, unit="costly-act units per share cut", low=0.5, high=4.0,
        source=commentary("Trump’s abandonment of Ukraine",
                          "abandoning a partner under attack is the costliest defection"),
        doc="Weight of cutting support to a partner, per share of support cut.")
    investment_half_weight_bn: float = param(
        5.0, unit="USD billion", low=1.0, high=20.0,
        source=assumption("a deal of USD 5 billion carries half the weight of a very large one; "
                          "Nippon Steel's USD 14.9 billion thus weighs three quarters"),
        doc="Deal size at which scrutiny or a block carries half its full weight.")

    # --- tariff salience by sector -------------------------------------------------------------
    # How much a tariff on the sector weighs in the target's view of the relationship
    # (assumption: autos carry Japan's largest export to the US; steel is small in trade but
    # symbolic; a tariff on all goods weighs more than any one sector).
    salience_steel: float = param(
        0.5, unit="weight per unit rate", low=0.2, high=1.0,
        source=commentary("25 per cent tariffs on imports of Japanese steel",
                          "size an assumption: small in trade, large as a symbol"),
        doc="Weight of a tariff on steel, per unit of tariff rate.")
    salience_aluminium: float = param(
        0.3, unit="weight per unit rate", low=0.1, high=0.8,
        source=assumption("aluminium is a small share of Japan's exports to the US"),
        doc="Weight of a tariff on aluminium, per unit of tariff rate.")
    salience_autos: float = param(
        1.0, unit="weight per unit rate", low=0.5, high=1.5,
        source=assumption("autos are Japan's largest export to the US: the unit of salience"),
        doc="Weight of a tariff on autos, per unit of tariff rate.")
    salience_semiconductors: float = param(
        0.7, unit="weight per unit rate", low=0.3, high=1.2,
        source=assumption("a strategic sector, smaller in trade than autos"),
        doc="Weight of a tariff on semiconductors, per unit of tariff rate.")
    salience_agriculture: float = param(
        0.4, unit="weight per unit rate", low=0.1, high=1.0,
        source=assumption("agriculture is a small, politically sensitive share"),
        doc="Weight of a tariff on agriculture, per unit of tariff rate.")
    salience_all: float = param(
        1.2, unit="weight per unit rate", low=0.8, high=2.0,
        source=assumption("a tariff on all goods weighs more than one on any single sector"),
        doc="Weight of a tariff on all goods, per unit of tariff rate.")

    def sector_salience(self) -> dict[str, float]:
        """Salience of a tariff by sector (the sectors a tariff event may name)."""
        return {"steel": self.salience_steel, "aluminium": self.salience_aluminium,
                "autos": self.salience_autos, "semiconductors": self.salience_semiconductors,
                "agriculture": self.salience_agriculture, "all": self.salience_all}

    def with_overrides(self, overrides: dict[str, Any]) -> Parameters:
        """Return a copy with ``overrides`` applied, after :func:`check_overrides`."""
        check_overrides(overrides)
        return replace(self, **{k: float(v) for k, v in overrides.items()})

    def per_replicate(self, values: Mapping[str, np.ndarray]) -> Parameters:
        """A copy in which each named parameter has one value per replicate (equal lengths).

        Values are checked against the declared ranges, like a scenario's overrides.
        """
        arrays = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
        sizes = {a.shape for a in arrays.values()}
        if len(sizes) > 1 or any(len(s) != 1 for s in sizes):
            raise ValueError(f"one value per replicate for every parameter, got shapes {sizes}")
        structural = sorted(set(arrays) & set(STRUCTURAL))
        if structural:
            raise ValueError(f"{', '.join(structural)} take one value per simulation, not one "
                             "per replicate")
        for name, a in arrays.items():
            check_overrides({name: float(a.min())})
            check_overrides({name: float(a.max())})
        return replace(self, **arrays)

    def shaped(self, ndim: int) -> Parameters:
        """A copy whose per-replicate arrays broadcast against arrays of rank ``ndim`` whose
        first axis is the replicate (numbers stay numbers)."""
        return replace(self, **{name: value.reshape((-1,) + (1,) * (ndim - 1))
                                for name, value in self._arrays().items()})

    def rows(self, rows: np.ndarray) -> Parameters:
        """A copy restricted to the replicates ``rows`` (numbers stay numbers)."""
        return replace(self, **{name: value[rows] for name, value in self._arrays().items()})

    def _arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if isinstance(getattr(self, f.name), np.ndarray)}


def declarations() -> list[dict[str, Any]]:
    """One row per parameter: name, default, unit, range, source, doc."""
    return [{"name": f.name, "default": f.default, **f.metadata} for f in fields(Parameters)]


def names() -> list[str]:
    return [f.name for f in fields(Parameters)]


class ParameterError(ValueError):
    """A parameter override is unknown, of the wrong type, or outside its plausible range.

    ``key`` names the offending parameter so the loader can point at its line.
    """

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def check_overrides(overrides: dict[str, Any]) -> None:
    """Reject unknown names, non-numbers and values outside the declared range."""
    declared = {row["name"]: row for row in declarations()}
    for key, value in overrides.items():
        if key not in declared:
            near = difflib.get_close_matches(key, declared, n=1)
            hint = f" Did you mean '{near[0]}'?" if near else ""
            raise ParameterError(
                key, f"unknown parameter '{key}'.{hint} Valid parameters: {', '.join(declared)}.")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParameterError(key, f"'{key}' must be a number, got {value!r}.")
        row = declared[key]
        if not row["low"] <= value <= row["high"]:
            raise ParameterError(
                key, f"'{key}' = {value} is outside its plausible range "
                     f"[{row['low']}, {row['high']}] ({row['unit']}).")
