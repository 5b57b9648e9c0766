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

from taktplan.balance.twosided.budget import Budget
from taktplan.balance.twosided.mixed import (
    balance_two_sided_mixed,
    checked_problem,
)
from taktplan.balance.twosided.problem import SIDE_CODES, TwoSidedProblem
from taktplan.errors import InputError
from taktplan.scenario.checks import toml_task_place

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance.mixed import MixedModelProblem
    from taktplan.scenario.checks import TaskPlace
    from taktplan.scenario.model import Scenario, Segment

#: Search nodes, local-search moves and CP-SAT deterministic time per
#: two-sided segment: the plan ends on a proof or these budgets, the
#: same on every machine. The moves fit a station fewer with every
#: variant kept (trim 14 -> 13, chassis 10 -> 9 on the built-in plant,
#: about a million a second).
PLANT_BUDGET = Budget(nodes=5_000, work=1.0, restarts=12,
                      moves=4_000_000)


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
    operators_lower_bound: int
    status: str
    cpu_s: float
    safety_net_hit: bool = False


def two_sided_problem(scenario: Scenario, segment: Segment,
                      task_ids: tuple[str, ...], arcs: np.ndarray,
                      source: str = "<scenario>",
                      place: TaskPlace | None = None) -> TwoSidedProblem:
    """Sides and zoning rules of the segment's tasks (times come later).

    ``task_ids`` and ``arcs`` are the segment's tasks and precedence
    pairs (:func:`~taktplan.plant.balance_stage.segment_tasks`).

    Raises
    ------
    InputError
        A rule that cannot hold, named where the task was read: its
        field (``place``: a task list's cell; default ``tasks[k].field``
        of ``source``), or its row for a clash between rules.
    """
    at = place or toml_task_place(source)
    index = {t: i for i, t in enumerate(task_ids)}
    where = {t.id: k for k, t in enumerate(scenario.tasks)}
    n = len(task_ids)
    sides = np.zeros(n, dtype=np.int64)
    fixed = np.full(n, -1, dtype=np.int64)
    together: list[tuple[int, int]] = []
    apart: list[tuple[int, int]] = []
    for tid in task_ids:
        k = where[tid]
        task = scenario.tasks[k]
        i = index[tid]
        sides[i] = SIDE_CODES[task.side]
        for field, names, out in (("together_with", task.together_with,
                                   together),
                                  ("apart_from", task.apart_from, apart)):
            for other in names:
                if other == tid:
                    raise InputError(
                        *at(k, field), f"task '{tid}' lists itself in "
                        f"{field}", f"remove '{tid}' from its own {field}")
                if other not in index:
                    raise InputError(
                        *at(k, field),
                        f"task '{tid}' names '{other}', not a task of "
                        f"segment '{segment.name}'",
                        "name a task of the same segment")
                out.append((i, index[other]))
        if task.station is not None and task.zone is not None:
            raise InputError(*at(k, "zone"),
                             f"task '{tid}' gives both station and zone",
                             "give one of them")
        if task.zone is not None:
            if task.zone not in segment.zones:
                raise InputError(
                    *at(k, "zone"),
                    f"task '{tid}' is pinned to zone '{task.zone}', which "
                    f"segment '{segment.name}' does not name",
                    "add it to the segment's zones or fix the name")
            fixed[i] = segment.zones[task.zone] - 1
        elif task.station is not None:
            fixed[i] = task.station - 1
    file = at(0, None)[0]
    names = tuple(f"{at(where[t], None)[1]} ('{t}')" for t in task_ids)
    return TwoSidedProblem(
        times=np.zeros(n, dtype=np.int64), sides=sides, arcs=arcs,
        name=segment.name, source=file, together=tuple(together),
        apart=tuple(apart), fixed_station=fixed,
        operators_per_side=segment.max_operators_per_side,
        task_lines=names, task_ids=tuple(task_ids),
        cycle_advice="lower the volume",
        extra_names=tuple(scenario.variant_ids),
        extra_advice="raise sequencing.variant_overload or lower the "
        "volume")


def checked_segment_problem(scenario: Scenario, segment: Segment,
                            task_ids: tuple[str, ...], arcs: np.ndarray,
                            times: np.ndarray, load_limit_s: float,
                            variant_limit_s: float,
                            source: str = "<scenario>",
                            place: TaskPlace | None = None
                            ) -> tuple[TwoSidedProblem, int]:
    """The segment's problem on its weighted times (tenths of a
    second) and the load limit in the same units, its rules checked
    against that limit by :func:`~taktplan.balance.twosided.mixed.
    checked_problem`, the check the balance itself runs: ``check`` and
    ``plan`` refuse the same inputs with the same message. ``times``
    are ``(n_tasks, n_variants)`` seconds; the rest as for
    :func:`two_sided_problem`. (No compiled kernel is loaded:
    ``check`` solves nothing.)"""
    problem = two_sided_problem(scenario, segment, task_ids, arcs, source,
                                place)
    return checked_problem(problem, times,
                           np.asarray(scenario.shares, dtype=np.float64),
                           load_limit_s, variant_limit_s)


def balance_two_sided_segment(scenario: Scenario, segment: Segment,
                              mixed: MixedModelProblem, load_limit_s: float,
                              *, seed: int = 0,
                              time_limit_s: float = 10.0,
                              cp_sat_work: float = 0.0,
                              source: str = "<scenario>",
                              place: TaskPlace | None = None,
                              progress: Callable[[float], None] | None = None,
                              ) -> TwoSidedSegment:
    """Balance one two-sided segment at the stations' load limit
    (``source`` and ``place`` as for :func:`two_sided_problem`;
    ``cp_sat_work`` is ``balancing.cp_sat_work``; ``progress`` gets the
    share of the searches' budgets spent)."""
    problem = two_sided_problem(scenario, segment, mixed.task_ids,
                                mixed.arcs, source, place)
    budget = Budget(nodes=PLANT_BUDGET.nodes, work=PLANT_BUDGET.work,
                    time_limit=time_limit_s, restarts=PLANT_BUDGET.restarts,
                    moves=PLANT_BUDGET.moves,
                    seed=seed)
    out = balance_two_sided_mixed(problem, mixed.times, mixed.weights,
                                  load_limit_s, mixed.variant_limit, budget,
                                  cp_sat_work, progress)
    ids = mixed.task_ids
    line = out.result.line
    return TwoSidedSegment(
        station_tasks=tuple(tuple(ids[i] for i in st.tasks) for st in line),
        station_operators=out.station_operators,
        # Only staffed positions: an unused second operator's place is
        # no operator (an empty bar in the Yamazumi chart, an empty
        # entry in the JSON).
        station_positions=tuple(tuple(
            (p.side, tuple(ids[s.task] for s in p.tasks))
            for p in st.positions if p.tasks) for st in line),
        loads=out.loads, weighted_loads=out.weighted_loads,
        lower_bound=out.result.lower_bound,
        operators_lower_bound=out.result.operators_lower_bound,
        status=out.result.status, cpu_s=out.result.cpu_s,
        safety_net_hit=out.safety_net_hit)
