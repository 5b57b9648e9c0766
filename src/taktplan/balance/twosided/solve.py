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

import math
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.bounds import (
    cycle_bound,
    operators_bound,
    station_windows,
    stations_bound,
)
from taktplan.balance.twosided.check import check_two_sided_line
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.heuristic import (
    Placement,
    best_line,
    cycle_of,
    staffed_positions,
)
from taktplan.balance.twosided.improve import (
    fewer_positions,
    improve_cycle,
)
from taktplan.balance.twosided.loads import (
    IDLE_GATE,
    applicable,
    fits_by_loads,
    idles_under,
    line_idles_under,
    worth_trying,
)
from taktplan.balance.twosided.loads import (
    WORK_PER_SECOND as LOAD_WORK_PER_SECOND,
)
from taktplan.balance.twosided.one_sided_end import (
    EndSplit,
    closed_end_sets,
    end_splits,
    one_sided_station,
)
from taktplan.balance.twosided.problem import SIDE_NAMES, TwoSidedProblem
from taktplan.balance.twosided.result import (
    Position,
    ScheduledTask,
    Station,
    TwoSidedResult,
)
from taktplan.balance.twosided.reverse import reversed_problem, unreverse
from taktplan.balance.twosided.search import BudgetExhausted, StationSearch
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.balance.twosided.windows import (
    WindowResult,
    fewer_operators_by_windows,
    shorten_by_windows,
    sub_problem,
)
from taktplan.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

BACKENDS = ("auto", "search", "cp-sat")


#: Station-search nodes a CPU second expands: 19,000 (P205) to 30,000
#: (P65) on the 2-core EPYC VM of BENCHMARKS.md, round 5.
NODES_PER_SECOND = 20_000
#: CP-SAT deterministic time per CPU second: one unit of it took 2.4 (P65)
#: to 5.0 (P205) CPU seconds on one worker (BENCHMARKS.md, round 5), so
#: it is no "second on one core".
CPSAT_WORK_PER_SECOND = 0.2
#: Local-search moves a CPU second evaluates (compiled,
#: :mod:`._improve`): 200,000 on P205's stations of 20-50 tasks, about a
#: million on the plant's of 5-10.
MOVES_PER_SECOND = 200_000
#: A run on :meth:`Budget.for_seconds` ``S`` stops at ``SAFETY_FACTOR *
#: S`` CPU seconds at the latest (a machine far slower than the rates
#: above) and says so (``limit_hit``).
SAFETY_FACTOR = 3.0
#: The share of ``S`` each phase of :meth:`Budget.for_seconds` gets:
#: the search's nodes, CP-SAT's deterministic time; the rest is left
#: for the greedy lines, the local search and the bounds (3-6 s on P205).
_SEARCH_SHARE = 0.15
#: The share of a run's seconds for the load search of :mod:`.loads`.
_LOADS_SHARE = 0.3
_CPSAT_SHARE = 0.3
#: The share of a run's seconds for each local search (a type-II line
#: runs it once a direction): P205's lines with 4-14 stations gain
#: 0.3-3 % at 0.1 (600,000 moves at 30 s) over 20,000 moves; at 0.2
#: some gain more, others less, and the runs reach 31 s.
_MOVES_SHARE = 0.1
#: Type I's fits search with this many times the moves (it has no load
#: search, and the fit decides its runs): P205 with 9 stations at 1322
#: ends at 1369 after 600,000 moves and reaches 1323 after 1,200,000.
_FIT_MOVES = 2
#: The share of CP-SAT's work that the window search (:mod:`.windows`)
#: may spend before the decisions: on shortening the greedy line (type
#: II; P205 m=9 from 1391: 1343 at 0.5, 1323 at 0.8, where the
#: whole-line model with the rest gained nothing), on fitting the
#: bound's station count and on fewer operators (type I).
_WINDOW_SHARE = 0.8


@dataclass(frozen=True)
class Budget:
    """Work budgets of one solve: the same answer on any machine.

    ``nodes`` for the station-oriented search (all its decisions of one
    run together), ``work`` CP-SAT deterministic time (all its models of
    one run together; one unit is 2.4-5 CPU seconds, see
    :data:`CPSAT_WORK_PER_SECOND`), ``time_limit`` wall seconds and
    ``cpu_limit`` CPU seconds as safety nets (``None``: none), ``restarts``
    of the heuristic, ``moves`` the type-II local search evaluates,
    ``seed``, ``loads`` the load search's work (:mod:`.loads`; type I,
    which has none, spends the same CPU seconds on CP-SAT windows that
    fit the bound's stations). :meth:`for_seconds` turns a time limit
    into these budgets.
    """

    nodes: int = 200_000
    moves: int = 20_000
    work: float = 20.0
    time_limit: float = 60.0
    restarts: int = 40
    seed: int = 0
    backend: str = "auto"
    cpu_limit: float | None = None
    loads: int = 200_000_000

    @classmethod
    def for_seconds(cls, seconds: float, *, seed: int = 0,
                    backend: str = "auto",
                    operators_per_side: int = 1) -> Budget:
        """The budgets of a run of about ``seconds`` CPU seconds, counted
        in work (nodes, deterministic time, moves), so the same limit
        gives the same line on any machine and load; the clock is only
        a safety net at :data:`SAFETY_FACTOR` times ``seconds`` (CPU).
        A multi-manned line (``operators_per_side`` K above 1) gets
        ``1 / K`` of the nodes: a node of the station search tries each
        task on every position (P148 with two operators a side at 357,
        10 s: 13.5 s of CPU with every node, 8.9 s with half; ``1 / K**2``
        cost P65 at 326 an operator)."""
        s = max(0.0, float(seconds))
        k = max(1, int(operators_per_side))
        return cls(nodes=int(s * _SEARCH_SHARE * NODES_PER_SECOND) // k,
                   work=s * _CPSAT_SHARE * CPSAT_WORK_PER_SECOND,
                   time_limit=max(60.0, 10 * SAFETY_FACTOR * s),
                   cpu_limit=SAFETY_FACTOR * s, seed=seed, backend=backend,
                   loads=int(s * _LOADS_SHARE * LOAD_WORK_PER_SECOND),
                   moves=max(Budget.moves,
                             int(s * _MOVES_SHARE * MOVES_PER_SECOND)))


class _Counter:
    def __init__(self, budget: Budget, problem: TwoSidedProblem,
                 progress: Callable[[float], None] | None = None) -> None:
        self.progress = progress
        self._total = 0.0  # the budgets in seconds, once they are set
        self._shown = 0.0
        self.nodes_left = budget.nodes
        self.nodes = 0
        self.limit_hit = False
        self.last_nodes = 0
        self.deadline = time.monotonic() + budget.time_limit
        self.cpu_deadline = (None if budget.cpu_limit is None
                             else time.process_time() + budget.cpu_limit)
        self.work_left = budget.work
        self.moves_free = budget.moves
        # CP-SAT work beyond the pool for type I's fits (the load
        # search's share, which type I has no other use for)
        self.fit_extra = 0.0
        back = reversed_problem(problem)
        self.back = prepare(back) if back is not None else None
        self.times = problem.times
        self.problems = (problem, back)
        self._early: dict[tuple[int, int, bool], tuple[int, ...]] = {}
        # (c, m) whose one-sided ends the load search did not fill: the
        # station phase and the operator phase ask the same question
        self.ends_failed: set[tuple[int, int]] = set()

    def search(self, prep: Prepared, c: int, m: int,
               max_positions: int | None = None, limit: int | None = None
               ) -> tuple[bool, Placement | None]:
        """Decide ``m`` stations at cycle ``c`` (within ``limit`` nodes
        of those left): whether it decided, and the line it found
        (``None``: none exists, when decided). With a reversed instance
        the two directions take turns with growing node limits (each
        restart from scratch: at most a third of the work is repeated),
        so whichever end of the graph is easier decides."""
        allowed = self.nodes_left if limit is None else min(limit,
                                                            self.nodes_left)
        self.last_nodes = 0
        if allowed <= 0:
            self.limit_hit = True
            return False, None
        turns: list[tuple[bool, int]] = [(False, allowed)]
        if self.back is not None:
            turns = []
            left, piece = allowed, max(1, allowed // _FIRST_TURN)
            while left > 0:
                if 2 * piece * _GROWTH > left:
                    piece = max(1, left // 2)
                for back in (False, True):
                    if left > 0:
                        turns.append((back, min(piece, left)))
                        left -= min(piece, left)
                piece *= _GROWTH
        for back, turn in turns:
            if self.cpu_left() <= 0:
                break  # the CPU safety net: reported as limit_hit
            decided, found, used = self._run(
                self.back if back and self.back else prep, c, m, turn,
                max_positions, back)
            self.last_nodes += used
            if decided:
                return decided, found
        self.limit_hit = True
        return False, None

    def _run(self, prep: Prepared, c: int, m: int, allowed: int,
             max_positions: int | None, back: bool
             ) -> tuple[bool, Placement | None, int]:
        """One search in one direction within ``allowed`` nodes: whether
        it decided, the line, the nodes it used."""
        s = StationSearch(prep, c, m, allowed, max_positions,
                          early=self.early(c, m, back))
        decided = True
        found: Placement | None = None
        try:
            found = s.run()
        except BudgetExhausted:
            decided = False
        self.nodes += s.nodes
        self.nodes_left -= s.nodes
        self.report()
        if found is not None and back:
            found = unreverse(found, self.times)
        return decided, found, s.nodes

    def early(self, c: int, m: int, back: bool) -> tuple[int, ...] | None:
        """Earliest station of each task at ``(c, m)`` by the station
        windows, of the graph read ``back`` or forward (cached)."""
        key = (c, m, back)
        if key not in self._early:
            problem = self.problems[1 if back else 0]
            if problem is None:
                return None
            early, _ = station_windows(problem, c, m)
            self._early[key] = tuple(int(x) for x in early)
        return self._early[key]

    def cpu_left(self) -> float:
        """CPU seconds left before the safety net (inf without one)."""
        if self.cpu_deadline is None:
            return float("inf")
        return self.cpu_deadline - time.process_time()

    def wall_left(self) -> float:
        """Seconds CP-SAT may run by the safety nets: the wall clock's,
        and the CPU clock's (one worker: its wall time is at least its
        CPU time)."""
        return max(0.5, min(self.deadline - time.monotonic(),
                            self.cpu_left()))

    def cpsat_work(self, share: float | None = None) -> float:
        """CP-SAT deterministic time for the next model: ``share`` of
        the run's pool, at most what is left of it."""
        return max(0.0, self.work_left if share is None
                   else min(share, self.work_left))

    def spent(self, out_work: float) -> None:
        """Book a CP-SAT model's deterministic time against the pool."""
        self.work_left -= out_work
        self.report()

    def charge(self, part: Budget) -> None:
        """Book a sub-run's whole budget ``part`` against this run's."""
        self.nodes_left = max(0, self.nodes_left - part.nodes)
        self.work_left -= part.work
        self.moves_free = max(0, self.moves_free - part.moves)
        self.fit_extra = max(0.0, self.fit_extra - _loads_as_cpsat(part))
        self.report()

    def by_loads(self, problem: TwoSidedProblem, c: int, m: int
                 ) -> tuple[bool, Placement | None]:
        """Type I's decision of ``m`` stations at ``c`` by the load
        search (:mod:`.loads`), paid out of ``fit_extra`` (the load
        search's share, converted back at the two rates): whether it
        decided, and the line (``None``: none exists, when decided)."""
        allowed = int(self.fit_extra / CPSAT_WORK_PER_SECOND
                      * LOAD_WORK_PER_SECOND)
        if allowed <= 0 or self.cpu_left() <= 0:
            self.limit_hit = True
            return False, None
        out = fits_by_loads(problem, c, m, allowed)
        self.fit_extra = max(0.0, self.fit_extra - out.work
                             / LOAD_WORK_PER_SECOND * CPSAT_WORK_PER_SECOND)
        self.report()
        return out.decided, out.line

    def _left_s(self) -> float:
        """What is left of the budgets, in seconds of CPU at their
        rates."""
        return (self.nodes_left / NODES_PER_SECOND
                + max(0.0, self.work_left + self.fit_extra)
                / CPSAT_WORK_PER_SECOND
                + self.moves_free / MOVES_PER_SECOND)

    def start_progress(self) -> None:
        """Take the budgets as they are now as the whole run."""
        self._total = self._left_s()

    def report(self) -> None:
        """Tell ``progress`` the share of the budgets spent (it only
        grows; a run that ends early jumps to 1 at its end)."""
        if self.progress is None or self._total <= 0:
            return
        done = min(1.0, max(0.0, 1.0 - self._left_s() / self._total))
        if done > self._shown + 0.005:
            self._shown = done
            self.progress(done)

    def moved(self, used: int) -> None:
        """Book local-search moves: a run's first ``moves_free`` are its
        own share; beyond them (a type-I fit in both directions, then
        the one-sided end's rest) they come out of the station search's
        nodes at the two rates (P205 at 1133 ran three searches of 1.2
        million moves, 15 s, and then the search's 90,000 nodes, 12 s,
        31 s in all), and what those cannot pay out of CP-SAT's pool."""
        free = min(used, self.moves_free)
        self.moves_free -= free
        seconds = (used - free) / MOVES_PER_SECOND
        nodes = min(self.nodes_left, int(seconds * NODES_PER_SECOND))
        self.nodes_left -= nodes
        # what the nodes cannot pay comes out of CP-SAT's pool
        self.work_left -= max(0.0, seconds - nodes / NODES_PER_SECOND) * (
            CPSAT_WORK_PER_SECOND)
        self.report()


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise InputError("<command line>", "--backend",
                         f"unknown backend {backend!r}",
                         f"give one of {', '.join(BACKENDS)}")


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
    _check_backend(budget.backend)
    cpu0 = time.process_time()
    c = int(cycle_time)
    problem.check_cycle_time(c)
    prep = prepare(problem)
    count = _Counter(budget, problem, progress)
    count.fit_extra = _loads_as_cpsat(budget)
    count.moves_free = _FIT_MOVES * budget.moves
    count.start_progress()
    lb = stations_bound(problem, c)
    line = best_line(prep, c, problem.n_tasks + 1, budget.restarts,
                     budget.seed)
    ub = len(line) if line is not None else problem.n_tasks + 1
    ub = max(ub, int(problem.group_station.max()) + 1)
    how = "heuristic" if lb < ub else "bound"
    if line is not None and _end_first_wanted(problem, c, lb, budget):
        goal = 2 * lb - 1
        if lb == ub and staffed_positions(line) > goal:
            # the cheap ways first (P148 at 255-510: 0.2-0.4 s)
            line = best_line(prep, c, lb, budget.restarts, budget.seed,
                             max_positions=goal) or line
            line = _drain_positions(prep, line, c, goal, budget, count)
        if lb < ub or staffed_positions(line) > goal:
            ended = _end_by_loads(problem, c, lb, count)
            if ended is not None:
                line, ub, how = ended, len(ended), "loads"
            else:
                ended = _end_first(problem, c, lb, budget, count)
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
        line = _fit_downwards(problem, prep, c, lb, line, budget, count)
        ub = len(line)
    elif lb < ub:
        fewer, near = _fit_stations(problem, prep, c, lb, budget, count)
        if fewer is not None:
            line, ub = fewer, len(fewer)
        elif ub - lb >= 2 and line is not None:
            # a station count between the bound and the greedy line's
            # (P205 at 944: 13 does not fit, the greedy line has 15;
            # merged or fitted from the top, 14)
            line = _fit_downwards(problem, prep, c, lb + 1, line, budget,
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
    if _use_cpsat(problem, budget):
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
    line = _found(problem, line, "", problem.cycle_advice)
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
        line = _drain_positions(prep, line, c, op_lb, budget, count)
        ops = staffed_positions(line)
    if lb == m and ops > op_lb == 2 * m - 1 and applicable(problem):
        ended = _end_by_loads(problem, c, m, count)
        if ended is not None:
            line, ops, how = ended, staffed_positions(ended), "loads"
        else:
            ended = _free_one_position(problem, c, m, budget, count)
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
    windows_ok = (_use_cpsat(problem, budget) and lb == m) or (
        bool(problem.extra_limits)
        and budget.backend in ("auto", "cp-sat"))
    if ops > op_lb and windows_ok and count.cpsat_work() > 0:
        won = fewer_operators_by_windows(
            problem, line, c, count.cpsat_work() * _WINDOW_SHARE,
            seed=budget.seed, floor=op_lb, time_left=count.wall_left)
        count.spent(won.work)
        if won.operators < ops:
            line, ops, how = won.line, won.operators, "cp-sat"
    if (ops > op_lb and _use_cpsat(problem, budget) and lb == m
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
    count = _Counter(budget, problem)
    lb = cycle_bound(problem, m)
    short = _shortest_line(problem, prep, m, lb, lb, budget, count)
    line, ub, how, pool = short.line, short.cycle, short.how, short.pool
    nodes = short.nodes
    backends: list[_Decider] = []
    if _use_cpsat(problem, budget):
        def by_cpsat(c: int, share: float) -> tuple[Decision, float]:
            out = solve_cpsat(problem, c=c, m=m, c_high=c, hint=line,
                              work_limit=share, time_limit=count.wall_left(),
                              seed=budget.seed)
            decided = out.line is not None or out.proved
            return Decision(decided, out.line), out.work

        backends.append(_Decider("cp-sat", by_cpsat, pool / 4,
                                 upward=False))
    if budget.backend in ("auto", "search"):
        def by_search(c: int, share: float) -> tuple[Decision, float]:
            decided, found = count.search(prep, c, m, limit=int(share))
            return (Decision(decided, found), float(count.last_nodes))

        backends.append(_Decider("search", by_search, float(nodes)))
    # after the search: where the search fills the bound at once (P148)
    # the loads would only spend; where it cannot (P65) they decide
    if budget.backend in ("auto", "search") and worth_trying(problem, lb, m):
        def by_loads(c: int, share: float) -> tuple[Decision, float]:
            if count.cpu_left() <= 0:
                count.limit_hit = True  # the CPU safety net
                return Decision(False, None), share
            out = fits_by_loads(problem, c, m, int(share))
            return Decision(out.decided, out.line), float(out.work)

        backends.append(_Decider("loads", by_loads, float(budget.loads)))
    line, lb, ub, used = _decide_cycles(backends, prep, line, lb, ub)
    how = used or how
    cpsat = [b for b in backends if b.name == "cp-sat"]
    rest = pool * 3 / 4 + max(0.0, cpsat[0].left) if cpsat else 0.0
    if cpsat and lb < ub and line and rest > 0:
        # the rest of CP-SAT's work: the least cycle below the best line,
        # started from it, whose proved bound also raises lb
        out = solve_cpsat(problem, c=None, m=m, c_high=ub - 1, c_low=lb,
                          hint=line, work_limit=rest,
                          time_limit=count.wall_left(), seed=budget.seed)
        if out.line is not None:
            line, ub, how = out.line, cycle_of(prep, out.line), "cp-sat"
        if out.proved:
            lb = ub if out.line is None else max(lb, out.value)
        else:
            lb = min(ub, max(lb, out.bound))
    if lb < ub:
        count.limit_hit = True
    line = _found(problem, line, f" with {m} stations",
                  "give more stations")
    status = "optimal" if lb >= ub else "feasible"
    ops = staffed_positions(line)
    return _result(problem, "TALBP-2", status, ub, min(lb, ub), ops, line,
                   cpu0, count, how, pad_to=m)


@dataclass(frozen=True)
class _Shortest:
    """What :func:`_shortest_line` found and left: the line (``None``:
    the greedy found none), its cycle, how, and the CP-SAT work and
    station-search nodes still unspent."""

    line: Placement | None
    cycle: int
    how: str
    pool: float
    nodes: int


def _shortest_line(problem: TwoSidedProblem, prep: Prepared, m: int,
                   lb: int, floor: int, budget: Budget, count: _Counter
                   ) -> _Shortest:
    """Type II's heuristics: the greedy line of ``m`` stations with the
    least cycle shortened by the local search, both ways through the
    graph, then by windows in rounds (:func:`_shorten_in_rounds`) until
    the cycle is at most ``floor``."""
    line, ub = _short_line(problem, prep, m, lb, budget)
    back = reversed_problem(problem)
    if back is not None and lb < ub:
        # the same greedy and local search on the graph read backwards
        # often end lower (P205 m=4: 3001 against 3156)
        other, cycle = _short_line(back, prepare(back), m, lb, budget)
        if other is not None and cycle < ub:
            line, ub = unreverse(other, problem.times), cycle
    how = "heuristic" if lb < ub else "bound"
    pool = budget.work
    # where the load search will not run (its gate: a line that idles
    # little), its share and most of the station search's nodes buy
    # windows instead: on P205 the search decides no cycle in them
    nodes = budget.nodes
    spare = 0.0
    if (_use_cpsat(problem, budget) and budget.backend == "auto"
            and not worth_trying(problem, lb, m)):
        moved = int(nodes * _IDLE_NODES_SHARE)
        nodes -= moved
        spare = _loads_as_cpsat(budget) + (
            moved / NODES_PER_SECOND * CPSAT_WORK_PER_SECOND)
    if (_use_cpsat(problem, budget) and line is not None
            and floor < ub):
        won = _shorten_in_rounds(problem, prep, line, m,
                                 pool * _WINDOW_SHARE + spare, floor,
                                 budget, count)
        pool -= max(0.0, won.work - spare)
        if won.cycle < ub:
            line, ub, how = won.line, won.cycle, "cp-sat"
    return _Shortest(line, ub, how, pool, nodes)


def _shorten_in_rounds(problem: TwoSidedProblem, prep: Prepared,
                       line: Placement, m: int, work: float, lb: int,
                       budget: Budget, count: _Counter) -> WindowResult:
    """``line`` shortened by windows (:func:`.windows.shorten_by_windows`)
    in :data:`_WINDOW_ROUNDS` + 1 equal pieces of ``work``: the first
    from ``line``, each later one from the best line so far after the
    local search with a new seed (half the type-II moves, paid out of
    ``work`` at the two rates) and with CP-SAT on that seed, until the
    cycle meets ``lb``. Windows converge on a line that one more seed of
    the same kind leaves as it is (P205 with 8 stations: 1491 after 4,
    6, 8 and 10 units); the local search's moves change stations the
    windows then shorten again (1481, then 1467)."""
    rounds = _WINDOW_ROUNDS
    best = shorten_by_windows(problem, line, m, work / (rounds + 1),
                              seed=budget.seed, floor=lb,
                              time_left=count.wall_left)
    spent = best.work
    for r in range(1, rounds + 1):
        if best.cycle <= lb or spent >= work:
            break
        moves = min(budget.moves // 2, int(
            (work - spent) / CPSAT_WORK_PER_SECOND * MOVES_PER_SECOND))
        kicked, used = improve_cycle(prep, best.line, moves, budget.seed + r)
        spent += used / MOVES_PER_SECOND * CPSAT_WORK_PER_SECOND
        won = shorten_by_windows(problem, kicked, m,
                                 max(0.0, work - spent) / (rounds + 1 - r),
                                 seed=budget.seed + r, floor=lb,
                                 time_left=count.wall_left)
        spent += won.work
        if won.cycle < best.cycle:
            best = won
    return replace(best, work=spent)


@dataclass(frozen=True)
class Decision:
    """One answer to "does cycle ``c`` fit?": ``decided`` when the
    backend finished, ``line`` a line found (``None`` with ``decided``:
    no line exists)."""

    decided: bool
    line: Placement | None


@dataclass
class _Decider:
    """A backend answering "does cycle ``c`` fit?" within a share of its
    work (nodes or CP-SAT deterministic time); ``left`` is what remains
    of its budget."""

    name: str
    decide: Callable[[int, float], tuple[Decision, float]]
    left: float
    upward: bool = True

    def __post_init__(self) -> None:
        self.piece = self.left / _SLICES


def _decide_cycles(backends: list[_Decider], prep: Prepared,
                   line: Placement | None, lb: int, ub: int
                   ) -> tuple[Placement | None, int, int, str | None]:
    """Type II as decisions at fixed cycles, in three phases.

    1. *Probe*: the backends marked ``upward`` try ``lb`` with
       ``_PROBE`` of their budget (the search fills a tight cycle often
       at once, and when not, only a long run decides it).
    2. *Downward* from ``ub - 1`` while that is above ``lb``: each
       backend in turn, the last one that decided first, gets a slice
       (a line found lowers ``ub``, a refutation makes ``ub``
       optimal), until no backend decides a cycle.
    3. *Upward* from ``lb``: each backend marked ``upward`` with all
       its work left (a refutation raises ``lb``, a line is optimal).

    A fixed cycle is a much smaller question than the cycle's minimum,
    and no answer rests on a hint. Without a line yet only phase 3
    runs. Returns the line, both bounds and the backend that found the
    line or proved the bound last."""
    how: str | None = None
    phase = "probe" if line is not None else "up"
    order = list(backends)
    while lb < ub:
        if phase == "down" and ub - 1 <= lb:
            phase = "up"
        c = ub - 1 if phase == "down" else lb
        answer: Decision | None = None
        for backend in order:
            if backend.left <= 0 or not (phase == "down" or backend.upward):
                continue
            if phase == "up":
                share = backend.left
            elif phase == "probe":
                share = backend.left * _PROBE
            else:
                share = min(backend.piece, backend.left)
            answer, used = backend.decide(c, share)
            backend.left -= max(used, backend.piece / 1000)
            if answer.decided:
                how = backend.name
                order.remove(backend)
                order.insert(0, backend)
                break
        if answer is not None and answer.decided:
            if answer.line is not None:
                line, ub = answer.line, cycle_of(prep, answer.line)
            elif phase == "down":
                lb = ub
            else:
                lb += 1
        elif phase == "up":
            break
        elif phase == "probe":
            phase = "down"
        else:
            phase = "up"
    return line, lb, ub, how


#: The first turn of each direction gets this fraction of the nodes.
_FIRST_TURN = 64
#: Each later turn of both directions gets this many times the last.
_GROWTH = 4
#: The share of the station search's nodes type I probes its bound with
#: before the fits, where a line at the bound idles less than
#: ``_PROBE_IDLE`` mean task times (there the search's bounds prune
#: hard: P148 at 258 and 366, 1.0 and 0 tasks, are filled in 1,700 and
#: 1,800 nodes; where the line idles more the fits are quicker, P65 at
#: 381, 3 tasks: 0.6 s by the probe, 0.02 s by the fits).
_PROBE_I = 0.25
_PROBE_IDLE = 2.0
#: Type II's downward decisions take this many slices of each budget.
_SLICES = 8
#: The share of what is left that the probe at the bound may use.
_PROBE = 0.75


def _found(problem: TwoSidedProblem, line: Placement | None,
           what: str, more: str) -> Placement:
    """``line``, or the input error that no line keeps the rules
    (``more``: what gives a line more room, as the user would do it)."""
    if line is None:
        rules = problem.rules_text()
        limits = " and the variant limits" if problem.extra_limits else ""
        raise InputError(problem.source, None,
                         f"no line{what} keeps all the zoning rules"
                         f"{f' ({rules})' if rules else ''}{limits} within "
                         "the search's budget",
                         f"loosen one of these rules or {more}")
    return line


#: The share of the station search's nodes that type II turns into
#: windows where the load search will not run (P205: the search decided
#: none of its cycles; 4.5 s of a 30 s run for nothing). The rest still
#: decides what the search fills at once.
_IDLE_NODES_SHARE = 0.9
#: Rounds of local search and windows after the first windows (type II,
#: :func:`_shorten_in_rounds`): P205 m = 4..13 at 30 s, seed 0, line
#: over bound 1.0088 on average (1.0136 without rounds; 2, 3 and 5
#: rounds 1.0114, 1.0090, 1.0093; BENCHMARKS.md round 12), seeds 0-2
#: 1.0078 against 1.0140.
_WINDOW_ROUNDS = 4


def _loads_as_cpsat(budget: Budget) -> float:
    """CP-SAT work bought by the load search's share where that search
    does not run (type I; type II on lines that idle much): the same
    CPU seconds at CP-SAT's rate. P205 at 1322 needs 2.2 units of window
    work to fit its bound's 9 stations; the first windows have 0.8 of
    CP-SAT's pool, 1.4 in a 30 s run."""
    return (budget.loads / LOAD_WORK_PER_SECOND) * CPSAT_WORK_PER_SECOND


def _use_cpsat(problem: TwoSidedProblem, budget: Budget) -> bool:
    """CP-SAT's whole-line models run unless the backend is the search
    alone or the problem has extra dimensions (variants), which they
    keep only as a relaxation (each variant in its own order: a line
    from them needs re-sequencing, :mod:`.mixed_cpsat`)."""
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
            line, hi = found, min(mid, cycle_of(prep, found))
        else:
            lo = mid + 1
    return line, cycle_of(prep, line)


def _short_line(problem: TwoSidedProblem, prep: Prepared, m: int, lb: int,
                budget: Budget) -> tuple[Placement | None, int]:
    """The greedy line of ``m`` stations with the least cycle, shortened
    by the local search, and its cycle."""
    line, ub = _heuristic_cycle(problem, prep, m, lb, budget)
    if line is not None and lb < ub:
        line, _ = improve_cycle(prep, line + [[] for _ in range(
            m - len(line))], budget.moves, budget.seed)
        ub = cycle_of(prep, line)
    return line, ub


def _fit_stations(problem: TwoSidedProblem, prep: Prepared, c: int, m: int,
                  budget: Budget, count: _Counter, both_ways: bool = True
                  ) -> tuple[Placement | None, Placement | None]:
    """A line of ``m`` stations within cycle ``c`` from the type-II side:
    the greedy line of ``m`` stations with the least cycle, shortened by
    the local search and then by the window search on the load search's
    share and CP-SAT's work (``None`` when it stays above ``c``), and
    that shortest line of ``m`` stations whatever its cycle (a hint).
    With ``both_ways`` the greedy line and local search also run on the
    graph read backwards (the one-sided end's rest skips it: 4-5 s on
    P205, see :func:`_free_one_position`)."""
    if problem.extra_limits:
        return _fit_with_variants(problem, prep, c, m, budget, count)
    line, cycle = _heuristic_cycle(problem, prep, m, cycle_bound(problem, m),
                                   budget)
    if line is None:
        return None, None
    if cycle > c:
        line = _improve_to(prep, line, m, c, budget, count,
                           seeds=not both_ways)
        cycle = cycle_of(prep, line)
    starts = [(cycle, line)]
    back = reversed_problem(problem) if both_ways else None
    if cycle > c and back is not None:
        # the same from the graph read backwards, as type II does (P205
        # at 1133: 11 stations at cycle 1119 that way)
        bprep = prepare(back)
        other, bcycle = _heuristic_cycle(back, bprep, m,
                                         cycle_bound(back, m), budget)
        if other is not None and bcycle > c:
            other = _improve_to(bprep, other, m, c, budget, count,
                                seeds=False)
            bcycle = cycle_of(bprep, other)
        if other is not None:
            starts.append((bcycle, unreverse(other, problem.times)))
    starts.sort(key=lambda s: s[0])
    return _fit_by_windows(problem, prep, c, m, starts, budget, count)


def _improve_to(prep: Prepared, line: Placement, m: int, c: int,
                budget: Budget, count: _Counter, seeds: bool) -> Placement:
    """``line`` (padded to ``m`` stations) shortened towards ``c`` by the
    local search on :data:`_FIT_MOVES` times the moves and, with
    ``seeds``, while the line stays above ``c``, by :data:`_EXTRA_SEEDS`
    more seeds on a quarter of that each; the shortest line."""
    start = line + [[] for _ in range(m - len(line))]
    moves = _FIT_MOVES * budget.moves
    best, used = improve_cycle(prep, start, moves, budget.seed, target=c)
    count.moved(used)
    for r in range(1, 1 + (_EXTRA_SEEDS if seeds else 0)):
        if cycle_of(prep, best) <= c:
            break
        other, used = improve_cycle(prep, start, moves // 4,
                                    budget.seed + r, target=c)
        count.moved(used)
        if cycle_of(prep, other) < cycle_of(prep, best):
            best = other
    return best


#: Seeds the fit's local search tries after the first, while the line
#: stays above the cycle, where the fit runs one direction only (the one
#: -sided end's rest; the two directions of the bound's fit are two
#: starts already): where the search ends depends on its seed (P148 at
#: 306, the rest on 8 stations: seeds 0-3 end at 313, 316, 306 and 321).
_EXTRA_SEEDS = 2


def _fit_with_variants(problem: TwoSidedProblem, prep: Prepared, c: int,
                       m: int, budget: Budget, count: _Counter
                       ) -> tuple[Placement | None, Placement | None]:
    """:func:`_fit_stations` for a problem with extra dimensions
    (variants): the local search scores the variants too and starts
    from the greedy line on the weighted times alone, which breaks them
    (the greedy that keeps them packs the variant-heavy tasks first and
    leaves chains of one side that no move undoes: the plant's trim
    segment with 13 stations ended at 1209 against 1169 from there, and
    fitted from the weighted line, before the variants' mean was kept);
    the windows then re-solve with every variant kept."""
    start, _ = _weighted_start(problem, m, budget)
    if start is None:
        return None, None
    padded = start + [[] for _ in range(m - len(start))]
    best: tuple[int, Placement] | None = None
    for r in range(_VARIANT_STARTS):
        line, used = improve_cycle(prep, padded,
                                   budget.moves // _VARIANT_STARTS,
                                   budget.seed + r, target=c)
        count.moved(used)
        if line is padded:
            break  # not even the variants fit: other seeds seldom do
        cycle = cycle_of(prep, line)
        if best is None or cycle < best[0]:
            best = (cycle, line)
        if cycle <= c:
            break
    if best is None:
        return None, None
    return _fit_by_windows(problem, prep, c, m, [best], budget, count)


#: Seeds of the local search for a problem with extra dimensions, each
#: on an equal share of the moves, until one fits: the search from the
#: weighted line ends at the cycle or a few percent above it, by its
#: seed (the plant's trim segment with 13 stations: 5 of 8 seeds fit on
#: a million moves each, chassis with 9: 7 of 8).
_VARIANT_STARTS = 4


def _fit_by_windows(problem: TwoSidedProblem, prep: Prepared, c: int, m: int,
                    starts: list[tuple[int, Placement]], budget: Budget,
                    count: _Counter
                    ) -> tuple[Placement | None, Placement | None]:
    """The best of ``starts`` (cycle, line of ``m`` stations), shortened
    by the window search where it is above ``c``: the fitted line
    (``None`` when it stays above) and the shortest line (a hint)."""
    cycle, line = starts[0]
    if cycle > c and budget.backend in ("auto", "cp-sat"):
        # type I has no load search: its share goes here after the
        # pool's, and what it takes comes out of the station search's
        # nodes too (P205's type-I runs already take 17-30 s, and the
        # search decides none of them). A window search that ends with
        # every window decided is started again from its own line while
        # that helps (each start offers narrow windows again: P205 at
        # 1510 from 1553 ends at 1520, and from there reaches 1510),
        # then from the other direction's line; one whose pace says it
        # will not reach c stops early.
        share = count.cpsat_work() * _WINDOW_SHARE
        limit = share + count.fit_extra
        spent = 0.0
        for here, start in starts:
            while cycle > c and spent < limit:
                won = shorten_by_windows(problem, start, m, limit - spent,
                                         seed=budget.seed, floor=c,
                                         time_left=count.wall_left,
                                         give_up=True)
                spent += won.work
                if won.cycle < cycle:
                    line, cycle = won.line, won.cycle
                if won.cycle >= here or won.gave_up:
                    break
                start, here = won.line, won.cycle
        count.spent(min(spent, share))
        beyond = max(0.0, spent - share)
        count.fit_extra = max(0.0, count.fit_extra - beyond)
        count.nodes_left = max(0, count.nodes_left - int(
            beyond / CPSAT_WORK_PER_SECOND * NODES_PER_SECOND))
    return (_kept(prep, line) if cycle <= c else None), line


def _fit_downwards(problem: TwoSidedProblem, prep: Prepared, c: int,
                   lb: int, line: Placement, budget: Budget,
                   count: _Counter) -> Placement:
    """``line`` with one station fewer at a time, fitted (by a merge,
    :func:`_fit_by_merging`, else :func:`_fit_stations`), until a fit
    fails or ``lb`` stations. For a
    problem with extra dimensions (variants), whose fits are hardest at
    the bound: the plant's trim segment has 14 stations by the greedy
    lines, 13 by the fit and a bound of 12; and on a plain problem,
    down to one above the bound where the bound's own fit failed."""
    m = len(line) - 1
    while m >= lb:
        fewer = _fit_by_merging(prep, c, line, m - lb, budget, count)
        if fewer is None:
            fewer, _ = _fit_stations(problem, prep, c, m, budget, count)
        if fewer is None:
            break
        line = fewer
        m = len(line) - 1
    return line


def _fit_by_merging(prep: Prepared, c: int, line: Placement, tries: int,
                    budget: Budget, count: _Counter) -> Placement | None:
    """``line`` with one station fewer within ``c`` and every variant's
    limit: one of its ``tries`` (at most :data:`_MERGE_TRIES`)
    least-loaded stations merged into the station before it (the first
    into the next), the local search (:data:`_MERGE_MOVES` of the moves
    each, with swaps) spreading what overflows. A start that keeps the
    line's variants where they are: the plant's trim copied four times
    (380 tasks) fits 53, 52 and 51 stations this way, and from the
    weighted times alone not even 56. The fit downwards gives it one
    try per station the line would still be above its bound: the
    tighter the line, the less often a merge fits (the plant's trim at
    its bound of 12 and chassis at 9: none of 6 tries did, 4 s each),
    and at the bound the fit from the weighted times runs anyway.
    ``None`` when no merge fits. Only stations after the last one with
    a pinned task (the stations after a merge shift), and not merging
    tasks that must be apart."""
    last_pin = max(prep.pin, default=-1)
    loads = [sum(int(prep.t[i]) for i, _, _ in st) for st in line]
    lightest = sorted((k for k in range(len(line)) if last_pin < max(k, 1)),
                      key=lambda k: (loads[k], k))
    for k in lightest[:min(tries, _MERGE_TRIES)]:
        start = _merged(prep, line, k)
        into = start[k - 1 if k > 0 else 0]
        mask = sum(1 << i for i, _, _ in into)
        if any(prep.apart_mask[i] & mask for i, _, _ in into):
            continue
        out, used = improve_cycle(prep, start,
                                  int(budget.moves * _MERGE_MOVES),
                                  budget.seed, target=c)
        count.moved(used)
        # a line the search improved may still be above c (it lowers
        # the time above c first): fitted only within it
        if out is not start and cycle_of(prep, out) <= c:
            return _kept(prep, out) or out
    return None


def _merged(prep: Prepared, line: Placement, k: int) -> Placement:
    """``line`` without station ``k``: its tasks after those of the
    station before it on the same positions (station 0's before those
    of station 1), so precedence holds."""
    out = [list(st) for st in line]
    into = k - 1 if k > 0 else 1
    first, then = (out[into], out[k]) if into < k else (out[k], out[into])
    shift = max((s + int(prep.t[i]) for i, _, s in first), default=0)
    out[into] = first + [(i, q, s + shift) for i, q, s in then]
    del out[k]
    return out


#: Stations :func:`_fit_by_merging` tries to merge away, the least
#: loaded first, and the share of the moves each gets.
_MERGE_TRIES = 6
_MERGE_MOVES = 0.125


def _weighted_start(problem: TwoSidedProblem, m: int, budget: Budget
                    ) -> tuple[Placement | None, int]:
    """The greedy line of ``m`` stations on the weighted times alone, its
    variants (extra dimensions) unchecked: a start for the local search
    where the variants' limits leave the greedy no line of ``m``
    stations at any cycle (the plant's trim segment at 12 and 13)."""
    relaxed = replace(problem, extra_times=None, extra_limits=(),
                      extra_weights=())
    rprep = prepare(relaxed)
    return _heuristic_cycle(relaxed, rprep, m, cycle_bound(relaxed, m),
                            budget)


def _drain_positions(prep: Prepared, line: Placement, c: int, goal: int,
                     budget: Budget, count: _Counter) -> Placement:
    """``line`` with positions freed by the local search's operator mode
    (:func:`.improve.fewer_positions`) while each run frees one, down to
    ``goal`` staffed positions; each run on the budget's moves, out of
    the local search's share that the fits left (none left: no run; P205
    at 1133 spends its whole budget on fitting 11 stations, and a run
    that frees nothing costs 1.5-2 s there)."""
    while staffed_positions(line) > goal:
        moves = min(budget.moves, count.moves_free)
        if moves <= 0:
            break
        fewer, used = fewer_positions(prep, line, c, moves, goal,
                                      budget.seed)
        count.moved(used)
        if fewer is line:
            break
        line = fewer
    return line


def _free_one_position(problem: TwoSidedProblem, c: int, m: int,
                       budget: Budget, count: _Counter
                       ) -> Placement | None:
    """A line of at most ``m`` stations at ``c`` with ``2 m - 1``
    positions or fewer: one end station one-sided
    (:mod:`.one_sided_end`), the rest fitted like the bound's stations
    (:func:`_fit_stations`) on ``m - 1``, for the :data:`_END_TRIES`
    end sets with the most work; ``None`` when no rest fits."""
    for split in end_splits(problem, c)[:_END_TRIES]:
        rest = list(split.rest)
        sub = sub_problem(problem, rest)
        fitted, _ = _fit_stations(sub, prepare(sub), c, m - 1, budget, count,
                                  both_ways=False)
        if fitted is not None:
            return _with_end(problem, split, fitted)
    return None


def _end_by_loads(problem: TwoSidedProblem, c: int, m: int,
                  count: _Counter) -> Placement | None:
    """A line of ``m`` stations at ``c`` with ``2 m - 1`` positions: an
    end station one-sided on one of the end sets that leave the rest
    within ``m - 1`` mated stations (:func:`.closed_end_sets`), the rest
    decided by the load search where it idles under half a task. The
    rest idles what its end set holds above the least such set, so the
    sets with the most work whose rest is still under the gate come
    first: their rests are the easiest to fill (P65 at 341: the first
    end set tried, 341 units, leaves a rest of 16 units of idle that the
    load search fills). ``None`` when no such end set's rest fits within
    the load search's share."""
    n, work = problem.n_tasks, int(problem.times.sum())
    if n > _END_TASKS_PER_STATION * max(1, m - 1) or (
            (c, m) in count.ends_failed):
        return None
    least = work - 2 * c * (m - 1)
    for split in closed_end_sets(problem, c, max(1, least), _END_SET_NODES):
        # the rest idles split.work - least: under the load search's gate
        # (worth_trying, without building the rest for every set)
        if not idles_under(split.work - least, work - split.work,
                           len(split.rest), IDLE_GATE):
            continue
        rest = sub_problem(problem, list(split.rest))
        decided, found = count.by_loads(rest, c, m - 1)
        if found is not None:
            return _with_end(problem, split, found)
        if not decided:
            break
    count.ends_failed.add((c, m))
    return None


#: Nodes of the end sets' enumeration (:func:`.closed_end_sets`).
_END_SET_NODES = 200_000
#: :func:`_end_by_loads` runs on lines of at most this many tasks a
#: station: P65 (8 a station at 341) is decided in 1-5e7 units of work
#: a rest; P205's rests (20-47 a station at 1133-2643) ran out of 3e7
#: or took the run's whole share (P205 at 1888: 0.6 s -> 21 s, at 2643
#: 1.4 s -> 30 s, the same lines).
_END_TASKS_PER_STATION = 16


def _with_end(problem: TwoSidedProblem, split: EndSplit,
              fitted: Placement) -> Placement:
    """The line of ``fitted`` (the stations of ``split.rest``, numbered
    in it) and the one-sided end station of ``split``."""
    others = [[(split.rest[i], q, s) for i, q, s in st] for st in fitted]
    end = one_sided_station(problem, split)
    return [*others, end] if split.last else [end, *others]


def _end_first_wanted(problem: TwoSidedProblem, c: int, lb: int,
                      budget: Budget) -> bool:
    """Whether type I tries :func:`_end_first` before fitting ``lb``
    stations: the operator bound at ``lb`` stations is ``2 lb - 1``, so
    a line of ``lb`` stations with one one-sided end station is optimal
    in both, and the windows (CP-SAT) are at hand."""
    return (budget.backend == "auto" and not problem.extra_limits
            and problem.two_sided and problem.operators_per_side == 1
            and applicable(problem)
            and operators_bound(problem, c, lb) == 2 * lb - 1)


def _end_first(problem: TwoSidedProblem, c: int, m: int, budget: Budget,
               count: _Counter) -> Placement | None:
    """A line of ``m`` stations at ``c`` with ``2 m - 1`` positions: one
    end station one-sided (:mod:`.one_sided_end`) and the rest on
    ``m - 1`` stations by type II's heuristics (:func:`_shortest_line`,
    stopping at ``c``); ``None`` when no rest fits. Type II's rounds of
    seeds and windows fit where type I's fit of ``m`` stations and then
    the draining of a position do not: P205 at 1133, 11 stations, the
    last station's right set (1121) and the rest on 10 stations at 1132
    in 6 s (the fit from the same rest: 1159; 22 operators before, 21
    now, the bound).

    Each try is a run of :data:`_END_TRY_SECONDS` (where the rest ends
    jumps with its budget as much as with its seed, so the tries are
    alike at any time limit), on the two end sets with the most work in
    turn, a new seed for each pair, as many as :data:`_END_FIRST_SHARE`
    of the run's CP-SAT work buys, none below :data:`_END_TRIES_FEWEST`
    (one try of a 10 s run took half its budget, and the fits after it
    ran over: 15 s of CPU); each is booked whole against the run's
    budgets."""
    splits = end_splits(problem, c)[:2]
    one = Budget.for_seconds(_END_TRY_SECONDS)
    tries = int(_END_FIRST_SHARE * budget.work / one.work + 1e-9)
    if tries < _END_TRIES_FEWEST or not splits:
        return None
    for k in range(min(tries, _END_TRIES_MOST)):
        if count.cpu_left() <= 0:
            break  # the run's CPU safety net
        split = splits[k % len(splits)]
        # the try's safety nets, within the run's
        part = replace(one, seed=budget.seed + k // len(splits),
                       time_limit=min(one.time_limit, budget.time_limit),
                       cpu_limit=min(one.cpu_limit or math.inf,
                                     count.cpu_left()))
        count.charge(part)
        sub = sub_problem(problem, list(split.rest))
        lb = cycle_bound(sub, m - 1)
        if lb > c:
            continue
        sprep = prepare(sub)
        short = _shortest_line(sub, sprep, m - 1, lb, c, part,
                               _Counter(part, sub))
        if short.line is None or short.cycle > c:
            continue
        fitted = _kept(sprep, short.line)
        if fitted is not None:
            return _with_end(problem, split, fitted)
    return None


#: CPU seconds' budgets of each try of :func:`_end_first`, the share of
#: the run's CP-SAT work its tries may take, the fewest and the most
#: tries (P205 at 1133, the rest on 10 stations, the two end sets with
#: the most work: 5 s runs with seeds 0-3 fit on one or the other with
#: seeds 0, 1 and 3; 10 s runs with seed 0 on neither, 20 s on one).
_END_TRY_SECONDS = 5.0
_END_FIRST_SHARE = 1 / 2
_END_TRIES_FEWEST = 2
_END_TRIES_MOST = 8


#: End sets :func:`_free_one_position` tries, the most work first (it
#: leaves the least to the rest; P205 at 2266 and 1888: the last
#: station's right set). Each costs the greedy lines and the local
#: search on the rest, one direction (3-5 s on P205), and windows.
_END_TRIES = 1


def _kept(prep: Prepared, line: Placement) -> Placement | None:
    """``line`` without its empty stations, or ``None`` when dropping
    one would move pinned tasks."""
    if any(not st for st in line) and max(prep.pin) >= 0:
        return None
    return [st for st in line if st]


def stations_of(problem: TwoSidedProblem, placement: Placement
                ) -> tuple[Station, ...]:
    """The stations of a placement (``(task, position, start)`` per
    station, as the searches and CP-SAT give it), each position's tasks
    in start order, timed with the problem's times."""
    sides = problem.position_sides
    names = [SIDE_NAMES[s] if problem.two_sided else None for s in sides]
    t = problem.times
    stations = []
    for st in placement:
        per: list[list[ScheduledTask]] = [[] for _ in sides]
        for i, q, s in st:
            per[q].append(ScheduledTask(int(i), int(s), int(s + t[i])))
        stations.append(Station(tuple(
            Position(names[q], tuple(sorted(per[q], key=lambda x: x.start)))
            for q in range(len(per)))))
    return tuple(stations)


def _result(problem: TwoSidedProblem, kind: str, status: str, c: int,
            lb: int, op_lb: int, placement: Placement, cpu0: float,
            count: _Counter, how: str, pad_to: int | None) -> TwoSidedResult:
    rows = list(placement)
    if pad_to is not None:
        rows += [[]] * (pad_to - len(rows))
    result = TwoSidedResult(
        kind=kind, status=status, cycle_time=int(c), lower_bound=int(lb),
        operators_lower_bound=int(op_lb), line=stations_of(problem, rows),
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
