"""Horizontal balancing: smooth the variants' loads at a fixed count.

Local search over single-task moves and two-task swaps between
stations. A step is taken only when it keeps precedence, the weighted
load within the cycle and every variant's load within its limit, and
lowers the smoothness objective ``sum_s sum_v p_v (L_sv - W_s)^2``
(``L_sv`` the variant's station time, ``W_s`` the demand-weighted one).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _cost(loads, weights):
    m, V = loads.shape
    total = 0.0
    for s in range(m):
        w = 0.0
        for v in range(V):
            w += weights[v] * loads[s, v]
        for v in range(V):
            d = loads[s, v] - w
            total += weights[v] * d * d
    return total


@numba.njit(cache=True)
def _station_cost(row, weights):
    V = row.size
    w = 0.0
    for v in range(V):
        w += weights[v] * row[v]
    c = 0.0
    for v in range(V):
        d = row[v] - w
        c += weights[v] * d * d
    return c


@numba.njit(cache=True)
def _fits(row, weights, cycle, limit, tol):
    w = 0.0
    for v in range(row.size):
        if row[v] > limit + tol:
            return False
        w += weights[v] * row[v]
    return w <= cycle + tol


@numba.njit(cache=True)
def precedence_window(task, station_of, pred_ptr, pred_idx, succ_ptr,
                      succ_idx, m):
    """The stations ``(lo, hi)`` ``task`` may move to among ``m``: from
    its latest immediate predecessor's to its earliest successor's."""
    lo = 0
    hi = m - 1
    for q in range(pred_ptr[task], pred_ptr[task + 1]):
        s = station_of[pred_idx[q]]
        if s > lo:
            lo = s
    for q in range(succ_ptr[task], succ_ptr[task + 1]):
        s = station_of[succ_idx[q]]
        if s < hi:
            hi = s
    return lo, hi


@numba.njit(cache=True)
def smooth_loads(times, weights, station_of, m, pred_ptr, pred_idx,
                 succ_ptr, succ_idx, cycle, limit, order, max_sweeps):
    """Improve ``station_of`` in place; returns the final objective.

    Parameters
    ----------
    times
        Task times per variant ``(n, V)``, seconds.
    weights
        Demand shares ``(V,)``.
    station_of
        0-based station per task (changed in place).
    m
        The station count (kept).
    pred_ptr, pred_idx, succ_ptr, succ_idx
        Immediate precedence (CSR).
    cycle, limit
        Weighted-load and per-variant capacity.
    order
        The order tasks are tried in (seeded by the caller).
    max_sweeps
        Passes over all tasks at most.
    """
    n, V = times.shape
    tol = 1e-9 * max(cycle, 1.0)
    loads = np.zeros((m, V))
    for j in range(n):
        for v in range(V):
            loads[station_of[j], v] += times[j, v]
    count = np.zeros(m, np.int64)
    for j in range(n):
        count[station_of[j]] += 1
    a = np.zeros(V)
    b = np.zeros(V)
    for _ in range(max_sweeps):
        improved = False
        for r in range(n):
            j = order[r]
            sj = station_of[j]
            lo, hi = precedence_window(j, station_of, pred_ptr, pred_idx,
                                       succ_ptr, succ_idx, m)
            before_j = _station_cost(loads[sj], weights)
            best_gain = 1e-9
            best_s = -1
            best_k = -1
            for s in range(lo, hi + 1):
                if s == sj:
                    continue
                # Move j to s.
                for v in range(V):
                    a[v] = loads[sj, v] - times[j, v]
                    b[v] = loads[s, v] + times[j, v]
                if _fits(b, weights, cycle, limit, tol):
                    gain = (before_j + _station_cost(loads[s], weights)
                            - _station_cost(a, weights)
                            - _station_cost(b, weights))
                    # Never empty a station: the count is fixed.
                    if gain > best_gain and count[sj] > 1:
                        best_gain, best_s, best_k = gain, s, -1
            # Swaps with a task k of another station inside j's window.
            for k in range(n):
                sk = station_of[k]
                if sk == sj or sk < lo or sk > hi:
                    continue
                klo, khi = precedence_window(k, station_of, pred_ptr,
                                             pred_idx, succ_ptr, succ_idx, m)
                if sj < klo or sj > khi:
                    continue
                # j and k adjacent in precedence cannot swap stations.
                linked = False
                for q in range(succ_ptr[j], succ_ptr[j + 1]):
                    if succ_idx[q] == k:
                        linked = True
                for q in range(succ_ptr[k], succ_ptr[k + 1]):
                    if succ_idx[q] == j:
                        linked = True
                if linked:
                    continue
                for v in range(V):
                    a[v] = loads[sj, v] - times[j, v] + times[k, v]
                    b[v] = loads[sk, v] - times[k, v] + times[j, v]
                if not (_fits(a, weights, cycle, limit, tol)
                        and _fits(b, weights, cycle, limit, tol)):
                    continue
                gain = (before_j + _station_cost(loads[sk], weights)
                        - _station_cost(a, weights)
                        - _station_cost(b, weights))
                if gain > best_gain:
                    best_gain, best_s, best_k = gain, sk, k
            if best_s < 0:
                continue
            improved = True
            for v in range(V):
                loads[sj, v] -= times[j, v]
                loads[best_s, v] += times[j, v]
            station_of[j] = best_s
            count[sj] -= 1
            count[best_s] += 1
            if best_k >= 0:
                count[sj] += 1
                count[best_s] -= 1
                for v in range(V):
                    loads[best_s, v] -= times[best_k, v]
                    loads[sj, v] += times[best_k, v]
                station_of[best_k] = sj
        if not improved:
            break
    return _cost(loads, weights)
