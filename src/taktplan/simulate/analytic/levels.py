"""Stationary distribution of a chain whose level moves by at most one.

Both of Gershwin's two-machine models are such chains: the level is the
buffer's storage ``n = 0..N`` and the phase is the pair of machine states
(4 phases). Linear level reduction solves them exactly in O(N) small
matrix operations, fast enough to sit inside a decomposition loop.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _right_divide(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ inv(y)`` by Gaussian elimination with partial pivoting."""
    # solve z y = x  <=>  y.T z.T = x.T
    m = y.shape[0]
    a = y.T.copy()
    b = x.T.copy()
    for col in range(m):
        piv = col
        for r in range(col + 1, m):
            if abs(a[r, col]) > abs(a[piv, col]):
                piv = r
        if piv != col:
            for c in range(m):
                a[col, c], a[piv, c] = a[piv, c], a[col, c]
            for c in range(b.shape[1]):
                b[col, c], b[piv, c] = b[piv, c], b[col, c]
        d = a[col, col]
        for r in range(col + 1, m):
            f = a[r, col] / d
            if f != 0.0:
                for c in range(col, m):
                    a[r, c] -= f * a[col, c]
                for c in range(b.shape[1]):
                    b[r, c] -= f * b[col, c]
    z = np.zeros_like(b)
    for col in range(m - 1, -1, -1):
        for c in range(b.shape[1]):
            s = b[col, c]
            for k in range(col + 1, m):
                s -= a[col, k] * z[k, c]
            z[col, c] = s / a[col, col]
    return z.T.copy()


@njit(cache=True)
def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Small matrix product by loops (no BLAS: quicker to compile)."""
    out = np.zeros((a.shape[0], b.shape[1]))
    for i in range(a.shape[0]):
        for k in range(a.shape[1]):
            x = a[i, k]
            if x != 0.0:
                for j in range(b.shape[1]):
                    out[i, j] += x * b[k, j]
    return out


@njit(cache=True)
def stationary_levels(down: np.ndarray, same: np.ndarray,
                      up: np.ndarray) -> np.ndarray:
    """Solve ``pi Q = 0`` for a block-tridiagonal generator ``Q``.

    Parameters
    ----------
    down, same, up
        Blocks (levels, phases, phases): rates from level n to n-1, within
        n and to n+1 (for a discrete-time chain give ``P - I``).

    Returns
    -------
    numpy.ndarray
        (levels, phases) stationary probabilities summing to 1.
    """
    top = same.shape[0] - 1
    m = same.shape[1]
    r = np.zeros((top + 1, m, m))
    if top > 0:
        r[top] = -_right_divide(up[top - 1], same[top])
        for n in range(top - 1, 0, -1):
            r[n] = -_right_divide(up[n - 1],
                                 same[n] + _matmul(r[n + 1], down[n + 1]))
        m0 = same[0] + _matmul(r[1], down[1])
    else:
        m0 = same[0].copy()
    # pi0 m0 = 0 with sum(pi0) = 1: replace the best column by ones
    best = 0
    for c in range(m):
        if abs(m0[c, c]) > abs(m0[best, best]):
            best = c
    a = m0.copy()
    for k in range(m):
        a[k, best] = 1.0
    rhs = np.zeros((1, m))
    rhs[0, best] = 1.0
    pi = np.zeros((top + 1, m))
    pi[0] = _right_divide(rhs, a)[0]
    for n in range(1, top + 1):
        pi[n] = _matmul(pi[n - 1:n], r[n])[0]
    for n in range(top + 1):
        for k in range(m):
            if pi[n, k] < 0.0:
                pi[n, k] = 0.0
    return pi / pi.sum()
