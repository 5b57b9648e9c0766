"""Type II of two-sided balancing: the least cycle time for a given
number of mated stations (:func:`solve_talbp2`).

The greedy line of ``m`` stations with the least cycle is shortened by
the local search (both ways through the graph) and by CP-SAT windows
in rounds; then the open cycles are decided at fixed values, from
the bound up, by the station search, the load search and CP-SAT, and
the rest of CP-SAT's work goes to the whole-line model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import cycle_bound
from taktplan.balance.twosided.budget import (
    CPSAT_WORK_PER_SECOND,
    MOVES_PER_SECOND,
    NODES_PER_SECOND,
    PROBE,
    WINDOW_SHARE,
    Budget,
    RunCounter,
    check_backend,
    loads_as_cpsat,
    use_cpsat,
)
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.finish import checked_result, found_line
from taktplan.balance.twosided.heuristic import (
    Placement,
    best_line,
    cycle_of,
    staffed_positions,
)
from taktplan.balance.twosided.improve import improve_cycle
from taktplan.balance.twosided.loads import (
    fits_by_loads,
    worth_trying,
)
from taktplan.balance.twosided.reverse import reversed_problem, unreverse
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.balance.twosided.windows import (
    WindowResult,
    shorten_by_windows,
)
from taktplan.stop_request import kernel_safe_interrupts

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.result import TwoSidedResult

@kernel_safe_interrupts()
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
    check_backend(budget.backend)
    cpu0 = time.process_time()
    m = int(n_stations)
    problem.check_stations(m)
    prep = prepare(problem)
    count = RunCounter(budget, problem)
    lb = cycle_bound(problem, m)
    short = shortest_line(problem, prep, m, lb, lb, budget, count)
    line, ub, how, pool = short.line, short.cycle, short.how, short.pool
    nodes = short.nodes
    backends: list[_Decider] = []
    if use_cpsat(problem, budget):
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
    line = found_line(problem, line, f" with {m} stations",
                      "give more stations")
    status = "optimal" if lb >= ub else "feasible"
    ops = staffed_positions(line)
    return checked_result(problem, "TALBP-2", status, ub, min(lb, ub),
                          ops, line, cpu0, count, how, pad_to=m)


@dataclass(frozen=True)
class _Shortest:
    """What :func:`shortest_line` found and left: the line (``None``:
    the greedy found none), its cycle, how, and the CP-SAT work and
    station-search nodes still unspent."""

    line: Placement | None
    cycle: int
    how: str
    pool: float
    nodes: int


def shortest_line(problem: TwoSidedProblem, prep: Prepared, m: int,
                  lb: int, floor: int, budget: Budget, count: RunCounter
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
    if (use_cpsat(problem, budget) and budget.backend == "auto"
            and not worth_trying(problem, lb, m)):
        moved = int(nodes * _IDLE_NODES_SHARE)
        nodes -= moved
        spare = loads_as_cpsat(budget) + (
            moved / NODES_PER_SECOND * CPSAT_WORK_PER_SECOND)
    if (use_cpsat(problem, budget) and line is not None
            and floor < ub):
        won = _shorten_in_rounds(problem, prep, line, m,
                                 pool * WINDOW_SHARE + spare, floor,
                                 budget, count)
        pool -= max(0.0, won.work - spare)
        if won.cycle < ub:
            line, ub, how = won.line, won.cycle, "cp-sat"
    return _Shortest(line, ub, how, pool, nodes)


def _shorten_in_rounds(problem: TwoSidedProblem, prep: Prepared,
                       line: Placement, m: int, work: float, lb: int,
                       budget: Budget, count: RunCounter) -> WindowResult:
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
       ``PROBE`` of their budget (the search fills a tight cycle often
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
                share = backend.left * PROBE
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

#: Type II's downward decisions take this many slices of each budget.
_SLICES = 8

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

def heuristic_cycle(problem: TwoSidedProblem, prep: Prepared, m: int,
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
    line, ub = heuristic_cycle(problem, prep, m, lb, budget)
    if line is not None and lb < ub:
        line, _ = improve_cycle(prep, line + [[] for _ in range(
            m - len(line))], budget.moves, budget.seed)
        ub = cycle_of(prep, line)
    return line, ub
