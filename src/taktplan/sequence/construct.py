"""A greedy constructive heuristic for car sequencing.

Position by position, place a car of the class that adds the fewest
violations in the windows ending here; ties go to the class that uses
the tightest options most (the "dynamic sum of utilisation rates" rule
of Gottlieb, Puchta & Solnon 2003), then to random order (seeded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.sequence.instance import CarSequencingInstance


def greedy_sequence(
    instance: CarSequencingInstance, *, seed: int
) -> np.ndarray:
    """Build a sequence greedily.

    Parameters
    ----------
    instance
        The problem.
    seed
        Seed for breaking exact ties.

    Returns
    -------
    ``(n_cars,)`` class index per position.
    """
    rng = np.random.default_rng(seed)
    n = instance.n_cars
    opts = instance.options
    p = instance.p
    q = instance.q
    remaining = instance.class_counts.copy()
    seq = np.empty(n, dtype=np.int64)
    noise = rng.random(instance.n_classes) * 1e-9
    for t in range(n):
        left = n - t
        demand = remaining @ opts
        # Utilisation of each option over what is left to place.
        util = demand * q / np.maximum(p * left, 1)
        score = opts @ util
        added = np.zeros(instance.n_classes, dtype=np.int64)
        for k in range(instance.n_options):
            qk = int(q[k])
            lo = max(0, t - qk + 1)
            inside = int(opts[seq[lo:t], k].sum())
            # Counts in a window only grow, so a partial window already
            # over p will be over p once full.
            added += opts[:, k] * (inside + 1 > p[k])
        key = added * 1e6 - score - noise
        key[remaining == 0] = np.inf
        c = int(np.argmin(key))
        seq[t] = c
        remaining[c] -= 1
    return seq
