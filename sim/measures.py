"""What the record keeps: the measures, their units, and the storage type.

Kept apart from :mod:`sim.engine.history` so an ensemble can be sized without importing the
model.
"""

import numpy as np

# Per-state measures, with units for tables and plots.
MEASURES: dict[str, str] = {
    "alignment_economic": "-1 challenger .. +1 patron",
    "alignment_security": "-1 challenger .. +1 patron",
    "hedging": "0 aligned .. 1 hedged",
    "mixed_signals": "0 axes agree .. 1 opposite poles",
    "threat": "0..1",
    "abandonment_fear": "0..1",
    "entrapment_fear": "0..1",
    "defence_spending": "% of GDP",
    "alliance_support": "share of public",
    "grievance_with_patron": "0..1",
    "trade_with_patron": "share of the state's trade",
    "trade_with_challenger": "share of the state's trade",
}
# Per-pair measures: row i's view of column j. (Grievance and trade are kept per pair in the
# model's state; the record keeps the columns that matter, with the patron and the challenger.)
DYADIC: dict[str, str] = {
    "trust": "share trusting (0..1)",
    "ties": "tie strength (0..1)",
}
STORAGE = np.float32
