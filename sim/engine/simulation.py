"""The numeric core of the alliance model: a block of replicates stepped in arrays.

:class:`Simulation` holds the state in arrays with the replicate as first axis
(:mod:`sim.engine.world`) and steps them month by month. It is the one implementation of the
model: ensembles run it directly (:mod:`sim.engine.ensemble`), and the Mesa model
(:mod:`sim.engine.model`) delegates every step to it. A block of one replicate is the
straightforward one-at-a-time path; the tests prove that both give the same numbers bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim import checks
from sim.engine.decisions import Decider, Move
from sim.engine.history import History
from sim.engine.mechanics import (
    alliance_dilemma,
    defence,
    economy,
    hedging,
    observation,
    opinion,
    reputation,
    spokes,
    threat,
)
from sim.engine.rng import ALIGNMENT, PERCEPTION, Streams
from sim.engine.schedule import EventSchedule
from sim.engine.world import Baseline, State, build_baseline, initial_state
from sim.scenario import Scenario


class Simulation:
    """Replicates ``first_replicate ..`` of ``scenario``, stepped together month by month.

    Args:
        scenario: a resolved :class:`Scenario`.
        seed: root seed (default: the scenario's).
        replicates: how many replicates to step together (default: the scenario's).
        first_replicate: index of the first replicate in this block, so blocks of one ensemble
            run in any order or process and draw the same numbers.
        out: storage to record into (see :func:`sim.engine.history.allocate`); default: new arrays.
        varied: parameters that take one value per replicate (arrays of the block's length), e.g.
            the points of a sweep; every other parameter is the scenario's.
        replicate_ids: the random streams each replicate draws (default: ``first_replicate``
            onwards); a sweep gives every point the same ids, so its points share their noise.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None,
                 replicates: int | None = None, first_replicate: int = 0,
                 out: dict[str, np.ndarray] | None = None,
                 varied: dict[str, np.ndarray] | None = None,
                 replicate_ids: np.ndarray | None = None):
        self.scenario = scenario
        seed = checks.seed(scenario.seed if seed is None else seed)
        count = checks.count("replicates", scenario.replicates if replicates is None
                             else replicates)
        first_replicate = checks.count("first_replicate", first_replicate, minimum=0)
        self.root_seed = seed
        self.months = scenario.horizon_months
        self.month = 0  # months stepped so far
        self.replicate_ids = (np.arange(first_replicate, first_replicate + count)
                              if replicate_ids is None else np.asarray(replicate_ids))
        self.params = scenario.parameters.per_replicate(varied) if varied else scenario.parameters
        p3 = self._p3 = self.params.shaped(3)  # lined up with (R, N, N) arrays
        self._p2 = self.params.shaped(2)  # lined up with (R, N) arrays
        self.base: Baseline = build_baseline(scenario)
        self.state: State = initial_state(self.base, count, p3.prior_strength)
        streams = Streams(seed, self.replicate_ids)
        self.structure = scenario.structure
        per_domain = self.structure.reputation == "per_domain"
        self.schedule = EventSchedule(scenario.events, self.base, streams, self.months,
                                      domains=per_domain)
        n = self.base.size
        self._perception = streams.uniform(PERCEPTION, (self.months, n, n))
        self._drift = streams.uniform(ALIGNMENT, (self.months, 2, n))
        self._trade_target = np.repeat(self.base.trade[None], count, axis=0)  # no tariffs yet
        self._prior_for = self.base.trust * p3.prior_strength
        self._prior_against = (1.0 - self.base.trust) * p3.prior_strength
        # Rival structures (sim/scenario/structure.py). Per domain, the state's Beta evidence is
        # the security domain's and the economic domain's is kept here; a drifting anchor keeps
        # the reference trust of each reputation book.
        self._economic = ((self.state.evidence_for.copy(), self.state.evidence_against.copy())
                          if per_domain else None)
        self._reference = ({book: self.state.trust.copy() for book in ("pooled", "economic",
                                                                       "security")}
                           if self.structure.anchor == "drifting" else None)
        self._observers = observation.similarity(self.base.dependence, self.base.like_minded,
                                                 self.base.commitment, p3.observed_other_tier)
        self._tie_basis = spokes.basis(self.base.ties, self.base.proximity, self.base.hostile,
                                       self.base.like_minded)
        self._fears()
        self.initial_fear = self.state.abandonment_fear[0].copy()  # no parameter moves it
        self.initial_entrapment = self.state.entrapment_fear.copy()  # the exposure floor does
        self.raw_threat_initial = self._raw_threat()[0].copy()
        self.decider = Decider(scenario, self.base, count, self.initial_fear)
        self.history = History(self.base.codes, count, self.months, self.base.patron,
                               self.base.challenger, out)
        self.history.decisions = self.decider.counts
        self.history.record(0, self.state)

    @property
    def over(self) -> bool:
        """Whether the horizon is reached."""
        return self.month >= self.months

    def step(self, moves: Sequence[Move] = ()) -> None:
        """One month, in this order:

        1. events: the month's events become acts (tariffs set, demands made, crises met);
        2. decisions: the scenario's rules (policies) and any ``moves`` given from outside
           (a role-play team's) add their acts: reassurance, pressure, inducement, coercion,
           arming, partnership;
        3. economy: grievance from economic harm; trade diverts from active tariffs; diplomatic
           engagement decays and grows with re-engagement;
        4. reputation: trust updates from acts suffered and acts observed on similar states;
        5. threat: Walt's threat from power, proximity, offence and distrust, plus crises;
        6. fears: abandonment and entrapment (Snyder 1984);
        7. alignment: economic axis fast, security axis slow, toward their targets;
        8. ties: spoke-to-spoke ties grow with shared fear (Cha 2000) and agreements;
        9. defence: spending moves toward plan, self-help, the conceded share of demands and
           any pledge decided;
        10. opinion: public alliance support follows trust, slowly;
        11. record the month.
        """
        t = self.month
        if t >= self.months:
            raise RuntimeError(f"the scenario's horizon of {self.months} months is over")
        self.month = t + 1
        s, b, p2, p3 = self.state, self.base, self._p2, self._p3
        acts = self.schedule.acts(t, s, self.params)
        decided = [*self.decider.decide(t, s), *moves]
        acts = self.decider.apply(decided, s, acts, self.params)
        self._economy(acts)
        self._reputation(t, acts)
        s.crisis = threat.crisis_salience(s.crisis, acts.crisis, b.proximity, p2.crisis_decay)
        s.threat = threat.threat(self._raw_threat(), self.raw_threat_initial, b.threat, s.crisis)
        self._fears()
        trust_change = self._trust_change()  # in the patron, since the start
        self._alignment(t, trust_change)
        s.ties = spokes.update(s.ties, b.ties, s.abandonment_fear, self.initial_fear, s.threat,
                               self._tie_basis, acts.ties, p3.tie_growth, p3.tie_decay)
        goal = defence.target(b.defence_plan[t + 1], s.abandonment_fear, self.initial_fear,
                              s.demand, b.reactance, p2.self_help, p2.compliance)
        goal += s.defence_pledge  # zero unless a state decided to arm (policies)
        s.defence_spending = defence.adjust(s.defence_spending, goal, b.defence_ceiling,
                                            p2.defence_speed, p2.defence_max_ramp)
        s.alliance_support = opinion.update(s.alliance_support, b.alliance_support,
                                            trust_change, p2.opinion_speed,
                                            p2.opinion_trust_gain)
        self.history.record(t + 1, s)

    def run(self) -> History:
        """Step to the horizon and return the record."""
        while self.month < self.months:
            self.step()
        return self.history

    # ----------------------------------------------------------------------------------------
    def _economy(self, acts) -> None:
        """Grievance and engagement fade everywhere; where something happened they also grow,
        and trade heads for a new target (replicates without events skip that work)."""
        p, s, b = self._p3, self.state, self.base
        grievance, engagement = s.grievance, s.engagement
        s.grievance = grievance * (1.0 - p.grievance_decay)
        s.engagement = engagement * (1.0 - p.engagement_decay)
        if not acts.quiet:
            r = acts.rows
            pr = p.rows(r)
            s.grievance[r] = economy.grievance(grievance[r], acts.economic_harm[r],
                                               pr.grievance_gain, pr.grievance_decay)
            s.engagement[r] = np.minimum(s.engagement[r] + acts.engagement[r], 1.0)
            self._trade_target[r] = economy.trade_target(b.trade, s.tariff_severity[r],
                                                         pr.trade_elasticity)
        s.trade = economy.trade(s.trade, self._trade_target, p.trade_speed)

    def _reputation(self, t: int, acts) -> None:
        p, s, b = self._p3, self.state, self.base
        noise = reputation.perception_noise(self._perception[:, t], p.perception_noise)
        if self._economic is not None:
            trust = self._per_domain_trust(acts, noise)
        else:
            positive = negative = 0.0  # a quiet month: no evidence beyond the routine flow
            if not acts.quiet:
                positive, negative = self._evidence(acts, noise)
            trust = self._book("pooled", s.evidence_for, s.evidence_against, positive, negative,
                               noise)
        if np.any(p.press_weight > 0):
            capability = np.atleast_2d(self._capability(t + 1))  # (R or 1, N)
            ratio = np.divide(capability, b.capability, out=np.ones(capability.shape),
                              where=b.capability > 0)
            stake = np.divide(s.trade, b.trade, out=np.ones(s.trade.shape), where=b.trade > 0)
            rival = reputation.current_calculus(b.trust[None], ratio[:, None, :], stake)
            trust = (1.0 - p.press_weight) * trust + p.press_weight * rival
        idx = np.arange(b.size)
        trust[:, idx, idx] = 1.0
        s.trust = trust

    def _book(self, name: str, evidence_for: np.ndarray, evidence_against: np.ndarray,
              positive, negative, noise: np.ndarray) -> np.ndarray:
        """One month of one reputation (pooled, or one domain's), in place; its trust."""
        p = self._p3
        prior_for, prior_against = self._prior_for, self._prior_against
        if self._reference is not None:  # a drifting anchor
            prior_for = self._reference[name] * p.prior_strength
            prior_against = (1.0 - self._reference[name]) * p.prior_strength
        reputation.update(evidence_for, evidence_against, prior_for, prior_against, positive,
                          negative, p.forgetting, p.negativity_bias, noise)
        trust = reputation.trust(evidence_for, evidence_against)
        if self._reference is not None:
            self._reference[name] = reputation.drift_reference(self._reference[name], trust,
                                                               p.anchor_drift)
        return trust

    def _per_domain_trust(self, acts, noise: np.ndarray) -> np.ndarray:
        """Economic and security reliability, each from its own acts and observation plus the
        other's spill-over; recorded trust combines them."""
        s = self.state
        economic = security = [0.0, 0.0]  # a quiet month: the routine flow only
        if not acts.quiet:
            r = acts.rows
            trade = (acts.trade_costly[r], acts.trade_cheap[r])
            other = (acts.costly[r] - trade[0], acts.cheap[r] - trade[1])
            p = self._p3.rows(r)
            economic, security = reputation.spill(self._heard(acts, *trade),
                                                  self._heard(acts, *other), p.domain_spillover)
            economic, security = ([self._spread(e, r, noise) for e in economic],
                                  [self._spread(e, r, noise) for e in security])
        economic_trust = self._book("economic", *self._economic, *economic, noise)
        security_trust = self._book("security", s.evidence_for, s.evidence_against, *security,
                                    noise)
        return reputation.combined(economic_trust, security_trust)

    def _heard(self, acts, costly: np.ndarray, cheap: np.ndarray) -> list[np.ndarray]:
        """[positive, negative] evidence from acts suffered and observed, in ``acts.rows``."""
        r = acts.rows
        p = self._p3.rows(r)
        observers = self._observers if self._observers.ndim == 2 else self._observers[r]
        return [direct + p.weight_observed * observation.observed(direct, observers)
                for direct in reputation.evidence(costly, cheap, p.weight_costly,
                                                  p.cheap_talk_ratio)]

    @staticmethod
    def _spread(evidence: np.ndarray, rows: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """Evidence of the replicates ``rows``, read with noise, zero in the others."""
        full = np.zeros_like(noise)
        full[rows] = evidence * noise[rows]
        return full

    def _evidence(self, acts, noise: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Evidence from acts suffered and observed, computed in the replicates where something
        happened and zero elsewhere."""
        r = acts.rows
        positive, negative = self._heard(acts, acts.costly[r], acts.cheap[r])
        return self._spread(positive, r, noise), self._spread(negative, r, noise)

    def _alignment(self, t: int, trust_change: np.ndarray) -> None:
        p, s, b = self._p2, self.state, self.base
        patron, challenger = b.patron, b.challenger
        china_share = s.trade[:, :, challenger] / (
            s.trade[:, :, challenger] + s.trade[:, :, patron] + 1e-12)
        economic_goal = hedging.economic_target(
            b.alignment_economic[None], b.economic_anchor[None], trust_change,
            s.grievance[:, :, patron], china_share, s.engagement[:, :, challenger],
            p.economic_trust_gain, p.wedge_pull, p.engagement_pull)
        security_goal = hedging.security_target(
            b.alignment_security[None], trust_change, s.threat - b.threat[None],
            s.alliance_support - b.alliance_support[None],
            s.entrapment_fear - self.initial_entrapment, p.security_trust_gain,
            p.security_threat_gain, p.security_support_gain, p.entrapment_gain,
            self._tightening())
        drift = (self._p3.alignment_noise * np.sqrt(3.0)  # the sd as set
                 * (2.0 * self._drift[:, t] - 1.0))
        s.alignment_economic = hedging.adjust(s.alignment_economic, economic_goal,
                                              p.economic_speed, drift[:, 0], b.poles)
        s.alignment_security = hedging.adjust(s.alignment_security, security_goal,
                                              p.security_speed, drift[:, 1], b.poles)

    def _tightening(self) -> np.ndarray | float:
        """The trade-off dilemma's pull toward the patron; none in the loosening one."""
        if self.structure.dilemma != "tradeoff":
            return 0.0
        return alliance_dilemma.tightening(self.state.abandonment_fear - self.initial_fear,
                                           self.base.dependence, self._p2.tightening_gain)

    def _fears(self) -> None:
        s, b = self.state, self.base
        in_patron = s.trust[:, :, b.patron]
        s.abandonment_fear = alliance_dilemma.abandonment(s.threat, b.dependence, in_patron)
        s.entrapment_fear = alliance_dilemma.entrapment(in_patron, s.crisis,
                                                        s.alignment_security,
                                                        self._p2.patron_exposure_floor)
        if self.structure.dilemma == "tradeoff" and hasattr(self, "initial_fear"):
            price = alliance_dilemma.entrapment_price(self._tightening(), s.crisis,
                                                      self._p2.patron_exposure_floor)
            s.entrapment_fear = np.minimum(s.entrapment_fear + price, 1.0)

    def _trust_change(self) -> np.ndarray:
        patron = self.base.patron
        return self.state.trust[:, :, patron] - self.base.trust[None, :, patron]

    def _capability(self, month: int) -> np.ndarray:
        """Capability shares, (N,) or (R, N) with a growth rate per replicate; revisionist
        capability grows (rise of China)."""
        rate = self.params.challenger_growth
        if isinstance(rate, np.ndarray):  # Python's pow per value: numpy's may differ in the
            growth = np.array([(1.0 + g) ** (month / 12.0) for g in rate])[:, None]  # last bit
        else:
            growth = (1.0 + rate) ** (month / 12.0)
        return np.where(self.base.hostile, self.base.capability * growth, self.base.capability)

    def _raw_threat(self) -> np.ndarray:
        b = self.base
        return threat.raw_threat(self.state.trust, self._capability(self.month), b.proximity,
                                 b.offensive, b.hostile)
