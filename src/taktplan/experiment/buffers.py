"""Buffer allocation: the least total buffer space that reaches a target.

The search runs on an analytic throughput function (the decomposition
of the line, milliseconds per evaluation) and is exact under one
assumption, that throughput never falls when a buffer grows:

1. greedy marginal allocation from the lower limits (add the unit that
   raises throughput most) gives a first feasible total, an upper bound;
2. totals are then tried from the smallest up; for each, a depth-first
   search over the buffers prunes a partial allocation whose optimistic
   completion (every remaining buffer as large as the rest of the total
   allows) cannot reach the target. The first total with a feasible
   allocation is the least one; among its allocations the one with the
   highest throughput wins (ties: the first in lexicographic order).

A node budget bounds the exact search; when it runs out the result is
the greedy one with status ``"feasible"`` instead of ``"optimal"``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from taktplan.errors import InputError

Allocation = tuple[int, ...]
Throughput = Callable[[Allocation], float]


@dataclass(frozen=True)
class CurvePoint:
    """The best throughput found with ``total`` buffer places.

    ``exact`` says whether it is proven the best at that total (else it
    is the greedy allocation's).
    """

    total: int
    throughput: float
    allocation: Allocation
    exact: bool


@dataclass(frozen=True)
class AllocationResult:
    """The least-total allocation reaching ``target``.

    Parameters
    ----------
    status
        ``"optimal"`` (least total proven), ``"feasible"`` (search budget
        ran out: the greedy allocation), or ``"infeasible"`` (no
        allocation within the limits and ``max_total`` reaches it).
    allocation
        Capacity of each buffer (``None`` when infeasible).
    objective
        Its total buffer space.
    throughput
        Its analytic throughput (jobs per time unit).
    bound
        Proven lower bound on the least total.
    target
        The throughput asked for (jobs per time unit).
    curve
        Best throughput per total, from the lower limits' total up.
    evaluations
        Distinct allocations evaluated.
    runtime_s
        Wall time of the search.
    """

    status: str
    allocation: Allocation | None
    objective: int | None
    throughput: float | None
    bound: int
    target: float
    curve: tuple[CurvePoint, ...]
    evaluations: int
    runtime_s: float


class _Memo:
    """Caches the throughput function (allocations recur in the search)."""

    def __init__(self, fn: Throughput) -> None:
        self.fn = fn
        self.cache: dict[Allocation, float] = {}

    def __call__(self, alloc: Allocation) -> float:
        got = self.cache.get(alloc)
        if got is None:
            got = float(self.fn(alloc))
            self.cache[alloc] = got
        return got


class _Budget(Exception):
    pass


def _optimistic(prefix: Allocation, rest: int, lo: Sequence[int],
                hi: Sequence[int]) -> Allocation:
    """Each remaining buffer as large as ``rest`` allows (others at lo)."""
    k = len(prefix)
    spare = rest - sum(lo[k:])
    return prefix + tuple(min(hi[j], lo[j] + spare)
                          for j in range(k, len(lo)))


def best_at_total(evaluate: Throughput, total: int, lo: Sequence[int],
                  hi: Sequence[int], *, at_least: float = -math.inf,
                  budget: int = 200_000) -> tuple[Allocation, float] | None:
    """The allocation of exactly ``total`` places with most throughput.

    Only allocations reaching ``at_least`` count; ``None`` if there is
    none. Raises ``_Budget`` (internal) after ``budget`` nodes.
    """
    m = len(lo)
    if not sum(lo) <= total <= sum(hi):
        return None
    best: list[tuple[Allocation, float] | None] = [None]
    nodes = [0]

    def dfs(prefix: Allocation, rest: int) -> None:
        nodes[0] += 1
        if nodes[0] > budget:
            raise _Budget
        k = len(prefix)
        floor = max(at_least, best[0][1] if best[0] else -math.inf)
        if k == m - 1:
            if lo[k] <= rest <= hi[k]:
                alloc = (*prefix, rest)
                th = evaluate(alloc)
                if th >= at_least and (best[0] is None or th > best[0][1]):
                    best[0] = (alloc, th)
            return
        if evaluate(_optimistic(prefix, rest, lo, hi)) < floor:
            return
        tail_lo, tail_hi = sum(lo[k + 1:]), sum(hi[k + 1:])
        for v in range(max(lo[k], rest - tail_hi),
                       min(hi[k], rest - tail_lo) + 1):
            dfs((*prefix, v), rest - v)

    dfs((), total)
    return best[0]


def greedy_curve(evaluate: Throughput, lo: Sequence[int],
                 hi: Sequence[int], max_total: int) -> list[CurvePoint]:
    """Greedy marginal allocation: one unit at a time where it helps most."""
    alloc = tuple(lo)
    out = [CurvePoint(sum(alloc), evaluate(alloc), alloc, False)]
    while sum(alloc) < max_total:
        options = [(*alloc[:i], alloc[i] + 1, *alloc[i + 1:])
                   for i in range(len(alloc)) if alloc[i] < hi[i]]
        if not options:
            break
        alloc = max(options, key=evaluate)
        out.append(CurvePoint(sum(alloc), evaluate(alloc), alloc, False))
    return out


def allocate_buffers(evaluate: Throughput, target: float, *,
                     lower: Sequence[int], upper: Sequence[int],
                     max_total: int, curve_to: int | None = None,
                     budget: int = 200_000) -> AllocationResult:
    """The least total buffer space whose throughput reaches ``target``.

    Parameters
    ----------
    evaluate
        Throughput (jobs per time unit) of an allocation; must not fall
        when a buffer grows.
    target
        The throughput to reach.
    lower, upper
        Per-buffer limits (inclusive).
    max_total
        The largest total to consider.
    curve_to
        Last total of the trade-off curve (default: the answer + 5).
    budget
        Search nodes per total before falling back to greedy.
    """
    start = time.perf_counter()
    lo, hi = tuple(int(x) for x in lower), tuple(int(x) for x in upper)
    if len(lo) != len(hi) or any(a < 0 or a > b
                                 for a, b in zip(lo, hi, strict=True)):
        raise InputError("<command line>", "--limits", "each buffer needs "
                         "0 <= lower <= upper", "correct the limits")
    if not lo:
        raise InputError("<command line>", None, "the line has no buffer "
                         "to allocate", "give a line of two or more "
                         "stations")
    ev = _Memo(evaluate)
    top = min(max_total, sum(hi))
    greedy = greedy_curve(ev, lo, hi, top)
    greedy_hit = next((p for p in greedy if p.throughput >= target), None)
    status, found, bound = "infeasible", None, sum(lo)
    limit = greedy_hit.total if greedy_hit else top
    for total in range(sum(lo), limit + 1):
        try:
            found = best_at_total(ev, total, lo, hi, at_least=target,
                                  budget=budget)
        except _Budget:
            break
        if found is not None:
            status = "optimal"
            break
        bound = total + 1
    if found is None and greedy_hit is not None:
        status = "feasible"
        found = (greedy_hit.allocation, greedy_hit.throughput)
    if found is None and bound > top:
        status = "infeasible"
    answer = sum(found[0]) if found else None
    last = min(top, curve_to if curve_to is not None
               else (answer if answer is not None else top) + 5)
    curve = []
    by_total = {p.total: p for p in greedy}
    for total in range(sum(lo), last + 1):
        try:
            got = best_at_total(ev, total, lo, hi, budget=budget)
        except _Budget:
            got = None
        if got is not None:
            curve.append(CurvePoint(total, got[1], got[0], True))
        elif total in by_total:
            curve.append(by_total[total])
    return AllocationResult(
        status=status, allocation=found[0] if found else None,
        objective=answer, throughput=found[1] if found else None,
        bound=answer if status == "optimal" and answer is not None
        else bound, target=target,
        curve=tuple(curve), evaluations=len(ev.cache),
        runtime_s=time.perf_counter() - start)


def enumerate_allocations(evaluate: Throughput, target: float, *,
                          lower: Sequence[int], upper: Sequence[int],
                          max_total: int) -> tuple[Allocation, float] | None:
    """Exhaustive check: least total reaching ``target``, then most
    throughput, then lexicographically first (for tests, small lines)."""
    best: tuple[int, float, Allocation] | None = None
    ranges = [range(a, b + 1) for a, b in zip(lower, upper, strict=True)]
    for alloc in itertools.product(*ranges):
        n = sum(alloc)
        if n > max_total:
            continue
        th = float(evaluate(alloc))
        if th < target:
            continue
        key = (n, -th, alloc)
        if best is None or key < (best[0], -best[1], best[2]):
            best = (n, th, alloc)
    return None if best is None else (best[2], best[1])


def neighbours(alloc: Allocation, lower: Sequence[int],
               upper: Sequence[int]) -> list[Allocation]:
    """One unit less at a buffer, or one unit moved between two."""
    out = []
    m = len(alloc)
    for i in range(m):
        if alloc[i] > lower[i]:
            out.append((*alloc[:i], alloc[i] - 1, *alloc[i + 1:]))
    for i, j in itertools.permutations(range(m), 2):
        if alloc[i] > lower[i] and alloc[j] < upper[j]:
            b = list(alloc)
            b[i] -= 1
            b[j] += 1
            out.append(tuple(b))
    return out
