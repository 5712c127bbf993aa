"""Named random streams: one seed per run, one stream per purpose and replicate.

Replicate ``r`` of a run with root seed ``s`` draws stream ``name`` from
``SeedSequence(s, spawn_key=(r, stream_id(name)))``. So the numbers a replicate sees do not depend
on how many replicates run beside it, in which process, or which other events a scenario has:
adding an event adds a stream and shifts no other draw (common random numbers across scenarios).

Distinct names never share a stream: ``stream_id`` is the name's bytes read as one (large) integer,
which SeedSequence takes whole as 32-bit words, so distinct names give distinct spawn keys (a 32-bit
hash such as CRC32 gives "plumless" and "buckeroo" the same number). The replicate is one word, as
replicates are fewer than 2**32, so the pair (replicate, name) is never ambiguous either.
"""

from __future__ import annotations

import numpy as np

SEEDING = ("replicate r draws stream s from numpy SeedSequence(seed, spawn_key=(r, "
           "int.from_bytes(b'\\x01' + s.encode('utf-8'), 'big'))) with PCG64")


def stream_id(name: str) -> int:
    """A stable integer for a stream name, different for every name: its UTF-8 bytes, after a
    leading 1 (so leading zero bytes count), read as a big-endian number."""
    return int.from_bytes(b"\x01" + name.encode("utf-8"), "big")


def generator(root_seed: int, replicate: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` for one replicate."""
    seq = np.random.SeedSequence(int(root_seed), spawn_key=(int(replicate), stream_id(name)))
    return np.random.Generator(np.random.PCG64(seq))


class Streams:
    """Pre-drawn random numbers for a block of replicates.

    Draws are made once, per replicate, for the whole horizon, and stacked with the replicate as
    the first axis; each mechanism then reads its month's slice.
    """

    def __init__(self, root_seed: int, replicates: np.ndarray):
        self.root_seed = int(root_seed)
        self.replicates = np.asarray(replicates, dtype=np.int64)

    def uniform(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Uniform [0, 1) draws, shape ``(replicates, *shape)``.

        A replicate id that appears more than once (every point of a sweep has replicates
        0..k-1) is drawn once and repeated."""
        ids, position = np.unique(self.replicates, return_inverse=True)
        out = np.empty((len(ids), *shape))
        for k, r in enumerate(ids):
            generator(self.root_seed, r, name).random(out=out[k])
        if len(ids) == len(self.replicates) and np.array_equal(ids, self.replicates):
            return out
        return out[position]


# The model's own streams; each stochastic event or crisis adds ``event:<key>`` (whether it fires
# each month and, for a crisis, whether the patron honours its commitment).
PERCEPTION = "perception"
ALIGNMENT = "alignment"
