"""Local search over swap, insertion/block and reversal moves (numba).

In the manner of Estellon, Gardi & Nouioua (ROADEF 2005 winners): very
many cheap random moves, each evaluated incrementally in O(m q), any move
that does not worsen the objective accepted (sideways moves let the
search drift across plateaus), half the moves starting from a car in an
over-full window.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.sequence.instance import CarSequencingInstance

CHUNK = 100_000
#: Random near swaps of a restart (see ``patience`` of run_search).
KICK = 5


def cpu_clock() -> float:
    """CPU seconds of the calling thread: the solvers' clock.

    Time limits are seconds of one core. The local search and CP-SAT
    with one worker both run in the calling thread, so its CPU time is
    what they spent; other jobs on a loaded machine do not eat the
    limit (the wall-clock time can then exceed it).
    """
    return time.thread_time()


@dataclass(frozen=True)
class SearchProblem:
    """The kernel's view of a problem (shared by CSPLib and ROADEF).

    Attributes
    ----------
    opt
        ``(n_classes, m)`` int64 option flags.
    col
        ``(n_classes,)`` paint colour per class (all 0 when unused).
    p, q, w
        ``(m,)`` ratio rule and the weight of one unit of its excess.
    lo, hi
        ``(m,)`` first and last window start that counts.
    h, e
        First and last movable position.
    paint_w
        Weight of one colour change (0: colours ignored).
    limit
        Paint-batch limit (0: none).
    """

    opt: np.ndarray
    col: np.ndarray
    p: np.ndarray
    q: np.ndarray
    w: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    h: int
    e: int
    paint_w: int = 0
    limit: int = 0


@dataclass(frozen=True)
class SearchOutcome:
    """What a local-search run ends with.

    Attributes
    ----------
    sequence
        Class per position (the whole array, fixed parts included).
    objective
        Weighted objective of ``sequence``.
    iterations
        Moves tried.
    runtime_s
        Wall-clock seconds.
    cpu_s
        CPU seconds of the searching thread (what the limit counts).
    """

    sequence: np.ndarray
    objective: int
    iterations: int
    runtime_s: float
    cpu_s: float = 0.0


def csplib_problem(instance: CarSequencingInstance) -> SearchProblem:
    """The kernel view of a CSPLib instance (full windows, unit weights)."""
    n = instance.n_cars
    m = instance.n_options
    q = instance.q.astype(np.int64)
    return SearchProblem(
        opt=instance.options.astype(np.int64),
        col=np.zeros(instance.n_classes, dtype=np.int64),
        p=instance.p.astype(np.int64),
        q=q,
        w=np.ones(m, dtype=np.int64),
        lo=np.zeros(m, dtype=np.int64),
        hi=(n - q).astype(np.int64),
        h=0,
        e=n - 1,
    )


def warm_up() -> None:
    """Load the compiled kernel (from numba's cache) with a tiny call.

    The first call in a process costs a second or two; call this before
    starting a clock that should not include it.
    """
    from taktplan.sequence import _kernel as kern

    one = np.ones(1, dtype=np.int64)
    seq = np.zeros(2, dtype=np.int64)
    opt = np.zeros((1, 1), dtype=np.int64)
    W = np.zeros((1, 2), dtype=np.int64)
    zero = np.zeros(1, dtype=np.int64)
    kern.recount(seq, opt, W, one, zero, one, 0, 1)
    kern.objective(seq, opt, zero, W, one, one, zero, one, 0, 1, 0)
    kern.search(seq, opt, zero, one, one, one, zero, one, 0, 1, 0, 0, W, 0,
                0, 0, 4, seq.copy(), np.zeros(2, dtype=np.int64), 0, 0, 0.0,
                0.0)


def run_search(
    problem: SearchProblem,
    start: np.ndarray,
    *,
    time_limit: float,
    seed: int,
    target: int = 0,
    max_iterations: int | None = None,
    patience: int = 0,
    kick: int = KICK,
    similar: float = 0.0,
    temp: float = 0.0,
) -> SearchOutcome:
    """Improve ``start`` by local search until a limit or the target.

    Parameters
    ----------
    problem
        The kernel view of the problem.
    start
        Starting sequence (class per position).
    time_limit
        CPU seconds of the calling thread (see :func:`cpu_clock`).
    seed
        Seed of the move generator.
    target
        Stop as soon as the objective is at most this (a lower bound).
    max_iterations
        Stop after this many moves (for reproducible runs).
    patience
        Moves without a new best after which the walk restarts from the
        best with ``kick`` random near swaps (0: never; paint rules must
        be off).
    kick
        Swaps of a restart.
    similar
        Share of swaps whose partner is drawn among cars of a close
        class (differing in few options).
    temp
        Temperature: a move worsening by ``d`` is accepted with
        probability ``exp(-d / temp)`` (0: never; paint rules must be
        off). The best sequence seen is returned.
    """
    from taktplan.sequence import _kernel as kern

    seq = np.array(start, dtype=np.int64)
    n = seq.size
    W = np.zeros((problem.p.size, max(n, 1)), dtype=np.int64)
    kern.recount(seq, problem.opt, W, problem.q, problem.lo, problem.hi,
                 0, n - 1)
    obj = int(kern.objective(seq, problem.opt, problem.col, W, problem.p,
                             problem.w, problem.lo, problem.hi, problem.h,
                             problem.e, problem.paint_w))
    maxlen = int(max(2 * int(problem.q.max(initial=1)), 4))
    warm_up()
    kern.seed_rng(seed % (2**31))
    best = seq.copy()
    # Best objective, moves since it improved.
    state = np.array([obj, 0], dtype=np.int64)
    if problem.paint_w > 0 or problem.limit > 0:
        patience, temp = 0, 0.0
    t0 = time.perf_counter()
    c0 = cpu_clock()
    done = 0
    step = CHUNK
    while obj > target:
        if max_iterations is not None and done >= max_iterations:
            break
        # At least one chunk runs, however small the budget left.
        if done > 0 and cpu_clock() - c0 >= time_limit:
            break
        if max_iterations is not None:
            step = min(step, max_iterations - done)
        tick = cpu_clock()
        obj = int(kern.search(
            seq, problem.opt, problem.col, problem.p, problem.q, problem.w,
            problem.lo, problem.hi, problem.h, problem.e, problem.paint_w,
            problem.limit, W, step, obj, target, maxlen, best, state,
            patience, kick, similar, temp))
        done += step
        # Keep each kernel call short so the time limit is kept closely.
        if cpu_clock() - tick > 0.1 and step > 1000:
            step //= 2
    if (patience > 0 or temp > 0.0) and state[0] < obj:
        seq, obj = best, int(state[0])
    return SearchOutcome(seq, obj, done, time.perf_counter() - t0,
                         cpu_clock() - c0)
