"""Analyses over ensembles: tables, patterns, calibration, comparison and attribution."""
