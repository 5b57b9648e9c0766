"""Compile the balancing kernels before any clock starts.

numba compiles a kernel on its first call (or loads it from its cache).
Inside a time-limited search that first call would eat the budget, so a
cold process would search less than a warm one and could return a
different line for the same input. :func:`warm_up` runs every kernel
once on a tiny instance whose search cannot be skipped.
"""

from __future__ import annotations

import time

import numpy as np

_started = False


def warm_up() -> float:
    """Run each search kernel once on a 4-task instance; seconds spent.

    Only the first call in a process does any work (the solvers call it
    before starting their clocks; it calls them in turn).
    """
    global _started
    if _started:
        return 0.0
    _started = True
    from taktplan.balance.exact import (
        run_search,
        search_both,
        solve_salbp1,
    )
    from taktplan.balance.mixed import (
        MixedModelProblem,
        balance_mixed_model,
    )
    from taktplan.balance.prepare import prepare
    from taktplan.balance.problem import SalbpProblem

    start = time.perf_counter()
    times = np.array([[3], [3], [2], [2]], dtype=np.int64)
    cap = np.array([5], dtype=np.int64)
    arcs = np.array([[0, 2], [1, 3]], dtype=np.int64)
    fwd = prepare(times, cap, arcs, increment=False)
    bwd = prepare(times, cap, arcs[:, ::-1], increment=False)
    # A claimed upper bound of 4 stations and bound 1 forces a search;
    # each kind of search is then run once more on its own, since the
    # first one to prove the line would end search_both.
    search_both(fwd, bwd, 4, np.arange(4, dtype=np.int64), 1,
                time.perf_counter() + 60.0)
    for kind in (dict(), dict(width=2), dict(width=1 << 62),
                 dict(best_first=True, max_leaves=10), dict(use_mt=False)):
        run_search(fwd, 4, 1, 60.0, **kind)
    # The heuristic and the preparation with task-time incrementing.
    solve_salbp1(SalbpProblem(times=np.array([3, 3, 2, 2, 4, 1]),
                              arcs=np.array([[0, 2], [1, 3], [2, 4],
                                             [3, 5]])),
                 5, time_limit=60.0)
    balance_mixed_model(MixedModelProblem(
        task_ids=("a", "b", "c", "d"),
        times=np.array([[3.0, 2.0], [3.0, 4.0], [2.0, 2.0], [2.0, 1.0]]),
        weights=np.array([0.5, 0.5]), arcs=arcs, cycle_time=5.0,
        variant_limit=6.0), time_limit=60.0, seed=0)
    return time.perf_counter() - start
