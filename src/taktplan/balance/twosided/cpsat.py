"""Two-sided lines with CP-SAT: the second, independent exact backend.

One interval per task and operator position it may take (optional,
present when the task is there), ``NoOverlap`` per position; a task's
station ``s_i`` is its position's station; every arc ``i -> j`` has
``s_i <= s_j`` and ``start_j >= end_i`` when ``s_i = s_j`` (a big-M on
the station gap). Zoning: ``s_i = s_j`` (together), ``s_i != s_j``
(apart), ``s_i = n`` (fixed). Redundant per-station and per-side work
sums within ``K c`` help the bound. Type I is a feasibility model per
station count, then a model that minimises staffed positions; type II
minimises the cycle ``C``. CP-SAT runs on one worker with a
deterministic time limit, so the answer does not depend on the load.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.problem import (
    EITHER,
    LEFT,
    RIGHT,
    TwoSidedProblem,
)
from taktplan.cpsat_solver import new_solver

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from taktplan.balance.twosided.heuristic import Placement


@dataclass(frozen=True)
class CpOutcome:
    """What one CP-SAT run established.

    ``line`` is ``None`` when no line was found; ``proved`` says whether
    the run finished its question (infeasible, or optimal);
    ``bound`` is its proved bound on the objective (type II cycle or the
    operators), ``limit_hit`` whether the budget stopped it, ``work``
    the deterministic time it used.
    """

    line: Placement | None
    proved: bool
    bound: int
    value: int
    limit_hit: bool
    work: float = 0.0


def _windows(problem: TwoSidedProblem, c: int, m: int
             ) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest 0-based station of each task with ``m``
    stations at cycle at most ``c`` (chains run serially in a station,
    and a station holds at most its positions times ``c`` of work)."""
    t = problem.times.astype(np.int64)
    cl = problem.closure
    per = problem.positions_per_station * c
    n = problem.n_tasks
    head = t.copy()
    tail = t.copy()
    order = problem.topological_order
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in problem.arcs:
        succ[int(a)].append(int(b))
    for i in order:
        for j in succ[int(i)]:
            head[j] = max(head[j], head[int(i)] + t[j])
    for i in order[::-1]:
        for j in succ[int(i)]:
            tail[int(i)] = max(tail[int(i)], tail[j] + t[int(i)])
    before = t + cl.T.astype(np.int64) @ t
    after = t + cl.astype(np.int64) @ t
    early = np.maximum(np.ceil(head / c), np.ceil(before / per)) - 1
    late = m - np.maximum(np.ceil(tail / c), np.ceil(after / per))
    early = early.astype(np.int64)
    late = late.astype(np.int64)
    pin = problem.group_station
    early = np.where(pin >= 0, np.maximum(early, pin), early)
    late = np.where(pin >= 0, np.minimum(late, pin), late)
    return early, late


def solve_cpsat(problem: TwoSidedProblem, *, c: int | None, m: int,
                c_high: int, minimise_operators: bool = False,
                hint: Placement | None = None, work_limit: float = 10.0,
                time_limit: float = 60.0, seed: int = 0,
                c_low: int = 1) -> CpOutcome:
    """Run one CP-SAT model.

    Parameters
    ----------
    problem
        The instance.
    c
        The cycle (type I), or ``None`` to minimise it (type II) within
        ``c_low..c_high``.
    m
        Stations available.
    c_high
        Largest cycle considered (type II) or ``c`` itself.
    minimise_operators
        Type I: minimise staffed positions instead of only fitting.
    hint
        A known line (as the searches place it) to start from.
    work_limit
        CP-SAT deterministic time.
    time_limit
        Wall seconds, only a safety net.
    seed
        CP-SAT's seed.

    A problem with extra dimensions (a mixed-model segment's variants)
    gets each dimension scheduled on its own, within its limit, on the
    same stations and positions; the order of a position's tasks may
    differ between dimensions, so the model is a relaxation of a line
    that keeps one order (:mod:`.mixed_cpsat` re-sequences its stations):
    its "infeasible" is a proof, its line a candidate.
    """
    from ortools.sat.python import cp_model

    n = problem.n_tasks
    t = [int(x) for x in problem.times]
    hi = int(c if c is not None else c_high)
    early, late = _windows(problem, hi, m)
    if (early > late).any() or (early >= m).any() or (late < 0).any():
        return CpOutcome(None, True, 0, 0, False)
    k_side = problem.operators_per_side
    pos_side = problem.position_sides
    model = cp_model.CpModel()
    cyc = (model.new_constant(hi) if c is not None
           else model.new_int_var(max(c_low, max(t)), hi, "C"))
    start = [model.new_int_var(0, hi - t[i], f"a{i}") for i in range(n)]
    end = [model.new_int_var(t[i], hi, f"e{i}") for i in range(n)]
    st = [model.new_int_var(int(early[i]), int(late[i]), f"s{i}")
          for i in range(n)]
    on: dict[tuple[int, int], list[tuple[int, cp_model.IntervalVar]]] = {}
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for i in range(n):
        choice = []
        for k in range(int(early[i]), int(late[i]) + 1):
            for q, s in enumerate(pos_side):
                if (problem.two_sided and problem.sides[i] != EITHER
                        and s != problem.sides[i]):
                    continue
                v = model.new_bool_var(f"x{i}_{k}_{q}")
                x[i, k, q] = v
                choice.append((k, v))
                iv = model.new_optional_interval_var(start[i], t[i], end[i], v,
                                                  f"i{i}_{k}_{q}")
                on.setdefault((k, q), []).append((i, iv))
        model.add_exactly_one(v for _, v in choice)
        model.add(st[i] == sum(k * v for k, v in choice))
        model.add(end[i] <= cyc)
    for (k, q), items in on.items():
        model.add_no_overlap([iv for _, iv in items])
    for k in range(m):
        work = [t[i] * v for (i, kk, q), v in x.items() if kk == k]
        if work:
            model.add(sum(work) <= len(pos_side) * cyc)
        for side in (LEFT, RIGHT) if problem.two_sided else ():
            sw = [t[i] * v for (i, kk, q), v in x.items()
                  if kk == k and pos_side[q] == side]
            if sw:
                model.add(sum(sw) <= k_side * cyc)
    for a, b in problem.arcs:
        a, b = int(a), int(b)
        model.add(st[a] <= st[b])
        model.add(start[b] >= end[a] - hi * (st[b] - st[a]))
    for a, b in problem.together:
        model.add(st[int(a)] == st[int(b)])
    for a, b in problem.apart:
        model.add(st[int(a)] != st[int(b)])
    if problem.extra_times is not None:
        _add_extra_dimensions(model, problem, x, st, pos_side, cyc)
    used: dict[tuple[int, int], cp_model.IntVar] = {}
    if minimise_operators:
        for (k, q), items in on.items():
            u = model.new_bool_var(f"u{k}_{q}")
            used[k, q] = u
            vs = [x[i, k, q] for i, _ in items]
            for v in vs:
                model.add_implication(v, u)
            model.add(sum(vs) >= u)
        model.minimize(sum(used.values()))
    elif c is None:
        model.minimize(cyc)
    if hint is not None:
        for k, station in enumerate(hint):
            for i, q, s0 in station:
                model.add_hint(start[i], s0)
                model.add_hint(st[i], k)
                if (i, k, q) in x:
                    model.add_hint(x[i, k, q], 1)
    solver = new_solver(seed)
    solver.parameters.max_deterministic_time = float(work_limit)
    solver.parameters.max_time_in_seconds = float(time_limit)
    code = solver.solve(model)
    spent = float(solver.response_proto.deterministic_time)
    limit_hit = code in (cp_model.FEASIBLE, cp_model.UNKNOWN)
    if code == cp_model.INFEASIBLE:
        return CpOutcome(None, True, 0, 0, False, spent)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = (math.ceil(solver.best_objective_bound - 1e-9)
                 if (c is None or minimise_operators) else 0)
        return CpOutcome(None, False, bound, 0, True, spent)
    line: Placement = [[] for _ in range(m)]
    for (i, k, q), v in x.items():
        if solver.value(v):
            line[k].append((i, q, solver.value(start[i])))
    while line and not line[-1]:
        line.pop()
    value = round(solver.objective_value) if (
        c is None or minimise_operators) else 0
    bound = (math.ceil(solver.best_objective_bound - 1e-9)
             if (c is None or minimise_operators) else 0)
    return CpOutcome(line, code == cp_model.OPTIMAL, bound, value, limit_hit,
                     spent)


def _add_extra_dimensions(model: cp_model.CpModel, problem: TwoSidedProblem,
                          x: dict[tuple[int, int, int], cp_model.IntVar],
                          st: list[cp_model.IntVar],
                          pos_side: tuple[int, ...],
                          cyc: cp_model.IntVar) -> None:
    """Each extra dimension ``d`` scheduled within ``extra_limits[d]`` on
    the stations and positions ``x`` chooses: its own starts, no overlap
    per position, arcs within a station, side sums within the limit;
    with ``extra_weights``, each station's weighted mean of its
    dimensions' makespans within the cycle ``cyc``."""
    assert problem.extra_times is not None
    k_side = problem.operators_per_side
    weights = [int(w) for w in problem.extra_weights]
    stations = sorted({kk for _, kk, _ in x})
    spans: dict[int, list[cp_model.IntVar]] = {k: [] for k in stations}
    for d, cap in enumerate(problem.extra_limits):
        td = [int(v) for v in problem.extra_times[:, d]]
        cap = int(cap)
        start = [model.new_int_var(0, max(0, cap - td[i]), f"a{i}_{d}")
                 for i in range(problem.n_tasks)]
        end = [model.new_int_var(td[i], max(td[i], cap), f"e{i}_{d}")
               for i in range(problem.n_tasks)]
        on: dict[tuple[int, int], list[cp_model.IntervalVar]] = {}
        for (i, k, q), v in x.items():
            on.setdefault((k, q), []).append(
                model.new_optional_interval_var(start[i], td[i], end[i], v,
                                                f"i{i}_{k}_{q}_{d}"))
        for items in on.values():
            model.add_no_overlap(items)
        for a, b in problem.arcs:
            a, b = int(a), int(b)
            model.add(start[b] >= end[a] - cap * (st[b] - st[a]))
        for k in stations:
            for side in ((LEFT, RIGHT) if problem.two_sided else (EITHER,)):
                work = [td[i] * v for (i, kk, qq), v in x.items()
                        if kk == k and pos_side[qq] == side]
                if work:
                    model.add(sum(work) <= k_side * cap)
        if weights:
            for k in stations:
                spans[k].append(model.new_int_var(0, cap, f"m{k}_{d}"))
            for (i, k, _), v in x.items():
                model.add(spans[k][d] >= end[i]).only_enforce_if(v)
    if weights:
        for k in stations:
            model.add(sum(w * s for w, s in zip(weights, spans[k],
                                                strict=True))
                      <= sum(weights) * cyc)
