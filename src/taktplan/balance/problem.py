"""The SALBP problem data: task times, precedence arcs, closure.

A :class:`SalbpProblem` holds integer task times and 0-based precedence
arcs. It is pure data; the solvers in this package read it and never
change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from taktplan.balance.instance import (
    SalbpInstance,
    check_fits,
    check_tasks,
    cycle_arc,
)
from taktplan.balance.instance import topological_order as task_order
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
        if times.ndim != 1:
            raise InputError(self.source, None, "no tasks",
                             "give at least one task time")
        check_tasks(self.source, times.tolist(), _pairs(arcs),
                    self.time_lines, self.arc_lines)
        if self.cycle_time is not None:
            self.check_cycle_time(self.cycle_time)

    @classmethod
    def from_instance(cls, instance: SalbpInstance) -> SalbpProblem:
        """The instance read without numpy, as arrays for the solvers."""
        return cls(times=np.asarray(instance.times, dtype=np.int64),
                   arcs=np.asarray(instance.arcs, dtype=np.int64),
                   name=instance.name, source=instance.source,
                   cycle_time=instance.cycle_time,
                   arc_lines=instance.arc_lines,
                   time_lines=instance.time_lines)

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
        check_fits(self.source, self.times.tolist(), cycle_time,
                   self.time_lines)


def _pairs(arcs: np.ndarray) -> list[tuple[int, int]]:
    """The arcs as ``(pred, succ)`` pairs of Python ints."""
    return [(a, b) for a, b in np.asarray(arcs).reshape(-1, 2).tolist()]


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
    return np.asarray(task_order(n, _pairs(arcs)), dtype=np.int64)


def find_cycle_arc(n: int, arcs: np.ndarray) -> int | None:
    """Index of one arc that lies on a precedence cycle, or ``None``."""
    return cycle_arc(n, _pairs(arcs))
