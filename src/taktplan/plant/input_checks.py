"""Checks of a scenario against its planning cycle, before any solver.

A scenario that passes its own validation can still ask for the
impossible once the capacity stage has set the cycle: a task longer than
a station may hold, or work that must flow backwards between segments.
These checks name the field at fault (an :class:`InputError`): for tasks
read from a task-list file, its row or cell (a :data:`TaskPlace`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from taktplan.errors import InputError
from taktplan.plant.balance_stage import segment_tasks, task_times
from taktplan.plant.two_sided_stage import checked_segment_problem
from taktplan.scenario.checks import toml_task_place

if TYPE_CHECKING:
    from taktplan.scenario.checks import TaskPlace
    from taktplan.scenario.model import Scenario, Task


def check_inputs(scenario: Scenario, cycle_s: float, source: str,
                 place: TaskPlace | None = None) -> None:
    """Run every check of this module (raise on the first failure).

    ``place`` names a task's field where its tasks were read (a task
    list's cell); by default ``tasks[i].field`` of ``source``.
    """
    check_tasks_fit(scenario, cycle_s, source, place)
    check_cross_segment_arcs(scenario, source, place)
    check_two_sided_rules(scenario, cycle_s, source, place)


def check_tasks_fit(scenario: Scenario, cycle_s: float, source: str,
                    place: TaskPlace | None = None) -> None:
    """Every task must fit a station at the planning cycle.

    A variant's time may exceed the cycle by the scenario's
    ``variant_overload``; the demand-weighted time may not exceed it.
    A too-long time is named where it was given: the variant's own time,
    else the task's ``time_s``.
    """
    at = place or toml_task_place(source)
    limit = cycle_s * (1.0 + scenario.sequencing.variant_overload)
    load_limit = cycle_s * scenario.balancing.load_factor
    shares = dict(zip(scenario.variant_ids, scenario.shares, strict=True))
    weighted_times = [sum(task.time_for(v) * s for v, s in shares.items())
                      for task in scenario.tasks]
    too_long = sum(w > load_limit for w in weighted_times)
    if too_long and too_long * 2 >= len(weighted_times):
        # Most of the work fits no station: the volume is at fault, not
        # a task.
        volume = scenario.targets.annual_volume
        feasible = int(volume * load_limit / max(weighted_times))
        raise InputError(
            source, "targets.annual_volume",
            f"{volume:.6g} vehicles a year give a planning cycle of "
            f"{cycle_s:.3g} s, too short for {too_long} of "
            f"{len(weighted_times)} tasks",
            f"lower the volume to at most {feasible:,} a year or add "
            "shifts")
    for i, (task, weighted) in enumerate(zip(scenario.tasks, weighted_times,
                                             strict=True)):
        if weighted > load_limit:
            # named at the time that weighs most in the average
            heaviest = max(shares, key=lambda v: task.time_for(v) * shares[v])
            raise InputError(
                *at(i, _time_field(task, heaviest)),
                f"task '{task.id}' takes {_seconds(weighted)} s on average, "
                f"more than a station may hold ({load_limit:.1f} s of the "
                f"{cycle_s:.1f} s planning cycle), so no station can take "
                "it", "split the task or lower the volume")
        for variant in scenario.variant_ids:
            t = task.time_for(variant)
            if t > limit:
                raise InputError(
                    *at(i, _time_field(task, variant)),
                    f"task '{task.id}' takes {_seconds(t)} s for {variant}, "
                    "more than the cycle with overload allows "
                    f"({limit:.1f} s)",
                    "split the task or raise sequencing.variant_overload")


def _time_field(task: Task, variant: str) -> str:
    """The field a variant's time comes from: its own, else ``time_s``."""
    return f"times_s.{variant}" if variant in task.times_s else "time_s"


def _seconds(value: float) -> str:
    """A time for a message: ``300.0``, or ``1e+12`` when absurdly long."""
    return f"{value:.1f}" if value < 1e7 else f"{value:.3g}"


def check_cross_segment_arcs(scenario: Scenario, source: str,
                             place: TaskPlace | None = None) -> None:
    """Arcs between segments must run forward along the line."""
    at = place or toml_task_place(source)
    seg_of_area = {a: k for k, s in enumerate(scenario.segments)
                   for a in s.areas}
    area = {t.id: t.area for t in scenario.tasks}
    for i, task in enumerate(scenario.tasks):
        for pred in task.predecessors:
            if seg_of_area[area[pred]] > seg_of_area[task.area]:
                raise InputError(
                    *at(i, "predecessors"),
                    f"task '{task.id}' in segment "
                    f"'{scenario.segments[seg_of_area[task.area]].name}' "
                    f"needs '{pred}' of a later segment",
                    "move one of the tasks or reorder the segments")


def check_two_sided_rules(scenario: Scenario, cycle_s: float, source: str,
                          place: TaskPlace | None = None) -> None:
    """The sides, zones, pins and together/apart rules of every
    two-sided segment's tasks must be able to hold at the planning
    cycle ``cycle_s``, checked without solving by the balance's own
    check (:func:`~taktplan.plant.two_sided_stage.checked_segment_problem`):
    a group bound to one station within a side's room, no rule
    contradicting another, every pin within the segment's reach."""
    load_limit = cycle_s * scenario.balancing.load_factor
    limit = cycle_s * (1.0 + scenario.sequencing.variant_overload)
    for segment in scenario.segments:
        if segment.kind != "balanced" or not segment.two_sided:
            continue
        tasks, arcs = segment_tasks(scenario, segment)
        if tasks:
            checked_segment_problem(
                scenario, segment, tuple(t.id for t in tasks), arcs,
                task_times(scenario, tasks), load_limit, limit, source,
                place)
