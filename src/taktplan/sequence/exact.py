"""Exact CP-SAT model of car sequencing (minimum summed window excess).

Variables: ``x[t, c]`` (class ``c`` at position ``t``), ``y[t, k]``
(position ``t`` carries option ``k``), ``e[k, s]`` (excess of the window
of option ``k`` starting at ``s``), and running counts ``cnt[k, t]`` of
option ``k`` in positions ``0..t-1``. Minimise ``sum e``.

Besides the window constraints ``cnt[k, s+q] - cnt[k, s] <= p + e[k, s]``
the model carries the classic implied "capacity" constraints of Régin
& Puget / Gent: the last ``i q`` positions hold at most ``i p`` option
cars plus the excess of their ``i`` disjoint windows, so the first
``n - i q`` positions must hold the rest; likewise from the front. They
are what lets the solver prove the small unsatisfiable instances.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.cpsat_solver import new_solver
from taktplan.sequence.evaluate import window_counts
from taktplan.sequence.localsearch import cpu_clock

if TYPE_CHECKING:
    from taktplan.sequence.instance import CarSequencingInstance

#: CP-SAT deterministic time given per CPU second of a limit. With one
#: worker a unit took 0.69-0.92 CPU s in prove_zero on 36-92, 19-71 and
#: pb_200_03 (AMD EPYC), but at one unit a second pb_200_08's solve ran 5
#: CPU s over its 60; the slack keeps the CPU limit.
DET_PER_CPU = 0.8
#: Longest day for which prove_zero counts every class with clauses.
CLASS_COUNTER_MAX_CARS = 200


@dataclass(frozen=True)
class ExactOutcome:
    """What the CP-SAT run found.

    Attributes
    ----------
    sequence
        Best sequence found (the hint when the solver found none better),
        or ``None`` when it found none.
    violations
        Its violations (``-1`` when none).
    lower_bound
        Proved lower bound on the violations.
    optimal
        The solver proved ``violations == lower_bound``.
    runtime_s
        Wall-clock seconds.
    """

    sequence: np.ndarray | None
    violations: int
    lower_bound: int
    optimal: bool
    runtime_s: float


def _cap(length: int, p: int, q: int) -> int:
    """Most option cars a stretch of ``length`` cars holds without excess."""
    return (length // q) * p + min(p, length % q)


def simple_lower_bound(instance: CarSequencingInstance) -> int:
    """A cheap valid lower bound on the violations.

    For each option, ``n`` positions hold ``n // q`` disjoint full
    windows plus ``n % q`` others; cars with the option beyond
    ``(n // q) p + n % q`` must be excess in the disjoint windows. Options
    are counted separately, so the per-option bounds add up.
    """
    n = instance.n_cars
    demand = instance.option_demand()
    total = 0
    for k in range(instance.n_options):
        q, p = int(instance.q[k]), int(instance.p[k])
        cap = (n // q) * p + (n % q)
        total += max(0, int(demand[k]) - cap)
    return total


def solve_exact(
    instance: CarSequencingInstance,
    *,
    time_limit: float,
    seed: int,
    hint: np.ndarray | None = None,
    upper_bound: int | None = None,
    workers: int = 1,
) -> ExactOutcome:
    """Minimise violations with CP-SAT.

    Parameters
    ----------
    instance
        The problem.
    time_limit
        CPU seconds for building the model plus CP-SAT's deterministic
        time (one unit is about a CPU second; no wall-clock limit).
    seed
        CP-SAT random seed.
    hint
        A sequence to start from (e.g. the local search's best).
    upper_bound
        Only look for sequences with at most this many violations.
    workers
        CP-SAT search workers (1 keeps it on one core).
    """
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    c0 = cpu_clock()
    n = instance.n_cars
    n_cls = instance.n_classes
    m = instance.n_options
    opts = instance.options
    counts = instance.class_counts
    demand = instance.option_demand()
    model = cp_model.CpModel()
    x = [{c: model.new_bool_var(f"x{t}_{c}") for c in range(n_cls)
          if counts[c] > 0} for t in range(n)]
    for t in range(n):
        model.add_exactly_one(list(x[t].values()))
    for c in range(n_cls):
        if counts[c] > 0:
            model.add(sum(x[t][c] for t in range(n)) == int(counts[c]))
    excess_terms = []
    e_vars: list[list] = []
    for k in range(m):
        p, q = int(instance.p[k]), int(instance.q[k])
        with_k = [c for c in range(n_cls) if opts[c, k] and counts[c] > 0]
        y = []
        for t in range(n):
            v = model.new_bool_var(f"y{t}_{k}")
            model.add(v == sum(x[t][c] for c in with_k))
            y.append(v)
        cnt = [model.new_constant(0)]
        d = int(demand[k])
        for t in range(n):
            lo = max(0, d - (n - t - 1))
            hi = min(t + 1, d)
            if upper_bound == 0:
                # No excess allowed: any stretch of length L holds at most
                # cap(L) option cars, which bounds every running count.
                lo = max(lo, d - _cap(n - t - 1, p, q))
                hi = min(hi, _cap(t + 1, p, q))
            if lo > hi:
                return ExactOutcome(None, -1, 1, False,
                                    time.perf_counter() - t0)
            v = model.new_int_var(lo, hi, f"cnt{k}_{t + 1}")
            model.add(v == cnt[-1] + y[t])
            cnt.append(v)
        model.add(cnt[n] == int(demand[k]))
        es = []
        for s in range(max(0, n - q + 1)):
            ev = model.new_int_var(0, q - p, f"e{k}_{s}")
            model.add(cnt[s + q] - cnt[s] <= p + ev)
            es.append(ev)
            excess_terms.append(ev)
        e_vars.append(es)
        # Implied capacity constraints from both ends (see module doc).
        for i in range(1, n // q + 1):
            tail = [es[n - j * q] for j in range(1, i + 1)]
            model.add(cnt[n - i * q] >= int(demand[k]) - i * p - sum(tail))
            head = [es[(j - 1) * q] for j in range(1, i + 1)]
            model.add(cnt[i * q] <= i * p + sum(head))
    objective = sum(excess_terms)
    model.minimize(objective)
    if upper_bound is not None:
        model.add(objective <= upper_bound)
    hint_viol = -1
    if hint is not None:
        hint = np.asarray(hint, dtype=np.int64)
        for t in range(n):
            for c in range(n_cls):
                if c in x[t]:
                    model.add_hint(x[t][c], int(hint[t] == c))
        flags = opts[hint]
        hint_viol = 0
        for k in range(m):
            wc = window_counts(flags[:, k], int(instance.q[k]))
            ex = np.maximum(wc - instance.p[k], 0)
            hint_viol += int(ex.sum())
            for s, ev in enumerate(e_vars[k]):
                model.add_hint(ev, int(ex[s]))
    solver = new_solver(seed, workers=workers)
    # Building the model (CPU seconds) counts against the limit too; the
    # solver's share is deterministic time (DET_PER_CPU), never wall
    # time, so the same call ends the same way on any load.
    solver.parameters.max_deterministic_time = DET_PER_CPU * max(
        0.01, float(time_limit) - (cpu_clock() - c0))
    status = solver.Solve(model)
    runtime = time.perf_counter() - t0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        seq = np.empty(n, dtype=np.int64)
        for t in range(n):
            for c in range(n_cls):
                if c in x[t] and solver.BooleanValue(x[t][c]):
                    seq[t] = c
        viol = round(solver.ObjectiveValue())
        bound = int(np.ceil(solver.BestObjectiveBound() - 1e-6))
        return ExactOutcome(seq, viol, max(bound, 0),
                            status == cp_model.OPTIMAL, runtime)
    if status == cp_model.INFEASIBLE and upper_bound is not None:
        # Nothing with <= upper_bound violations exists.
        return ExactOutcome(None, -1, upper_bound + 1, False, runtime)
    bound = 0
    if status == cp_model.UNKNOWN:
        bound = int(np.ceil(solver.BestObjectiveBound() - 1e-6))
    return ExactOutcome(hint if hint_viol >= 0 else None, hint_viol,
                        max(bound, 0), False, runtime)


@dataclass(frozen=True)
class ZeroOutcome:
    """Whether a sequence without any violation exists.

    Attributes
    ----------
    answer
        ``"sat"`` (``sequence`` has 0 violations), ``"unsat"`` (proved:
        every sequence has at least one violation) or ``"unknown"``.
    sequence
        The 0-violation sequence when ``answer == "sat"``.
    runtime_s
        Wall-clock seconds.
    """

    answer: str
    sequence: np.ndarray | None
    runtime_s: float


class _OutOfTime(Exception):
    """The time limit ran out while the model was being built."""


def prove_zero(
    instance: CarSequencingInstance,
    *,
    time_limit: float,
    seed: int,
    hint: np.ndarray | None = None,
) -> ZeroOutcome:
    """Decide whether a 0-violation sequence exists (pure SAT in CP-SAT).

    The model is the cumulative-sum ("sequential counter") encoding of
    Mayer-Eichberger & Walsh (2013) in clauses only, which CP-SAT's SAT
    core handles far faster than the integer model of
    :func:`solve_exact`: for each option and each class, Booleans
    ``S[t][j]`` = "at least ``j`` of the first ``t`` cars have it", tied to
    the car at each position; a window rule ``p/q`` becomes
    ``S[t+q][j+p] -> S[t][j]``; and every counter is fixed where the
    capacity of the prefix or of the suffix forces it (the implied
    constraints of Régin & Puget). One worker, no LP.

    ``instance``, ``time_limit``, ``seed`` and ``hint`` are as in
    :func:`solve_exact`.
    """
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    # A CPU-time deadline: load does not change where building stops.
    deadline = cpu_clock() + time_limit
    n = instance.n_cars
    n_cls = instance.n_classes
    opts = instance.options
    model = cp_model.CpModel()
    true = model.new_bool_var("true")
    model.add_bool_or([true])
    false = true.Not()
    x = [[model.new_bool_var(f"x{t}_{c}") for c in range(n_cls)]
         for t in range(n)]
    for t in range(n):
        model.add_exactly_one(x[t])
    rules = [(int(instance.p[k]), int(instance.q[k]))
             for k in range(instance.n_options)]

    def cap_of(ks: list[int], length: int) -> int:
        return min([_cap(length, *rules[k]) for k in ks] + [n])

    def counter(lits: list, total: int, ks: list[int]) -> list[list]:
        rows = []
        for t in range(n + 1):
            # Building the clauses of a large instance can take longer
            # than the whole time limit: stop building when it is spent.
            if cpu_clock() > deadline:
                raise _OutOfTime
            lo = max(0, total - cap_of(ks, n - t))
            hi = min(t, total, cap_of(ks, t))
            rows.append([true if j <= lo else false if j > hi
                         else model.new_bool_var("")
                         for j in range(total + 2)])
        for t in range(n):
            for j in range(total + 1):
                a, b = rows[t][j], rows[t + 1][j]
                model.add_implication(a, b)
                model.add_bool_or([a.Not(), lits[t].Not(), rows[t + 1][j + 1]])
                model.add_implication(rows[t + 1][j + 1], a)
                model.add_bool_or([b.Not(), a, lits[t]])
        model.add_bool_or([rows[n][total]])
        model.add_bool_or([rows[n][total + 1].Not()])
        return rows

    try:
        for c in range(n_cls):
            ks = [k for k in range(instance.n_options) if opts[c, k]]
            lits = [x[t][c] for t in range(n)]
            if n <= CLASS_COUNTER_MAX_CARS:
                counter(lits, int(instance.class_counts[c]), ks)
            else:
                # Counters for every class grow as n^2; on long days a
                # plain cardinality constraint keeps the model small
                # enough to build.
                model.add(sum(lits) == int(instance.class_counts[c]))
        demand = instance.option_demand()
        for k, (p, q) in enumerate(rules):
            y = [model.new_bool_var(f"y{t}_{k}") for t in range(n)]
            for t in range(n):
                for c in range(n_cls):
                    model.add_implication(x[t][c],
                                         y[t] if opts[c, k] else y[t].Not())
            d = int(demand[k])
            rows = counter(y, d, [k])
            for t in range(n - q + 1):
                for j in range(1, d + 2 - p):
                    model.add_implication(rows[t + q][j + p], rows[t][j])
    except _OutOfTime:
        return ZeroOutcome("unknown", None, time.perf_counter() - t0)
    if hint is not None:
        for t in range(n):
            for c in range(n_cls):
                model.add_hint(x[t][c], int(hint[t] == c))
    solver = new_solver(seed)
    # Building the model counts against the limit too; deterministic time
    # (see solve_exact), not wall time.
    solver.parameters.max_deterministic_time = DET_PER_CPU * max(
        0.01, deadline - cpu_clock())
    solver.parameters.linearization_level = 0
    status = solver.Solve(model)
    runtime = time.perf_counter() - t0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        seq = np.array([next(c for c in range(n_cls)
                             if solver.BooleanValue(x[t][c]))
                        for t in range(n)], dtype=np.int64)
        return ZeroOutcome("sat", seq, runtime)
    if status == cp_model.INFEASIBLE:
        return ZeroOutcome("unsat", None, runtime)
    return ZeroOutcome("unknown", None, runtime)
