"""Exact bin packing at the root: the station bound without precedence.

A line of ``m`` stations packs the task times into ``m`` bins of the
cycle time, so the fewest bins is a lower bound on the stations. The
bounds of :mod:`.prepare` (Martello & Toth's L2, Fekete & Schepers)
are usually that optimum, but not always (Scholl's WEE-MAG at c=54:
bounds 30, optimum 31). :func:`arc_flow_bound` settles it exactly
with Valério de Carvalho's arc-flow model solved by CP-SAT: a path from
0 to the cycle time per bin, one arc per item size starting where
larger items can end, loss arcs to the end.
"""

from __future__ import annotations

import numpy as np

from taktplan.cpsat_solver import new_solver

#: CP-SAT's deterministic time (about seconds of one core) per question
#: "do the items fit in k bins?"; beyond it the bound stays as it is.
DETERMINISTIC_LIMIT = 5.0


def arc_flow_fits(sizes: np.ndarray, capacity: int, bins: int, *,
                 seed: int = 0) -> bool | None:
    """Whether the items fit in ``bins`` bins: True, False, or None
    (not settled within :data:`DETERMINISTIC_LIMIT`).

    Parameters
    ----------
    sizes
        Item sizes, each at most ``capacity``.
    capacity
        Size of a bin.
    bins
        Bins available.
    seed
        CP-SAT's random seed.
    """
    from ortools.sat.python import cp_model

    values, counts = np.unique(np.asarray(sizes, dtype=np.int64),
                               return_counts=True)
    if bins <= 0:
        return values.size == 0
    model = cp_model.CpModel()
    reach = np.zeros(capacity + 1, dtype=bool)
    reach[0] = True
    flow_in: dict[int, list] = {}
    flow_out: dict[int, list] = {}
    per_size: list[list] = []
    # Larger items first: an item's arc starts only where a path of
    # items at least as large ends (the model's symmetry breaking).
    for size, count in zip(values[::-1].tolist(), counts[::-1].tolist()):
        arcs = []
        has_arc = np.zeros(capacity + 1, dtype=bool)
        # Up to ``count`` items of this size follow each other in a bin.
        for _ in range(min(count, capacity // size)):
            starts = np.flatnonzero(reach[:capacity + 1 - size]
                                    & ~has_arc[:capacity + 1 - size])
            if starts.size == 0:
                break
            for u in starts.tolist():
                arc = model.new_int_var(0, bins, "")
                flow_out.setdefault(u, []).append(arc)
                flow_in.setdefault(u + size, []).append(arc)
                arcs.append(arc)
            has_arc[starts] = True
            reach[starts + size] = True
        per_size.append(arcs)
    for u in np.flatnonzero(reach[:capacity]).tolist():
        loss = model.new_int_var(0, bins, "")
        flow_out.setdefault(u, []).append(loss)
        flow_in.setdefault(capacity, []).append(loss)
    for u in [*np.flatnonzero(reach).tolist(), capacity]:
        inflow, outflow = flow_in.get(u, []), flow_out.get(u, [])
        if u == 0:
            model.add(sum(outflow) == bins)
        elif u == capacity:
            model.add(sum(inflow) == bins)
        else:
            model.add(sum(inflow) == sum(outflow))
    for arcs, count in zip(per_size, counts[::-1].tolist()):
        model.add(sum(arcs) >= count)
    solver = new_solver(seed)
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    status = solver.Solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None


def arc_flow_bound(sizes: np.ndarray, capacity: int, lower: int,
                      upper: int) -> int:
    """The fewest bins for the items, searched from ``lower`` up to
    ``upper`` (a proved bound and a known packing's count); stops at
    the first count not proved too few."""
    bound = lower
    while bound < upper and arc_flow_fits(sizes, capacity, bound) is False:
        bound += 1
    return bound
