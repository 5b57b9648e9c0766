"""Checks across a scenario's parts that one field alone cannot make."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from taktplan.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from taktplan.scenario.model import Scenario

SHARE_TOLERANCE = 1e-6


def _duplicate(ids: list[str]) -> tuple[int, str] | None:
    """The index and id of the first id that was seen before."""
    seen: set[str] = set()
    for index, name in enumerate(ids):
        if name in seen:
            return index, name
        seen.add(name)
    return None


#: ``(task index, field)`` -> ``(file, place)`` of that task's field
#: (of the whole task when the field is ``None``).
TaskPlace = Callable[[int, str | None], tuple[str, str]]


def toml_task_place(source: str | Path) -> TaskPlace:
    """Places in ``[[tasks]]`` tables: ``tasks[3]``, ``tasks[3].time_s``."""

    def at(index: int, field: str | None) -> tuple[str, str]:
        suffix = "" if field is None else f".{field}"
        return str(source), f"tasks[{index}]{suffix}"

    return at


def check_scenario(scenario: Scenario, source: str | Path,
                   place: TaskPlace | None = None) -> None:
    """Raise :class:`InputError` for the first inconsistency found.

    Unique ids, demand shares summing to 1, per-variant times naming
    known variants, predecessors that exist and form no cycle, and every
    task area taken by exactly one balanced segment. ``place`` names a
    task's field in its own file (a task list's cell); by default
    ``tasks[i].field`` of ``source``.
    """
    variant_ids = [v.id for v in scenario.variants]
    dup = _duplicate(variant_ids)
    if dup:
        raise InputError(source, f"variants[{dup[0]}].id", f"variant id "
                         f"'{dup[1]}' is used twice",
                         "give every variant its own id")
    total = sum(v.share for v in scenario.variants)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise InputError(source, "variants[].share",
                         f"shares sum to {total:.6g}, not 1",
                         "make the variants' shares add up to 1")
    at = place or toml_task_place(source)
    _check_tasks(scenario, at, set(variant_ids))
    _check_segments(scenario, source, at)


def _check_tasks(scenario: Scenario, at: TaskPlace,
                 variants: set[str]) -> None:
    tasks = scenario.tasks
    dup = _duplicate([t.id for t in tasks])
    if dup:
        raise InputError(*at(dup[0], "id"),
                         f"task id '{dup[1]}' is used twice",
                         "give every task its own id")
    index = {t.id: i for i, t in enumerate(tasks)}
    for i, task in enumerate(tasks):
        for variant in task.times_s:
            if variant not in variants:
                raise InputError(
                    *at(i, f"times_s.{variant}"),
                    f"task '{task.id}' names unknown variant '{variant}'",
                    f"use one of {', '.join(sorted(variants))}")
        for pred in task.predecessors:
            if pred not in index:
                raise InputError(
                    *at(i, "predecessors"),
                    f"task '{task.id}' has unknown predecessor '{pred}'",
                    "name an existing task id")
            if pred == task.id:
                raise InputError(
                    *at(i, "predecessors"),
                    f"task '{task.id}' precedes itself",
                    "remove it from its own predecessors")
    cycle = find_cycle({t.id: list(t.predecessors) for t in tasks})
    if cycle:
        ranks = [index[task_id] for task_id in cycle]
        first = ranks.index(min(ranks))
        ring = cycle[first:] + cycle[:first]
        raise InputError(
            *at(index[ring[0]], "predecessors"),
            "precedence cycle " + " -> ".join([*ring, ring[0]]),
            "remove one of these precedence relations")


def _check_segments(scenario: Scenario, source: str | Path,
                    at: TaskPlace) -> None:
    dup = _duplicate([s.name for s in scenario.segments])
    if dup:
        raise InputError(source, f"segments[{dup[0]}].name",
                         f"segment name '{dup[1]}' is used twice",
                         "give every segment its own name")
    owner: dict[str, str] = {}
    for i, seg in enumerate(scenario.segments):
        for area in seg.areas:
            if area in owner:
                raise InputError(
                    source, f"segments[{i}].areas",
                    f"area '{area}' is taken by segments '{owner[area]}' "
                    f"and '{seg.name}'",
                    "give each area to one balanced segment")
            owner[area] = seg.name
    for i, task in enumerate(scenario.tasks):
        if task.area not in owner:
            raise InputError(
                *at(i, "area"),
                f"no segment takes area '{task.area}' of task '{task.id}', "
                "so no station can do it",
                "add the area to a balanced segment's areas")
    if scenario.tasks and not owner:
        raise InputError(source, "segments", "tasks are given but no "
                         "segment is balanced",
                         'add a segment with kind = "balanced"')


def find_cycle(predecessors: dict[str, list[str]]) -> list[str] | None:
    """Return one precedence cycle as a list of ids, or ``None``.

    Iterative depth-first search (no recursion limit on long chains).
    """
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(predecessors, white)
    for start in predecessors:
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        colour[start] = grey
        while stack:
            node, k = stack[-1]
            preds = predecessors[node]
            if k < len(preds):
                stack[-1] = (node, k + 1)
                nxt = preds[k]
                if colour.get(nxt, black) == grey:
                    cycle = path[path.index(nxt):]
                    return list(reversed(cycle))
                if colour.get(nxt) == white:
                    colour[nxt] = grey
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None
