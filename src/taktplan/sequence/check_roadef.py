"""An independent checker for ROADEF 2005 sequences.

Plain loops, no code shared with the solver or with
:func:`taktplan.sequence.roadef.components`: every car of the day exactly
once, the paint-batch limit kept, the three components recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from taktplan.sequence.check import SequenceCheckError

if TYPE_CHECKING:
    import numpy as np

    from taktplan.sequence.roadef import RoadefInstance


@dataclass(frozen=True)
class RoadefCheck:
    """Recomputed components and weighted objective.

    Attributes
    ----------
    color_changes, high_violations, low_violations
        The three components.
    objective
        ``sum(weight * component)``.
    longest_batch
        The longest run of one colour among today's cars.
    """

    color_changes: int
    high_violations: int
    low_violations: int
    objective: int
    longest_batch: int


def check_roadef(instance: RoadefInstance, order: np.ndarray) -> RoadefCheck:
    """Verify a ROADEF sequence and recompute its objective.

    Raises
    ------
    SequenceCheckError
        When ``order`` is not a permutation of today's cars or a run of
        one colour is longer than the paint-batch limit.
    """
    cars = [int(i) for i in order]
    n = len(instance.idents)
    if sorted(cars) != list(range(n)):
        raise SequenceCheckError("the sequence is not a permutation of "
                                 "today's cars")
    colors = [int(instance.colors[i]) for i in cars]
    changes = 0
    previous = (int(instance.prev_colors[-1])
                if len(instance.prev_colors) else None)
    run = longest = 0
    for c in colors:
        if previous is not None and c != previous:
            changes += 1
        run = run + 1 if c == previous and run > 0 else 1
        longest = max(longest, run)
        previous = c
    if longest > instance.paint_limit:
        raise SequenceCheckError(f"a batch of {longest} cars of one colour "
                                 f"exceeds the limit {instance.paint_limit}")
    prev_rows = [list(map(int, row)) for row in instance.prev_options]
    rows = prev_rows + [list(map(int, instance.options[i])) for i in cars]
    h = len(prev_rows)
    high = low = 0
    for k in range(len(instance.p)):
        p, q = int(instance.p[k]), int(instance.q[k])
        total = 0
        for start in range(max(0, h - q + 1), len(rows)):
            inside = sum(rows[t][k] for t in range(start,
                                                   min(start + q, len(rows))))
            total += max(0, inside - p)
        if instance.high[k]:
            high += total
        else:
            low += total
    objective = (instance.weight("RAF") * changes
                 + instance.weight("EP") * high
                 + instance.weight("ENP") * low)
    return RoadefCheck(changes, high, low, objective, longest)
