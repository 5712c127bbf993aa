"""Experiments over the uncertain inputs: which values the inputs take (``design`` for a sweep's
points, ``uncertainty`` for draws per replicate in an ordinary run), running a design's points in
chunks (``sweep``) and reading the folder a sweep writes (``sweep_reader``), and what the
outcomes say about the inputs: global sensitivity (``sensitivity``) and scenario discovery with
PRIM (``discovery``, over the ``conditions`` a user writes)."""
