"""Actors that decide: the scenario's ``policies:`` turned into moves, month by month.

A :class:`Move` is one actor's choice for one month: an act (the effect of an event kind, such as a
:class:`~sim.events.reassurance.Reassurance` or an :class:`~sim.events.arm.Arm`) and the replicates
in which it is made. A rule (:class:`PatronRule`, :class:`ChallengerRule`, :class:`AllyRule`)
reads each replicate's own state and returns moves; a person in a role-play returns the same
objects (``Simulation.step(moves=...)``), so a team can stand in for any rule. Rules are
deterministic given the state: they draw no random numbers, so they shift no other draw.

Each rule decides from the state as the month opens, after the scripted events of the month were
applied: last month's trust, grievance and fears (what a government knows when it decides), this
month's tariffs and demands. Its moves add to the month's acts, so the phases that follow treat a
decided reassurance exactly as a scripted one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from sim.engine.world import Baseline, State
from sim.events import Acts, Context, EventBase, domain_of
from sim.events.arm import Arm
from sim.events.base import apply_in_domain
from sim.events.partnership import Partnership
from sim.events.reassurance import Reassurance
from sim.events.reengagement import Reengagement
from sim.events.rhetoric import Rhetoric
from sim.events.tariff import SECTORS, Tariff
from sim.evidence.params import Parameters
from sim.scenario import Scenario
from sim.scenario.policies import AllyPolicy, ChallengerPolicy, PatronPolicy

UNTIMED = {"month": 0}  # an event kind reused as a move: its timing fields are never read


Act = EventBase  # what a move does: an event kind's ``apply``, in the replicates of the move


@dataclass(frozen=True)
class Move:
    """``actor`` does ``act`` toward ``target`` this month, in the replicates where ``where``."""

    actor: str
    target: str
    act: Act
    where: np.ndarray  # (R,) bool

    @property
    def key(self) -> tuple[str, str, str]:
        """(actor, kind of act, target): how the record counts it."""
        return self.actor, self.act.type, self.target


class Rule(Protocol):
    def decide(self, month: int, state: State) -> list[Move]: ...


class _Cooldown:
    """Month of each replicate's last move toward each target; a target is due again after
    ``months``."""

    def __init__(self, replicates: int, targets: int, months: int):
        self.months = months
        self.last = np.full((replicates, targets), -months)

    def due(self, month: int) -> np.ndarray:
        return month - self.last >= self.months

    def mark(self, month: int, acted: np.ndarray) -> None:
        self.last[acted] = month


def _moves(actor: str, targets: list[str], acts: list[Act], acted: np.ndarray) -> list[Move]:
    return [Move(actor, code, act, acted[:, k].copy())
            for k, (code, act) in enumerate(zip(targets, acts, strict=True)) if acted[:, k].any()]


class PatronRule:
    """Below ``trust_below``, the patron reassures the ally (a statement, or a costly pledge), or
    presses it (a reproach): Snyder 1984's conciliation or firmness toward an ally."""

    def __init__(self, policy: PatronPolicy, scenario: Scenario, base: Baseline, replicates: int):
        self.policy, self.patron = policy, scenario.patron
        self.targets = policy.targets or scenario.allies()
        self.columns = [base.index(c) for c in self.targets]
        self.column_patron = base.index(scenario.patron)
        self.acts = [self._act(code) for code in self.targets]
        self.cooldown = _Cooldown(replicates, len(self.targets), policy.cooldown_months)

    def _act(self, code: str) -> Act:
        p = self.policy
        if p.stance == "reassure":
            return Reassurance(type="reassurance", by=self.patron, targets=[code],
                               costly=p.costly, intensity=p.intensity, **UNTIMED)
        return Rhetoric(type="rhetoric", by=self.patron, targets=[code], tone="negative",
                        intensity=p.intensity, **UNTIMED)

    def decide(self, month: int, state: State) -> list[Move]:
        trust = state.trust[:, self.columns, self.column_patron]  # (R, K): the ally's in the patron
        acted = (trust < self.policy.trust_below) & self.cooldown.due(month)
        self.cooldown.mark(month, acted)
        return _moves(self.patron, self.targets, self.acts, acted)


class ChallengerRule:
    """Above ``grievance_above`` (against the patron), the challenger courts the ally with
    engagement, or coerces it with a tariff: the wedge of Crawford 2011."""

    def __init__(self, policy: ChallengerPolicy, scenario: Scenario, base: Baseline,
                 replicates: int):
        self.policy, self.challenger = policy, scenario.challenger
        self.targets = policy.targets or scenario.allies()
        self.columns = [base.index(c) for c in self.targets]
        self.column_patron = base.index(scenario.patron)
        self.column_challenger = base.index(scenario.challenger)
        self.sector = SECTORS.index(policy.sector)
        self.acts = [self._act(code) for code in self.targets]
        self.cooldown = _Cooldown(replicates, len(self.targets), policy.cooldown_months)

    def _act(self, code: str) -> Act:
        p = self.policy
        if p.stance == "induce":
            return Reengagement(type="reengagement", actor=code, partner=self.challenger,
                                intensity=p.intensity, **UNTIMED)
        return Tariff(type="tariff", by=self.challenger, targets=[code], sector=p.sector,
                      rate=p.rate, **UNTIMED)

    def decide(self, month: int, state: State) -> list[Move]:
        grievance = state.grievance[:, self.columns, self.column_patron]  # (R, K)
        acted = (grievance > self.policy.grievance_above) & self.cooldown.due(month)
        if self.policy.stance == "coerce":  # a tariff already in force needs no second decision
            in_force = state.tariffs[:, self.sector, self.column_challenger, self.columns]
            acted &= in_force != self.policy.rate
        self.cooldown.mark(month, acted)
        return _moves(self.challenger, self.targets, self.acts, acted)


class AllyRule:
    """Once its abandonment fear exceeds its starting level by ``fear_rise_above``, an ally arms
    (up to ``max_pledge_pct``) and partners with the like-minded ally whose fear has risen most,
    if that one's has risen past the threshold too (Snyder 1984; Cha 2000)."""

    def __init__(self, policy: AllyPolicy, scenario: Scenario, base: Baseline, replicates: int,
                 initial_fear: np.ndarray):
        self.policy, self.base = policy, base
        self.actors = policy.actors or scenario.allies()
        self.columns = [base.index(c) for c in self.actors]
        self.candidates = [c for c in (policy.partners or scenario.allies())
                           if c not in (scenario.patron, scenario.challenger)]
        self.candidate_columns = [base.index(c) for c in self.candidates]
        self.initial_fear = initial_fear
        self.arms = [Arm(type="arm", actor=code, pct=policy.arm_pct,
                         max_pledge_pct=policy.max_pledge_pct, **UNTIMED)
                     for code in self.actors]
        self.cooldown = _Cooldown(replicates, len(self.actors), policy.cooldown_months)

    def decide(self, month: int, state: State) -> list[Move]:
        p = self.policy
        rise = state.abandonment_fear - self.initial_fear[None]  # (R, N)
        acted = (rise[:, self.columns] > p.fear_rise_above) & self.cooldown.due(month)
        self.cooldown.mark(month, acted)
        moves = []
        if p.respond in ("arm", "both"):
            arming = acted & (state.defence_pledge[:, self.columns] < p.max_pledge_pct)
            moves += [Move(code, code, arm, arming[:, k].copy())  # an act toward itself
                      for k, (code, arm) in enumerate(zip(self.actors, self.arms, strict=True))
                      if arming[:, k].any()]
        if p.respond in ("partner", "both"):
            for k, code in enumerate(self.actors):
                moves += self._partner(code, self.columns[k], rise, acted[:, k])
        return moves

    def _partner(self, code: str, column: int, rise: np.ndarray,
                 acted: np.ndarray) -> list[Move]:
        """A partnership with the candidate whose fear has risen most (the first on a tie)."""
        eligible = [(c, j) for c, j in zip(self.candidates, self.candidate_columns, strict=True)
                    if j != column and self.base.like_minded[column, j]]
        if not eligible or not acted.any():
            return []
        fearful = rise[:, [j for _, j in eligible]]  # (R, C)
        best = np.argmax(fearful, axis=1)
        top = np.take_along_axis(fearful, best[:, None], axis=1)[:, 0]
        shares = top > self.policy.fear_rise_above  # Cha 2000: both fear abandonment
        moves = []
        for k, (partner, _) in enumerate(eligible):
            where = acted & shares & (best == k)
            if where.any():
                act = Partnership(type="partnership", members=[code, partner],
                                  strength=self.policy.strength, **UNTIMED)
                moves.append(Move(code, partner, act, where))
        return moves


class Decider:
    """The scenario's rules, the moves they make each month, and the count of what was decided
    per replicate (``counts[(actor, kind, target)]``, like the commitment counters)."""

    def __init__(self, scenario: Scenario, base: Baseline, replicates: int,
                 initial_fear: np.ndarray):
        policies, self.base = scenario.policies, base
        self.rules: list[Rule] = []
        if policies.patron is not None:
            self.rules.append(PatronRule(policies.patron, scenario, base, replicates))
        if policies.challenger is not None:
            self.rules.append(ChallengerRule(policies.challenger, scenario, base, replicates))
        if policies.allies is not None:
            self.rules.append(AllyRule(policies.allies, scenario, base, replicates,
                                       initial_fear))
        self.replicates = replicates
        self.domains = scenario.structure.reputation == "per_domain"
        self.counts: dict[tuple[str, str, str], np.ndarray] = {}

    def decide(self, month: int, state: State) -> list[Move]:
        """Every rule's moves for this month, patron first, then challenger, then allies."""
        return [m for rule in self.rules for m in rule.decide(month, state)]

    def apply(self, moves: list[Move], state: State, acts: Acts, params: Parameters) -> Acts:
        """Add the moves' acts to the month's acts (new acts if the month was quiet) and count
        them."""
        if not moves:
            return acts
        rows = np.flatnonzero(np.logical_or.reduce([m.where for m in moves]))
        if acts.quiet:
            acts = Acts.none(self.replicates, self.base.size, rows, self.domains)
        else:
            acts.rows = np.union1d(acts.rows, rows)
        for move in moves:
            context = Context(self.base, state, acts, params, move.where, None)
            apply_in_domain(move.act.apply, context, domain_of(move.act))
            count = self.counts.setdefault(move.key, np.zeros(self.replicates))
            count += move.where
        return acts
