"""Type I of two-sided balancing: fewest mated stations, then fewest
staffed operator positions, at a given cycle time
(:func:`solve_talbp1`).

From the side-aware bound and the greedy line it tries the one-sided
end first where that pays, the load search and a probe of the station
search where a line at the bound idles little, then fits the bound's
station count from the type-II side (local search, windows, variants,
merges), decides the rest exactly, and last drains operator positions.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import (
    operators_bound,
    stations_bound,
)
from taktplan.balance.twosided.budget import (
    WINDOW_SHARE,
    Budget,
    RunCounter,
    check_backend,
    loads_as_cpsat,
    use_cpsat,
)
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.end_first import (
    end_by_loads,
    end_first,
    end_first_wanted,
    free_one_position,
)
from taktplan.balance.twosided.finish import (
    checked_result,
    found_line,
)
from taktplan.balance.twosided.fits import (
    FIT_MOVES,
    drain_positions,
    fit_downwards,
    fit_stations,
)
from taktplan.balance.twosided.heuristic import (
    Placement,
    best_line,
    staffed_positions,
)
from taktplan.balance.twosided.loads import (
    applicable,
    line_idles_under,
    worth_trying,
)
from taktplan.balance.twosided.station import prepare
from taktplan.balance.twosided.windows import fewer_operators_by_windows
from taktplan.stop_request import kernel_safe_interrupts

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.result import TwoSidedResult


@kernel_safe_interrupts()
def solve_talbp1(problem: TwoSidedProblem, cycle_time: int,
                 budget: Budget = Budget(),
                 progress: Callable[[float], None] | None = None
                 ) -> TwoSidedResult:
    """Fewest mated stations, then operators, at ``cycle_time``.

    Parameters
    ----------
    problem
        The instance (its own cycle time is ignored).
    cycle_time
        The cycle time.
    budget
        Search budgets and the backend (``"auto"``, ``"search"``,
        ``"cp-sat"``).
    progress
        Called with the share of the budgets spent (0 to 1, growing) as
        the searches book their work.

    Returns
    -------
    TwoSidedResult
        Checked; ``status == "optimal"`` when both the stations and the
        operators meet their lower bounds.
    """
    check_backend(budget.backend)
    cpu0 = time.process_time()
    c = int(cycle_time)
    problem.check_cycle_time(c)
    prep = prepare(problem)
    count = RunCounter(budget, problem, progress)
    count.fit_extra = loads_as_cpsat(budget)
    count.moves_free = FIT_MOVES * budget.moves
    count.start_progress()
    lb = stations_bound(problem, c)
    line = best_line(prep, c, problem.n_tasks + 1, budget.restarts,
                     budget.seed)
    ub = len(line) if line is not None else problem.n_tasks + 1
    ub = max(ub, int(problem.group_station.max()) + 1)
    how = "heuristic" if lb < ub else "bound"
    if line is not None and end_first_wanted(problem, c, lb, budget):
        goal = 2 * lb - 1
        if lb == ub and staffed_positions(line) > goal:
            # the cheap ways first (P148 at 255-510: 0.2-0.4 s)
            line = best_line(prep, c, lb, budget.restarts, budget.seed,
                             max_positions=goal) or line
            line = drain_positions(prep, line, c, goal, budget, count)
        if lb < ub or staffed_positions(line) > goal:
            ended = end_by_loads(problem, c, lb, count)
            if ended is not None:
                line, ub, how = ended, len(ended), "loads"
            else:
                ended = end_first(problem, c, lb, budget, count)
                if ended is not None:
                    line, ub, how = ended, len(ended), "heuristic"
    near: Placement | None = None  # lb stations, cycle above c: a hint
    if (lb < ub and budget.backend in ("auto", "search")
            and worth_trying(problem, c, lb)):
        # a line of lb stations idles under half a task: the load search
        # decides it where the fits and the search cannot (P65 at 319:
        # 8 stations refuted in 5 s, which type II's 320 says; 9 proved)
        decided, found = count.by_loads(problem, c, lb)
        if decided and found is None:
            lb += 1
            how = "loads" if lb >= ub else how
        elif found is not None:
            line, ub, how = found, len(found), "loads"
    if (lb < ub and budget.backend in ("auto", "search")
            and line_idles_under(problem, c, lb, _PROBE_IDLE)):
        # a probe of the station search before the fits spend its nodes:
        # a tight cycle is often filled at once (P148 at 366: 7 stations
        # in 643 nodes, where the fits end at 8 and leave no nodes)
        hit = count.limit_hit
        decided, found = count.search(prep, c, lb,
                                      limit=int(budget.nodes * _PROBE_I))
        count.limit_hit = hit
        if decided and found is None:
            lb += 1
            how = "search" if lb >= ub else how
        elif found is not None:
            line, ub, how = found, len(found), "search"
    if lb < ub and problem.extra_limits and line is not None:
        line = fit_downwards(problem, prep, c, lb, line, budget, count)
        ub = len(line)
    elif lb < ub:
        fewer, near = fit_stations(problem, prep, c, lb, budget, count)
        if fewer is not None:
            line, ub = fewer, len(fewer)
        elif ub - lb >= 2 and line is not None:
            # a station count between the bound and the greedy line's
            # (P205 at 944: 13 does not fit, the greedy line has 15;
            # merged or fitted from the top, 14)
            line = fit_downwards(problem, prep, c, lb + 1, line, budget,
                                  count)
            ub = len(line)
    if budget.backend in ("auto", "search"):
        while lb < ub:
            decided, found = count.search(prep, c, lb)
            if not decided:
                break
            if found is None:
                lb += 1
                how = "search" if lb >= ub else how
            else:
                line, ub, how = found, len(found), "search"
    if use_cpsat(problem, budget):
        while lb < ub and count.cpsat_work() > 0:
            out = solve_cpsat(problem, c=c, m=lb, c_high=c,
                              hint=near if near and len(near) == lb else None,
                              work_limit=count.cpsat_work(),
                              time_limit=count.wall_left(), seed=budget.seed)
            count.spent(out.work)
            if out.line is not None:
                line, ub, how = out.line, len(out.line), "cp-sat"
            elif out.proved:
                lb += 1
            else:
                count.limit_hit = True
                break
        if lb < ub:
            count.limit_hit = True
    line = found_line(problem, line, "", problem.cycle_advice)
    m = len(line)
    # Valid at any station count: every one of the m stations is staffed.
    op_lb = operators_bound(problem, c, m)
    ops = staffed_positions(line)
    if ops > op_lb and lb == m:
        fewer = best_line(prep, c, m, budget.restarts, budget.seed,
                          max_positions=op_lb)
        if fewer is not None:
            line, ops = fewer, staffed_positions(fewer)
    if ops > op_lb:
        line = drain_positions(prep, line, c, op_lb, budget, count)
        ops = staffed_positions(line)
    if lb == m and ops > op_lb == 2 * m - 1 and applicable(problem):
        ended = end_by_loads(problem, c, m, count)
        if ended is not None:
            line, ops, how = ended, staffed_positions(ended), "loads"
        else:
            ended = free_one_position(problem, c, m, budget, count)
            if ended is not None:
                line, ops, how = ended, staffed_positions(ended), "heuristic"
    if budget.backend in ("auto", "search") and lb == m:
        while op_lb < ops:
            decided, found = count.search(prep, c, m, max_positions=op_lb)
            if not decided:
                break
            if found is None:
                op_lb += 1
            else:
                line, ops, how = found, staffed_positions(found), "search"
    # a mixed-model segment's windows are re-sequenced (one order per
    # position for every variant); they run at any station count, as the
    # plant keeps its line whether or not the count is proved (chassis
    # with two operators a side: 24 -> 22 operators on 6 stations)
    windows_ok = (use_cpsat(problem, budget) and lb == m) or (
        bool(problem.extra_limits)
        and budget.backend in ("auto", "cp-sat"))
    if ops > op_lb and windows_ok and count.cpsat_work() > 0:
        won = fewer_operators_by_windows(
            problem, line, c, count.cpsat_work() * WINDOW_SHARE,
            seed=budget.seed, floor=op_lb, time_left=count.wall_left)
        count.spent(won.work)
        if won.operators < ops:
            line, ops, how = won.line, won.operators, "cp-sat"
    if (ops > op_lb and use_cpsat(problem, budget) and lb == m
            and count.cpsat_work() > 0):
        out = solve_cpsat(problem, c=c, m=m, c_high=c, hint=line,
                          minimise_operators=True,
                          work_limit=count.cpsat_work(),
                          time_limit=count.wall_left(), seed=budget.seed)
        count.spent(out.work)
        if out.line is not None and staffed_positions(out.line) <= ops:
            line, ops = out.line, staffed_positions(out.line)
            how = "cp-sat" if how != "search" else how
        op_lb = max(op_lb, out.value if out.proved else out.bound)
        if out.limit_hit:
            count.limit_hit = True
    status = "optimal" if lb >= len(line) and op_lb >= ops else "feasible"
    if progress is not None:
        progress(1.0)
    return checked_result(problem, "TALBP-1", status, c, lb,
                          min(op_lb, ops), line, cpu0, count, how,
                          pad_to=None)


#: The share of the station search's nodes type I probes its bound with
#: before the fits, where a line at the bound idles less than
#: ``_PROBE_IDLE`` mean task times (there the search's bounds prune
#: hard: P148 at 258 and 366, 1.0 and 0 tasks, are filled in 1,700 and
#: 1,800 nodes; where the line idles more the fits are quicker, P65 at
#: 381, 3 tasks: 0.6 s by the probe, 0.02 s by the fits).
_PROBE_I = 0.25
_PROBE_IDLE = 2.0
