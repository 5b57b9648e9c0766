"""Exact SALBP-2: the shortest cycle for a given number of stations.

Upward search over cycle times: start at the lower bound
``max(t_max, ceil(sum t / m), t_(m) + t_(m+1))`` (the last term: of the
``m + 1`` longest tasks two share a station) and ask the SALBP-1 search
at each cycle whether ``m`` stations suffice. The first cycle where they
do is optimal, because every shorter one was proved infeasible. A
priority-rule line found by bisection gives the upper end.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.heuristic import construct, priority_rules
from taktplan.balance.prepare import prepare
from taktplan.balance.result import SalbpResult, finish
from taktplan.balance.search import (
    safety_deadline,
    search_both,
    search_clock,
    work_for,
)
from taktplan.errors import InputError
from taktplan.stop_request import kernel_safe_interrupts

if TYPE_CHECKING:
    from taktplan.balance.problem import SalbpProblem


def cycle_lower_bound(times: np.ndarray, m: int) -> int:
    """``max(t_max, ceil(sum/m), t_(m) + t_(m+1))`` for ``m`` stations."""
    t = np.sort(np.asarray(times, dtype=np.int64))[::-1]
    lb = max(int(t[0]), -(-int(t.sum()) // m))
    if t.size > m:
        lb = max(lb, int(t[m - 1] + t[m]))
    return lb


def heuristic_cycle(problem: SalbpProblem, m: int, lo: int
                    ) -> tuple[int, np.ndarray]:
    """Smallest cycle (by bisection) at which a priority rule fits ``m``."""
    cap0 = np.array([lo], dtype=np.int64)
    prep = prepare(problem.times[:, None], cap0, problem.arcs,
                   increment=False)
    rules = [np.ascontiguousarray(r, np.float64)
             for r in priority_rules(prep)]
    t = problem.times[:, None].astype(np.int64)

    def best_at(c: int) -> tuple[int, np.ndarray]:
        cap = np.array([c], dtype=np.int64)
        best, best_of = problem.n_tasks + 1, None
        for prio in rules:
            of, k = construct(t, cap, prep.pred_ptr, prep.succ_ptr,
                              prep.succ_idx, prio)
            if k < best:
                best, best_of = k, of
        assert best_of is not None
        return best, best_of

    hi = max(lo, int(problem.times.sum()))
    _, hi_of = best_at(hi)
    while lo < hi:
        mid = (lo + hi) // 2
        k, of = best_at(mid)
        if k <= m:
            hi, hi_of = mid, of
        else:
            lo = mid + 1
    return hi, hi_of


@kernel_safe_interrupts()
def solve_salbp2(
    problem: SalbpProblem,
    n_stations: int,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    node_limit: int | None = None,
) -> SalbpResult:
    """Shortest cycle time for ``n_stations`` stations.

    Parameters
    ----------
    problem
        The instance (its cycle time, if any, is ignored).
    n_stations
        Stations available (``>= 1``).
    time_limit
        Seconds in all, counted in work (:func:`.search.work_for`; a
        deterministic budget, with a safety net of
        :data:`.search.SAFETY_FACTOR` times it in wall time).
    seed
        Seed of the randomised heuristic (unused by the exact part).
    node_limit
        Nodes the exact searches may expand in all, instead of work
        (deterministic as well; the time limit stays a safety net).

    Returns
    -------
    SalbpResult
        ``cycle_time`` is the cycle found and ``lower_bound`` the proved
        bound on it; ``status == "optimal"`` when they meet.
    """
    del seed  # the cycle search is deterministic
    start = time.perf_counter()
    m = int(n_stations)
    if m < 1:
        raise InputError(problem.source, None,
                         f"station count {m} is below 1",
                         "give at least one station")
    m = min(m, problem.n_tasks)
    deadline = safety_deadline(time_limit)
    work_left = None if node_limit is not None else work_for(time_limit)
    hit = False
    lo = cycle_lower_bound(problem.times, m)
    hi, hi_of = heuristic_cycle(problem, m, lo)
    c = lo
    best_c, best_of = hi, hi_of
    nodes = 0
    while c < best_c:
        if search_clock() >= deadline:
            hit = True
            break
        cap = np.array([c], dtype=np.int64)
        fwd = prepare(problem.times[:, None], cap, problem.arcs)
        bwd = prepare(problem.times[:, None], cap, problem.arcs[:, ::-1])
        lb = max(fwd.lower_bound(), bwd.lower_bound())
        if lb > m:
            c += 1
            continue
        dummy = np.zeros(problem.n_tasks, dtype=np.int64)
        found = search_both(
            fwd, bwd, m + 1, dummy, lb, deadline, target=m,
            node_limit=None if node_limit is None else node_limit - nodes,
            work_limit=work_left)
        nodes += found.nodes
        if work_left is not None:
            work_left = max(work_left - found.work, 0)
        hit = found.safety_net_hit
        if found.ub <= m:
            best_c, best_of = c, found.station_of
            break
        if found.lb < found.ub:
            break  # out of budget: c stays the proved lower bound
        c += 1
    res = finish(problem, best_c, best_of, 0, 0, start, nodes)
    return SalbpResult(
        status="optimal" if c >= best_c else "feasible",
        n_stations=res.n_stations, cycle_time=best_c,
        lower_bound=min(c, best_c), upper_bound=best_c,
        stations=res.stations, station_of_task=res.station_of_task,
        loads=res.loads, runtime_s=time.perf_counter() - start,
        nodes=nodes, safety_net_hit=hit and c < best_c)
