"""Exact two-sided balancing of both types: the drivers.

Type I (:func:`solve_talbp1`, cycle given): fewest mated stations, then
fewest staffed operator positions. Type II (:func:`solve_talbp2`,
stations given): least cycle time. Both start from the side-aware
bounds (:mod:`.bounds`) and the seeded priority-rule lines
(:mod:`.heuristic`), then decide the open values from the bound upward,
first with the station-oriented search (:mod:`.search`, a node budget),
then with CP-SAT (:mod:`.cpsat`, a deterministic time budget). Every
line passes the independent checker (:mod:`.check`) before it is
returned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from taktplan.balance.twosided.bounds import (
    cycle_bound,
    operators_bound,
    stations_bound,
)
from taktplan.balance.twosided.check import check_two_sided_line
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.heuristic import Placement, best_line
from taktplan.balance.twosided.problem import SIDE_NAMES, TwoSidedProblem
from taktplan.balance.twosided.result import (
    Position,
    ScheduledTask,
    Station,
    TwoSidedResult,
)
from taktplan.balance.twosided.search import BudgetExhausted, StationSearch
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.errors import InputError

BACKENDS = ("auto", "search", "cp-sat")


@dataclass(frozen=True)
class Budget:
    """Work budgets of one solve: the same answer on any machine.

    ``nodes`` for the station-oriented search, ``work`` CP-SAT
    deterministic time (about seconds on one core), ``time_limit`` wall
    seconds as a safety net, ``restarts`` of the heuristic, ``seed``.
    """

    nodes: int = 200_000
    work: float = 20.0
    time_limit: float = 60.0
    restarts: int = 40
    seed: int = 0
    backend: str = "auto"


class _Counter:
    def __init__(self, budget: Budget) -> None:
        self.nodes_left = budget.nodes
        self.nodes = 0
        self.limit_hit = False
        self.deadline = time.monotonic() + budget.time_limit

    def search(self, prep: Prepared, c: int, m: int
               ) -> tuple[bool, Placement | None]:
        """Run one decision search: whether it decided, and the line it
        found (``None``: none exists, when decided)."""
        if self.nodes_left <= 0:
            self.limit_hit = True
            return False, None
        s = StationSearch(prep, c, m, self.nodes_left)
        decided = True
        found: Placement | None = None
        try:
            found = s.run()
        except BudgetExhausted:
            self.limit_hit = True
            decided = False
        self.nodes += s.nodes
        self.nodes_left -= s.nodes
        return decided, found

    def wall_left(self) -> float:
        return max(0.5, self.deadline - time.monotonic())


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise InputError("<command line>", "--backend",
                         f"unknown backend {backend!r}",
                         f"give one of {', '.join(BACKENDS)}")


def solve_talbp1(problem: TwoSidedProblem, cycle_time: int,
                 budget: Budget = Budget()) -> TwoSidedResult:
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

    Returns
    -------
    TwoSidedResult
        Checked; ``status == "optimal"`` when both the stations and the
        operators meet their lower bounds.
    """
    _check_backend(budget.backend)
    cpu0 = time.process_time()
    c = int(cycle_time)
    problem.check_cycle_time(c)
    prep = prepare(problem)
    count = _Counter(budget)
    lb = stations_bound(problem, c)
    line = best_line(prep, c, problem.n_tasks + 1, budget.restarts,
                     budget.seed)
    ub = len(line) if line is not None else problem.n_tasks + 1
    ub = max(ub, int(problem.group_station.max()) + 1)
    how = "heuristic" if lb < ub else "bound"
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
    if _use_cpsat(problem, budget):
        while lb < ub:
            out = solve_cpsat(problem, c=c, m=lb, c_high=c, hint=None,
                              work_limit=budget.work,
                              time_limit=count.wall_left(), seed=budget.seed)
            if out.line is not None:
                line, ub, how = out.line, len(out.line), "cp-sat"
            elif out.proved:
                lb += 1
            else:
                count.limit_hit = True
                break
    line = _found(problem, line, "")
    m = len(line)
    op_lb = operators_bound(problem, c, m) if lb == m else 0
    ops = _operators(line)
    if ops > op_lb and _use_cpsat(problem, budget) and lb == m:
        out = solve_cpsat(problem, c=c, m=m, c_high=c, hint=line,
                          minimise_operators=True, work_limit=budget.work,
                          time_limit=count.wall_left(), seed=budget.seed)
        if out.line is not None and _operators(out.line) <= ops:
            line, ops = out.line, _operators(out.line)
            how = "cp-sat" if how != "search" else how
        op_lb = max(op_lb, out.value if out.proved else out.bound)
        if out.limit_hit:
            count.limit_hit = True
    status = "optimal" if lb >= len(line) and op_lb >= ops else "feasible"
    return _result(problem, "TALBP-1", status, c, lb, min(op_lb, ops), line,
                   cpu0, count, how, pad_to=None)


def solve_talbp2(problem: TwoSidedProblem, n_stations: int,
                 budget: Budget = Budget()) -> TwoSidedResult:
    """Least cycle time with ``n_stations`` mated stations.

    Parameters
    ----------
    problem
        The instance.
    n_stations
        Mated stations of the line.
    budget
        Search budgets and the backend.

    Returns
    -------
    TwoSidedResult
        Checked; ``status == "optimal"`` when the cycle meets its bound.
    """
    _check_backend(budget.backend)
    cpu0 = time.process_time()
    m = int(n_stations)
    problem.check_stations(m)
    prep = prepare(problem)
    count = _Counter(budget)
    lb = cycle_bound(problem, m)
    line, ub = _heuristic_cycle(problem, prep, m, lb, budget)
    how = "heuristic" if lb < ub else "bound"
    if budget.backend in ("auto", "search"):
        c = lb
        while c < ub:
            decided, found = count.search(prep, c, m)
            if not decided:
                break
            if found is None:
                lb = c = c + 1
                how = "search" if lb >= ub else how
            else:
                line, ub, how = found, _cycle_of(prep, found), "search"
                break
    if _use_cpsat(problem, budget) and lb < ub:
        out = solve_cpsat(problem, c=None, m=m, c_high=ub, c_low=lb,
                          hint=line, work_limit=budget.work,
                          time_limit=count.wall_left(), seed=budget.seed)
        if out.line is not None and out.value < ub:
            line, ub, how = out.line, _cycle_of(prep, out.line), "cp-sat"
        if out.proved and out.line is not None:
            lb = max(lb, out.value)
        else:
            lb = max(lb, out.bound)
            count.limit_hit = True
    line = _found(problem, line, f" with {m} stations")
    status = "optimal" if lb >= ub else "feasible"
    ops = _operators(line)
    return _result(problem, "TALBP-2", status, ub, min(lb, ub), ops, line,
                   cpu0, count, how, pad_to=m)


def _found(problem: TwoSidedProblem, line: Placement | None,
           what: str) -> Placement:
    """``line``, or the input error that no line keeps the rules."""
    if line is None:
        raise InputError(problem.source, None,
                         f"no line{what} keeps all the zoning rules (and "
                         "variant limits) within the budget",
                         "loosen the rules or raise the budget")
    return line


def _use_cpsat(problem: TwoSidedProblem, budget: Budget) -> bool:
    """CP-SAT runs unless the backend is the search alone or the problem
    has extra dimensions (variants), which its model does not keep."""
    return budget.backend in ("auto", "cp-sat") and not problem.extra_limits


def _heuristic_cycle(problem: TwoSidedProblem, prep: Prepared, m: int,
                     lb: int, budget: Budget) -> tuple[Placement | None, int]:
    """The least cycle at which the heuristic fits ``m`` stations
    (bisection on the cycle), and its line."""
    hi = max(lb, int(problem.times.sum()))
    restarts = max(4, budget.restarts // 4)
    line = best_line(prep, hi, m, restarts, budget.seed)
    if line is None:
        return None, hi + 1
    lo = lb
    while lo < hi:
        mid = (lo + hi) // 2
        found = best_line(prep, mid, m, restarts, budget.seed)
        if found is not None:
            line, hi = found, min(mid, _cycle_of(prep, found))
        else:
            lo = mid + 1
    return line, _cycle_of(prep, line)


def _cycle_of(prep: Prepared, line: Placement) -> int:
    return max((s + prep.t[i] for st in line for i, _, s in st), default=0)


def _operators(line: Placement) -> int:
    return sum(len({q for _, q, _ in st}) for st in line)


def _result(problem: TwoSidedProblem, kind: str, status: str, c: int,
            lb: int, op_lb: int, placement: Placement, cpu0: float,
            count: _Counter, how: str, pad_to: int | None) -> TwoSidedResult:
    prep = prepare(problem)
    names: list[str | None] = (
        [SIDE_NAMES[s] for s in prep.pos_side] if problem.two_sided
        else [None] * len(prep.pos_side))
    stations = []
    rows = list(placement)
    if pad_to is not None:
        rows += [[]] * (pad_to - len(rows))
    for st in rows:
        per: list[list[ScheduledTask]] = [[] for _ in prep.pos_side]
        for i, q, s in st:
            per[q].append(ScheduledTask(int(i), int(s), int(s) + prep.t[i]))
        stations.append(Station(tuple(
            Position(names[q], tuple(sorted(per[q], key=lambda x: x.start)))
            for q in range(len(per)))))
    result = TwoSidedResult(
        kind=kind, status=status, cycle_time=int(c), lower_bound=int(lb),
        operators_lower_bound=int(op_lb), line=tuple(stations),
        cpu_s=time.process_time() - cpu0, nodes=count.nodes, backend=how,
        limit_hit=count.limit_hit)
    check_result(problem, result)
    return result


def check_result(problem: TwoSidedProblem, result: TwoSidedResult) -> None:
    """Run the independent checker on ``result`` for ``problem``."""
    check_two_sided_line(
        result.line, problem.times,
        [problem.side_name(i) for i in range(problem.n_tasks)],
        problem.arcs, result.cycle_time, two_sided=problem.two_sided,
        operators_per_side=problem.operators_per_side,
        together=problem.together, apart=problem.apart,
        fixed_station=[int(x) for x in np.asarray(problem.fixed_station)])
