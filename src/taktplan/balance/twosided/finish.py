"""The end of a two-sided solve: the found line, or the input error
that none keeps the rules, turned into a checked
:class:`~.result.TwoSidedResult`."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.check import check_two_sided_line
from taktplan.balance.twosided.problem import SIDE_NAMES, TwoSidedProblem
from taktplan.balance.twosided.result import (
    Position,
    ScheduledTask,
    Station,
    TwoSidedResult,
)
from taktplan.errors import InputError

if TYPE_CHECKING:
    from taktplan.balance.twosided.budget import RunCounter
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.station import Prepared


def found_line(problem: TwoSidedProblem, line: Placement | None,
               what: str, more: str) -> Placement:
    """``line``, or the input error that no line keeps the rules
    (``more``: what gives a line more room, as the user would do it)."""
    if line is None:
        rules = problem.rules_text()
        limits = " and the variant limits" if problem.extra_limits else ""
        raise InputError(problem.source, None,
                         f"no line{what} keeps all the zoning rules"
                         f"{f' ({rules})' if rules else ''}{limits} within "
                         "the search's budget",
                         f"loosen one of these rules or {more}")
    return line

def kept_line(prep: Prepared, line: Placement) -> Placement | None:
    """``line`` without its empty stations, or ``None`` when dropping
    one would move pinned tasks."""
    if any(not st for st in line) and max(prep.pin) >= 0:
        return None
    return [st for st in line if st]


def stations_of(problem: TwoSidedProblem, placement: Placement
                ) -> tuple[Station, ...]:
    """The stations of a placement (``(task, position, start)`` per
    station, as the searches and CP-SAT give it), each position's tasks
    in start order, timed with the problem's times."""
    sides = problem.position_sides
    names = [SIDE_NAMES[s] if problem.two_sided else None for s in sides]
    t = problem.times
    stations = []
    for st in placement:
        per: list[list[ScheduledTask]] = [[] for _ in sides]
        for i, q, s in st:
            per[q].append(ScheduledTask(int(i), int(s), int(s + t[i])))
        stations.append(Station(tuple(
            Position(names[q], tuple(sorted(per[q], key=lambda x: x.start)))
            for q in range(len(per)))))
    return tuple(stations)


def checked_result(problem: TwoSidedProblem, kind: str, status: str,
                   c: int, lb: int, op_lb: int, placement: Placement,
                   cpu0: float, count: RunCounter, how: str,
                   pad_to: int | None) -> TwoSidedResult:
    """The result of a run (``kind`` TALBP-1 or TALBP-2) that found
    ``placement`` (padded with empty stations to ``pad_to``), its bounds,
    CPU since ``cpu0`` and ``count``'s nodes, after the independent
    checker passed it (:func:`check_result`)."""
    rows = list(placement)
    if pad_to is not None:
        rows += [[]] * (pad_to - len(rows))
    result = TwoSidedResult(
        kind=kind, status=status, cycle_time=int(c), lower_bound=int(lb),
        operators_lower_bound=int(op_lb), line=stations_of(problem, rows),
        cpu_s=time.process_time() - cpu0, nodes=count.nodes, backend=how,
        limit_hit=count.limit_hit)
    check_result(problem, result)
    return result


def check_result(problem: TwoSidedProblem, result: TwoSidedResult) -> None:
    """Run the independent checker on ``result`` for ``problem``."""
    check_two_sided_line(
        result.line, problem.times,
        [problem.side_name(i) for i in range(problem.n_tasks)],
        problem.arcs, result.cycle_time, two_sided=problem.two_sided,
        operators_per_side=problem.operators_per_side,
        together=problem.together, apart=problem.apart,
        fixed_station=[int(x) for x in np.asarray(problem.fixed_station)])
