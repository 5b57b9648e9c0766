"""Priority-rule construction with many rules and randomised restarts.

A station-oriented greedy: open a station, add the eligible task of
highest priority that fits, and open the next station when none fits.
The rules (positional weight, task time, number of followers, tail
bound, head bound) run forward and on the mirrored graph; seeded random
perturbations of them make the restarts. The improvement step is the
search itself (beam and depth-first BB&R in :mod:`.exact`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

if TYPE_CHECKING:
    from taktplan.balance.prepare import Prepared


@numba.njit(cache=True)
def construct(t, cap, pred_ptr, succ_ptr, succ_idx, prio):
    """Greedy line: returns (station of each task, station count)."""
    n, K = t.shape
    deg = np.diff(pred_ptr).copy()
    done = np.zeros(n, np.bool_)
    station_of = np.full(n, -1, np.int64)
    rem = cap.copy()
    station = 0
    left = n
    while left > 0:
        pick = -1
        for j in range(n):
            if done[j] or deg[j] != 0:
                continue
            fits = True
            for k in range(K):
                if t[j, k] > rem[k]:
                    fits = False
                    break
            if fits and (pick < 0 or prio[j] > prio[pick]):
                pick = j
        if pick < 0:
            station += 1
            for k in range(K):
                rem[k] = cap[k]
            continue
        done[pick] = True
        left -= 1
        station_of[pick] = station
        for k in range(K):
            rem[k] -= t[pick, k]
        for q in range(succ_ptr[pick], succ_ptr[pick + 1]):
            deg[succ_idx[q]] -= 1
    return station_of, station + 1


def priority_rules(prep: Prepared) -> list[np.ndarray]:
    """The deterministic priority vectors, larger first."""
    rel = (prep.times / prep.cap).sum(axis=1)
    followers = prep.closure.sum(axis=1).astype(np.float64)
    pw = prep.positional_weight
    eps = 1e-6
    return [
        pw + eps * rel,
        rel + eps * pw,
        followers + eps * pw,
        prep.tail + eps * pw,
        -prep.head + eps * pw,
        prep.tail + rel,
    ]


def greedy_lines(prep: Prepared, restarts: int, seed: int
                 ) -> tuple[np.ndarray, int]:
    """Best greedy line over the rules and ``restarts`` random variants.

    Parameters
    ----------
    prep
        The prepared instance (forward direction).
    restarts
        Randomised restarts after the deterministic rules.
    seed
        Seed of the perturbations.

    Returns
    -------
    (station_of, n_stations)
        Stations are 0-based and in line order.
    """
    rng = np.random.default_rng(seed)
    rules = priority_rules(prep)
    best_of: np.ndarray | None = None
    best = prep.n_tasks + 1
    for k in range(len(rules) + restarts):
        base = rules[k % len(rules)]
        if k >= len(rules):
            spread = np.ptp(base) + 1e-9
            prio = base + rng.uniform(0.0, 0.3, base.size) * spread
        else:
            prio = base
        station_of, m = construct(prep.times, prep.cap, prep.pred_ptr,
                                  prep.succ_ptr, prep.succ_idx,
                                  np.ascontiguousarray(prio, np.float64))
        if m < best:
            best, best_of = m, station_of
    assert best_of is not None
    return best_of, best
