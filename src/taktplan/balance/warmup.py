"""Compile the balancing kernels before any clock starts.

numba compiles a kernel on its first call (or loads it from its cache).
Inside a time-limited search that first call would eat the budget, so a
cold process would search less than a warm one and could return a
different line for the same input. Each solver warms up the kernels it
runs before starting its clock (:func:`.exact.warm_up`,
:func:`.mixed.warm_up`), on a tiny instance whose search cannot be
skipped.

The kernels come in two compiled variants: with the exact bin packing
of the states (one-dimensional SALBP searches with the bin-packing
bounds) and without it (the mixed-model balance, the quick searches).
Each solver warms up only the variants it runs.

This module is the balance package's one door for compiling ahead:
:func:`warm_up` by kind, and the two shares the plan splits between
itself and its compile-ahead child (:mod:`taktplan.precompile`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from taktplan.balance import exact, mixed
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.search import run_search, tiny_instance
from taktplan.balance.smooth import smooth_loads


def warm_up(kind: Literal["line", "mixed"] = "line") -> float:
    """Run each search kernel of ``kind`` once; seconds spent.

    ``"line"``: what :func:`.exact.solve_exact` and SALBP-2 run;
    ``"mixed"``: what :func:`.mixed.balance_mixed_model` runs. Only the
    first call of a kind in a process does any work.
    """
    return mixed.warm_up() if kind == "mixed" else exact.warm_up()


def compile_depth_first() -> None:
    """Compile (or load) the depth-first balancing search, in this process."""
    run_search(tiny_instance()[0], 4, 1, 60.0, use_mt=False)


def compile_balance_helpers() -> None:
    """Compile the beam search, the heuristic and the smoothing (the mixed
    balance's variants, without bin packing), and the two-sided local
    search (12 s of compiling cold).

    The plan compiles the depth-first search itself meanwhile, and finds
    these in the cache when its warm-up reaches them.
    """
    prep = tiny_instance()[0]
    run_search(prep, 4, 1, 60.0, width=1, use_mt=False)
    greedy_lines(prep, 2, 0)
    t = np.array([[3.0, 2.0], [3.0, 4.0], [2.0, 2.0], [2.0, 1.0]])
    smooth_loads(t, np.array([0.5, 0.5]), np.array([0, 0, 1, 1]), 2,
                 prep.pred_ptr, prep.pred_idx, prep.succ_ptr, prep.succ_idx,
                 5.0, 6.0, np.arange(4, dtype=np.int64), 2)
    compile_two_sided_search()


def compile_two_sided_search() -> None:
    """Compile (or load) the two-sided greedy line and local search
    (:mod:`.twosided._construct`, :mod:`.twosided._improve`) on a
    three-task station."""
    from taktplan.balance.twosided.heuristic import best_line
    from taktplan.balance.twosided.improve import improve_cycle
    from taktplan.balance.twosided.problem import LEFT, TwoSidedProblem
    from taktplan.balance.twosided.station import prepare

    p = TwoSidedProblem(times=np.array([3, 3, 3]), sides=np.zeros(3, int),
                        arcs=np.array([[0, 1]]),
                        extra_times=np.array([[6], [1], [1]]),
                        extra_limits=(6,), extra_weights=(1,))
    left = p.position_sides.index(LEFT)
    best_line(prepare(p), 6, 3, 0, 0)
    improve_cycle(prepare(p), [[(0, left, 0), (2, 1 - left, 0),
                                (1, left, 3)]], 50, target=6)
