"""The plant's two-sided segments: scenario tasks to a balanced line.

A balanced segment with ``two_sided = true`` is balanced by
:func:`taktplan.balance.twosided.mixed.balance_two_sided_mixed`: each
task's ``side``, ``together_with``, ``apart_from`` and ``station`` /
``zone`` (a station named in the segment's ``zones``) become the
problem's sides and zoning rules; ``max_operators_per_side`` the
positions per side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.mixed import balance_two_sided_mixed
from taktplan.balance.twosided.problem import SIDE_CODES, TwoSidedProblem
from taktplan.balance.twosided.solve import Budget
from taktplan.errors import InputError

if TYPE_CHECKING:
    from taktplan.balance.mixed import MixedModelProblem
    from taktplan.scenario.model import Scenario, Segment

#: Search nodes and CP-SAT deterministic time per two-sided segment: the
#: plan ends on a proof or these budgets, the same on every machine.
PLANT_BUDGET = Budget(nodes=5_000, work=1.0, restarts=12)


@dataclass(frozen=True)
class TwoSidedSegment:
    """What the plant needs of a balanced two-sided segment."""

    station_tasks: tuple[tuple[str, ...], ...]
    station_operators: tuple[int, ...]
    station_positions: tuple[tuple[tuple[str | None, tuple[str, ...]], ...],
                             ...]
    loads: np.ndarray
    weighted_loads: np.ndarray
    lower_bound: int
    status: str
    cpu_s: float


def two_sided_problem(scenario: Scenario, segment: Segment,
                      mixed: MixedModelProblem,
                      source: str = "<scenario>") -> TwoSidedProblem:
    """Sides and zoning rules of the segment's tasks (times come later)."""
    index = {t: i for i, t in enumerate(mixed.task_ids)}
    where = {t.id: k for k, t in enumerate(scenario.tasks)}
    n = len(mixed.task_ids)
    sides = np.zeros(n, dtype=np.int64)
    fixed = np.full(n, -1, dtype=np.int64)
    together: list[tuple[int, int]] = []
    apart: list[tuple[int, int]] = []
    for tid in mixed.task_ids:
        k = where[tid]
        task = scenario.tasks[k]
        i = index[tid]
        sides[i] = SIDE_CODES[task.side]
        for field, names, out in (("together_with", task.together_with,
                                   together),
                                  ("apart_from", task.apart_from, apart)):
            for other in names:
                if other not in index:
                    raise InputError(
                        source, f"tasks[{k}].{field}",
                        f"task '{tid}' names '{other}', not a task of "
                        f"segment '{segment.name}'",
                        "name a task of the same segment")
                out.append((i, index[other]))
        if task.station is not None and task.zone is not None:
            raise InputError(source, f"tasks[{k}].zone",
                             f"task '{tid}' gives both station and zone",
                             "give one of them")
        if task.zone is not None:
            if task.zone not in segment.zones:
                raise InputError(
                    source, f"tasks[{k}].zone",
                    f"task '{tid}' is pinned to zone '{task.zone}', which "
                    f"segment '{segment.name}' does not name",
                    "add it to the segment's zones or fix the name")
            fixed[i] = segment.zones[task.zone] - 1
        elif task.station is not None:
            fixed[i] = task.station - 1
    names = tuple(f"tasks[{where[t]}] ('{t}')" for t in mixed.task_ids)
    return TwoSidedProblem(
        times=np.zeros(n, dtype=np.int64), sides=sides, arcs=mixed.arcs,
        name=segment.name, source=source, together=tuple(together),
        apart=tuple(apart), fixed_station=fixed,
        operators_per_side=segment.max_operators_per_side,
        task_lines=names)


def balance_two_sided_segment(scenario: Scenario, segment: Segment,
                              mixed: MixedModelProblem, load_limit_s: float,
                              *, seed: int = 0,
                              time_limit_s: float = 10.0) -> TwoSidedSegment:
    """Balance one two-sided segment at the stations' load limit."""
    problem = two_sided_problem(scenario, segment, mixed)
    budget = Budget(nodes=PLANT_BUDGET.nodes, work=PLANT_BUDGET.work,
                    time_limit=time_limit_s, restarts=PLANT_BUDGET.restarts,
                    seed=seed)
    out = balance_two_sided_mixed(problem, mixed.times, mixed.weights,
                                  load_limit_s, mixed.variant_limit, budget)
    ids = mixed.task_ids
    line = out.result.line
    return TwoSidedSegment(
        station_tasks=tuple(tuple(ids[i] for i in st.tasks) for st in line),
        station_operators=out.station_operators,
        station_positions=tuple(tuple(
            (p.side, tuple(ids[s.task] for s in p.tasks))
            for p in st.positions) for st in line),
        loads=out.loads, weighted_loads=out.weighted_loads,
        lower_bound=out.result.lower_bound, status=out.result.status,
        cpu_s=out.result.cpu_s)
