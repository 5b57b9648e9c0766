"""Fewer mated stations for a two-sided mixed-model segment, by CP-SAT.

The station-oriented search balances a mixed-model segment on the
demand-weighted times with every variant as a further dimension. With
many either-side tasks it may decide no station count between its bound
and its line: on the built-in plant's trim segment (95 tasks, 86 of them
either-side) it found 14 mated stations against a bound of 12 and found
no line of 13 in 100,000 nodes.

CP-SAT's model with each variant scheduled on its own
(:func:`~taktplan.balance.twosided.cpsat.solve_cpsat` on a problem with
extra dimensions) is a relaxation of the segment's problem: there a
position's tasks may run in another order for each variant, while a
plant operator keeps one sequence of work for every variant. So an
infeasible answer proves that no line of that many stations exists, and
a line it finds is a candidate: each of its stations is re-sequenced by
a small exact model that keeps one order per position for the weighted
times and every variant, and may move either-side tasks to the other
side of the same station. A candidate whose every station re-sequences
is a line of the problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import operators_bound
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.problem import (
    EITHER,
    TwoSidedProblem,
)
from taktplan.balance.twosided.solve import check_result

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.result import Station, TwoSidedResult

#: CP-SAT deterministic time for the re-sequencing of one station (a
#: handful of tasks: it decides in a few hundredths).
STATION_WORK = 2.0


@dataclass(frozen=True)
class FewerStations:
    """What the CP-SAT descent established.

    Attributes
    ----------
    line
        The shortest line it found and re-sequenced (``None``: none
        shorter than the one it was given).
    lower_bound
        The mated-station bound, raised where CP-SAT proved a station
        count infeasible.
    work
        CP-SAT deterministic time spent.
    limit_hit
        Whether a budget stopped a model before it answered.
    safety_net_hit
        Whether that was the wall-clock safety net, not the work budget
        (then the answer may differ on another machine or load).
    """

    line: Placement | None
    lower_bound: int
    work: float
    limit_hit: bool
    safety_net_hit: bool = False


def fewer_stations(problem: TwoSidedProblem, c: int, n_stations: int,
                   lower_bound: int, *, work_limit: float,
                   time_limit: float, seed: int = 0) -> FewerStations:
    """Try ``n_stations - 1``, ``n_stations - 2``, ... mated stations at
    cycle ``c`` (each model within ``work_limit`` of deterministic time)
    until one is infeasible, undecided, or a candidate cannot keep one
    order per position; ``time_limit`` wall seconds is a safety net for
    each model."""
    best: Placement | None = None
    work = 0.0
    limit_hit = net_hit = False
    m = n_stations - 1
    while m >= lower_bound:
        out = solve_cpsat(problem, c=c, m=m, c_high=c,
                          work_limit=work_limit, time_limit=time_limit,
                          seed=seed)
        work += out.work
        if out.line is None:
            if out.proved:
                lower_bound = m + 1
            else:
                limit_hit = True
                net_hit = out.work < 0.99 * work_limit
            break
        line = resequence(problem, c, out.line, seed=seed)
        if line is None:
            break
        best = line
        m = len(line) - 1
    return FewerStations(best, lower_bound, work, limit_hit, net_hit)


def resequence(problem: TwoSidedProblem, c: int, line: Placement, *,
               seed: int = 0) -> Placement | None:
    """``line`` with each station's tasks given one order per position
    that fits the cycle ``c`` in the weighted times and every variant's
    limit, with the fewest staffed positions; ``None`` when a station
    has no such order."""
    out: Placement = []
    for station in line:
        if not station:
            out.append([])
            continue
        fitted = _resequence_station(problem, c, station, seed)
        if fitted is None:
            return None
        out.append(fitted)
    return out


def _resequence_station(problem: TwoSidedProblem, c: int,
                        station: list[tuple[int, int, int]], seed: int
                        ) -> list[tuple[int, int, int]] | None:
    from ortools.sat.python import cp_model

    pos_side = problem.position_sides
    tasks = [i for i, _, _ in station]
    here = set(tasks)
    dims = [(problem.times, c)]
    if problem.extra_times is not None:
        dims += [(problem.extra_times[:, d], int(cap))
                 for d, cap in enumerate(problem.extra_limits)]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i in tasks:
        side = int(problem.sides[i])
        options = [q for q, s in enumerate(pos_side)
                   if side == EITHER or s in (side, EITHER)]
        for q in options:
            x[i, q] = model.new_bool_var(f"x{i}_{q}")
        model.add_exactly_one(x[i, q] for q in options)
    starts: list[dict[int, cp_model.IntVar]] = []
    for d, (t, cap) in enumerate(dims):
        starts.append({i: model.new_int_var(0, max(0, cap - int(t[i])),
                                            f"s{i}_{d}") for i in tasks})
    for a, b in problem.arcs:
        a, b = int(a), int(b)
        if a in here and b in here:
            for (t, _), s in zip(dims, starts, strict=True):
                model.add(s[b] >= s[a] + int(t[a]))
    for u, i in enumerate(tasks):
        for j in tasks[u + 1:]:
            first = model.new_bool_var(f"o{i}_{j}")
            for q in range(len(pos_side)):
                if (i, q) not in x or (j, q) not in x:
                    continue
                both = [x[i, q], x[j, q]]
                for (t, _), s in zip(dims, starts, strict=True):
                    model.add(s[j] >= s[i] + int(t[i])).only_enforce_if(
                        [*both, first])
                    model.add(s[i] >= s[j] + int(t[j])).only_enforce_if(
                        [*both, ~first])
    used = []
    for q in range(len(pos_side)):
        on = [v for (i, qq), v in x.items() if qq == q]
        if on:
            u_q = model.new_bool_var(f"u{q}")
            for v in on:
                model.add_implication(v, u_q)
            used.append(u_q)
    model.minimize(sum(used))
    for i, q, s0 in station:
        if (i, q) in x:
            model.add_hint(x[i, q], 1)
        model.add_hint(starts[0][i], s0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(seed)
    solver.parameters.max_deterministic_time = STATION_WORK
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return sorted(((i, q, int(solver.value(starts[0][i])))
                   for (i, q), v in x.items() if solver.value(v)),
                  key=lambda r: (r[2], r[1]))


def with_line(problem: TwoSidedProblem, result: TwoSidedResult,
              stations: tuple[Station, ...], lower_bound: int, cpu0: float
              ) -> TwoSidedResult:
    """``result`` with ``stations`` (weighted times; :func:`.solve.
    stations_of` of a placement) in place of its line, the bounds at the
    new station count, checked."""
    m = len(stations)
    ops = sum(s.operators for s in stations)
    op_lb = min(ops, operators_bound(problem, result.cycle_time, m))
    status = ("optimal" if lower_bound >= m and op_lb >= ops
              else "feasible")
    new = replace(
        result, status=status, lower_bound=min(lower_bound, m),
        operators_lower_bound=op_lb, line=stations,
        cpu_s=result.cpu_s + time.process_time() - cpu0, backend="cp-sat")
    check_result(problem, new)
    return new
