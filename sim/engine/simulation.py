"""The numeric core of the alliance model: a block of replicates stepped in arrays.

:class:`Simulation` holds the state in arrays with the replicate as first axis
(:mod:`sim.engine.world`) and steps them month by month. It is the one implementation of the
model: ensembles run it directly (:mod:`sim.engine.ensemble`), and the Mesa model
(:mod:`sim.engine.model`) delegates every step to it. A block of one replicate is the
straightforward one-at-a-time path; the tests prove that both give the same numbers bit for bit.
"""

from __future__ import annotations

import numpy as np

from sim import checks
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
    """

    def __init__(self, scenario: Scenario, seed: int | None = None,
                 replicates: int | None = None, first_replicate: int = 0,
                 out: dict[str, np.ndarray] | None = None):
        self.scenario = scenario
        seed = checks.seed(scenario.seed if seed is None else seed)
        count = checks.count("replicates", scenario.replicates if replicates is None
                             else replicates)
        first_replicate = checks.count("first_replicate", first_replicate, minimum=0)
        self.root_seed = seed
        self.months = scenario.horizon_months
        self.month = 0  # months stepped so far
        self.replicate_ids = np.arange(first_replicate, first_replicate + count)
        self.params = scenario.parameters
        self.base: Baseline = build_baseline(scenario)
        self.state: State = initial_state(self.base, count, self.params.prior_strength)
        streams = Streams(seed, self.replicate_ids)
        self.schedule = EventSchedule(scenario.events, self.base, streams, self.months)
        n = self.base.size
        self._perception = streams.uniform(PERCEPTION, (self.months, n, n))
        self._drift = streams.uniform(ALIGNMENT, (self.months, 2, n))
        self._trade_target = np.repeat(self.base.trade[None], count, axis=0)  # no tariffs yet
        self._prior_for = self.base.trust * self.params.prior_strength
        self._prior_against = (1.0 - self.base.trust) * self.params.prior_strength
        self._observers = observation.similarity(self.base.dependence, self.base.like_minded,
                                                 self.base.commitment,
                                                 self.params.observed_other_tier)
        self._tie_basis = spokes.basis(self.base.ties, self.base.proximity, self.base.hostile,
                                       self.base.like_minded)
        self._fears()
        self.initial_fear = self.state.abandonment_fear[0].copy()
        self.initial_entrapment = self.state.entrapment_fear[0].copy()
        self.raw_threat_initial = self._raw_threat()[0].copy()
        self.history = History(self.base.codes, count, self.months, self.base.patron,
                               self.base.challenger, out)
        self.history.record(0, self.state)

    @property
    def over(self) -> bool:
        """Whether the horizon is reached."""
        return self.month >= self.months

    def step(self) -> None:
        """One month, in this order:

        1. events: the month's events become acts (tariffs set, demands made, crises met);
        2. economy: grievance from economic harm; trade diverts from active tariffs; diplomatic
           engagement decays and grows with re-engagement;
        3. reputation: trust updates from acts suffered and acts observed on similar states;
        4. threat: Walt's threat from power, proximity, offence and distrust, plus crises;
        5. fears: abandonment and entrapment (Snyder 1984);
        6. alignment: economic axis fast, security axis slow, toward their targets;
        7. ties: spoke-to-spoke ties grow with shared fear (Cha 2000) and agreements;
        8. defence: spending moves toward plan, self-help and the conceded share of demands;
        9. opinion: public alliance support follows trust, slowly;
        10. record the month.
        """
        t = self.month
        if t >= self.months:
            raise RuntimeError(f"the scenario's horizon of {self.months} months is over")
        self.month = t + 1
        p, s, b = self.params, self.state, self.base
        acts = self.schedule.acts(t, s, p)
        self._economy(acts)
        self._reputation(t, acts)
        s.crisis = threat.crisis_salience(s.crisis, acts.crisis, b.proximity, p.crisis_decay)
        s.threat = threat.threat(self._raw_threat(), self.raw_threat_initial, b.threat, s.crisis)
        self._fears()
        trust_change = self._trust_change()  # in the patron, since the start
        self._alignment(t, trust_change)
        s.ties = spokes.update(s.ties, b.ties, s.abandonment_fear, self.initial_fear, s.threat,
                               self._tie_basis, acts.ties, p.tie_growth, p.tie_decay)
        goal = defence.target(b.defence_plan[t + 1], s.abandonment_fear, self.initial_fear,
                              s.demand, b.reactance, p.self_help, p.compliance)
        s.defence_spending = defence.adjust(s.defence_spending, goal, b.defence_ceiling,
                                            p.defence_speed, p.defence_max_ramp)
        s.alliance_support = opinion.update(s.alliance_support, b.alliance_support,
                                            trust_change, p.opinion_speed,
                                            p.opinion_trust_gain)
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
        p, s, b = self.params, self.state, self.base
        grievance, engagement = s.grievance, s.engagement
        s.grievance = grievance * (1.0 - p.grievance_decay)
        s.engagement = engagement * (1.0 - p.engagement_decay)
        if not acts.quiet:
            r = acts.rows
            s.grievance[r] = economy.grievance(grievance[r], acts.economic_harm[r],
                                               p.grievance_gain, p.grievance_decay)
            s.engagement[r] = np.minimum(s.engagement[r] + acts.engagement[r], 1.0)
            self._trade_target[r] = economy.trade_target(b.trade, s.tariff_severity[r],
                                                         p.trade_elasticity)
        s.trade = economy.trade(s.trade, self._trade_target, p.trade_speed)

    def _reputation(self, t: int, acts) -> None:
        p, s, b = self.params, self.state, self.base
        noise = reputation.perception_noise(self._perception[:, t], p.perception_noise)
        positive = negative = 0.0  # a quiet month: no evidence beyond the routine flow
        if not acts.quiet:
            positive, negative = self._evidence(acts, noise)
        reputation.update(s.evidence_for, s.evidence_against, self._prior_for,
                          self._prior_against, positive, negative, p.forgetting,
                          p.negativity_bias, noise)
        trust = reputation.trust(s.evidence_for, s.evidence_against)
        if p.press_weight > 0:
            ratio = np.divide(self._capability(t + 1), b.capability,
                              out=np.ones(b.size), where=b.capability > 0)
            rival = reputation.current_calculus(b.trust, ratio[None, :])
            trust = (1.0 - p.press_weight) * trust + p.press_weight * rival[None]
        idx = np.arange(b.size)
        trust[:, idx, idx] = 1.0
        s.trust = trust

    def _evidence(self, acts, noise: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Evidence from acts suffered and observed, computed in the replicates where something
        happened and zero elsewhere."""
        p, r = self.params, acts.rows
        out = []
        for direct in reputation.evidence(acts.costly[r], acts.cheap[r], p.weight_costly,
                                          p.cheap_talk_ratio):
            seen = observation.observed(direct, self._observers)
            full = np.zeros_like(noise)
            full[r] = (direct + p.weight_observed * seen) * noise[r]
            out.append(full)
        return out[0], out[1]

    def _alignment(self, t: int, trust_change: np.ndarray) -> None:
        p, s, b = self.params, self.state, self.base
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
            s.entrapment_fear - self.initial_entrapment[None], p.security_trust_gain,
            p.security_threat_gain, p.security_support_gain, p.entrapment_gain)
        drift = p.alignment_noise * np.sqrt(3.0) * (2.0 * self._drift[:, t] - 1.0)  # sd as set
        s.alignment_economic = hedging.adjust(s.alignment_economic, economic_goal,
                                              p.economic_speed, drift[:, 0], b.poles)
        s.alignment_security = hedging.adjust(s.alignment_security, security_goal,
                                              p.security_speed, drift[:, 1], b.poles)

    def _fears(self) -> None:
        s, b = self.state, self.base
        in_patron = s.trust[:, :, b.patron]
        s.abandonment_fear = alliance_dilemma.abandonment(s.threat, b.dependence, in_patron)
        s.entrapment_fear = alliance_dilemma.entrapment(in_patron, s.crisis,
                                                        s.alignment_security,
                                                        self.params.patron_exposure_floor)

    def _trust_change(self) -> np.ndarray:
        patron = self.base.patron
        return self.state.trust[:, :, patron] - self.base.trust[None, :, patron]

    def _capability(self, month: int) -> np.ndarray:
        """Capability shares; revisionist capability grows (rise of China)."""
        growth = (1.0 + self.params.challenger_growth) ** (month / 12.0)
        return np.where(self.base.hostile, self.base.capability * growth, self.base.capability)

    def _raw_threat(self) -> np.ndarray:
        b = self.base
        return threat.raw_threat(self.state.trust, self._capability(self.month), b.proximity,
                                 b.offensive, b.hostile)
