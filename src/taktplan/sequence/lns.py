"""Large-neighbourhood step: exact re-ordering of a window of cars.

The cars at positions ``a..b`` are taken out and put back in the order
that minimises the violations of every ratio window touching them (the
cars outside stay where they are): the window neighbourhood of Perron &
Shaw (2004) and of Estellon, Gardi & Nouioua (2008). The engine is a
compiled branch and bound (:mod:`taktplan.sequence._window`) rather than
CP-SAT: on windows of a 12-violation pb_400_03 sequence it proved 16-car
windows optimal in at most 0.02 s where CP-SAT (one worker, same model
size) took up to a second, and 4 of 5 windows of 24 cars within 20 M
nodes (0.01-4 s) where CP-SAT proved 1 of 5 in 5 deterministic seconds.
Its node budget ends it the same way on any machine (no clock involved).

What it showed (pb_400_03, 12 violations): none of 677 windows of 16-40
cars around the violations (300 k nodes each, 191 searched to the end)
could be re-ordered to fewer, nor of 1660 windows of 16-32 cars
alternated with the local search (60 CPU s each run).
:mod:`taktplan.sequence.bound` then proved 12 optimal, so the step is
not part of :func:`solve_car_sequencing`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktplan.sequence.instance import CarSequencingInstance

#: Default node budget of one window (about 0.01-0.05 CPU s).
BUDGET = 200_000


@dataclass(frozen=True)
class WindowOutcome:
    """What one window re-ordering did.

    Attributes
    ----------
    sequence
        The whole sequence after the step (a new array).
    before, after
        Violations of the windows meeting ``a..b`` before and after
        (``after <= before`` always).
    optimal
        The search was exhaustive: ``after`` is the least possible for
        this window.
    nodes
        Branch-and-bound nodes used.
    """

    sequence: np.ndarray
    before: int
    after: int
    optimal: bool
    nodes: int


def touched_violations(instance: CarSequencingInstance, seq: np.ndarray,
                       a: int, b: int) -> int:
    """Summed excess of the full windows that meet positions ``a..b``."""
    seq = np.asarray(seq, dtype=np.int64)
    n = seq.size
    flags = instance.options[seq]
    total = 0
    for k in range(instance.n_options):
        p, q = int(instance.p[k]), int(instance.q[k])
        s0, s1 = max(0, a - q + 1), min(b, n - q)
        if s0 > s1:
            continue
        csum = np.concatenate(([0], np.cumsum(flags[:, k])))
        counts = csum[s0 + q:s1 + q + 1] - csum[s0:s1 + 1]
        total += int(np.maximum(counts - p, 0).sum())
    return total


def reoptimise_window(
    instance: CarSequencingInstance,
    seq: np.ndarray,
    a: int,
    b: int,
    *,
    budget: int = BUDGET,
) -> WindowOutcome:
    """Re-order the cars at positions ``a..b`` (inclusive) optimally.

    Minimises the summed excess of every full window of every option
    that meets ``a..b``; the cars outside keep their places, the cars
    inside are permuted (class counts kept). The current order is the
    incumbent, so the result is never worse than the input; within the
    node budget the first strictly better order is kept improving.

    Parameters
    ----------
    instance
        The problem.
    seq
        The current sequence (class per position); not modified.
    a, b
        First and last position of the window (clipped to the day).
    budget
        Branch-and-bound node budget (deterministic).
    """
    from taktplan.sequence._window import best_window_order

    seq = np.asarray(seq, dtype=np.int64)
    n = seq.size
    a, b = max(0, int(a)), min(n - 1, int(b))
    new = seq.copy()
    if n == 0 or b <= a:
        before = touched_violations(instance, seq, a, b) if n else 0
        return WindowOutcome(new, before, before, True, 0)
    before = touched_violations(instance, seq, a, b)
    if before == 0:
        return WindowOutcome(new, 0, 0, True, 0)
    best, nodes, complete = best_window_order(
        new, instance.options.astype(np.int64),
        instance.p.astype(np.int64), instance.q.astype(np.int64),
        a, b, int(budget), before)
    after = touched_violations(instance, new, a, b)
    if after != best or after > before:  # pragma: no cover - guard
        raise AssertionError("window search miscounted")
    return WindowOutcome(new, before, after, bool(complete), int(nodes))
