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


def entrapment(trust_in_patron: np.ndarray, crisis: np.ndarray, alignment_security: np.ndarray,
               exposure_floor: float):
    exposure = np.clip(exposure_floor + crisis.max(axis=1, keepdims=True), 0.0, 1.0)
    shared_interest = (1.0 + alignment_security) / 2.0
    return trust_in_patron * exposure * (1.0 - shared_interest)
