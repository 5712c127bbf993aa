"""Calibration against surveys: the measurement model that reads each poll's construct off the
model's trust (``measurement``), the survey targets (``targets``), ABC rejection over batched
parameter points (``abc``), the fit on the first Trump term that writes the posterior and the
defaults (``calibrate``), and the calibrated posterior played forward into predictions for the
2025 polls (``predict``)."""
