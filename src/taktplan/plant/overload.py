"""Work overload of a mixed-model sequence, and a search that lowers it.

The measure is the line-stop time of the drift model in
:mod:`taktplan.plant.line_stage`: per station the backlog
``b_i = max(0, b_{i-1} + t_i - c)`` may reach the drift allowance ``D``;
anything beyond stops the line. The day's sequence repeats, so the
backlog is taken in its cyclic steady state (the day run twice).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit


@njit(cache=True)
def overload_seconds(seq: np.ndarray, loads: np.ndarray, cycle: float,
                     drift: float) -> float:
    """Line-stop seconds of one cycle of ``seq`` (steady state).

    ``loads`` is ``(n_stations, n_variants)``; ``seq`` holds variant
    indices.
    """
    n_st = loads.shape[0]
    total = 0.0
    for k in range(n_st):
        b = 0.0
        for sweep in range(2):
            for i in range(seq.size):
                b += loads[k, seq[i]] - cycle
                if b < 0.0:
                    b = 0.0
                if b > drift:
                    if sweep == 1:
                        total += b - drift
                    b = drift
    return total


@njit(cache=True)
def _search(seq: np.ndarray, loads: np.ndarray, cycle: float,
            drift: float, seed: int, max_moves: int,
            deadline_checks: int) -> float:
    np.random.seed(seed)
    best = overload_seconds(seq, loads, cycle, drift)
    n = seq.size
    for move in range(max_moves):
        if best <= 0.0:
            break
        i = np.random.randint(n)
        j = np.random.randint(n)
        if seq[i] == seq[j]:
            continue
        a = seq[i]
        seq[i] = seq[j]
        seq[j] = a
        cost = overload_seconds(seq, loads, cycle, drift)
        if cost <= best:
            best = cost
        else:
            seq[j] = seq[i]
            seq[i] = a
    return best


@dataclass(frozen=True)
class OverloadResult:
    """A sequence with lower work overload.

    Attributes
    ----------
    sequence
        Variant index of each vehicle.
    start_seconds
        Overload of the starting sequence (s per day's cycle).
    seconds
        Overload of the returned sequence.
    moves
        Swap moves tried.
    runtime_s
        Seconds spent.
    """

    sequence: np.ndarray
    start_seconds: float
    seconds: float
    moves: int
    runtime_s: float


def reduce_overload(start: np.ndarray, loads: np.ndarray, cycle: float,
                    drift: float, *, seed: int, max_moves: int = 60_000,
                    time_limit_s: float = 30.0) -> OverloadResult:
    """Swap vehicles while the overload does not grow (equal moves are
    accepted, so the search crosses plateaus); stops at zero overload,
    after ``max_moves`` moves, or at the time limit.

    The move budget, not the clock, ends a normal run, so the same seed
    gives the same sequence on any machine; the time limit is only a
    guard. The counts of each variant never change.
    """
    t0 = time.perf_counter()
    seq = np.ascontiguousarray(start, dtype=np.int64).copy()
    loads = np.ascontiguousarray(loads, dtype=np.float64)
    first = float(overload_seconds(seq, loads, cycle, drift))
    best = first
    chunk, moves, rounds = 5_000, 0, 0
    while (best > 0 and moves < max_moves
           and time.perf_counter() - t0 < time_limit_s):
        step = min(chunk, max_moves - moves)
        best = float(_search(seq, loads, cycle, drift,
                             seed * 7919 + rounds, step, 0))
        moves += step
        rounds += 1
    return OverloadResult(seq, first, best, moves,
                          time.perf_counter() - t0)
