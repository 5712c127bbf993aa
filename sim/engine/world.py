"""The world as arrays: fixed attributes (:class:`Baseline`) and the evolving :class:`State`.

The ensemble is the unit of work: every state array has the replicate as its first axis, so one
model steps a whole ensemble at once and a replicate is a slice. Dyadic arrays are indexed
``[replicate, i, j]`` and read "i's view of j" (trust, grievance, trade share of i with j).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.calendar import months_between
from sim.events import SECTORS
from sim.evidence.actors import ActorSpec
from sim.scenario.schema import Scenario

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Baseline:
    """What does not change during a run: identities, attributes and the initial condition."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    patron: int
    challenger: int
    capability: np.ndarray  # (N,)
    offensive: np.ndarray  # (N,)
    hostile: np.ndarray  # (N,) bool: challenger or revisionist, a source of threat
    like_minded: np.ndarray  # (N, N) bool: both like-minded
    proximity: np.ndarray  # (N, N) in (0, 1]
    dependence: np.ndarray  # (N,) on the patron
    commitment: tuple[str, ...]  # tier of the patron's commitment to each state
    reactance: np.ndarray
    economic_anchor: np.ndarray
    defence_ceiling: np.ndarray
    defence_plan: np.ndarray  # (T + 1, N) planned % GDP each month
    poles: np.ndarray  # (N,) bool: patron and challenger, whose alignment is fixed
    trust: np.ndarray  # (N, N) initial trust
    trade: np.ndarray  # (N, N) initial trade share
    ties: np.ndarray  # (N, N) initial tie strength, symmetric
    alignment_economic: np.ndarray
    alignment_security: np.ndarray
    threat: np.ndarray
    alliance_support: np.ndarray
    defence_spending: np.ndarray

    @property
    def size(self) -> int:
        return len(self.codes)

    def index(self, code: str) -> int:
        return self.codes.index(code)


def build_baseline(scenario: Scenario) -> Baseline:
    """Arrays of the scenario's actors, in the order they are declared."""
    specs, params = scenario.actors, scenario.parameters
    codes = tuple(specs)
    n = len(codes)
    col = {c: i for i, c in enumerate(codes)}

    def vec(attr: str) -> np.ndarray:
        return np.array([getattr(s, attr) for s in specs.values()], dtype=float)

    def mat(attr: str, fill: np.ndarray) -> np.ndarray:
        out = fill.copy()
        for i, spec in enumerate(specs.values()):
            for other, value in getattr(spec, attr).items():
                if other in col:
                    out[i, col[other]] = value
        np.fill_diagonal(out, 1.0 if attr == "trust" else 0.0)
        return out

    trust_fill = np.repeat(vec("trust_default")[:, None], n, axis=1)
    ties = mat("ties", np.zeros((n, n)))
    ties = np.maximum(ties, ties.T)  # a tie is one relation, whoever declared it
    like = vec("like_minded").astype(bool)
    roles = [s.role for s in specs.values()]
    return Baseline(
        codes=codes, names=tuple(s.name for s in specs.values()),
        patron=col[scenario.patron], challenger=col[scenario.challenger],
        capability=vec("capability"), offensive=vec("offensive"),
        hostile=np.array([r in ("challenger", "revisionist") for r in roles]),
        like_minded=like[:, None] & like[None, :],
        proximity=_proximity(specs, scenario.parameters.proximity_km),
        dependence=vec("dependence"),
        commitment=tuple(s.commitment for s in specs.values()),
        reactance=vec("reactance"), economic_anchor=vec("economic_anchor"),
        defence_ceiling=vec("defence_ceiling"),
        defence_plan=_plans(scenario),
        poles=np.isin(np.arange(n), [col[scenario.patron], col[scenario.challenger]]),
        trust=mat("trust", trust_fill), ties=ties,
        trade=mat("trade", np.full((n, n), params.background_trade)),
        alignment_economic=vec("alignment_economic"),
        alignment_security=vec("alignment_security"),
        threat=vec("threat"), alliance_support=vec("alliance_support"),
        defence_spending=vec("defence_spending"),
    )


def _proximity(specs: dict[str, ActorSpec], scale_km: float) -> np.ndarray:
    """exp(-great-circle distance / scale): Walt 1987's proximity component of threat."""
    lat, lon = (np.radians([s.location[k] for s in specs.values()]) for k in (0, 1))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return np.exp(-distance / scale_km)


def _plans(scenario: Scenario) -> np.ndarray:
    """Planned defence spending per month: the actor's plan, held flat beyond its points."""
    months = np.arange(scenario.horizon_months + 1)
    out = np.empty((len(months), len(scenario.actors)))
    for i, spec in enumerate(scenario.actors.values()):
        if not spec.defence_plan:
            out[:, i] = spec.defence_spending
            continue
        at = [months_between(scenario.start, p.date) for p in spec.defence_plan]
        out[:, i] = np.interp(months, at, [p.pct for p in spec.defence_plan])
    return out


@dataclass
class State:
    """Everything that evolves, with the replicate as the first axis."""

    evidence_for: np.ndarray  # (R, N, N) Beta a: cooperative evidence i holds about j
    evidence_against: np.ndarray  # (R, N, N) Beta b
    trust: np.ndarray  # (R, N, N)
    grievance: np.ndarray  # (R, N, N)
    trade: np.ndarray  # (R, N, N)
    engagement: np.ndarray  # (R, N, N) diplomatic re-engagement of i with j
    ties: np.ndarray  # (R, N, N) symmetric
    tariffs: np.ndarray  # (R, S, imposer, target): tariff rate per sector (note the order)
    tariff_severity: np.ndarray  # (R, N, N) salience-weighted tariffs on i's exports by j
    alignment_economic: np.ndarray  # (R, N)
    alignment_security: np.ndarray
    threat: np.ndarray
    crisis: np.ndarray  # (R, N) salience of recent crises near i
    abandonment_fear: np.ndarray
    entrapment_fear: np.ndarray
    defence_spending: np.ndarray
    demand: np.ndarray  # (R, N) % GDP the patron demands (0 = none)
    defence_pledge: np.ndarray  # (R, N) % GDP a state decided to add to its goal (policies)
    alliance_support: np.ndarray
    commitment_tests: np.ndarray  # (R,) crises that tested the patron
    commitments_honoured: np.ndarray  # (R,)


def initial_state(base: Baseline, replicates: int, prior_strength: float | np.ndarray) -> State:
    """Every replicate starts from the same surveyed condition (``prior_strength``: a number, or
    one per replicate shaped (R, 1, 1))."""
    r, n = replicates, base.size

    def rep(array: np.ndarray) -> np.ndarray:
        """The array once per replicate (an (R, N, N) array already is)."""
        shape = array.shape[1:] if array.ndim == 3 else array.shape
        return np.array(np.broadcast_to(array, (r, *shape)), dtype=float)

    zeros = np.zeros((r, n))
    return State(
        evidence_for=rep(base.trust * prior_strength),
        evidence_against=rep((1.0 - base.trust) * prior_strength),
        trust=rep(base.trust), grievance=np.zeros((r, n, n)), trade=rep(base.trade),
        engagement=np.zeros((r, n, n)), ties=rep(base.ties),
        tariffs=np.zeros((r, len(SECTORS), n, n)), tariff_severity=np.zeros((r, n, n)),
        alignment_economic=rep(base.alignment_economic),
        alignment_security=rep(base.alignment_security),
        threat=rep(base.threat), crisis=zeros.copy(), abandonment_fear=zeros.copy(),
        entrapment_fear=zeros.copy(), defence_spending=rep(base.defence_spending),
        demand=zeros.copy(), defence_pledge=zeros.copy(),
        alliance_support=rep(base.alliance_support),
        commitment_tests=np.zeros(r), commitments_honoured=np.zeros(r),
    )
