"""A lower bound from every load a station may hold: the covering LP.

A station's tasks form a *convex* set of the precedence order (with two
of them on it, every task between them is too) whose times fit the
cycle. Any line covers each task by one such load, so the number of
stations is at least the optimum of the linear programme

    min sum_S x_S  subject to  sum_{S containing j} x_S >= 1,  x >= 0,

over the feasible convex loads ``S``; by duality at least ``sum_j y_j``
for any weights ``y >= 0`` with ``sum_{j in S} y_j <= 1`` on every load.
This is the pair bound of :mod:`.pairs` with all tasks and loads of any
size, but still without the order of the stations, so it is at most
what any relaxation that ignores that order can give (generated
1,000-task lines, middle times, order strength 0.9: 525, 521.5 and
549.5 against the pair bound's 525, 520 and 550; 0.6: 500.9, 522.0 and
512.5 against 495, 522 and 513).

The loads are enumerated (:func:`convex_loads`) only while there are
few of them (:data:`MAX_LOADS`, a count of loads, so the bound is the
same on every machine): dense orders of long tasks have some 10**5, a
line of short tasks astronomically many, and then the bound is skipped.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

#: Loads (convex sets that fit the cycle) enumerated at most; above it
#: :func:`cover_bound` gives up (returns 0).
MAX_LOADS = 300_000

#: Loads enumerated at most on lines below :data:`.upper.LARGE_TASKS`
#: tasks, where the exact search usually proves the line anyway: the
#: bound then costs milliseconds (generated 100-task lines, middle
#: times: 0.02-0.06 s; bottlenecks OS 0.6 seed 1, 2,374 loads, is
#: proved by it at the root, 51 stations, where the search alone ended
#: at bound 49 after 22.6 s of CPU). On Scholl's 269 it runs on 188,
#: 1.0 s of CPU in all, and raises the root bound on 23 (at 20,000
#: loads: 3.5 s, 32).
MAX_LOADS_SMALL = 5_000

#: Slack of the LP optimum before rounding up (it is a float).
ROUND_SLACK = 1e-6


@numba.njit(cache=True)
def convex_loads(times: np.ndarray, cap: int, closure: np.ndarray,
                 pred_ptr: np.ndarray, pred_idx: np.ndarray,
                 order: np.ndarray, max_loads: int
                 ) -> tuple[np.ndarray, np.ndarray, int]:
    """The maximal-by-extension convex loads, as CSR rows of tasks.

    Depth-first in the linear extension ``order``: a task joins a load
    only after all its members in that order, so it is maximal in the
    new load, and the load stays convex exactly when each immediate
    predecessor of the task is in the load or follows no member of it.
    Every convex load is reached (drop its last member in ``order``: the
    rest is convex). A load is kept when no later task extends it (its
    subsets' constraints follow from it since weights are >= 0).
    Returns ``(ptr, idx, nodes)``; ``nodes`` is -1 when more than
    ``max_loads`` loads were visited (the rows are then incomplete).
    """
    n = times.size
    in_load = np.zeros(n, np.bool_)
    members = np.empty(n + 1, np.int64)
    nxt = np.empty(n + 2, np.int64)
    grew = np.zeros(n + 2, np.bool_)
    ptr = [0]
    idx: list[int] = []
    nodes = 0
    for r0 in range(n):
        a = order[r0]
        members[0] = a
        in_load[a] = True
        used = times[a]
        depth = 1
        nxt[1] = r0 + 1
        grew[1] = False
        nodes += 1
        while depth >= 1:
            if nxt[depth] >= n:
                if not grew[depth]:
                    for d in range(depth):
                        idx.append(members[d])
                    ptr.append(len(idx))
                depth -= 1
                m = members[depth]
                in_load[m] = False
                used -= times[m]
                continue
            r = nxt[depth]
            nxt[depth] += 1
            k = order[r]
            if used + times[k] > cap:
                continue
            ok = True
            for q in range(pred_ptr[k], pred_ptr[k + 1]):
                p = pred_idx[q]
                if in_load[p]:
                    continue
                for d in range(depth):
                    if closure[members[d], p]:
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                continue
            nodes += 1
            if nodes > max_loads:
                return (np.array(ptr, np.int64), np.array(idx, np.int64),
                        -1)
            grew[depth] = True
            members[depth] = k
            in_load[k] = True
            used += times[k]
            depth += 1
            nxt[depth] = r + 1
            grew[depth] = False
    return np.array(ptr, np.int64), np.array(idx, np.int64), nodes


def cover_bound(closure: np.ndarray, times: np.ndarray, cap: int,
                pred_ptr: np.ndarray, pred_idx: np.ndarray,
                max_loads: int = MAX_LOADS) -> int:
    """Fewest stations by the covering LP over convex loads.

    Parameters
    ----------
    closure
        ``closure[i, j]`` when task ``i`` must precede task ``j``.
    times
        Task times ``(n,)`` (incremented times are fine).
    cap
        The cycle time.
    pred_ptr, pred_idx
        Immediate predecessors (CSR), as in :class:`.prepare.Prepared`.
    max_loads
        Loads to enumerate at most; more, and the bound is skipped.

    Returns
    -------
    int
        ``ceil`` of the dual weights' total after scaling them to be
        feasible on every load (so float error cannot overstate it); 0
        when the loads are too many.
    """
    times = np.ascontiguousarray(times, dtype=np.int64)
    n = times.size
    if n == 0:
        return 0
    # More predecessors come later: a linear extension.
    order = np.argsort(closure.sum(axis=0), kind="stable").astype(np.int64)
    ptr, idx, nodes = convex_loads(times, int(cap), closure, pred_ptr,
                                   pred_idx, order, int(max_loads))
    if nodes < 0:
        return 0
    loads = csr_matrix((np.ones(idx.size), idx, ptr),
                       shape=(ptr.size - 1, n))
    res = linprog(-np.ones(n), A_ub=loads, b_ub=np.ones(ptr.size - 1),
                  bounds=(0, None), method="highs")
    if res.status != 0:
        return 0
    y = np.maximum(np.asarray(res.x, dtype=np.float64), 0.0)
    worst = float((loads @ y).max())
    total = float(y.sum()) / max(1.0, worst)
    return math.ceil(total - ROUND_SLACK)
