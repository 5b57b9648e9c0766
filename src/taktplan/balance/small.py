"""Exact SALBP-1 in plain Python for small instances, without numba.

Loading numba and the compiled search costs about two seconds and
100 MiB before the first task is read; a line of a dozen tasks is
solved in milliseconds without them. :func:`solve_small` runs the
station-oriented breadth-first search (the sets of tasks assigned
after each station, as bit masks, each set kept once per level, the
children being the maximal loads of the next station), which finds the
fewest stations and proves it. Beyond :data:`SMALL_LOADS` loads looked
at it gives up, and :func:`taktplan.balance.salbp1.solve_salbp1` runs
the compiled search instead.

Plain Python, without numpy: ``taktplan balance`` reads,
solves, checks and prints a small line without importing numpy (0.12 s
of the command's 0.33 s CPU, measured).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taktplan.balance.check import check_line
from taktplan.balance.instance import topological_order

if TYPE_CHECKING:
    from collections.abc import Sequence

    from taktplan.balance.instance import Arcs

#: Tasks at most for the plain-Python search to be tried.
SMALL_TASKS = 24

#: Loads the plain-Python search may look at before it gives up.
SMALL_LOADS = 20_000


def fewest_stations(times: list[int], preds: list[int], cap: int,
                    max_loads: int = SMALL_LOADS
                    ) -> list[int] | None:
    """The station of each task on a line with the fewest stations, or
    ``None`` after ``max_loads`` loads.

    ``preds[j]`` is the bit mask of task j's immediate predecessors,
    all of smaller index (tasks in a topological order, so that each
    maximal load is built once, in increasing index); every time is at
    most ``cap``.
    """
    n = len(times)
    full = (1 << n) - 1
    # parent[state] = (previous state) for rebuilding the line
    parent: dict[int, int] = {0: -1}
    level = [0]
    looked = 0
    while level:
        following: list[int] = []
        for state in level:
            for load in _maximal_loads(times, preds, cap, state, n):
                looked += 1
                if looked > max_loads:
                    return None
                child = state | load
                if child in parent:
                    continue
                parent[child] = state
                if child == full:
                    return _stations(parent, full, n)
                following.append(child)
        level = following
    return None


def _maximal_loads(times: list[int], preds: list[int], cap: int,
                   state: int, n: int) -> list[int]:
    """The loads of the next station that no task left can join."""
    out: list[int] = []

    def grow(load: int, room: int, start: int) -> None:
        done = state | load
        extended = False
        for j in range(n):
            if done >> j & 1 or preds[j] & ~done or times[j] > room:
                continue
            extended = True
            if j >= start:
                grow(load | 1 << j, room - times[j], j + 1)
        if not extended and load:
            out.append(load)

    grow(0, cap, 0)
    return out


def _stations(parent: dict[int, int], full: int, n: int) -> list[int]:
    chain = []
    state = full
    while state > 0:
        chain.append(state)
        state = parent[state]
    chain.reverse()
    station_of = [0] * n
    before = 0
    for s, after in enumerate(chain):
        for j in range(n):
            if (after & ~before) >> j & 1:
                station_of[j] = s
        before = after
    return station_of


@dataclass(frozen=True)
class SmallLine:
    """A line with the fewest stations, found and proved by the plain
    search; its names are those of :class:`.result.SalbpResult`.

    Parameters
    ----------
    cycle_time
        The cycle time.
    station_of
        0-based station of each task.
    stations
        0-based task indices per station, each in topological order.
    loads
        Load of each station.
    runtime_s
        Wall-clock seconds.
    """

    cycle_time: int
    station_of: tuple[int, ...]
    stations: tuple[tuple[int, ...], ...]
    loads: tuple[int, ...]
    runtime_s: float

    status = "optimal"
    #: The search ends on its load count, never on a clock.
    safety_net_hit = False

    @property
    def n_stations(self) -> int:
        """Stations of the line."""
        return len(self.stations)

    @property
    def lower_bound(self) -> int:
        """The proved bound: the search is breadth-first, so no line
        has fewer stations."""
        return len(self.stations)

    @property
    def upper_bound(self) -> int:
        """The stations of the line found."""
        return len(self.stations)


def solve_small(times: Sequence[int], arcs: Arcs,
                cycle_time: int) -> SmallLine | None:
    """A line with the fewest stations (proved by the breadth-first
    search), checked, or ``None`` when the instance has more than
    :data:`SMALL_TASKS` tasks or the search gives up."""
    start = time.perf_counter()
    n = len(times)
    if n > SMALL_TASKS:
        return None
    order = topological_order(n, arcs)
    index = [0] * n
    for k, task in enumerate(order):
        index[task] = k
    preds = [0] * n
    for a, b in arcs:
        preds[index[b]] |= 1 << index[a]
    found = fewest_stations([int(times[task]) for task in order], preds,
                            int(cycle_time))
    if found is None:
        return None
    station_of = tuple(found[index[task]] for task in range(n))
    # stations in line order, each's tasks in the topological order
    by_station: dict[int, list[int]] = {}
    for task in sorted(order, key=station_of.__getitem__):
        by_station.setdefault(station_of[task], []).append(task)
    stations = tuple(tuple(by_station[s]) for s in sorted(by_station))
    check_line(stations, times, arcs, cycle_time)
    return SmallLine(
        cycle_time=int(cycle_time), station_of=station_of, stations=stations,
        loads=tuple(sum(int(times[task]) for task in s) for s in stations),
        runtime_s=time.perf_counter() - start)
