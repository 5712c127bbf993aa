"""Analyses over ensembles.

At the top, what every analysis reads a run with: ``tables`` (tidy table and quantiles),
``outcomes`` (named scalars per replicate), ``event_record`` (which events moved anything), and
the paired comparisons of scenarios, ``compare`` and ``attribute`` (counterfactuals). Below them,
one subpackage per concept: ``calibration`` (fitting to polls and predicting them),
``experiments`` (designs, sweeps and what they say about the inputs) and ``patterns`` (the
pattern-oriented checks). Nothing is imported here: import the module you need.
"""
