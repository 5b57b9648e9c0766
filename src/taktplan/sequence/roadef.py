"""The ROADEF 2005 (Renault) car-sequencing problem: data, objective, solver.

Objective (weights 1e6, 1e3, 1 in the instance's lexicographic order):

- ``RAF``: paint colour changes between consecutive cars of today,
  counting the change from yesterday's last car to today's first;
- ``EP``/``ENP``: summed excess of the high-/low-priority ratio rules
  ``N/P``: for every window of ``P`` consecutive cars of yesterday+today
  that holds at least one of today's cars, ``max(0, cars with the option
  - N)``. Windows that start within the last ``P - 1`` of today's cars are
  cut short at the end of the day and still counted (the day after is
  unknown). Windows reaching back into yesterday count yesterday's cars.
- Hard: no more than ``paint_limit`` consecutive cars of today in one
  colour.

The solver is the same numba local search as for CSPLib
(:mod:`.localsearch`), with weights per rule, yesterday's cars as a fixed
prefix and option-free padding after the day's end (which turns the cut
windows into full ones).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.sequence.localsearch import SearchProblem, cpu_clock, run_search

if TYPE_CHECKING:
    from taktplan.sequence.instance import Status

#: File names of the objectives -> short codes of the challenge.
OBJECTIVE_CODES = {
    "paint_color_batches": "RAF",
    "high_priority_level_and_easy_to_satisfy_ratio_constraints": "EP",
    "high_priority_level_and_difficult_to_satisfy_ratio_constraints": "EP",
    "low_priority_level_ratio_constraints": "ENP",
}
WEIGHTS = (1_000_000, 1_000, 1)


@dataclass(frozen=True)
class RoadefInstance:
    """One day's cars with yesterday's tail, ratio and paint rules.

    Attributes
    ----------
    idents
        Today's vehicle idents, in file (SeqRank) order.
    colors, options
        Today's paint colour ``(n,)`` and ratio flags ``(n, m)``.
    p, q, high
        ``(m,)`` rule ``p/q`` (at most ``p`` in ``q``) and its priority.
    ratio_names
        Rule idents (``HPRC1`` ...).
    prev_colors, prev_options
        Yesterday's cars in sequence order (fixed).
    paint_limit
        Longest run of one colour allowed (hard).
    objective_order
        Codes ``RAF``/``EP``/``ENP`` from most to least important.
    name
        Instance name (directory name).
    """

    idents: tuple[str, ...]
    colors: np.ndarray
    options: np.ndarray
    p: np.ndarray
    q: np.ndarray
    high: np.ndarray
    ratio_names: tuple[str, ...]
    prev_colors: np.ndarray
    prev_options: np.ndarray
    paint_limit: int
    objective_order: tuple[str, ...]
    name: str = ""

    def weight(self, code: str) -> int:
        """Weight of objective ``code`` (0 when the instance omits it)."""
        if code not in self.objective_order:
            return 0
        return WEIGHTS[self.objective_order.index(code)]


@dataclass(frozen=True)
class RoadefResult:
    """A ROADEF sequence and its objective.

    Attributes
    ----------
    order
        Indices into ``instance.idents``, in sequence order.
    objective
        Weighted objective.
    color_changes, high_violations, low_violations
        The three components (RAF, EP, ENP).
    lower_bound
        Proved lower bound on the objective (from the colour counts).
    status
        ``"optimal"`` when the objective meets the bound, else
        ``"feasible"``.
    runtime_s
        Wall-clock seconds.
    """

    order: np.ndarray
    objective: int
    color_changes: int
    high_violations: int
    low_violations: int
    lower_bound: int
    status: Status
    runtime_s: float


def components(
    instance: RoadefInstance, order: np.ndarray
) -> tuple[int, int, int]:
    """Colour changes, high- and low-priority violations of ``order``."""
    order = np.asarray(order, dtype=np.int64)
    colors = np.concatenate((instance.prev_colors[-1:],
                             instance.colors[order]))
    changes = int(np.count_nonzero(colors[1:] != colors[:-1]))
    h = instance.prev_options.shape[0]
    flags = np.vstack((instance.prev_options, instance.options[order]))
    n_all = flags.shape[0]
    high = low = 0
    for k in range(instance.p.size):
        qk = int(instance.q[k])
        csum = np.concatenate(([0], np.cumsum(flags[:, k])))
        starts = np.arange(max(0, h - qk + 1), n_all)
        ends = np.minimum(starts + qk, n_all)
        excess = np.maximum(csum[ends] - csum[starts] - instance.p[k], 0)
        if instance.high[k]:
            high += int(excess.sum())
        else:
            low += int(excess.sum())
    return changes, high, low


def weighted(instance: RoadefInstance, comps: tuple[int, int, int]) -> int:
    """The challenge's weighted objective of three components."""
    changes, high, low = comps
    return (instance.weight("RAF") * changes + instance.weight("EP") * high
            + instance.weight("ENP") * low)


def paint_lower_bound(instance: RoadefInstance) -> int:
    """Fewest colour changes any sequence can have.

    Colour ``c`` with ``n_c`` cars needs ``ceil(n_c / limit)`` batches;
    consecutive batches differ in colour, so changes >= batches - 1.
    """
    _, counts = np.unique(instance.colors, return_counts=True)
    batches = int(np.sum(-(-counts // instance.paint_limit)))
    return max(0, batches - 1)


def _initial(instance: RoadefInstance) -> list[int]:
    """Batches of one colour (<= limit), largest remaining colour first."""
    by_colour: dict[int, list[int]] = {}
    for i, c in enumerate(instance.colors):
        by_colour.setdefault(int(c), []).append(i)
    last = int(instance.prev_colors[-1]) if instance.prev_colors.size else -1
    order: list[int] = []
    while by_colour:
        choices = sorted(by_colour, key=lambda c: (-len(by_colour[c]), c))
        pick = next((c for c in choices if c != last), choices[0])
        cars = by_colour[pick]
        take = min(len(cars), instance.paint_limit)
        order.extend(cars[:take])
        del cars[:take]
        if not cars:
            del by_colour[pick]
        last = pick
    return order


def solve_roadef(
    instance: RoadefInstance,
    *,
    time_limit: float,
    seed: int,
    max_iterations: int | None = None,
) -> RoadefResult:
    """Sequence today's cars for the weighted ROADEF objective.

    Parameters
    ----------
    instance
        The problem.
    time_limit
        CPU seconds of one core (the calling thread's CPU time).
    seed
        Seed of the move generator.
    max_iterations
        Cap on local-search moves (for reproducible tests).
    """
    t0 = time.perf_counter()
    c0 = cpu_clock()
    n = len(instance.idents)
    m = int(instance.p.size)
    maxq = int(instance.q.max(initial=1))
    n_prev = instance.prev_colors.size
    keep = min(n_prev, max(maxq - 1, 1))
    pad = maxq - 1
    # Cars with the same colour and flags are interchangeable: classes.
    rows = np.column_stack((
        np.concatenate((instance.prev_colors[n_prev - keep:],
                        instance.colors, np.full(pad, -1))),
        np.vstack((instance.prev_options[n_prev - keep:], instance.options,
                   np.zeros((pad, m), dtype=np.int64))),
    )).astype(np.int64)
    uniq, cls = np.unique(rows, axis=0, return_inverse=True)
    cls = cls.reshape(-1).astype(np.int64)
    start = _initial(instance)
    seq = np.concatenate((cls[:keep], cls[keep + np.array(start, dtype=int)]
                          if n else cls[:0], cls[keep + n:]))
    q = instance.q.astype(np.int64)
    w = np.where(instance.high, instance.weight("EP"),
                 instance.weight("ENP")).astype(np.int64)
    problem = SearchProblem(
        opt=uniq[:, 1:].copy(),
        col=uniq[:, 0].copy(),
        p=instance.p.astype(np.int64),
        q=q,
        w=w,
        lo=np.maximum(0, keep - q + 1).astype(np.int64),
        hi=np.full(m, keep + n - 1, dtype=np.int64),
        h=keep,
        e=keep + n - 1,
        paint_w=int(instance.weight("RAF")),
        limit=int(instance.paint_limit),
    )
    bound = instance.weight("RAF") * paint_lower_bound(instance)
    outcome = run_search(problem, seq, time_limit=max(
        0.0, time_limit - (cpu_clock() - c0)), seed=seed,
        target=bound, max_iterations=max_iterations)
    order = _classes_to_order(cls[keep:keep + n],
                              outcome.sequence[keep:keep + n])
    comps = components(instance, order)
    objective = weighted(instance, comps)
    return RoadefResult(
        order=order,
        objective=objective,
        color_changes=comps[0],
        high_violations=comps[1],
        low_violations=comps[2],
        lower_bound=min(bound, objective),
        status="optimal" if objective <= bound else "feasible",
        runtime_s=time.perf_counter() - t0,
    )


def _classes_to_order(car_class: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Give each position a car of its class (cars of a class in order)."""
    queues: dict[int, list[int]] = {}
    for i, c in enumerate(car_class):
        queues.setdefault(int(c), []).append(i)
    heads = dict.fromkeys(queues, 0)
    order = np.empty(seq.size, dtype=np.int64)
    for t, c in enumerate(seq):
        c = int(c)
        order[t] = queues[c][heads[c]]
        heads[c] += 1
    return order
