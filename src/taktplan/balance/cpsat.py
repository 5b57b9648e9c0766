"""SALBP-1 with CP-SAT: a second, independent exact backend.

Used to cross-check the BB&R search on small instances. The model:
``x[i, s]`` task i on station s (only inside the task's earliest/latest
window for the heuristic's station count), ``y[s]`` station s used,
loads ``sum_i t_i x[i, s] <= c y[s]``, each task once, the station
index of a predecessor no later than its successor's, used stations
first; minimise the number of used stations.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.prepare import prepare
from taktplan.balance.result import finish
from taktplan.cpsat_solver import new_solver

if TYPE_CHECKING:
    from taktplan.balance.problem import SalbpProblem
    from taktplan.balance.result import SalbpResult


def solve_salbp1_cpsat(problem: SalbpProblem, cycle_time: int, *,
                       time_limit: float = 30.0,
                       seed: int = 0) -> SalbpResult:
    """Fewest stations for ``cycle_time`` by CP-SAT (one worker).

    Parameters
    ----------
    problem
        The instance.
    cycle_time
        The cycle time.
    time_limit
        Seconds for CP-SAT.
    seed
        CP-SAT's random seed (and the heuristic's).

    Returns
    -------
    SalbpResult
        ``status == "optimal"`` when CP-SAT proved it.
    """
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    c = int(cycle_time)
    problem.check_cycle_time(c)
    t = problem.times
    n = problem.n_tasks
    prep = prepare(t[:, None], np.array([c]), problem.arcs, increment=False)
    hint_of, m = greedy_lines(prep, 5, seed)
    cl = prep.closure.astype(np.int64)
    head = np.ceil((t + cl.T @ t) / c).astype(int)  # 1-based earliest
    tail = np.ceil((t + cl @ t) / c).astype(int)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i in range(n):
        for s in range(head[i] - 1, m - tail[i] + 1):
            x[i, s] = model.new_bool_var(f"x{i}_{s}")
    y = [model.new_bool_var(f"y{s}") for s in range(m)]
    station = [model.new_int_var(0, m - 1, f"st{i}") for i in range(n)]
    for i in range(n):
        mine = [(s, v) for (j, s), v in x.items() if j == i]
        model.add_exactly_one(v for _, v in mine)
        model.add(station[i] == sum(s * v for s, v in mine))
    for s in range(m):
        on = [(i, v) for (i, q), v in x.items() if q == s]
        model.add(sum(int(t[i]) * v for i, v in on) <= c * y[s])
        if s + 1 < m:
            model.add_implication(y[s + 1], y[s])
    for a, b in problem.arcs:
        model.add(station[int(a)] <= station[int(b)])
    model.minimize(sum(y))
    lb = max(prep.lower_bound(), math.ceil(int(t.sum()) / c))
    model.add(sum(y) >= lb)
    for i in range(n):
        model.add_hint(station[i], int(hint_of[i]))
    solver = new_solver(seed)
    solver.parameters.max_time_in_seconds = float(time_limit)
    code = solver.Solve(model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        of = np.array([solver.Value(station[i]) for i in range(n)])
        ub = round(solver.ObjectiveValue())
        bound = ub if code == cp_model.OPTIMAL else max(
            lb, math.ceil(solver.BestObjectiveBound() - 1e-9))
    else:
        of, ub, bound = hint_of, m, lb
    return finish(problem, c, of, bound, ub, start, 0)
