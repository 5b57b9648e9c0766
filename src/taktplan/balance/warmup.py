"""Compile the balancing kernels before any clock starts.

numba compiles a kernel on its first call (or loads it from its cache).
Inside a time-limited search that first call would eat the budget, so a
cold process would search less than a warm one and could return a
different line for the same input. :func:`warm_up` runs every kernel a
solver uses once on a tiny instance whose search cannot be skipped.

The kernels come in two compiled variants: with the exact bin packing
of the states (one-dimensional SALBP searches with the bin-packing
bounds) and without it (the mixed-model balance, the quick searches).
Each solver warms up only the variants it runs.
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np

_started: set[str] = set()


def warm_up(kind: Literal["line", "mixed"] = "line") -> float:
    """Run each search kernel of ``kind`` once; seconds spent.

    ``"line"``: what :func:`.exact.solve_exact` and SALBP-2 run;
    ``"mixed"``: what :func:`.mixed.balance_mixed_model` runs. Only the
    first call of a kind in a process does any work (the solvers call
    it before starting their clocks).
    """
    if kind in _started:
        return 0.0
    _started.add(kind)
    start = time.perf_counter()
    if kind == "mixed":
        _warm_up_mixed()
    else:
        _warm_up_line()
    return time.perf_counter() - start


def tiny_instance():  # noqa: ANN201  (two Prepared)
    """A 4-task instance and its mirror whose search cannot be skipped
    when claimed at 4 stations with bound 1 (also used by
    :mod:`taktplan.precompile`)."""
    from taktplan.balance.prepare import prepare

    times = np.array([[3], [3], [2], [2]], dtype=np.int64)
    cap = np.array([5], dtype=np.int64)
    arcs = np.array([[0, 2], [1, 3]], dtype=np.int64)
    return (prepare(times, cap, arcs, increment=False),
            prepare(times, cap, arcs[:, ::-1], increment=False))


def _warm_up_line() -> None:
    from taktplan.balance.exact import (
        run_search,
        search_both,
        solve_exact,
    )
    from taktplan.balance.problem import SalbpProblem

    fwd, bwd = tiny_instance()
    # search_both first, then each kind of search once more on its own,
    # since the first one to prove the line would end search_both.
    search_both(fwd, bwd, 4, np.arange(4, dtype=np.int64), 1,
                time.perf_counter() + 60.0)
    for use_mt in (True, False):
        for kind in (dict(), dict(width=2), dict(width=1 << 62),
                     dict(best_first=True, max_leaves=10)):
            run_search(fwd, 4, 1, 60.0, use_mt=use_mt, **kind)
    # The heuristic and the preparation with task-time incrementing.
    solve_exact(SalbpProblem(times=np.array([3, 3, 2, 2, 4, 1]),
                             arcs=np.array([[0, 2], [1, 3], [2, 4],
                                            [3, 5]])),
                5, time_limit=60.0)


def _warm_up_mixed() -> None:
    from taktplan.balance.exact import run_search
    from taktplan.balance.mixed import (
        MixedModelProblem,
        balance_mixed_model,
    )

    # The searches of search_depth_first_rounds (a tiny mixed model is
    # proved at its root and would not reach them), then the heuristic
    # and the smoothing.
    fwd, _ = tiny_instance()
    for kind in (dict(), dict(width=2)):
        run_search(fwd, 4, 1, 60.0, use_mt=False, **kind)
    balance_mixed_model(MixedModelProblem(
        task_ids=("a", "b", "c", "d"),
        times=np.array([[3.0, 2.0], [3.0, 4.0], [2.0, 2.0], [2.0, 1.0]]),
        weights=np.array([0.5, 0.5]),
        arcs=np.array([[0, 2], [1, 3]], dtype=np.int64), cycle_time=5.0,
        variant_limit=6.0), time_limit=60.0, seed=0)
