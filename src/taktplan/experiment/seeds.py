"""Seeds of replications: one SeedSequence, spawned per point and run.

Replication ``r`` of design point ``p`` always draws from
``SeedSequence(seed, spawn_key=(p, r))``, whichever process runs it and
in whatever order: that is what makes a sweep on a cluster give the same
numbers as one in a single process, and a resumed sweep the same numbers
as an uninterrupted one.
"""

from __future__ import annotations

import numpy as np


def replication_seed(seed: int, point: int,
                     replication: int) -> np.random.SeedSequence:
    """The SeedSequence of replication ``replication`` of point ``point``.

    It is the grandchild ``SeedSequence(seed).spawn(P)[point]
    .spawn(R)[replication]``, built directly so that no process needs
    the whole tree.
    """
    return np.random.SeedSequence(seed, spawn_key=(point, replication))
