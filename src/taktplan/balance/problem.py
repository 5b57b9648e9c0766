"""The SALBP problem data: task times, precedence arcs, closure.

A :class:`SalbpProblem` holds integer task times and 0-based precedence
arcs. It is pure data; the solvers in this package read it and never
change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from taktplan.errors import InputError


@dataclass(frozen=True)
class SalbpProblem:
    """A simple assembly line balancing instance.

    Parameters
    ----------
    times
        Integer task times, shape ``(n,)``, each ``>= 0``.
    arcs
        Precedence arcs ``(pred, succ)``, 0-based, shape ``(n_arcs, 2)``:
        ``pred`` goes to the same or an earlier station than ``succ``.
    name
        A label (the file stem for instances read from disk).
    source
        Where the data came from (a file path), used in error messages.
    cycle_time
        The cycle time of a SALBP-1 instance, or ``None``.
    arc_lines
        For each arc the line of the source file it was read from (or
        ``None``), used to point at a precedence cycle.
    time_lines
        For each task the line of its time in the source file (or
        ``None``).
    """

    times: np.ndarray
    arcs: np.ndarray
    name: str = "instance"
    source: str = "<data>"
    cycle_time: int | None = None
    arc_lines: tuple[int, ...] | None = field(default=None, repr=False)
    time_lines: tuple[int, ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        times = np.ascontiguousarray(self.times, dtype=np.int64)
        arcs = np.asarray(self.arcs, dtype=np.int64).reshape(-1, 2)
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "arcs", arcs)
        if times.ndim != 1 or times.size == 0:
            raise InputError(self.source, None, "no tasks",
                             "give at least one task time")
        if (times < 0).any():
            task = int(np.argmax(times < 0))
            raise InputError(self.source, self._task_where(task),
                             f"task {task + 1} has a negative time",
                             "give task times >= 0")
        n = times.size
        bad = (arcs < 0) | (arcs >= n)
        if bad.any():
            k = int(np.argmax(bad.any(axis=1)))
            raise InputError(self.source, self._arc_where(k),
                             f"arc {arcs[k, 0] + 1},{arcs[k, 1] + 1} names "
                             f"a task outside 1..{n}",
                             "number tasks from 1 to the task count")
        loops = arcs[:, 0] == arcs[:, 1]
        if loops.any():
            k = int(np.argmax(loops))
            raise InputError(self.source, self._arc_where(k),
                             f"task {arcs[k, 0] + 1} precedes itself",
                             "remove the arc")
        _check_acyclic(self)
        if self.cycle_time is not None:
            self.check_cycle_time(self.cycle_time)

    @property
    def n_tasks(self) -> int:
        """The number of tasks."""
        return int(self.times.size)

    @cached_property
    def closure(self) -> np.ndarray:
        """Transitive closure: ``closure[i, j]`` when i must precede j."""
        return transitive_closure(self.n_tasks, self.arcs)

    @cached_property
    def topological_order(self) -> np.ndarray:
        """The tasks in an order compatible with every arc."""
        return topological_order(self.n_tasks, self.arcs)

    def reversed(self) -> SalbpProblem:
        """The mirror instance: every arc turned round."""
        return replace(self, arcs=self.arcs[:, ::-1].copy())

    def with_cycle_time(self, cycle_time: int) -> SalbpProblem:
        """A copy with the given cycle time (checked against the tasks)."""
        return replace(self, cycle_time=int(cycle_time))

    def check_cycle_time(self, cycle_time: float) -> None:
        """Raise :class:`InputError` unless every task fits the cycle."""
        if cycle_time < 1:
            raise InputError(self.source, None,
                             f"cycle time {cycle_time} is below 1",
                             "give a positive cycle time")
        longest = int(np.argmax(self.times))
        if self.times[longest] > cycle_time:
            raise InputError(
                self.source, self._task_where(longest),
                f"task {longest + 1} takes {self.times[longest]}, longer "
                f"than the cycle time {cycle_time}",
                "raise the cycle time to at least the longest task time")

    def _task_where(self, task: int) -> str | None:
        if self.time_lines is None:
            return f"task {task + 1}"
        return f"line {self.time_lines[task]}"

    def _arc_where(self, k: int) -> str | None:
        if self.arc_lines is None:
            return f"arc {k + 1}"
        return f"line {self.arc_lines[k]}"


def transitive_closure(n: int, arcs: np.ndarray) -> np.ndarray:
    """Boolean ``(n, n)`` matrix: ``[i, j]`` when a path leads i to j."""
    order = topological_order(n, arcs)
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in arcs:
        succ[int(a)].append(int(b))
    reach = np.zeros((n, n), dtype=np.bool_)
    for i in order[::-1]:
        for j in succ[i]:
            reach[i, j] = True
            reach[i] |= reach[j]
    return reach


def topological_order(n: int, arcs: np.ndarray) -> np.ndarray:
    """Kahn's order of the tasks; raises ``ValueError`` on a cycle."""
    indeg = np.zeros(n, dtype=np.int64)
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in arcs:
        succ[int(a)].append(int(b))
        indeg[int(b)] += 1
    ready = [i for i in range(n) if indeg[i] == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
    if len(order) < n:
        raise ValueError("precedence cycle")
    return np.asarray(order, dtype=np.int64)


def find_cycle_arc(n: int, arcs: np.ndarray) -> int | None:
    """Index of one arc that lies on a precedence cycle, or ``None``."""
    try:
        topological_order(n, arcs)
    except ValueError:
        pass
    else:
        return None
    # Peel off sources and sinks: what remains is cycles plus the paths
    # between them; walk successors inside it until a task repeats.
    alive = np.ones(n, dtype=np.bool_)
    changed = True
    while changed:
        changed = False
        live = alive[arcs[:, 0]] & alive[arcs[:, 1]]
        has_in = np.zeros(n, dtype=np.bool_)
        has_out = np.zeros(n, dtype=np.bool_)
        has_in[arcs[live, 1]] = True
        has_out[arcs[live, 0]] = True
        drop = alive & ~(has_in & has_out)
        if drop.any():
            alive &= ~drop
            changed = True
    live = np.flatnonzero(alive[arcs[:, 0]] & alive[arcs[:, 1]])
    out = {int(arcs[k, 0]): int(k) for k in live}
    node = int(arcs[live[0], 0])
    seen: set[int] = set()
    while node not in seen:
        seen.add(node)
        node = int(arcs[out[node], 1])
    return out[node]


def _check_acyclic(problem: SalbpProblem) -> None:
    k = find_cycle_arc(problem.n_tasks, problem.arcs)
    if k is not None:
        a, b = problem.arcs[k]
        raise InputError(problem.source,
                         problem._arc_where(k),  # noqa: SLF001  (its module)
                         f"precedence cycle through arc {a + 1},{b + 1}",
                         "remove an arc so that no task precedes itself")
