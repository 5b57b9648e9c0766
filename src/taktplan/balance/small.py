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
"""

from __future__ import annotations

import numpy as np

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


def solve_small(times: np.ndarray, arcs: np.ndarray,
                cycle_time: int) -> np.ndarray | None:
    """Station of each task on a line with the fewest stations (proved
    by the breadth-first search), or ``None`` when the instance has more
    than :data:`SMALL_TASKS` tasks or the search gives up."""
    n = int(times.size)
    if n > SMALL_TASKS:
        return None
    from taktplan.balance.problem import topological_order

    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    order = topological_order(n, arcs)
    index = np.empty(n, dtype=np.int64)
    index[order] = np.arange(n)
    preds = [0] * n
    for a, b in index[arcs].tolist():
        preds[b] |= 1 << a
    found = fewest_stations([int(t) for t in times[order]], preds,
                            int(cycle_time))
    if found is None:
        return None
    return np.array(found, dtype=np.int64)[index]
