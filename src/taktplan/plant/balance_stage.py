"""The plant's mixed-model balance: one balance per balanced segment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance import MixedModelProblem
    from taktplan.scenario.checks import TaskPlace
    from taktplan.scenario.model import Scenario, Segment, Task


@dataclass(frozen=True)
class SegmentBalance:
    """The stations of one balanced segment.

    Attributes
    ----------
    segment
        The segment's name.
    task_ids
        The segment's tasks (the balance's task indices refer to these).
    station_names
        ``"<segment>-01"`` ... in line order.
    station_tasks
        Task ids per station, in line order.
    loads
        ``(n_stations, n_variants)`` station time of each variant, s.
    weighted_loads
        Demand-weighted station time, s.
    lower_bound
        Proved lower bound on the segment's station count.
    status
        ``"optimal"`` when the station count equals the bound.
    smoothness
        The balancer's horizontal-balance measure, s (lower is smoother).
    runtime_s
        Seconds spent.
    two_sided
        Whether the segment has mated stations (left and right).
    station_operators, station_positions
        A two-sided segment's operators per station, and each station's
        positions (side, tasks).
    safety_net_hit
        The safety net (CPU seconds), not the work budget, ended the
        segment's search with its line not proved: another machine or
        load may give another line (``balancing.time_limit_s``).
    two_sided_operators_bound
        A two-sided segment's proved lower bound on its operators (0 on a
        one-sided segment, whose bound is its station bound); see
        :attr:`operators_lower_bound`.
    """

    segment: str
    task_ids: tuple[str, ...]
    station_names: tuple[str, ...]
    station_tasks: tuple[tuple[str, ...], ...]
    loads: np.ndarray
    weighted_loads: np.ndarray
    lower_bound: int
    status: str
    smoothness: float
    runtime_s: float
    two_sided: bool = False
    station_operators: tuple[int, ...] = ()
    station_positions: tuple[tuple[tuple[str | None, tuple[str, ...]], ...],
                             ...] = ()
    safety_net_hit: bool = False
    two_sided_operators_bound: int = 0

    @property
    def n_stations(self) -> int:
        """Stations in the segment."""
        return len(self.station_names)

    @property
    def operators(self) -> int:
        """Operators of the segment: staffed positions of a two-sided
        segment, one a station on a one-sided one."""
        return sum(self.station_operators) or self.n_stations

    def operators_of(self, k: int) -> int:
        """Operators at station ``k`` (0-based)."""
        return self.station_operators[k] if self.station_operators else 1

    @property
    def operators_lower_bound(self) -> int:
        """Proved lower bound on the segment's operators: the two-sided
        search's own, or the station bound on a one-sided segment (one
        operator a station). A two-sided segment whose stations meet their
        bound is still only ``feasible`` while its operators exceed this."""
        if self.two_sided:
            return self.two_sided_operators_bound
        return self.lower_bound


@dataclass(frozen=True)
class PlantBalance:
    """The balance of every balanced segment, in line order.

    Attributes
    ----------
    cycle_s
        The line's cycle (the planning cycle).
    load_limit_s
        The most demand-weighted work a station may hold
        (``cycle_s * load_factor``).
    variant_limit_s
        The most work one variant may bring to a station.
    segments
        Each balanced segment's stations.
    """

    cycle_s: float
    load_limit_s: float
    variant_limit_s: float
    segments: tuple[SegmentBalance, ...]

    @property
    def n_stations(self) -> int:
        """Stations over all balanced segments."""
        return sum(s.n_stations for s in self.segments)

    @property
    def operators(self) -> int:
        """Operators over all balanced segments."""
        return sum(s.operators for s in self.segments)

    @property
    def operators_lower_bound(self) -> int:
        """Proved lower bound on the operators of all balanced segments."""
        return sum(s.operators_lower_bound for s in self.segments)

    def operators_at(self, station: str) -> int:
        """Operators at the station named ``station`` (1 when unknown: a
        fixed segment's station)."""
        for s in self.segments:
            if station in s.station_names:
                return s.operators_of(s.station_names.index(station))
        return 1

    @property
    def lower_bound(self) -> int:
        """Sum of the segments' proved lower bounds."""
        return sum(s.lower_bound for s in self.segments)

    @property
    def proved_optimal(self) -> bool:
        """Every segment proved to have the fewest stations."""
        return all(s.status == "optimal" for s in self.segments)

    def efficiency(self) -> float:
        """Weighted work content over stations x cycle (1 - balance delay)."""
        work = sum(float(s.weighted_loads.sum()) for s in self.segments)
        return work / (self.n_stations * self.cycle_s)


def segment_tasks(scenario: Scenario, segment: Segment
                  ) -> tuple[list[Task], np.ndarray]:
    """The tasks of one balanced segment (scenario order) and its
    precedence arcs as ``(k, 2)`` pairs of indices into them (arcs from
    other segments left out)."""
    areas = set(segment.areas)
    tasks = [t for t in scenario.tasks if t.area in areas]
    index = {t.id: i for i, t in enumerate(tasks)}
    arcs = np.array([(index[p], index[t.id]) for t in tasks
                     for p in t.predecessors if p in index],
                    dtype=np.int64).reshape(-1, 2)
    return tasks, arcs


def task_times(scenario: Scenario, tasks: list[Task]) -> np.ndarray:
    """``(len(tasks), n_variants)`` each task's seconds per variant."""
    variants = scenario.variant_ids
    return np.array([[t.time_for(v) for v in variants] for t in tasks],
                    dtype=np.float64).reshape(len(tasks), len(variants))


def segment_problem(scenario: Scenario, segment: Segment, cycle_s: float,
                    variant_limit_s: float) -> MixedModelProblem:
    """The mixed-model problem of one balanced segment."""
    # lazy: numba loads with the first stage that runs it, not on import
    # (measured in taktplan.precompile.BackgroundCompile.start)
    from taktplan.balance import MixedModelProblem

    tasks, arcs = segment_tasks(scenario, segment)
    return MixedModelProblem(
        task_ids=tuple(t.id for t in tasks),
        times=task_times(scenario, tasks),
        weights=np.asarray(scenario.shares, dtype=np.float64),
        arcs=arcs,
        cycle_time=cycle_s,
        variant_limit=variant_limit_s,
    )


def _within(progress: Callable[[float], None] | None, part: int,
            parts: int) -> Callable[[float], None] | None:
    """``progress`` for part ``part`` of ``parts`` equal parts."""
    if progress is None:
        return None
    report = progress
    return lambda done: report((part + done) / parts)


def balance_plant(scenario: Scenario, cycle_s: float, *,
                  time_limit_s: float = 10.0, seed: int = 0,
                  progress: Callable[[float], None] | None = None,
                  source: str = "<scenario>",
                  place: TaskPlace | None = None,
                  ) -> PlantBalance:
    """Balance every balanced segment of ``scenario`` at ``cycle_s``.

    The demand-weighted load of a station may fill
    ``balancing.load_factor`` of the cycle; each variant may exceed the
    cycle by ``sequencing.variant_overload``; the sequence absorbs that.
    ``source`` and ``place`` name a task in errors (a two-sided rule that
    cannot hold), as for :func:`~taktplan.plant.input_checks.check_inputs`.
    """
    # lazy: numba loads with the first stage that runs it, not on import
    # (measured in taktplan.precompile.BackgroundCompile.start)
    from taktplan.balance import balance_mixed_model
    from taktplan.balance.result import load_smoothness
    from taktplan.plant.two_sided_stage import balance_two_sided_segment

    limit = cycle_s * (1.0 + scenario.sequencing.variant_overload)
    load_limit = cycle_s * scenario.balancing.load_factor
    balanced = [s for s in scenario.segments if s.kind == "balanced"]
    out = []
    for n, segment in enumerate(balanced):
        problem = segment_problem(scenario, segment, load_limit, limit)
        if not problem.task_ids:
            continue
        if segment.two_sided:
            two = balance_two_sided_segment(
                scenario, segment, problem, load_limit,
                time_limit_s=time_limit_s, seed=seed, source=source,
                place=place,
                cp_sat_work=scenario.balancing.cp_sat_work,
                progress=_within(progress, n, len(balanced)))
            out.append(SegmentBalance(
                segment=segment.name, task_ids=problem.task_ids,
                station_names=tuple(
                    f"{segment.name}-{k + 1:02d}"
                    for k in range(len(two.station_tasks))),
                station_tasks=two.station_tasks, loads=two.loads,
                weighted_loads=two.weighted_loads,
                lower_bound=two.lower_bound, status=two.status,
                smoothness=load_smoothness(two.loads, problem.weights),
                runtime_s=two.cpu_s, two_sided=True,
                safety_net_hit=two.safety_net_hit,
                station_operators=two.station_operators,
                station_positions=two.station_positions,
                two_sided_operators_bound=two.operators_lower_bound))
            if progress is not None:
                progress((n + 1) / len(balanced))
            continue
        result = balance_mixed_model(problem, time_limit=time_limit_s,
                                     seed=seed)
        names = tuple(f"{segment.name}-{k + 1:02d}"
                      for k in range(result.n_stations))
        out.append(SegmentBalance(
            segment=segment.name,
            task_ids=problem.task_ids,
            station_names=names,
            station_tasks=tuple(tuple(problem.task_ids[i] for i in st)
                                for st in result.stations),
            loads=result.loads,
            weighted_loads=result.weighted_loads,
            lower_bound=result.lower_bound,
            status=result.status,
            smoothness=result.smoothness,
            runtime_s=result.runtime_s,
            safety_net_hit=result.safety_net_hit,
        ))
        if progress is not None:
            progress((n + 1) / len(balanced))
    return PlantBalance(cycle_s, load_limit, limit, tuple(out))
