"""Exact decisions for two-sided lines with little idle time: station loads
as sets, each timed once.

At cycle ``c`` with ``m`` mated stations the line has ``2 c m - W`` units
of idle time in all (``W`` the work content), and no station may idle
more than what its predecessors left of it. Near the work bound that
budget is a handful of units (P65 with 5 stations at 510: one unit), so
the sets of tasks that can fill a station are few: :func:`fits_by_loads`
enumerates them station by station as sets (predecessor-closed with the
stations before, their work within the idle left, each side's own work
within ``c``), times each set once (:func:`._loads.station_fits`, a compiled
depth-first search over start times, both positions at once) and
remembers the sets of finished tasks that failed from station ``k``.
The station-oriented search of :mod:`.search` appends tasks one at a time
and meets the same load in many orders; here a load is one set.

The search is complete, so it proves a cycle infeasible as well as
finding a line, and it stops on a work count (sets enumerated plus
timing nodes), the same on every machine. It covers the plain two-sided
problem (one operator a side, no zoning rules, one dimension); on other
problems :func:`applicable` is false and the other backends decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.problem import EITHER, LEFT, RIGHT

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.problem import TwoSidedProblem

#: Entries of the timing search's memory (sound when full: states are
#: then no longer remembered, never wrongly).
MEMO_SIZE = 1 << 14

#: Work of one step of the set enumeration (Python) against one node of
#: the compiled timing search (P65, m = 8 at 319: 5.5e6 steps and 2e6
#: nodes in 6 s of CPU, about 1e7 units a second).
STEP_WORK = 10

#: Work units a CPU second does (see :data:`STEP_WORK`).
WORK_PER_SECOND = 10_000_000

#: The search is tried only where a full line idles less than this many
#: mean task times (beyond that the loads are too many to enumerate: P205
#: idles 0.55-0.7 of one at its bounds and is left to the other backends).
IDLE_GATE = 0.5

#: A station with more tasks than this cannot be timed here (the compiled
#: search keeps a station's tasks in one 64-bit word): the decision is
#: then left undecided, never taken as a refutation.
MAX_STATION_TASKS = 64


@dataclass(frozen=True)
class LoadOutcome:
    """The answer of :func:`fits_by_loads`: ``decided`` when the search
    finished (then ``line is None`` means no line exists), ``line`` a
    line found (per station ``(task, position, start)``), ``work`` the
    work it used."""

    decided: bool
    line: Placement | None
    work: int


def applicable(problem: TwoSidedProblem) -> bool:
    """Whether :func:`fits_by_loads` covers the problem: two-sided, one
    operator a side, no zoning rules, no extra dimensions."""
    return bool(problem.two_sided and problem.operators_per_side == 1
                and not problem.together and not problem.apart
                and not (problem.group_station >= 0).any()
                and problem.extra_times is None
                and problem.position_sides == (LEFT, RIGHT))


def worth_trying(problem: TwoSidedProblem, c: int, m: int) -> bool:
    """Whether the search is applicable and the line at ``(c, m)``
    idles less than :data:`IDLE_GATE` mean task times."""
    return (applicable(problem) and idle_budget(problem, c, m) >= 0
            and line_idles_under(problem, c, m, IDLE_GATE))


def line_idles_under(problem: TwoSidedProblem, c: int, m: int,
                     tasks: float) -> bool:
    """Whether a full line of ``m`` mated stations at ``c``
    (:func:`idle_budget`) idles less than ``tasks`` mean task times."""
    return idles_under(idle_budget(problem, c, m), int(problem.times.sum()),
                       problem.n_tasks, tasks)


def idles_under(idle: int, work: int, n_tasks: int, tasks: float) -> bool:
    """Whether ``idle`` is less than ``tasks`` mean task times of a line
    of ``n_tasks`` tasks and ``work`` content."""
    return idle < tasks * float(work) / max(1, n_tasks)


def idle_budget(problem: TwoSidedProblem, c: int, m: int) -> int:
    """Idle time of a full line: ``2 c m`` minus the work content."""
    return 2 * int(c) * int(m) - int(problem.times.sum())


class _OutOfWork(Exception):
    """The work budget ran out before the search decided."""


class _LoadSearch:
    """One decision, ``m`` stations at cycle ``c``, within ``limit``
    work."""

    def __init__(self, problem: TwoSidedProblem, c: int, m: int,
                 limit: int) -> None:
        self.c, self.m, self.limit = int(c), int(m), int(limit)
        self.work = 0
        n = problem.n_tasks
        self.t = [int(x) for x in problem.times]
        self.side = [int(s) for s in problem.sides]
        self.pred = [0] * n
        for a, b in problem.arcs:
            self.pred[int(b)] |= 1 << int(a)
        cl = problem.closure
        self.desc = [sum(1 << int(j) for j in np.flatnonzero(cl[i]))
                     for i in range(n)]
        self.order = [int(i) for i in problem.topological_order]
        self.all = (1 << n) - 1
        self.budget = idle_budget(problem, c, m)
        self.failed: dict[int, int] = {}
        self.timed: dict[int, list[tuple[int, int, int]] | None] = {}
        self.memo = (np.zeros(MEMO_SIZE, dtype=np.uint64),
                     np.zeros((MEMO_SIZE, 2), dtype=np.int64),
                     np.zeros((MEMO_SIZE, MAX_STATION_TASKS),
                              dtype=np.int64),
                     np.zeros(MEMO_SIZE, dtype=np.bool_))

    def spend(self, units: int) -> None:
        self.work += units
        if self.work > self.limit:
            raise _OutOfWork

    def run(self) -> Placement | None:
        """The line, or ``None`` when none exists."""
        if self.budget < 0:
            return None
        return self._station(0, 0, 0)

    def _station(self, done: int, done_work: int, k: int
                 ) -> Placement | None:
        """Stations ``k..m-1`` for the tasks not in ``done`` (of work
        ``done_work``)."""
        left = self.budget - (2 * self.c * k - done_work)
        if k == self.m - 1:
            load = self.timed_load(self.all & ~done)
            return None if load is None else [load]
        if self.failed.get(done, self.m) <= k:
            return None
        cand = [j for j in self.order if not done >> j & 1]
        found = self._loads(done, done_work, k, cand, 2 * self.c - left)
        if found is None:
            self.failed[done] = k
        return found

    def _loads(self, done: int, done_work: int, k: int, cand: list[int],
               least: int) -> Placement | None:
        """Each set of ``cand`` (in topological order) that can open
        after ``done`` with at least ``least`` work, depth first."""
        t, side, c = self.t, self.side, self.c
        pot0 = sum(t[j] for j in cand)
        stack = [(0, 0, 0, 0, 0, 0, pot0)]
        while stack:
            x, load, w, w_left, w_right, blocked, pot = stack.pop()
            self.spend(STEP_WORK)
            if w + pot < least:
                continue
            if x == len(cand):
                timed = self.timed_load(load)
                if timed is None:
                    continue
                rest = self._station(done | load, done_work + w, k + 1)
                if rest is not None:
                    return [timed, *rest]
                continue
            j = cand[x]
            if blocked >> j & 1:
                stack.append((x + 1, load, w, w_left, w_right, blocked, pot))
                continue
            # the successors of j that cannot open now (all undone and
            # after x in topological order)
            lost = t[j]
            fresh = self.desc[j] & ~blocked
            while fresh:
                low = fresh & -fresh
                lost += t[low.bit_length() - 1]
                fresh ^= low
            stack.append((x + 1, load, w, w_left, w_right,
                          blocked | self.desc[j], pot - lost))
            nw = w + t[j]
            nl = w_left + (t[j] if side[j] == LEFT else 0)
            nr = w_right + (t[j] if side[j] == RIGHT else 0)
            if (not self.pred[j] & ~(done | load) and nw <= 2 * c
                    and nl <= c and nr <= c):
                stack.append((x + 1, load | 1 << j, nw, nl, nr, blocked,
                              pot - t[j]))
        return None

    def timed_load(self, load: int) -> list[tuple[int, int, int]] | None:
        """The load timed in one station (``(task, position, start)``),
        or ``None`` when it does not fit; each set timed once."""
        if load in self.timed:
            return self.timed[load]
        tasks = [j for j in self.order if load >> j & 1]
        if len(tasks) > MAX_STATION_TASKS:
            raise _OutOfWork  # cannot be timed here: not decided
        answer = None
        if self._split_exists(tasks):
            answer = self._time(tasks)
        self.timed[load] = answer
        return answer

    def _split_exists(self, tasks: list[int]) -> bool:
        """Whether the either-side work splits so both sides fit."""
        t, side, c = self.t, self.side, self.c
        w = sum(t[j] for j in tasks)
        fixed = sum(t[j] for j in tasks if side[j] == LEFT)
        sums = 1  # bit s: the left can get s of the either-side work
        for j in tasks:
            if side[j] == EITHER:
                sums |= sums << t[j]
        lo, hi = max(0, w - c - fixed), c - fixed
        return hi >= lo and (sums >> lo) & ((1 << (hi - lo + 1)) - 1) != 0

    def _time(self, tasks: list[int]) -> list[tuple[int, int, int]] | None:
        # numba loads with the first station timed, not on import
        from taktplan.balance.twosided._loads import station_fits

        local = {j: q for q, j in enumerate(tasks)}
        k = len(tasks)
        times = np.array([self.t[j] for j in tasks], dtype=np.int64)
        sides = np.array([self.side[j] for j in tasks], dtype=np.int64)
        pred = np.zeros(k, dtype=np.uint64)
        succ = np.zeros(k, dtype=np.uint64)
        for q, j in enumerate(tasks):
            for i in tasks:
                if self.pred[j] >> i & 1:
                    pred[q] |= np.uint64(1) << np.uint64(local[i])
                    succ[local[i]] |= np.uint64(1) << np.uint64(q)
        slack = 2 * self.c - int(times.sum())
        allowed = self.limit - self.work
        code, used, start, where = station_fits(times, sides, pred, succ,
                                                self.c, slack, allowed,
                                                *self.memo)
        self.spend(int(used))
        if code < 0:
            raise _OutOfWork
        if code == 0:
            return None
        return [(tasks[q], int(where[q]) - 1, int(start[q]))
                for q in range(k)]


def fits_by_loads(problem: TwoSidedProblem, c: int, m: int,
                  work_limit: int) -> LoadOutcome:
    """Decide whether ``m`` mated stations fit cycle ``c``.

    Requires :func:`applicable`. Returns the line found, or
    ``decided=True`` with no line when none exists, or ``decided=False``
    when ``work_limit`` work (sets enumerated plus timing nodes) ran out.
    """
    search = _LoadSearch(problem, c, m, work_limit)
    try:
        line = search.run()
    except _OutOfWork:
        return LoadOutcome(False, None, search.work)
    if line is not None:
        line = [sorted(st) for st in line]
    return LoadOutcome(True, line, search.work)
