"""Checks across a scenario's parts that one field alone cannot make."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from taktplan.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from taktplan.scenario.model import Scenario, Segment

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
    counts = {name: 0 for name in owner.values()}
    for task in scenario.tasks:
        counts[owner[task.area]] += 1
    for i, seg in enumerate(scenario.segments):
        if seg.kind == "balanced" and counts.get(seg.name, 0) == 0:
            raise InputError(
                source, f"segments[{i}].areas",
                f"balanced segment '{seg.name}' gets no task (no task is "
                f"in its areas {', '.join(seg.areas)})",
                "give tasks these areas, or remove the segment")
        _check_station_names(seg, i, counts.get(seg.name, 0), source)
        _check_paced(scenario, i, counts.get(seg.name, 0), source)
    if scenario.tasks and not owner:
        raise InputError(source, "segments", "tasks are given but no "
                         "segment is balanced",
                         'add a segment with kind = "balanced"')


def _check_paced(scenario: Scenario, index: int, n_tasks: int,
                 source: str | Path) -> None:
    """A paced segment of more than one station moves its vehicles
    together: one vehicle a station (no parallel stations) and a buffer
    in front of it, or the simulated line cannot be built."""
    seg = scenario.segments[index]
    many = (seg.stations or 0) > 1 if seg.kind == "fixed" else n_tasks > 1
    if not (seg.paced and many):
        return
    if seg.parallel > 1:
        raise InputError(
            source, f"segments[{index}].parallel",
            f"segment '{seg.name}' is paced with parallel = "
            f"{seg.parallel}, but a paced segment moves one vehicle a "
            "station", "set paced = false for parallel stations, or "
            "parallel = 1")
    if index > 0 and scenario.segments[index - 1].buffer_after < 1:
        before = scenario.segments[index - 1].name
        raise InputError(
            source, f"segments[{index - 1}].buffer_after",
            f"segment '{before}' has no buffer after it, but the paced "
            f"segment '{seg.name}' needs one in front",
            "give buffer_after >= 1, or set paced = false on "
            f"'{seg.name}'")


def _check_station_names(seg: Segment, index: int, n_tasks: int,
                         source: str | Path) -> None:
    """``station_reliability`` keys must name stations the segment can
    have: ``SEGMENT-NN`` with NN from 01 to its fixed station count (or,
    balanced, to its task count: no more stations than tasks)."""
    most = seg.stations if seg.kind == "fixed" else n_tasks
    for name in seg.station_reliability:
        head, _, number = name.rpartition("-")
        if head == seg.name and number.isdigit() and \
                1 <= int(number) <= (most or 0):
            continue
        raise InputError(
            source, f"segments[{index}].station_reliability.{name}",
            f"segment '{seg.name}' has no station '{name}'",
            f"name a station {seg.name}-01 .. {seg.name}-{most or 0:02d}")


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
