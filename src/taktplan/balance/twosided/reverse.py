"""The line read backwards: a second direction for the exact search.

Reverse every arc and a line of the reversed instance, read from its
last station to its first with each task's span mirrored inside the
cycle (``start -> c - finish``), is a line of the original at the same
cycle: a task that followed its predecessor in a station now precedes
its (mirrored) follower, on either side, and the stations' order keeps
every arc across stations. Sides, operators, the together and apart
rules are unchanged. So "does cycle ``c`` fit ``m`` stations?" has one
answer for both directions, and a search that is stuck one way is often
quick the other way (the ends of a graph differ: P148 with 12 stations
at 214 takes the forward search over 100,000 nodes, the backward one
18,395; SALOME-style bidirectional branching for SALBP rests on the
same symmetry).

Only instances without pinned stations and without extra dimensions
(the plant's variants) are reversed: a pin names a station counted from
the front, and the variants' timings are kept by the forward search
alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.problem import TwoSidedProblem


def reversed_problem(problem: TwoSidedProblem) -> TwoSidedProblem | None:
    """``problem`` with every arc reversed, or ``None`` when it has
    pinned stations or extra dimensions (not reversed)."""
    if (problem.fixed_station >= 0).any() or problem.extra_limits:
        return None
    return replace(problem, arcs=np.ascontiguousarray(problem.arcs[:, ::-1]),
                   name=f"{problem.name} (reversed)", cycle_time=None,
                   n_stations=None)


def unreverse(line: Placement, times: tuple[int, ...] | np.ndarray
              ) -> Placement:
    """The original instance's line from a line of the reversed one:
    stations in the opposite order (empty trailing stations stay at the
    end), each span mirrored inside ``0..c`` with ``c`` the reversed
    line's own cycle (its latest finish), so the cycle stays the same."""
    c = max((s + int(times[i]) for st in line for i, _, s in st), default=0)
    used = len(line)
    while used and not line[used - 1]:
        used -= 1
    out: Placement = [
        sorted(((i, q, c - s - int(times[i])) for i, q, s in line[k]),
               key=lambda x: (x[2], x[1]))
        for k in range(used - 1, -1, -1)]
    return out + [[] for _ in range(len(line) - used)]


__all__ = ["reversed_problem", "unreverse"]
