"""Trust as reputation with forgetting: a Beta reputation over cooperative and defecting acts.

Kydd 2005 (trust as a belief about another's type); Josang & Ismail 2002 (Beta reputation with
forgetting); Crescenzi et al. 2012 (reputations decay). Trust T = a / (a + b). Each month past
evidence is discounted by ``forgetting`` and a routine flow restores the surveyed level (the
baseline of everyday cooperation), so without events trust stays at its initial level and after
shocks it drifts back at the rate of forgetting. Costly acts weigh more than cheap talk
(Fearon 1997); negative evidence weighs more than positive (Slovic 1993), so trust falls faster than
it is rebuilt. In a Beta belief a unit of cooperation moves trust by b/n^2 and a unit of defection
by a/n^2, so with a multiplier k on defections one defection outweighs one cooperation wherever
trust is above 1/(1 + k) (a third, for k = 2). Below that, good news is more informative than bad
to a state that expects little, and the asymmetry comes from the dynamics instead: shocks arrive
together and are costly, while rebuilding waits on routine cooperation and forgetting (pattern 7).
A variant that scaled k by b/a to force the asymmetry at every level drove trust toward zero under
a string of shocks (Japan's trust to about a tenth in 2025, below anything allied polls have
recorded), so it was dropped.
"""

from __future__ import annotations

import numpy as np


def evidence(costly: np.ndarray, cheap: np.ndarray, weight_costly: float,
             cheap_talk_ratio: float) -> tuple[np.ndarray, np.ndarray]:
    """Split signed acts into cooperative and defecting evidence (pseudo-acts)."""
    weight_cheap = weight_costly * cheap_talk_ratio
    positive = weight_costly * np.maximum(costly, 0.0) + weight_cheap * np.maximum(cheap, 0.0)
    negative = weight_costly * np.maximum(-costly, 0.0) + weight_cheap * np.maximum(-cheap, 0.0)
    return positive, negative


def update(evidence_for: np.ndarray, evidence_against: np.ndarray, prior_for: np.ndarray,
           prior_against: np.ndarray, positive: np.ndarray, negative: np.ndarray,
           forgetting: float, negativity_bias: float,
           routine_noise: np.ndarray | None = None) -> None:
    """One month of the Beta update, in place.

    a <- forgetting * a + (1 - forgetting) * a0 * noise + positive
    b <- forgetting * b + (1 - forgetting) * b0 + negativity_bias * negative

    The routine flow of cooperation a0 (the everyday working of the relationship) is read with
    noise; it is what makes replicates without events differ.
    """
    flow_for = (1.0 - forgetting) * prior_for
    flow_against = (1.0 - forgetting) * prior_against
    if routine_noise is not None:
        flow_for = flow_for * routine_noise
    evidence_for *= forgetting
    evidence_for += flow_for + positive
    evidence_against *= forgetting
    evidence_against += flow_against + negativity_bias * negative


def trust(evidence_for: np.ndarray, evidence_against: np.ndarray) -> np.ndarray:
    """Expected reliability under the Beta belief."""
    return evidence_for / (evidence_for + evidence_against)


def spill(economic: list[np.ndarray], security: list[np.ndarray],
          spillover: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per-domain reputation: each domain's evidence, plus ``spillover`` of the other's.

    Arguments and results are [positive, negative] lists. With spill-over 1 each domain hears all
    the news (and for news of one domain the two books agree with the pooled one); with 0 a
    breach of trade commitments says nothing about security ones.
    """
    return ([e + spillover * s for e, s in zip(economic, security, strict=True)],
            [s + spillover * e for e, s in zip(economic, security, strict=True)])


def combined(economic_trust: np.ndarray, security_trust: np.ndarray) -> np.ndarray:
    """Trust as recorded under per-domain reputation: the mean of the two domains (the surveys
    ask whether the US can be trusted, not in which domain)."""
    return (economic_trust + security_trust) / 2.0


def drift_reference(reference: np.ndarray, trust: np.ndarray, rate: float) -> np.ndarray:
    """A drifting anchor: the trust routine cooperation restores moves ``rate`` of the way to
    present trust each month, so damage (and repair) can last (issue 8: the long-term effect)."""
    return reference + rate * (trust - reference)


def current_calculus(initial_trust: np.ndarray, capability_ratio: np.ndarray,
                     stake_ratio: np.ndarray) -> np.ndarray:
    """Press 2005's rival rule: credibility judged from present power and interests, not past acts.

    ``capability_ratio`` is the trustee's capability now over its initial capability; the
    interests part is ``stake_ratio[i, j]``, the trustee j's present stake in the truster i over
    its initial stake, read from their trade (i's trade share with j now over at the start). The
    patron's own acts move that stake (its tariffs divert trade and lower it), but a remark, a
    broken promise to a third party, or a summit does not, which is the rule's claim: what a
    state did elsewhere says nothing about what it will do here (Press 2005, ch. 1).
    """
    return np.clip(initial_trust * capability_ratio * stake_ratio, 0.0, 1.0)


def perception_noise(u: np.ndarray, sd: float) -> np.ndarray:
    """Mean-one multiplicative noise with standard deviation ``sd`` from uniform [0, 1) draws.

    Uniform rather than log-normal: bounded, positive for sd < 1/sqrt(3), and cheap to draw; for
    the ensemble bands only its mean and spread matter.
    """
    return 1.0 + sd * np.sqrt(3.0) * (2.0 * u - 1.0)
