"""The model's mechanisms, one file each, as pure functions on arrays over replicates.

Reductions over actors are written as explicit loops over the (small) actor axis rather than
``einsum`` or matrix products, so a replicate's numbers do not depend on how many replicates are
computed beside it: the batched ensemble and one-at-a-time runs agree bit for bit.
"""
