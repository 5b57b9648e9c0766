"""A precedence-aware lower bound: which long tasks may share a station.

A station holds at most two tasks longer than a third of the cycle (three
would exceed it), so a line of ``m`` stations pairs the ``L`` long tasks
into at least ``L - m`` shared stations, and those pairs form a matching
of the graph whose edges are the pairs that *can* share a station:

- the two times fit, ``t_i + t_j <= c``;
- when ``i`` precedes ``j`` every task between them (a follower of ``i``
  and a predecessor of ``j``) is on the same station too, so their times
  count as well: ``t_i + t_j + sum_{i < k < j} t_k <= c``.

Hence ``m >= L - nu`` with ``nu`` the largest matching, and ``nu`` is at
most the largest *fractional* matching, half the largest matching of the
graph's bipartite double cover (each task once on each side). The bin
packing bounds of :mod:`.prepare` (L2, Fekete & Schepers) count the same
pairs without precedence, so on lines where most tasks take about half a
cycle and precedence is dense, this bound is far above them (generated
lines of 1,000 tasks, order strength 0.9, times N(0.5c, 0.15c): 525, 520
and 550 against 515, 511 and 527; the optima of the 100-task ones are
59, 66 and 57, this bound 58, 64 and 56).
"""

from __future__ import annotations

import numba
import numpy as np

#: Interval sums are computed in float32 (exact below this) when the
#: times allow it, else in float64.
FLOAT32_EXACT = 1 << 24


def between_sums(closure: np.ndarray, times: np.ndarray,
                 tasks: np.ndarray) -> np.ndarray:
    """``S[a, b]``: total time of the tasks strictly between ``tasks[a]``
    and ``tasks[b]`` (followers of the first, predecessors of the
    second); 0 unless ``tasks[a]`` precedes ``tasks[b]``."""
    dtype = np.float32 if int(times.sum()) < FLOAT32_EXACT else np.float64
    after = closure[tasks].astype(dtype) * times.astype(dtype)[None, :]
    before = closure[:, tasks].astype(dtype)
    return np.rint(after @ before).astype(np.int64)


def can_share(closure: np.ndarray, times: np.ndarray, cap: int,
              tasks: np.ndarray) -> np.ndarray:
    """Boolean ``(k, k)``: whether ``tasks[a]`` and ``tasks[b]`` can be on
    one station (their times and those of every task between them fit
    the cycle ``cap``); never a task with itself."""
    between = between_sums(closure, times, tasks)
    t = times[tasks].astype(np.int64)
    ok = t[:, None] + t[None, :] + between + between.T <= cap
    np.fill_diagonal(ok, False)
    return ok


@numba.njit(cache=True)
def double_cover_matching(adj: np.ndarray) -> int:
    """The largest matching of the bipartite graph ``adj`` (rows on one
    side, columns on the other): greedy, then augmenting paths (an
    iterative depth-first search per free row)."""
    k, cols = adj.shape
    mate_row = np.full(k, -1, np.int64)
    mate_col = np.full(cols, -1, np.int64)
    size = 0
    for r in range(k):
        for c in range(cols):
            if adj[r, c] and mate_col[c] < 0:
                mate_row[r] = c
                mate_col[c] = r
                size += 1
                break
    seen = np.full(cols, -1, np.int64)
    stack_r = np.empty(k + 1, np.int64)
    stack_c = np.empty(k + 1, np.int64)  # next column to try per level
    via = np.empty(k + 1, np.int64)  # column taken to reach each level
    for root in range(k):
        if mate_row[root] >= 0:
            continue
        depth = 0
        stack_r[0] = root
        stack_c[0] = 0
        found = False
        while depth >= 0 and not found:
            r = stack_r[depth]
            advanced = False
            while stack_c[depth] < cols:
                c = stack_c[depth]
                stack_c[depth] += 1
                if not adj[r, c] or seen[c] == root:
                    continue
                seen[c] = root
                via[depth] = c
                if mate_col[c] < 0:
                    found = True
                    break
                depth += 1
                stack_r[depth] = mate_col[c]
                stack_c[depth] = 0
                advanced = True
                break
            if found:
                break
            if not advanced:
                depth -= 1
        if found:
            # flip the path: row stack_r[d] takes column via[d]
            for d in range(depth, -1, -1):
                r = stack_r[d]
                c = via[d]
                mate_row[r] = c
                mate_col[c] = r
            size += 1
    return size


def pair_bound(closure: np.ndarray, times: np.ndarray, cap: int) -> int:
    """Fewest stations by the long tasks that can share one.

    Parameters
    ----------
    closure
        ``closure[i, j]`` when task ``i`` must precede task ``j``.
    times
        Task times ``(n,)`` (incremented times are fine: a task that can
        share a station with none is then a whole cycle).
    cap
        The cycle time.

    Returns
    -------
    int
        ``L - floor(M / 2)``: ``L`` tasks longer than ``cap / 3``, ``M``
        the largest matching of the double cover of their can-share graph
        (:func:`can_share`); a lower bound on the stations of any line.
    """
    times = np.asarray(times, dtype=np.int64)
    long = np.flatnonzero(3 * times > cap)
    if long.size == 0:
        return 0
    ok = can_share(closure, times, int(cap), long)
    return int(long.size - double_cover_matching(ok) // 2)
