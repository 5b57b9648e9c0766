"""Result of a SALBP solve: the line, its certificate and its cost."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.check import check_line

if TYPE_CHECKING:
    from taktplan.balance.problem import SalbpProblem


@dataclass(frozen=True)
class SalbpResult:
    """A balanced line for a SALBP-1 or SALBP-2 instance.

    Parameters
    ----------
    status
        ``"optimal"`` when the bound proves the line optimal, else
        ``"feasible"``.
    n_stations
        Stations of the line found.
    cycle_time
        The cycle time (given for SALBP-1, found for SALBP-2).
    lower_bound
        Proved lower bound on the objective (stations for SALBP-1, the
        cycle time for SALBP-2).
    upper_bound
        The objective of the line found.
    stations
        0-based task indices per station, in line order.
    station_of_task
        0-based station of each task.
    loads
        Load of each station.
    runtime_s
        Wall-clock seconds.
    nodes
        Search nodes expanded.
    safety_net_hit
        The wall-clock safety net, not the work or node budget, ended
        the search with the line not proved: another machine or load
        may give another line.
    """

    status: str
    n_stations: int
    cycle_time: int
    lower_bound: int
    upper_bound: int
    stations: tuple[tuple[int, ...], ...]
    station_of_task: np.ndarray
    loads: np.ndarray
    runtime_s: float
    nodes: int = 0
    safety_net_hit: bool = False

    @property
    def proved(self) -> bool:
        """Whether the lower bound meets the line's objective."""
        return self.lower_bound == self.upper_bound

    def summary(self) -> str:
        """One line for people."""
        return (f"{self.status}: {self.n_stations} stations at cycle "
                f"{self.cycle_time} (bound {self.lower_bound}), "
                f"{self.runtime_s:.3f} s")


def stations_from(station_of: np.ndarray, topo: np.ndarray
                  ) -> tuple[tuple[int, ...], ...]:
    """Group tasks by station, each in the topological order ``topo``.

    Empty stations are dropped; stations keep their line order.
    """
    order = np.asarray(topo)[np.argsort(station_of[topo], kind="stable")]
    groups: dict[int, list[int]] = {}
    for task in order:
        groups.setdefault(int(station_of[task]), []).append(int(task))
    return tuple(tuple(groups[s]) for s in sorted(groups))


def finish(problem: SalbpProblem, c: int, station_of: np.ndarray, lb: int,
           ub: int, start: float, nodes: int, *,
           safety_net_hit: bool = False) -> SalbpResult:
    """Check the line and wrap it in a :class:`SalbpResult`."""
    stations = stations_from(station_of, problem.topological_order)
    check_line(stations, problem.times, problem.arcs, c)
    loads = np.array([int(problem.times[list(s)].sum()) for s in stations],
                     dtype=np.int64)
    dense = np.empty(problem.n_tasks, dtype=np.int64)
    for s, load in enumerate(stations):
        dense[list(load)] = s
    return SalbpResult(
        status="optimal" if lb >= len(stations) else "feasible",
        n_stations=len(stations), cycle_time=c, lower_bound=min(lb, ub),
        upper_bound=len(stations), stations=stations, station_of_task=dense,
        loads=loads, runtime_s=time.perf_counter() - start, nodes=nodes,
        safety_net_hit=safety_net_hit)


def load_smoothness(loads: np.ndarray, weights: np.ndarray) -> float:
    """The demand-weighted root mean square, over stations and variants,
    of a variant's station time minus the station's weighted time, s:
    ``sqrt(sum_s sum_v p_v (L_sv - W_s)^2 / m)`` for ``loads`` of shape
    ``(m, n_variants)`` and demand ``weights`` ``p`` summing to 1."""
    m = loads.shape[0]
    if m == 0:
        return 0.0
    dev = loads - (loads @ weights)[:, None]
    return math.sqrt(float((dev ** 2 @ weights).sum()) / m)
