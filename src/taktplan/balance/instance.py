"""A SALBP instance as plain Python data, and its input checks.

:class:`SalbpInstance` is what the readers return before numpy is
involved: task times and 0-based arcs as tuples, with the lines they
were read from. Its checks (no tasks, negative times, arcs outside the
task range, self-loops, precedence cycles, a task longer than the cycle)
are the ones :class:`taktplan.balance.problem.SalbpProblem` runs, with
the same messages. Written without numpy on purpose: importing numpy
costs about 0.12 s of CPU, more than reading, solving, checking and
printing a line of a dozen tasks (see :mod:`.small`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from taktplan.errors import InputError

#: Precedence arcs ``(pred, succ)``, 0-based.
Arcs = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class SalbpInstance:
    """A simple assembly line balancing instance in plain Python: the
    fields of :class:`~taktplan.balance.problem.SalbpProblem` (which
    documents them), times and arcs as tuples, checked the same way."""

    times: tuple[int, ...]
    arcs: tuple[tuple[int, int], ...]
    name: str = "instance"
    source: str = "<data>"
    cycle_time: int | None = None
    arc_lines: tuple[int, ...] | None = field(default=None, repr=False)
    time_lines: tuple[int, ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_tasks(self.source, self.times, self.arcs, self.time_lines,
                    self.arc_lines)
        if self.cycle_time is not None:
            self.check_cycle_time(self.cycle_time)

    @property
    def n_tasks(self) -> int:
        """The number of tasks."""
        return len(self.times)

    def with_cycle_time(self, cycle_time: int) -> SalbpInstance:
        """A copy with the given cycle time (checked against the tasks)."""
        return replace(self, cycle_time=int(cycle_time))

    def check_cycle_time(self, cycle_time: float) -> None:
        """Raise :class:`InputError` unless every task fits the cycle."""
        check_fits(self.source, self.times, cycle_time, self.time_lines)


def check_tasks(source: str, times: Sequence[int], arcs: Arcs,
                time_lines: Sequence[int] | None = None,
                arc_lines: Sequence[int] | None = None) -> None:
    """Raise :class:`InputError` for no tasks, a negative time, an arc
    naming a task outside ``1..n``, a task preceding itself or a
    precedence cycle (the first of these found, by its line)."""
    if not times:
        raise InputError(source, None, "no tasks",
                         "give at least one task time")
    for task, t in enumerate(times):
        if t < 0:
            raise InputError(source, _where("task", task, time_lines),
                             f"task {task + 1} has a negative time",
                             "give task times >= 0")
    n = len(times)
    for k, (a, b) in enumerate(arcs):
        if not (0 <= a < n and 0 <= b < n):
            raise InputError(source, _where("arc", k, arc_lines),
                             f"arc {a + 1},{b + 1} names a task outside "
                             f"1..{n}", "number tasks from 1 to the task "
                             "count")
    for k, (a, b) in enumerate(arcs):
        if a == b:
            raise InputError(source, _where("arc", k, arc_lines),
                             f"task {a + 1} precedes itself",
                             "remove the arc")
    k_cycle = cycle_arc(n, arcs)
    if k_cycle is not None:
        a, b = arcs[k_cycle]
        raise InputError(source, _where("arc", k_cycle, arc_lines),
                         f"precedence cycle through arc {a + 1},{b + 1}",
                         "remove an arc so that no task precedes itself")


def check_fits(source: str, times: Sequence[int], cycle_time: float,
               time_lines: Sequence[int] | None = None) -> None:
    """Raise :class:`InputError` unless the cycle time is at least 1 and
    at least the longest task (the first longest one is named)."""
    if cycle_time < 1:
        raise InputError(source, None, f"cycle time {cycle_time} is below 1",
                         "give a positive cycle time")
    longest = max(range(len(times)), key=times.__getitem__)
    if times[longest] > cycle_time:
        raise InputError(
            source, _where("task", longest, time_lines),
            f"task {longest + 1} takes {times[longest]}, longer than the "
            f"cycle time {cycle_time}",
            "raise the cycle time to at least the longest task time")


def _where(kind: str, k: int, lines: Sequence[int] | None) -> str:
    """``line L`` of the source file, or ``task k`` / ``arc k`` (1-based)
    where the data came from no file."""
    if lines is None:
        return f"{kind} {k + 1}"
    return f"line {lines[k]}"


def topological_order(n: int, arcs: Arcs) -> list[int]:
    """Kahn's order of the tasks; raises ``ValueError`` on a cycle."""
    indeg = [0] * n
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in arcs:
        succ[a].append(b)
        indeg[b] += 1
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
    return order


def cycle_arc(n: int, arcs: Arcs) -> int | None:
    """Index of one arc that lies on a precedence cycle, or ``None``."""
    try:
        topological_order(n, arcs)
    except ValueError:
        pass
    else:
        return None
    # Peel off sources and sinks: what remains is cycles plus the paths
    # between them; walk successors inside it until a task repeats.
    alive = [True] * n
    changed = True
    while changed:
        changed = False
        has_in = [False] * n
        has_out = [False] * n
        for a, b in arcs:
            if alive[a] and alive[b]:
                has_in[b] = True
                has_out[a] = True
        for i in range(n):
            if alive[i] and not (has_in[i] and has_out[i]):
                alive[i] = False
                changed = True
    live = [k for k, (a, b) in enumerate(arcs) if alive[a] and alive[b]]
    out = {arcs[k][0]: k for k in live}
    node = arcs[live[0]][0]
    seen: set[int] = set()
    while node not in seen:
        seen.add(node)
        node = arcs[out[node]][1]
    return out[node]
