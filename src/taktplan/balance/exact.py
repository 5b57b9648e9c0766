"""Exact SALBP-1: branch, bound and remember, proved optimal or bounded.

:func:`solve_exact` finds a first line with the priority-rule
heuristic, then runs the compiled BB&R search (:mod:`._kernel`) for a
line with fewer stations, on the instance as given and on its mirror
(arcs turned round), which is sometimes far easier. The line returned
passes the independent checker (:mod:`.check`).
"""

from __future__ import annotations

import time

import numpy as np

from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.pairs import pair_bound
from taktplan.balance.prepare import prepare
from taktplan.balance.problem import SalbpProblem
from taktplan.balance.result import SalbpResult, finish
from taktplan.balance.search import (
    DIVE_WORK_PER_SECOND,
    hoffman_dives,
    lead_direction,
    safety_deadline,
    search_both,
    search_clock,
    tiny_instance,
    tiny_searches,
    warm_once,
    work_for,
)
from taktplan.balance.upper import LARGE_TASKS, wanted
from taktplan.balance.window import improve_long_line

#: Lead the searches in one direction (:func:`.search.lead_direction`).
DIRECTED = True


#: The share of what the large-line phase leaves of the limit that the
#: exact search gets as work on lines of :data:`.upper.LARGE_TASKS`
#: tasks or more: its states are long there, so its work runs slower
#: than :data:`.search.WORK_PER_SECOND` (generated 1,000-task lines:
#: 0.79 * 10**8 units a second on mixed OS 0.6 middle, seed 5, 64.7 s
#: of CPU at a limit of 60 with all of it; 0.6 * 10**8 on bottlenecks
#: OS 0.2 middle, seed 1, 61.8 s with 0.75 of it), and on such lines it
#: has not found a shorter line in our runs.
LONG_LINE_SEARCH = 0.6


def solve_exact(problem: SalbpProblem, cycle_time: int | None = None, *,
                time_limit: float = 60.0, seed: int = 0, restarts: int = 20,
                node_limit: int | None = None) -> SalbpResult:
    """The compiled path of :func:`taktplan.balance.solve_salbp1` (same
    parameters and result): priority rules forward and on the mirror,
    where :func:`.upper.wanted` (a long line, or a wide gap) the beam
    and local search of :func:`.upper.improve_line` and the window
    re-solve (:func:`.window.improve_long_line`), then
    :func:`.search.search_both`; the lower bound is the best of
    :meth:`.prepare.Prepared.lower_bound` both ways and
    :func:`.pairs.pair_bound`, and where the rules leave the line short
    of it :func:`.cover.cover_bound` (on lines below
    :data:`.upper.LARGE_TASKS` tasks with at most
    :data:`.cover.MAX_LOADS_SMALL` loads). ``time_limit`` is counted
    in work (:func:`.search.work_for`, with a safety net of
    :data:`.search.SAFETY_FACTOR` times it in CPU time) unless
    ``node_limit`` counts the search's nodes. On lines of
    :data:`.upper.LARGE_TASKS` tasks or more it is the whole solve's:
    the dives (:data:`.search.DIVE_WORK_PER_SECOND`), beams, local
    searches and windows are charged what they cost
    (:func:`.window.improve_long_line`, counts) and the exact search
    gets :data:`LONG_LINE_SEARCH` of the rest; on shorter lines it is
    the exact search's, and the heuristics come on top (on work budgets
    of their own)."""
    start = time.perf_counter()
    c = problem.cycle_time if cycle_time is None else int(cycle_time)
    if c is None:
        raise ValueError("solve_salbp1 needs a cycle time")
    problem.check_cycle_time(c)
    cap = np.array([c], dtype=np.int64)
    fwd = prepare(problem.times[:, None], cap, problem.arcs)
    bwd = prepare(problem.times[:, None], cap, problem.arcs[:, ::-1])
    lb = max(fwd.lower_bound(), bwd.lower_bound(),
             pair_bound(fwd.closure, fwd.times[:, 0], c))
    station_of, ub = greedy_lines(fwd, restarts, seed)
    rev_of, rev_ub = greedy_lines(bwd, restarts, seed)
    if rev_ub < ub:
        station_of, ub = rev_ub - 1 - rev_of, rev_ub
    if ub <= lb:
        # the rules meet the bound (most of Scholl's set): no search, so
        # neither its kernels nor scipy's LP are loaded (0.6 and 0.3 s)
        return finish(problem, c, station_of, lb, ub, start, 0)
    # compile before the safety nets' clocks start, and leave it out of
    # the time reported
    before = time.perf_counter()
    warm_up()
    start += time.perf_counter() - before
    # scipy's LP, imported here only (measured above)
    from taktplan.balance.cover import MAX_LOADS, MAX_LOADS_SMALL, cover_bound

    # Enumerates the loads a station may hold (few only on lines of long
    # tasks and dense order, else skipped on a load count, a small one
    # on shorter lines, where the search mostly proves).
    lb = max(lb, cover_bound(fwd.closure, fwd.times[:, 0], c,
                             fwd.pred_ptr, fwd.pred_idx,
                             MAX_LOADS if problem.n_tasks >= LARGE_TASKS
                             else MAX_LOADS_SMALL))
    lead = lead_direction(fwd, bwd) if DIRECTED else None
    dive_charge = 0.0
    if lead is not None and ub > lb:
        # Greedy dives by load preferences (on node budgets, on top of
        # the search's): they close most of BARTHOL2's middle band.
        dived = hoffman_dives(fwd, bwd, lead, ub, station_of, lb,
                              safety_deadline(time_limit))
        ub, station_of = dived.ub, dived.station_of
        dive_charge = dived.work / DIVE_WORK_PER_SECOND
    search_limit = time_limit
    if wanted(problem.n_tasks, ub, lb):
        # On long lines the dives and the phase are charged to the limit
        # (beams, local searches, windows: counts) and the search gets
        # LONG_LINE_SEARCH of what is left; on shorter ones the phase's
        # work counts come on top of the limit.
        large = problem.n_tasks >= LARGE_TASKS
        left = max(0.0, time_limit - dive_charge) if large else time_limit
        line = improve_long_line(fwd, bwd, station_of, ub, lb, seed,
                                 budget=left)
        station_of, ub = line.station_of, line.n_stations
        if large:
            search_limit = LONG_LINE_SEARCH * max(0.0, left - line.charged)
    found = search_both(fwd, bwd, ub, station_of, lb,
                        safety_deadline(time_limit if node_limit is not None
                                        else search_limit),
                        node_limit=node_limit,
                        work_limit=None if node_limit is not None
                        else work_for(search_limit),
                        lead=lead)
    return finish(problem, c, found.station_of, found.lb, found.ub, start,
                  found.nodes, safety_net_hit=found.safety_net_hit)


def _warm_up_line() -> None:
    """Run each search kernel SALBP-1 and SALBP-2 use once.

    Both compiled variants: with the exact bin packing of the states and
    without it. Only the first call in a process does any work
    (:func:`solve_exact` calls it once the rules leave the line above
    the bound, and leaves it out of its time; see :mod:`.warmup`);
    returns the seconds spent.
    """
    from taktplan.balance.cover import cover_bound

    fwd, bwd = tiny_instance()
    # search_both first, then each kind of search once more on its own,
    # since the first one to prove the line would end search_both.
    search_both(fwd, bwd, 4, np.arange(4, dtype=np.int64), 1,
                search_clock() + 60.0)
    tiny_searches(({}, {"width": 2}, {"width": 1 << 62},
                   {"best_first": True, "max_leaves": 10}),
                  use_mt=(True, False))
    cover_bound(fwd.closure, fwd.times[:, 0], int(fwd.cap[0]),
                fwd.pred_ptr, fwd.pred_idx)
    # The heuristic and the preparation with task-time incrementing.
    solve_exact(SalbpProblem(times=np.array([3, 3, 2, 2, 4, 1]),
                             arcs=np.array([[0, 2], [1, 3], [2, 4],
                                            [3, 5]])),
                5, time_limit=60.0)


warm_up = warm_once(_warm_up_line)
