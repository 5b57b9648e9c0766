"""Result of a two-sided balance: the line, its schedule and its proof."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScheduledTask:
    """One task on an operator position: 0-based ``task``, its start and
    finish inside the cycle."""

    task: int
    start: int
    finish: int


@dataclass(frozen=True)
class Position:
    """One operator position of a station: its side (``"L"``, ``"R"``, or
    ``None`` on a one-sided line) and its tasks in time order."""

    side: str | None
    tasks: tuple[ScheduledTask, ...]

    @property
    def staffed(self) -> bool:
        """Whether an operator works here (the position has tasks)."""
        return bool(self.tasks)

    @property
    def work(self) -> int:
        """Task time done at the position."""
        return sum(s.finish - s.start for s in self.tasks)


@dataclass(frozen=True)
class Station:
    """A (mated) station: its operator positions, left ones first."""

    positions: tuple[Position, ...]

    @property
    def operators(self) -> int:
        """Positions with work."""
        return sum(p.staffed for p in self.positions)

    @property
    def tasks(self) -> tuple[int, ...]:
        """0-based tasks of the station, by position then time."""
        return tuple(s.task for p in self.positions for s in p.tasks)


@dataclass(frozen=True)
class TwoSidedResult:
    """A balanced two-sided line (TALBP-1 or TALBP-2).

    Parameters
    ----------
    kind
        ``"TALBP-1"`` (cycle given, fewest stations then operators) or
        ``"TALBP-2"`` (stations given, least cycle time).
    status
        ``"optimal"`` when the lower bounds meet the line, else
        ``"feasible"``.
    cycle_time
        The cycle time (given for type I, found for type II).
    lower_bound
        Proved lower bound on the objective: mated stations (type I) or
        cycle time (type II).
    operators_lower_bound
        Proved lower bound on the operators at the line's station count
        (type I); the line's operators for type II.
    line
        The stations in line order.
    cpu_s
        Processor seconds of the solve.
    nodes
        Nodes of the station-oriented search.
    backend
        What proved or found the line (``"bound"``, ``"search"``,
        ``"loads"``: the load search (:mod:`.loads`), ``"cp-sat"``,
        ``"heuristic"``).
    limit_hit
        Whether a work budget or the time limit stopped a search.
    """

    kind: str
    status: str
    cycle_time: int
    lower_bound: int
    operators_lower_bound: int
    line: tuple[Station, ...]
    cpu_s: float
    nodes: int = 0
    backend: str = "search"
    limit_hit: bool = False

    @property
    def n_stations(self) -> int:
        """Mated stations of the line."""
        return len(self.line)

    @property
    def operators(self) -> int:
        """Operator positions with work over the line."""
        return sum(s.operators for s in self.line)

    @property
    def objective(self) -> int:
        """Stations (type I) or cycle time (type II)."""
        return self.n_stations if self.kind == "TALBP-1" else self.cycle_time

    def station_of(self, n_tasks: int) -> list[int]:
        """0-based station of each task."""
        out = [-1] * n_tasks
        for k, station in enumerate(self.line):
            for task in station.tasks:
                out[task] = k
        return out

    def to_json(self) -> dict[str, Any]:
        """The line as the JSON contract of ``taktplan balance``: tasks
        1-based, positions with side and start/finish times."""
        return {
            "cycle_time": self.cycle_time,
            "status": self.status,
            "lower_bound": self.lower_bound,
            "operators": self.operators,
            "operators_lower_bound": self.operators_lower_bound,
            "n_stations": self.n_stations,
            "line": [
                {"positions": [
                    {"side": p.side,
                     "tasks": [{"task": s.task + 1, "start": s.start,
                                "finish": s.finish} for s in p.tasks]}
                    for p in st.positions]}
                for st in self.line],
        }

    def summary(self) -> str:
        """One line for people."""
        return (f"{self.kind} {self.status}: {self.n_stations} stations, "
                f"{self.operators} operators at cycle {self.cycle_time} "
                f"(bound {self.lower_bound}), {self.cpu_s:.3f} s CPU")
