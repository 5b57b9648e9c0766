"""Work overload of a mixed-model sequence, and a search that lowers it.

The measure is the line-stop time of the drift model of the plant's
paced lines (described in :mod:`taktplan.plant.line_stage`): per
station the backlog ``b_i = max(0, b_{i-1} + t_i - c)`` may reach the
drift allowance ``D``;
anything beyond stops the line. The day's sequence repeats, so the
backlog is taken in its cyclic steady state (the day run twice).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from taktplan.sequence.localsearch import cpu_clock


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
def _trace(k: int, seq: np.ndarray, step: np.ndarray, drift: float,
           b1: np.ndarray, b2: np.ndarray, o2: np.ndarray) -> float:
    """Both sweeps of station ``k``: backlog after each vehicle in sweep
    one (``b1``) and two (``b2``), sweep two's overload (``o2``); returns
    the station's overload."""
    b = 0.0
    for i in range(seq.size):
        b += step[k, seq[i]]
        b = min(max(b, 0.0), drift)
        b1[k, i] = b
    total = 0.0
    for i in range(seq.size):
        b += step[k, seq[i]]
        if b < 0.0:
            b = 0.0
        over = b - drift if b > drift else 0.0
        b -= over
        b2[k, i] = b
        o2[k, i] = over
        total += over
    return total


@njit(cache=True)
def _window(k: int, seq: np.ndarray, step: np.ndarray, drift: float,
            b1: np.ndarray, b2: np.ndarray, o2: np.ndarray, i: int, j: int,
            write: bool) -> float:
    """Change of station ``k``'s overload after positions ``i < j`` of
    ``seq`` changed, recomputing only until the backlog meets the stored
    one past ``j`` (from there on nothing differs). With ``write`` the
    stored traces are updated to the new sequence."""
    n = seq.size
    # Sweep one: from the stored backlog before i.
    b = b1[k, i - 1] if i > 0 else 0.0
    end_old = b1[k, n - 1]
    end_new = end_old
    for t in range(i, n):
        b += step[k, seq[t]]
        b = min(max(b, 0.0), drift)
        if t >= j and b == b1[k, t]:
            break
        if write:
            b1[k, t] = b
        if t == n - 1:
            end_new = b
    # Sweep two: from i when it starts from the same backlog, else from 0.
    start = i if end_new == end_old else 0
    if start > 0:
        b = b2[k, start - 1]
    else:
        b = end_new
    delta = 0.0
    for t in range(start, n):
        b += step[k, seq[t]]
        if b < 0.0:
            b = 0.0
        over = b - drift if b > drift else 0.0
        b -= over
        # The backlog can meet the stored one with a different overload
        # on this very vehicle: count it before stopping.
        met = t >= j and b == b2[k, t]
        delta += over - o2[k, t]
        if write:
            b2[k, t] = b
            o2[k, t] = over
        if met:
            break
    return delta


@njit(cache=True)
def _search(seq: np.ndarray, loads: np.ndarray, cycle: float,
            drift: float, seed: int, max_moves: int,
            deadline_checks: int) -> float:
    np.random.seed(seed)
    n_st = loads.shape[0]
    n = seq.size
    step = loads - cycle
    b1 = np.empty((n_st, n))
    b2 = np.empty((n_st, n))
    o2 = np.empty((n_st, n))
    best = 0.0
    for k in range(n_st):
        best += _trace(k, seq, step, drift, b1, b2, o2)
    for move in range(max_moves):
        if best <= 0.0:
            break
        i = np.random.randint(n)
        j = np.random.randint(n)
        if seq[i] == seq[j]:
            continue
        lo, hi = min(i, j), max(i, j)
        a = seq[i]
        seq[i] = seq[j]
        seq[j] = a
        delta = 0.0
        for k in range(n_st):
            if step[k, seq[i]] != step[k, seq[j]]:
                delta += _window(k, seq, step, drift, b1, b2, o2, lo, hi,
                                 False)
        # Equal moves are taken (plateaus); the tolerance keeps rounding
        # in the window sums from refusing a move that changes nothing.
        if delta <= 1e-9:
            for k in range(n_st):
                if step[k, seq[i]] != step[k, seq[j]]:
                    _window(k, seq, step, drift, b1, b2, o2, lo, hi, True)
            best += delta
        else:
            seq[j] = seq[i]
            seq[i] = a
    # The incremental sum drifts by rounding: report the exact value.
    return overload_seconds(seq, loads, cycle, drift)


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
    time_limit_hit
        The time limit (a safety net) ended the search before its move
        budget or zero overload did.
    """

    sequence: np.ndarray
    start_seconds: float
    seconds: float
    moves: int
    runtime_s: float
    time_limit_hit: bool = False


def reduce_overload(start: np.ndarray, loads: np.ndarray, cycle: float,
                    drift: float, *, seed: int, max_moves: int = 60_000,
                    time_limit_s: float = 30.0) -> OverloadResult:
    """Swap vehicles while the overload does not grow (equal moves are
    accepted, so the search crosses plateaus); stops at zero overload,
    after ``max_moves`` moves, or at the time limit (CPU seconds of the
    calling thread, checked before each chunk of moves).

    The move budget, not the clock, ends a normal run, so the same seed
    gives the same sequence on any machine; the time limit is only a
    guard. The counts of each variant never change.
    """
    t0 = time.perf_counter()
    c0 = cpu_clock()
    seq = np.ascontiguousarray(start, dtype=np.int64).copy()
    loads = np.ascontiguousarray(loads, dtype=np.float64)
    first = float(overload_seconds(seq, loads, cycle, drift))
    best = first
    chunk, moves, rounds = 5_000, 0, 0
    while (best > 0 and moves < max_moves
           and cpu_clock() - c0 < time_limit_s):
        step = min(chunk, max_moves - moves)
        best = float(_search(seq, loads, cycle, drift,
                             seed * 7919 + rounds, step, 0))
        moves += step
        rounds += 1
    return OverloadResult(seq, first, best, moves,
                          time.perf_counter() - t0,
                          best > 0 and moves < max_moves)
