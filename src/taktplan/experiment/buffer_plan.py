"""Buffer allocation for a line: analytic search, then simulation.

:func:`optimize_buffers` searches the least total buffer space reaching
a target on the line's analytic decomposition
(:func:`taktplan.simulate.decomposition_throughput`), then simulates the
winner and its neighbours (one place less at a buffer, or one place
moved between two) with common random numbers: replication ``r`` of
every candidate draws from ``SeedSequence(seed, spawn_key=(0, r))``, so
differences between candidates are not noise between streams.

The answer is the least total among the simulated allocations whose
simulated mean reaches the target. When none does (the decomposition is
an approximation), the analytic target is raised by the simulated
shortfall and the new winner simulated, up to :data:`EXTRA_ROUNDS`
times; if still none reaches it, the plan says so and gives the best
allocation found.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from taktplan.errors import InputError
from taktplan.experiment.buffers import (
    Allocation,
    AllocationResult,
    allocate_buffers,
    neighbours,
)
from taktplan.experiment.executors import Executor, InProcessExecutor
from taktplan.experiment.runner import Task, run_task

Progress = Callable[[int, int], None]

#: Further analytic searches, each at a target raised by the simulated
#: shortfall, when no simulated allocation reaches the target.
EXTRA_ROUNDS = 3


@dataclass(frozen=True)
class Confirmation:
    """Simulated throughput of one candidate allocation.

    ``throughput`` is the mean over replications (jobs per time unit)
    with its t-based 95% interval ``ci95``.
    """

    allocation: Allocation
    total: int
    analytic: float
    throughput: float
    ci95: tuple[float, float]
    replications: int


@dataclass(frozen=True)
class BufferPlan:
    """The allocation found, its simulation and the trade-off curve.

    ``winner`` is the analytic search's allocation simulated and
    ``neighbours`` its neighbours; ``tried`` is every simulated
    allocation (those and the ones of the raised-target rounds).
    ``answer`` is the least total of ``tried`` whose simulated mean
    reaches the target (ties: the higher throughput), ``None`` when none
    does; ``best`` is the highest simulated throughput of ``tried``.
    ``per_hour`` converts jobs per time unit into jobs per hour.
    """

    search: AllocationResult
    winner: Confirmation | None
    neighbours: tuple[Confirmation, ...]
    lower: Allocation
    upper: Allocation
    per_hour: float
    runtime_s: float
    tried: tuple[Confirmation, ...] = ()
    answer: Confirmation | None = None
    best: Confirmation | None = None


def parse_limits(text: str | None, n: int, max_total: int
                 ) -> tuple[Allocation, Allocation]:
    """Per-buffer (lower, upper) limits from ``--limits``.

    ``MAX`` for every buffer, or ``L1,L2,...`` one per buffer, each
    ``MAX`` or ``MIN:MAX``. Without limits: 0 to ``max_total``.
    """
    where = "--limits"
    if text is None or not text.strip():
        return (0,) * n, (max_total,) * n
    items = [s.strip() for s in text.split(",")]
    if len(items) == 1:
        items = items * n
    if len(items) != n:
        raise InputError("<command line>", where, f"{len(items)} limits "
                         f"for {n} buffers", "give one limit, or one per "
                         "buffer")
    lo, hi = [], []
    for item in items:
        a, sep, b = item.partition(":")
        try:
            low, high = (int(a), int(b)) if sep else (0, int(a))
        except ValueError:
            raise InputError("<command line>", where, f"'{item}' is not "
                             "MAX or MIN:MAX", "give whole numbers like "
                             "10 or 2:10") from None
        if not 0 <= low <= high:
            raise InputError("<command line>", where, f"'{item}' is an "
                             "empty range", "give 0 <= MIN <= MAX")
        lo.append(low)
        hi.append(high)
    return tuple(lo), tuple(hi)


def _segment_limits(line: Any, lo: Allocation, hi: Allocation
                    ) -> tuple[Allocation, Allocation]:
    """Buffers inside a paced segment stay 0; one in front is >= 1."""
    lo_, hi_ = list(lo), list(hi)
    for a, b in getattr(line, "segments", ()):
        for i in range(a, b):
            lo_[i] = hi_[i] = 0
        if a > 0:
            lo_[a - 1] = max(lo_[a - 1], 1)
            hi_[a - 1] = max(hi_[a - 1], lo_[a - 1])
    return tuple(lo_), tuple(hi_)


def _with_buffers(model: Any, alloc: Allocation) -> Any:
    line = dataclasses.replace(model.line, buffers=tuple(alloc))
    return dataclasses.replace(model, line=line)


def _estimate(values: Sequence[float]) -> tuple[float, tuple[float, float]]:
    from scipy.stats import t as student_t

    x = np.asarray(values, dtype=float)
    mean = float(x.mean())
    if x.size < 2:
        return mean, (mean, mean)
    half = float(student_t.ppf(0.975, x.size - 1) * x.std(ddof=1)
                 / math.sqrt(x.size))
    return mean, (mean - half, mean + half)


@dataclass(frozen=True)
class BufferSearch:
    """The analytic search of a line's buffers, before simulation."""

    result: AllocationResult
    lower: Allocation
    upper: Allocation
    per_hour: float
    evaluate: Callable[[Allocation], float]
    max_total: int = 0
    budget: int = 200_000


def search_buffers(model: Any, *, target_jph: float, max_total: int,
                   limits: str | None = None,
                   analytic: Callable[[Any], float] | None = None,
                   budget: int = 200_000) -> BufferSearch:
    """The least total buffer reaching ``target_jph``, analytically.

    Parameters
    ----------
    model
        A prepared evaluator model with a ``line`` (see
        :mod:`taktplan.experiment.evaluators`).
    target_jph
        Jobs per hour to reach (converted with the line's
        ``time_unit_s``).
    max_total
        Largest total buffer space to consider.
    limits
        ``--limits`` text (see :func:`parse_limits`).
    analytic
        Throughput of a line in jobs per time unit (default: the
        decomposition of :mod:`taktplan.simulate.analytic`).
    budget
        Search nodes per total (see :func:`allocate_buffers`).
    """
    if analytic is None:
        # lazy: the decomposition loads numba, which reading and checking
        # the command's input does not need (python -X importtime)
        from taktplan.simulate.analytic import decomposition_throughput

        analytic = decomposition_throughput
    throughput_of = analytic
    if not (target_jph > 0 and math.isfinite(target_jph)):
        raise InputError("<command line>", "--target", "must be > 0",
                         "give the jobs per hour to reach")
    if max_total < 0:
        raise InputError("<command line>", "--max-total", "must be >= 0",
                         "give the most buffer places in total")
    line = model.line
    per_hour = 3600.0 / line.time_unit_s
    lo, hi = _segment_limits(
        line, *parse_limits(limits, len(line.buffers), max_total))
    cache: dict[Allocation, float] = {}

    def evaluate(alloc: Allocation) -> float:
        if alloc not in cache:
            cache[alloc] = float(throughput_of(
                dataclasses.replace(line, buffers=alloc)))
        return cache[alloc]

    result = allocate_buffers(evaluate, target_jph / per_hour, lower=lo,
                              upper=hi, max_total=max_total, budget=budget)
    return BufferSearch(result, lo, hi, per_hour, evaluate, max_total,
                        budget)


def confirm_buffers(search: BufferSearch, model: Any,
                    run: Callable[..., Any], *, replications: int = 10,
                    seed: int = 0, executor: Executor | None = None,
                    progress: Progress | None = None,
                    runtime_s: float = 0.0) -> BufferPlan:
    """Simulate the winner of ``search`` and its neighbours.

    ``run`` is the evaluator's ``run(model, seed_sequence) -> metrics``;
    ``progress`` is called with (replications done, total).
    """
    start = time.perf_counter()
    if replications < 2:
        raise InputError("<command line>", "--replications", "must be >= 2",
                         "give at least 2 for a confidence interval")
    res = search.result
    winner: Confirmation | None = None
    others: tuple[Confirmation, ...] = ()
    tried: list[Confirmation] = []
    executor = executor or InProcessExecutor()
    if res.allocation is not None:
        cands = [res.allocation,
                 *neighbours(res.allocation, search.lower, search.upper)]
        confirmed = _simulate(cands, model, run, search.evaluate,
                              replications, seed, executor, progress)
        winner, others = confirmed[0], tuple(confirmed[1:])
        tried = list(confirmed)
        tried += _raise_target(search, winner, model, run, replications,
                               seed, executor)
    answer = least_reaching(tried, res.target)
    best = max(tried, key=lambda c: c.throughput) if tried else None
    return BufferPlan(res, winner, others, search.lower, search.upper,
                      search.per_hour,
                      runtime_s + time.perf_counter() - start,
                      tuple(tried), answer, best)


def least_reaching(tried: Sequence[Confirmation], target: float
                   ) -> Confirmation | None:
    """The least total whose simulated mean reaches ``target`` (ties:
    the higher throughput), or ``None``."""
    ok = [c for c in tried if c.throughput >= target]
    if not ok:
        return None
    return min(ok, key=lambda c: (c.total, -c.throughput))


def _raise_target(search: BufferSearch, winner: Confirmation, model: Any,
                  run: Callable[..., Any], replications: int, seed: int,
                  executor: Executor) -> list[Confirmation]:
    """Search again at targets raised by the simulated shortfall (or, if
    no allocation reaches that, just above the last one's analytic
    throughput) and simulate each new winner."""
    target = search.result.target
    last, out = winner, []
    for _ in range(EXTRA_ROUNDS):
        if last.throughput >= target or last.throughput <= 0:
            break
        step = math.nextafter(last.analytic, math.inf)
        again = None
        for aim in (max(last.analytic * target / last.throughput, step),
                    step):
            again = allocate_buffers(search.evaluate, aim,
                                     lower=search.lower, upper=search.upper,
                                     max_total=search.max_total,
                                     budget=search.budget).allocation
            if again is not None:
                break
        if again is None:
            break
        last = _simulate([again], model, run, search.evaluate,
                         replications, seed, executor, None)[0]
        out.append(last)
    return out


def optimize_buffers(model: Any, run: Callable[..., Any], *,
                     target_jph: float, max_total: int,
                     limits: str | None = None, replications: int = 10,
                     seed: int = 0,
                     analytic: Callable[[Any], float] | None = None,
                     executor: Executor | None = None,
                     progress: Progress | None = None,
                     budget: int = 200_000) -> BufferPlan:
    """:func:`search_buffers` then :func:`confirm_buffers`."""
    start = time.perf_counter()
    if replications < 2:
        raise InputError("<command line>", "--replications", "must be >= 2",
                         "give at least 2 for a confidence interval")
    search = search_buffers(model, target_jph=target_jph,
                            max_total=max_total, limits=limits,
                            analytic=analytic, budget=budget)
    return confirm_buffers(search, model, run, replications=replications,
                           seed=seed, executor=executor, progress=progress,
                           runtime_s=time.perf_counter() - start)


def _simulate(cands: list[Allocation], model: Any, run: Callable[..., Any],
              evaluate: Callable[[Allocation], float], replications: int,
              seed: int, executor: Executor,
              progress: Progress | None) -> list[Confirmation]:
    # Every candidate is "point 0" of the seed tree: common random numbers.
    tasks = [Task(run, _with_buffers(model, c), seed, 0,
                  tuple(range(replications))) for c in cands]
    results: dict[Allocation, list[float]] = {}
    done = 0
    total = len(cands) * replications

    if progress:
        progress(0, total)
    for alloc, rows in executor.imap_unordered(
            _run_tagged, list(zip(cands, tasks, strict=True))):
        results[alloc] = [dict(r.metrics)["throughput"] for r in rows]
        done += len(rows)
        if progress:
            progress(done, total)
    out = []
    for c in cands:
        mean, ci = _estimate(results[c])
        out.append(Confirmation(c, sum(c), evaluate(c), mean, ci,
                                replications))
    return out


def _run_tagged(pair: tuple[Allocation, Task]) -> tuple[Allocation, Any]:
    """Run a candidate's task, keeping its allocation beside the rows."""
    return pair[0], run_task(pair[1])


def plan_to_dict(plan: BufferPlan) -> dict[str, Any]:
    """The ``optimize-buffers --json`` object (see the README)."""
    s, f = plan.search, plan.per_hour

    def conf(c: Confirmation) -> dict[str, Any]:
        return {"allocation": list(c.allocation), "total": c.total,
                "analytic_jph": c.analytic * f,
                "simulated_jph": c.throughput * f,
                "ci95_jph": [c.ci95[0] * f, c.ci95[1] * f],
                "replications": c.replications}

    return {
        "status": s.status,
        "target_jph": s.target * f,
        "allocation": list(s.allocation) if s.allocation else None,
        "total": s.objective,
        "bound": s.bound,
        "analytic_jph": s.throughput * f if s.throughput is not None
        else None,
        "simulated": conf(plan.winner) if plan.winner else None,
        "meets_target": plan.answer is not None,
        "answer": conf(plan.answer) if plan.answer else None,
        "best_found": conf(plan.best) if plan.best else None,
        "tried": [conf(c) for c in plan.tried],
        "neighbours": [conf(c) for c in plan.neighbours],
        "limits": {"lower": list(plan.lower), "upper": list(plan.upper)},
        "curve": [{"total": p.total, "analytic_jph": p.throughput * f,
                   "allocation": list(p.allocation), "exact": p.exact}
                  for p in s.curve],
        "evaluations": s.evaluations,
        "runtime_s": plan.runtime_s,
    }
