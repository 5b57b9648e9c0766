"""One entry point: sequence a day's cars with the fewest violations.

Greedy start, then the local search until a time share or a proved
bound is reached, then (when ``exact``) the two-option lower bound, the
SAT model (0 violations or not) and CP-SAT with the local search's best
as a hint to prove a bound or improve, then local search again for what
time is left.
"""

from __future__ import annotations

import time

import numpy as np

from taktplan.sequence.bound import pair_bound_for
from taktplan.sequence.bound import warm_up as warm_up_bound
from taktplan.sequence.check import check_sequence
from taktplan.sequence.construct import greedy_sequence
from taktplan.sequence.evaluate import (
    violation_mask,
    violations_per_option,
)
from taktplan.sequence.exact import (
    prove_zero,
    simple_lower_bound,
    solve_exact,
)
from taktplan.sequence.instance import (
    CarSequencingInstance,
    SequenceResult,
    Status,
)
from taktplan.sequence.localsearch import (
    SearchOutcome,
    cpu_clock,
    csplib_problem,
    run_search,
    warm_up,
)

#: Share of the time limit the first local-search phase may use.
FIRST_SHARE = 0.5
#: Share of the time left that the 0-violation proof (SAT model) may use.
ZERO_SHARE = 0.9
#: Longest day handed to the SAT model: beyond it, building the clauses
#: alone (quadratic in the cars) eats the time limit.
ZERO_MAX_CARS = 200
#: Largest instance (cars x classes) handed to the CP-SAT optimisation
#: model once the SAT model has proved that 0 is out of reach.
EXACT_MAX_SIZE = 100 * 30
#: Share of the search's swaps made with a car of a close class (one
#: option different where one is found): on the tight pb_* instances
#: random partners mostly break a good pattern (pb_300_05: 29 vs 30 in
#: 20 CPU s).
SIMILAR = 0.5
#: Share of the time limit the two-option bound may take, judged from
#: its size (cell updates at BOUND_RATE a second), not from a clock, so
#: whether it runs does not depend on the machine's load.
BOUND_SHARE = 0.05
#: Cell updates a CPU second of the bound's dynamic program (about
#: 1.3e9 measured on pb_400_03, AMD EPYC; rounded down).
BOUND_RATE = 1e9


def solve_car_sequencing(
    instance: CarSequencingInstance,
    *,
    time_limit: float,
    seed: int,
    exact: bool = True,
    max_iterations: int | None = None,
) -> SequenceResult:
    """Sequence the cars of ``instance`` with the fewest violations.

    Parameters
    ----------
    instance
        The problem.
    time_limit
        CPU seconds of one core for the whole solve (the calling
        thread's CPU time: the local search and CP-SAT with one worker
        run in it; CP-SAT's share is given as deterministic time,
        never wall time, so load does not change where it stops).
    seed
        Seed of every random choice (same seed, same limits: same result
        when ``max_iterations`` binds before the time limit).
    exact
        When the local search has not reached a proved bound: compute
        the two-option bound (:mod:`taktplan.sequence.bound`) and run the
        CP-SAT models (one worker) to prove infeasibility/optimality.
    max_iterations
        Cap on local-search moves per phase (for reproducible tests).

    Returns
    -------
    SequenceResult
        Checked by the independent checker before it is returned.
    """
    t0 = time.perf_counter()
    c0 = cpu_clock()
    n = instance.n_cars
    lower = simple_lower_bound(instance)
    if n == 0:
        seq = np.zeros(0, dtype=np.int64)
        return _result(instance, seq, 0, 0.0, 0.0, "greedy")
    best = greedy_sequence(instance, seed=seed)
    problem = csplib_problem(instance)
    warm_up()
    if exact:
        warm_up_bound()
    share = max(0.0, time_limit - (cpu_clock() - c0))
    if exact:
        share = max(share * FIRST_SHARE, min(share * 0.6, 3.0))
    first = run_search(problem, best, time_limit=share, seed=seed,
                       target=lower, max_iterations=max_iterations,
                       similar=SIMILAR)
    best, best_obj = first.sequence, first.objective
    method = "local"
    if exact and best_obj > lower:
        # Where the search still fails, two options at a time may prove
        # it cannot do better (pb_400_03: 12) or at least that 0 is out
        # of reach, which spares the SAT model below.
        bound, _ = pair_bound_for(
            instance, best, max_work=BOUND_SHARE * time_limit * BOUND_RATE)
        lower = max(lower, bound)
    if exact and best_obj > lower and lower == 0 and n <= ZERO_MAX_CARS:
        left = time_limit - (cpu_clock() - c0)
        zero = prove_zero(instance, time_limit=max(0.0, left) * ZERO_SHARE,
                          seed=seed, hint=best)
        if zero.answer == "sat" and zero.sequence is not None:
            best, best_obj, method = zero.sequence, 0, "cp-sat"
        elif zero.answer == "unsat":
            lower = max(lower, 1)
    size = n * instance.n_classes
    if exact and best_obj > lower and size <= EXACT_MAX_SIZE:
        left = time_limit - (cpu_clock() - c0)
        outcome = solve_exact(instance, time_limit=max(0.0, left) * 0.5,
                              seed=seed, hint=best)
        lower = max(lower, outcome.lower_bound)
        if outcome.sequence is not None and (
                0 <= outcome.violations < best_obj):
            best, best_obj = outcome.sequence, outcome.violations
            method = "cp-sat"
    left = time_limit - (cpu_clock() - c0)
    # With a move budget the second phase runs whatever the clock says,
    # so the answer is the same on any machine and load.
    timed_out = _timed_out(first, max_iterations, lower)
    if best_obj > lower and (max_iterations is not None or left > 0.05):
        again = run_search(problem, best, time_limit=max(left, 0.0),
                           seed=seed + 1, target=lower,
                           max_iterations=max_iterations, similar=SIMILAR)
        timed_out = timed_out or _timed_out(again, max_iterations, lower)
        if again.objective < best_obj:
            best, best_obj = again.sequence, again.objective
            method = "local"
    result = _result(instance, best, lower, time.perf_counter() - t0,
                      cpu_clock() - c0, method)
    if max_iterations is not None:
        result.extra["time_limit_hit"] = float(timed_out)
    return result


def _timed_out(outcome: SearchOutcome, max_iterations: int | None,
               target: int) -> bool:
    """Whether a budgeted local search stopped on the clock instead of
    its move budget or its target."""
    return (max_iterations is not None and outcome.objective > target
            and outcome.iterations < max_iterations)


def _result(
    instance: CarSequencingInstance,
    seq: np.ndarray,
    lower: int,
    runtime: float,
    cpu: float,
    method: str,
) -> SequenceResult:
    per_option = violations_per_option(instance, seq)
    total = int(per_option.sum())
    check_sequence(instance, seq, claimed_violations=total)
    lower = min(lower, total)
    status: Status
    if total == lower:
        status = "optimal"
    elif lower > 0:
        status = "infeasible"
    else:
        status = "feasible"
    seq = np.asarray(seq, dtype=np.int64)
    seq.setflags(write=False)
    return SequenceResult(
        sequence=seq,
        violations=total,
        violations_per_option=per_option,
        violation_mask=violation_mask(instance, seq),
        lower_bound=int(lower),
        status=status,
        runtime_s=float(runtime),
        method=method,
        extra={"cpu_s": float(cpu)},
    )
