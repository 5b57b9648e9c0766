"""Numba branch and bound: the best order of the cars in one window.

The cars at positions ``a..b`` are re-ordered (class counts kept, cars
outside fixed) to minimise the summed excess of every full window that
meets ``a..b``. Depth-first, left to right, one branch per *class* still
to place (cars of a class are interchangeable, so no symmetric branch),
the class already at the position tried first. A window's excess is
added as soon as its last car is placed; a node is cut when its cost plus
a capacity bound on what is left reaches the incumbent. The node budget
makes the search end the same way on any machine.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _bound(t, b, n, rem_opt, p, q, pre, buf):
    """Excess the cars still to place (positions t..b) must add.

    Per option: the most option cars positions ``t..b`` can take with no
    over-full window (given the cars placed before ``t``; the fixed cars
    after ``b`` ignored, a relaxation) is what placing them as early as
    allowed gives (greedy is optimal for one sliding-window rule). Each
    car beyond it is at least one unit of excess in a window that ends
    at or after ``t`` (taking a car out of an over-full window lowers the
    excess by at least one), so the shortfalls add up.
    """
    total = 0
    for k in range(p.shape[0]):
        r = rem_opt[k]
        if r == 0:
            continue
        qk = q[k]
        pk = p[k]
        cap = 0
        for u in range(t, b + 1):
            # Cars in window [u-q+1, u] so far: placed part + greedy part.
            s = u - qk + 1
            if s < 0:
                s = 0
            c = 0
            if s < t:
                c = pre[k, t] - pre[k, s]
                lo = t
            else:
                lo = s
            for v in range(lo, u):
                c += buf[v - t]
            if c < pk:
                buf[u - t] = 1
                cap += 1
                if cap >= r:
                    break
            else:
                buf[u - t] = 0
        if r > cap:
            total += r - cap
    return total


@njit(cache=True)
def best_window_order(seq, opt, p, q, a, b, budget, incumbent):
    """Search orders of ``seq[a..b]`` with fewer than ``incumbent`` excess.

    Parameters
    ----------
    seq
        Whole sequence (class per position); positions ``a..b`` are
        overwritten with the best order found (kept when none is better).
    opt, p, q
        Option flags per class and the ratio rules.
    a, b
        The window (inclusive).
    budget
        Node budget (each placed car is one node).
    incumbent
        Excess of the current order over the windows meeting ``a..b``.

    Returns
    -------
    (best, nodes, complete): the best excess found (``incumbent`` when
    none below it), nodes used, and whether the search was exhaustive
    (then ``best`` is the window's optimum).
    """
    n = seq.shape[0]
    m = p.shape[0]
    L = b - a + 1
    n_cls = opt.shape[0]
    # Prefix counts per option over the whole sequence (positions
    # a..b filled in as the search goes).
    pre = np.zeros((m, n + 1), dtype=np.int64)
    for k in range(m):
        for t in range(n):
            pre[k, t + 1] = pre[k, t] + opt[seq[t], k]
    left = np.zeros(n_cls, dtype=np.int64)
    for t in range(a, b + 1):
        left[seq[t]] += 1
    rem_opt = np.zeros(m, dtype=np.int64)
    for k in range(m):
        rem_opt[k] = pre[k, b + 1] - pre[k, a]
    orig = seq[a:b + 1].copy()
    best_seq = orig.copy()
    best = incumbent
    # Right context: option cars at b+1..min(n-1, b+q-1) per option.
    # Cost of the windows that end past b (added when t == b).
    cur = np.zeros(L, dtype=np.int64)   # class placed at each depth
    nxt = np.zeros(L, dtype=np.int64)   # next class index to try
    cost = np.zeros(L + 1, dtype=np.int64)
    buf = np.zeros(L, dtype=np.int64)
    nodes = 0
    depth = 0
    nxt[0] = -1
    complete = True
    while depth >= 0:
        # Pick the next class to try at this depth.
        t = a + depth
        c = -1
        if nxt[depth] == -1:
            c = orig[depth]
            nxt[depth] = 0
            if left[c] == 0:
                c = -1
        if c == -1:
            while nxt[depth] < n_cls:
                d = nxt[depth]
                nxt[depth] += 1
                if d != orig[depth] and left[d] > 0:
                    c = d
                    break
        if c == -1:
            # Exhausted: backtrack.
            depth -= 1
            if depth >= 0:
                left[cur[depth]] += 1
                for k in range(m):
                    rem_opt[k] += opt[cur[depth], k]
            continue
        if nodes >= budget:
            complete = False
            break
        nodes += 1
        # Place c at t.
        cur[depth] = c
        left[c] -= 1
        add = 0
        for k in range(m):
            o = opt[c, k]
            rem_opt[k] -= o
            pre[k, t + 1] = pre[k, t] + o
            qk = q[k]
            s = t - qk + 1
            if 0 <= s <= n - qk:
                x = pre[k, t + 1] - pre[k, s]
                if x > p[k]:
                    add += x - p[k]
        if depth == L - 1:
            # Windows that end past b: their right part is fixed.
            for k in range(m):
                qk = q[k]
                base = pre[k, b + 1]
                run = 0
                for s in range(b - qk + 2, b + 1):
                    if s < 0 or s > n - qk:
                        continue
                    # pre beyond b is not updated: recount the fixed part.
                    x = base - pre[k, s]
                    for u in range(b + 1, s + qk):
                        x += opt[seq[u], k]
                    if x > p[k]:
                        run += x - p[k]
                add += run
        total = cost[depth] + add
        cut = total >= best
        if not cut and depth < L - 1:
            cut = total + _bound(t + 1, b, n, rem_opt, p, q, pre,
                                     buf) >= best
        if not cut and depth == L - 1:
            best = total
            best_seq[:] = cur
            cut = True
        if cut:
            # Undo c, try the next class at this depth.
            left[c] += 1
            for k in range(m):
                rem_opt[k] += opt[c, k]
            continue
        cost[depth + 1] = total
        depth += 1
        nxt[depth] = -1
    seq[a:b + 1] = best_seq
    return best, nodes, complete
