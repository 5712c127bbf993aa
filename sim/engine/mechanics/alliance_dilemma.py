"""The alliance security dilemma (Snyder 1984): fear of abandonment and fear of entrapment.

abandonment_i = threat_i x dependence_i x (1 - T[i, patron])
entrapment_i  = T[i, patron] x patron's conflict exposure x (1 - shared interest_i)
Shared interest is the ally's security alignment mapped to [0, 1]; the patron's exposure is a floor
(``patron_exposure_floor``; a global power is always somewhat exposed) plus the most salient
crisis.
"""

from __future__ import annotations

import numpy as np


def abandonment(threat: np.ndarray, dependence: np.ndarray, trust_in_patron: np.ndarray):
    return threat * dependence[None] * (1.0 - trust_in_patron)


def exposure(crisis: np.ndarray, exposure_floor: float) -> np.ndarray:
    """The patron's conflict exposure: the floor plus the most salient crisis, (R, 1)."""
    return np.clip(exposure_floor + crisis.max(axis=1, keepdims=True), 0.0, 1.0)


def entrapment(trust_in_patron: np.ndarray, crisis: np.ndarray, alignment_security: np.ndarray,
               exposure_floor: float):
    exposure_ = exposure(crisis, exposure_floor)
    shared_interest = (1.0 + alignment_security) / 2.0
    return trust_in_patron * exposure_ * (1.0 - shared_interest)


def tightening(abandonment_rise: np.ndarray, dependence: np.ndarray, gain: float) -> np.ndarray:
    """The trade-off structure (Snyder 1984): an ally that fears abandonment more than at the
    start pulls its security alignment toward the patron, the more the more it depends on it
    (the weaker ally); the closer alignment in turn raises its fear of entrapment."""
    return gain * dependence[None] * np.maximum(abandonment_rise, 0.0)


def entrapment_price(tightening_: np.ndarray, crisis: np.ndarray,
                     exposure_floor: float) -> np.ndarray:
    """The price of tightening (Snyder 1984): a commitment drawn tighter out of fear rather than
    shared interest binds the ally to the patron's conflicts, adding exposure x tightening to its
    fear of entrapment."""
    return exposure(crisis, exposure_floor) * tightening_
