"""Side-aware lower bounds for two-sided lines.

With ``K`` operators per side and cycle ``c`` a mated station does at
most ``K c`` of left-only work, ``K c`` of right-only work and ``2 K c``
in all, so the stations needed for work ``W`` of which ``W_L`` is
left-only and ``W_R`` right-only are at least
``ceil(max(W_L, W_R, W / 2) / (K c))`` (the either-side work is shared).
Two more: tasks longer than ``c / 2`` cannot share a position (the
bin-packing bound, per side), and a chain of tasks runs one after the
other inside a station whatever the sides, so no station holds more
than ``c`` of any precedence path.
"""

from __future__ import annotations

import math

import numpy as np

from taktplan.balance.twosided.problem import LEFT, RIGHT, TwoSidedProblem


def longest_path(problem: TwoSidedProblem) -> int:
    """The largest total task time of a precedence chain."""
    t = problem.times
    head = t.astype(np.int64).copy()
    succ: list[list[int]] = [[] for _ in range(problem.n_tasks)]
    for a, b in problem.arcs:
        succ[int(a)].append(int(b))
    for i in problem.topological_order:
        for j in succ[int(i)]:
            head[j] = max(head[j], head[int(i)] + t[j])
    return int(head.max())


def stations_bound(problem: TwoSidedProblem, c: int) -> int:
    """Lower bound on the (mated) stations at cycle time ``c``."""
    t = problem.times
    k = problem.operators_per_side
    w = int(t.sum())
    if not problem.two_sided:
        per = k * c
        n_big = float((t > c / 2).sum() + 0.5 * (2 * t == c).sum())
        return max(1, math.ceil(w / per), math.ceil(n_big / k - 1e-9),
                   math.ceil(longest_path(problem) / c),
                   int(problem.group_station.max()) + 1)
    s = problem.sides
    wl = int(t[s == LEFT].sum())
    wr = int(t[s == RIGHT].sum())
    per = k * c
    work = math.ceil(max(wl, wr, w / 2) / per - 1e-9)

    def big(mask: np.ndarray) -> float:
        return float((t[mask] > c / 2).sum() + 0.5 * (2 * t[mask] == c).sum())

    bl, br, ball = big(s == LEFT), big(s == RIGHT), big(np.ones_like(s, bool))
    packing = math.ceil(max(bl, br, ball / 2) / k - 1e-9)
    extra = 0
    if problem.extra_times is not None:
        for d, cap in enumerate(problem.extra_limits):
            td = problem.extra_times[:, d]
            extra = max(extra, math.ceil(max(
                int(td[s == LEFT].sum()), int(td[s == RIGHT].sum()),
                int(td.sum()) / 2) / (k * cap) - 1e-9))
    return max(1, work, packing, extra, math.ceil(longest_path(problem) / c),
               int(problem.group_station.max()) + 1)


def operators_bound(problem: TwoSidedProblem, c: int, n_stations: int) -> int:
    """Lower bound on staffed positions of a line with ``n_stations``
    stations at cycle ``c``, each station staffed (fewest stations)."""
    t = problem.times
    w = int(t.sum())
    if not problem.two_sided:
        return max(n_stations, math.ceil(w / c))
    s = problem.sides
    wl = int(t[s == LEFT].sum())
    wr = int(t[s == RIGHT].sum())
    pl, pr = math.ceil(wl / c), math.ceil(wr / c)
    spare = pl * c - wl + pr * c - wr
    rest = max(0, w - wl - wr - spare)
    return max(n_stations, math.ceil(w / c), pl + pr + math.ceil(rest / c))


def cycle_bound(problem: TwoSidedProblem, n_stations: int) -> int:
    """Lower bound on the cycle time with ``n_stations`` stations: the
    least ``c`` whose station bound is within ``n_stations``."""
    t = problem.times
    lo = max(1, int(t.max()))
    hi = max(lo, int(t.sum()))
    while lo < hi:
        mid = (lo + hi) // 2
        if stations_bound(problem, mid) <= n_stations:
            hi = mid
        else:
            lo = mid + 1
    return lo


def cycle_for(problem: TwoSidedProblem) -> int:
    """Smallest cycle any line can have (the longest task)."""
    return max(1, int(problem.times.max()))


__all__ = ["cycle_bound", "cycle_for", "longest_path", "operators_bound",
           "stations_bound"]
