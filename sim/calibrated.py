"""Calibrated parameter values: written by `python -m sim calibrate --write`; do not edit by hand.

The fit plays `scenarios/trump_first_term.yml` and matches the first-term survey moves listed in FIT.
"""

CALIBRATED = {
    "forgetting": 0.96,
    "weight_costly": 12.0,
    "economic_speed": 0.12,
    "opinion_speed": 0.03,
}

FIT = {
    "data": "placeholder values before the first calibration run",
    "rmse_points": float("nan"),
    "targets": [],
    "date": "",
}
