"""Free one operator position of a two-sided line: a one-sided station at
either end.

A type-I line of ``m`` mated stations staffs at most ``2 m`` positions;
the operator bound ``ceil(W / c)`` often asks for ``2 m - 1``. Then one
station works on one side only, and the rest of the line must hold the
other work in ``m - 1`` stations. The move that frees the position is a
whole-line one (every station hands work towards the line's other end),
which windows of a few stations cannot make; fixed at an end, it is a
smaller problem of the same kind: a set of tasks closed under their
followers (the last station) or their predecessors (the first), all on
one side or either, of work within the cycle, done one after the other
in one position, and the rest of the graph on ``m - 1`` mated stations.

:func:`end_splits` offers those sets (the largest work first, filled
greedily with the longest task that may join); the type-I solver fits
the rest (:func:`.fewest_stations.solve_talbp1`). P205 at 2266: the followers'
set on the right (12 tasks, 2252) leaves a rest that the greedy rules
and the local search fit on 5 stations at 2250.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktplan.balance.twosided.problem import (
    EITHER,
    LEFT,
    RIGHT,
    TwoSidedProblem,
)


@dataclass(frozen=True)
class EndSplit:
    """One way to free a position: ``tasks`` (ascending ids) on the
    ``side`` position of the ``last`` (else the first) station, their
    ``work``, and the ``rest`` of the tasks for the other stations."""

    tasks: tuple[int, ...]
    side: int
    last: bool
    work: int
    rest: tuple[int, ...]


def end_splits(problem: TwoSidedProblem, c: int) -> list[EndSplit]:
    """The four end sets (last or first station, left or right), the
    largest work first; empty sets left out."""
    n = problem.n_tasks
    after: list[list[int]] = [[] for _ in range(n)]
    before: list[list[int]] = [[] for _ in range(n)]
    for a, b in problem.arcs:
        after[int(a)].append(int(b))
        before[int(b)].append(int(a))
    out = []
    for last in (True, False):
        for side in (LEFT, RIGHT):
            tasks, work = _end_set(problem, c, side,
                                   after if last else before)
            if tasks:
                rest = tuple(i for i in range(n) if i not in tasks)
                out.append(EndSplit(tuple(sorted(tasks)), side, last, work,
                                    rest))
    out.sort(key=lambda e: (-e.work, not e.last, e.side))
    return out


def _end_set(problem: TwoSidedProblem, c: int, side: int,
             closing: list[list[int]]) -> tuple[set[int], int]:
    """Greedy: the longest task whose ``closing`` neighbours are all in
    the set, of ``side`` or either side, while the work stays within
    ``c``."""
    t = problem.times
    fits_side = (problem.sides == side) | (problem.sides == EITHER)
    chosen: set[int] = set()
    work = 0
    while True:
        best = -1
        for j in (int(x) for x in np.flatnonzero(fits_side)):
            if (j not in chosen and work + int(t[j]) <= c
                    and all(k in chosen for k in closing[j])
                    and (best < 0 or t[j] > t[best])):
                best = j
        if best < 0:
            return chosen, work
        chosen.add(best)
        work += int(t[best])


def closed_end_sets(problem: TwoSidedProblem, c: int, least: int,
                    max_nodes: int) -> list[EndSplit]:
    """Every end set of work ``least`` to ``c`` (a one-sided first
    station's set, closed under predecessors, or a last station's,
    closed under followers; on one side or either), the most work
    first, found by a depth-first search over the tasks in (reversed)
    topological order that stops after ``max_nodes`` nodes (then the
    sets found so far)."""
    n = problem.n_tasks
    t = [int(x) for x in problem.times]
    before: list[list[int]] = [[] for _ in range(n)]
    after: list[list[int]] = [[] for _ in range(n)]
    for a, b in problem.arcs:
        after[int(a)].append(int(b))
        before[int(b)].append(int(a))
    topo = [int(i) for i in problem.topological_order]
    out: list[EndSplit] = []
    nodes = 0
    for last in (False, True):
        order = topo[::-1] if last else topo
        closing = after if last else before
        for side in (LEFT, RIGHT):
            ok = [int(s) in (side, EITHER) for s in problem.sides]
            # a task that may join once its closing neighbours have
            reach = [ok[j] and t[j] <= c for j in range(n)]
            stack: list[tuple[int, frozenset[int], int]] = [
                (0, frozenset(), 0)]
            while stack and nodes < max_nodes:
                x, chosen, work = stack.pop()
                nodes += 1
                while x < n and not (reach[order[x]] and all(
                        k in chosen for k in closing[order[x]])
                        and work + t[order[x]] <= c):
                    x += 1
                if x == n:
                    if work >= least and chosen:
                        tasks = tuple(sorted(chosen))
                        out.append(EndSplit(
                            tasks, side, last, work,
                            tuple(i for i in range(n) if i not in chosen)))
                    continue
                j = order[x]
                stack.append((x + 1, chosen, work))
                stack.append((x + 1, chosen | {j}, work + t[j]))
    out.sort(key=lambda e: (-e.work, e.last, e.side, e.tasks))
    return out


def one_sided_station(problem: TwoSidedProblem, split: EndSplit
                      ) -> list[tuple[int, int, int]]:
    """The split's tasks one after the other in precedence order on its
    side's position: ``(task, position, start)``."""
    position = problem.position_sides.index(split.side)
    inside = set(split.tasks)
    station = []
    start = 0
    for i in problem.topological_order:
        if int(i) in inside:
            station.append((int(i), position, start))
            start += int(problem.times[int(i)])
    return station


__all__ = ["EndSplit", "closed_end_sets", "end_splits", "one_sided_station"]
