"""One order per position for a station that CP-SAT timed per variant.

CP-SAT's model of a mixed-model segment (:func:`.cpsat.solve_cpsat` on
a problem with extra dimensions) schedules each variant on its own, so
a position's tasks may run in another order for each variant, while a
plant operator keeps one sequence of work for every variant. Each
station of such a line is re-sequenced here by a small exact model that
keeps one order per position for the weighted times and every variant,
and may move either-side tasks to the other side of the same station.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from taktplan.balance.twosided.problem import EITHER
from taktplan.cpsat_solver import new_solver

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.problem import TwoSidedProblem

#: CP-SAT deterministic time for the re-sequencing of one station (a
#: handful of tasks: it decides in a few hundredths).
STATION_WORK = 2.0


def resequence(problem: TwoSidedProblem, c: int, line: Placement, *,
               seed: int = 0) -> Placement | None:
    """``line`` with each station's tasks given one order per position
    that fits the cycle ``c`` in the weighted times and every variant's
    limit (and the variants' weighted mean within ``c``, where the
    problem weighs them), with the fewest staffed positions; ``None``
    when a station has no such order."""
    out: Placement = []
    for station in line:
        if not station:
            out.append([])
            continue
        fitted = _resequence_station(problem, c, station, seed)
        if fitted is None:
            return None
        out.append(fitted)
    return out


def _resequence_station(problem: TwoSidedProblem, c: int,
                        station: list[tuple[int, int, int]], seed: int
                        ) -> list[tuple[int, int, int]] | None:
    from ortools.sat.python import cp_model

    pos_side = problem.position_sides
    tasks = [i for i, _, _ in station]
    here = set(tasks)
    dims = [(problem.times, c)]
    if problem.extra_times is not None:
        dims += [(problem.extra_times[:, d], int(cap))
                 for d, cap in enumerate(problem.extra_limits)]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i in tasks:
        side = int(problem.sides[i])
        options = [q for q, s in enumerate(pos_side)
                   if side == EITHER or s in (side, EITHER)]
        for q in options:
            x[i, q] = model.new_bool_var(f"x{i}_{q}")
        model.add_exactly_one(x[i, q] for q in options)
    starts: list[dict[int, cp_model.IntVar]] = []
    for d, (t, cap) in enumerate(dims):
        starts.append({i: model.new_int_var(0, max(0, cap - int(t[i])),
                                            f"s{i}_{d}") for i in tasks})
    for a, b in problem.arcs:
        a, b = int(a), int(b)
        if a in here and b in here:
            for (t, _), s in zip(dims, starts, strict=True):
                model.add(s[b] >= s[a] + int(t[a]))
    for u, i in enumerate(tasks):
        for j in tasks[u + 1:]:
            first = model.new_bool_var(f"o{i}_{j}")
            for q in range(len(pos_side)):
                if (i, q) not in x or (j, q) not in x:
                    continue
                both = [x[i, q], x[j, q]]
                for (t, _), s in zip(dims, starts, strict=True):
                    model.add(s[j] >= s[i] + int(t[i])).only_enforce_if(
                        [*both, first])
                    model.add(s[i] >= s[j] + int(t[j])).only_enforce_if(
                        [*both, ~first])
    if problem.extra_weights:
        # the variants' weighted mean station time within the cycle
        spans: list[cp_model.IntVar] = []
        for (t, cap), s in list(zip(dims, starts, strict=True))[1:]:
            span = model.new_int_var(0, cap, f"m{len(spans)}")
            for i in tasks:
                model.add(span >= s[i] + int(t[i]))
            spans.append(span)
        w = [int(x) for x in problem.extra_weights]
        model.add(sum(wd * sd for wd, sd in zip(w, spans, strict=True))
                  <= sum(w) * c)
    used = []
    for q in range(len(pos_side)):
        on = [v for (i, qq), v in x.items() if qq == q]
        if on:
            u_q = model.new_bool_var(f"u{q}")
            for v in on:
                model.add_implication(v, u_q)
            used.append(u_q)
    model.minimize(sum(used))
    for i, q, s0 in station:
        if (i, q) in x:
            model.add_hint(x[i, q], 1)
        model.add_hint(starts[0][i], s0)
    solver = new_solver(seed)
    solver.parameters.max_deterministic_time = STATION_WORK
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return sorted(((i, q, int(solver.value(starts[0][i])))
                   for (i, q), v in x.items() if solver.value(v)),
                  key=lambda r: (r[2], r[1]))


__all__ = ["STATION_WORK", "resequence"]
