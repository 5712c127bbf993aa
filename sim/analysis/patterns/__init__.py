"""Pattern-oriented modelling (Grimm et al. 2005): the declared table of patterns, their
thresholds and controls (``table``), how each pattern is read off an ensemble and its
counterfactual variants (``readings``), the report across noise, parameter uncertainty and
controls (``report``), and the rival model structures compared on those patterns and on the
calibration fit (``structures``)."""
