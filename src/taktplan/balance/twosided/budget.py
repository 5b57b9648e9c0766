"""Budgets of a two-sided solve: work counts, their rates, and the
counter that books them.

A run is given work (station-search nodes, CP-SAT deterministic time,
load-search work, local-search moves), not seconds, so the same input
and seed give the same line on any machine; :meth:`Budget.for_seconds`
turns a time limit into these counts at rates measured on the
project's VM, and :class:`RunCounter` books what each phase spends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import station_windows
from taktplan.balance.twosided.loads import (
    WORK_PER_SECOND as LOAD_WORK_PER_SECOND,
)
from taktplan.balance.twosided.loads import fits_by_loads
from taktplan.balance.twosided.reverse import reversed_problem, unreverse
from taktplan.balance.twosided.search import BudgetExhausted, StationSearch
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.errors import InputError
from taktplan.stop_request import raise_if_stopped

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.problem import TwoSidedProblem

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
#: The share of CP-SAT's work that the window search (:mod:`.windows`)
#: may spend before the decisions: on shortening the greedy line (type
#: II; P205 m=9 from 1391: 1343 at 0.5, 1323 at 0.8, where the
#: whole-line model with the rest gained nothing), on fitting the
#: bound's station count and on fewer operators (type I).
WINDOW_SHARE = 0.8


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


class RunCounter:
    """What one run has left of its :class:`Budget` and what it spent:
    the station search's nodes (:meth:`search`, both directions in
    turns), CP-SAT's pool (:meth:`cpsat_work`, :meth:`spent`), the load
    search's share for type I (:meth:`by_loads`), local-search moves
    (:meth:`moved`), the CPU and wall safety nets, whether a budget
    stopped a search (``limit_hit``), and the share spent for
    ``progress``."""

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
        self.fit_extra = max(0.0, self.fit_extra - loads_as_cpsat(part))
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
        grows; a run that ends early jumps to 1 at its end), after
        every phase booked; raise :class:`KeyboardInterrupt` if Ctrl-C
        was pressed during it (inside a kernel it only marked the
        stop)."""
        raise_if_stopped()
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


def check_backend(backend: str) -> None:
    """Raise the input error for a ``--backend`` not in
    :data:`BACKENDS`."""
    if backend not in BACKENDS:
        raise InputError("<command line>", "--backend",
                         f"unknown backend {backend!r}",
                         f"give one of {', '.join(BACKENDS)}")


#: The first turn of each direction gets this fraction of the nodes.
_FIRST_TURN = 64
#: Each later turn of both directions gets this many times the last.
_GROWTH = 4

#: The share of what is left that the probe at the bound may use.
PROBE = 0.75

def loads_as_cpsat(budget: Budget) -> float:
    """CP-SAT work bought by the load search's share where that search
    does not run (type I; type II on lines that idle much): the same
    CPU seconds at CP-SAT's rate. P205 at 1322 needs 2.2 units of window
    work to fit its bound's 9 stations; the first windows have 0.8 of
    CP-SAT's pool, 1.4 in a 30 s run."""
    return (budget.loads / LOAD_WORK_PER_SECOND) * CPSAT_WORK_PER_SECOND


def use_cpsat(problem: TwoSidedProblem, budget: Budget) -> bool:
    """CP-SAT's whole-line models run unless the backend is the search
    alone or the problem has extra dimensions (variants), which they
    keep only as a relaxation (each variant in its own order: a line
    from them needs re-sequencing, :mod:`.mixed_cpsat`)."""
    return budget.backend in ("auto", "cp-sat") and not problem.extra_limits
