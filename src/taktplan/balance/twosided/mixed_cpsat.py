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
from taktplan.balance.twosided.finish import check_result
from taktplan.balance.twosided.resequence import resequence

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.result import Station, TwoSidedResult


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


def with_line(problem: TwoSidedProblem, result: TwoSidedResult,
              stations: tuple[Station, ...], lower_bound: int, cpu0: float
              ) -> TwoSidedResult:
    """``result`` with ``stations`` (weighted times; :func:`.finish.
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
