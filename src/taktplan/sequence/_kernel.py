"""Numba kernel of the local search: O(q) incremental move evaluation.

State: the sequence ``seq`` (class per position) and, per option ``k``,
the count ``W[k, s]`` of cars with the option in the window starting at
``s`` (only starts ``lo[k]..hi[k]`` are counted in the objective).

Moves act on a segment ``[a, b]`` of the movable range ``[h, e]``:

- SWAP: exchange the cars at ``a`` and ``b``;
- ROT (rotation by ``L``): the block ``a..a+L-1`` moves behind
  ``a+L..b``. With ``L = 1`` it is an insertion (the car at ``a`` moves
  to ``b``), with ``L = b - a`` the car at ``b`` moves to ``a``; other
  ``L`` move a whole block (e.g. a paint batch);
- REV: reverse ``a..b``.

A window lying wholly inside the segment keeps its count under REV; under
ROT a window wholly inside either part maps to an old window of the same
count. So only the windows crossing the segment's ends (and the seam of a
rotation) change: at most ``3 q`` per option, each counted by sliding in
O(1). That makes every move O(m q), whatever the segment length. Paint colour changes (ROADEF) change only at the segment
ends too; the paint-batch limit is checked on the runs through them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

SWAP = 0
ROT = 1
REV = 3
REJECT = np.int64(1) << 60


@njit(cache=True, inline="always")
def _newcar(kind: int, a: int, b: int, L: int, seq: np.ndarray,
            t: int) -> int:
    if t < a or t > b:
        return seq[t]
    if kind == SWAP:
        if t == a:
            return seq[b]
        if t == b:
            return seq[a]
        return seq[t]
    if kind == ROT:
        u = t + L
        if u > b:
            u -= b - a + 1
        return seq[u]
    return seq[a + b - t]


@njit(cache=True, inline="always")
def _excess(x: int, p: int) -> int:
    return x - p if x > p else 0


@njit(cache=True)
def _old_sum(W, k, p, s0, s1):
    total = 0
    for s in range(s0, s1 + 1):
        total += _excess(W[k, s], p)
    return total


@njit(cache=True)
def _new_sum(kind, a, b, L, seq, opt, k, p, q, s0, s1):
    if s0 > s1:
        return 0
    c = 0
    for t in range(s0, s0 + q):
        c += opt[_newcar(kind, a, b, L, seq, t), k]
    total = _excess(c, p)
    for s in range(s0 + 1, s1 + 1):
        c += (opt[_newcar(kind, a, b, L, seq, s + q - 1), k]
              - opt[_newcar(kind, a, b, L, seq, s - 1), k])
        total += _excess(c, p)
    return total


@njit(cache=True)
def _ranges(kind, a, b, L, q, new):
    """Three disjoint, ordered window-start ranges whose counts change."""
    if kind == SWAP:
        return a - q + 1, a, max(a + 1, b - q + 1), b, 1, 0
    if kind == REV:
        return a - q + 1, a - 1, max(a, b - q + 2), b, 1, 0
    # Rotation: the parts' seam sits at m (new) or a + L (old).
    m = b - L + 1 if new else a + L
    return (a - q + 1, a - 1, max(a, m - q + 1), m - 1,
            max(m, b - q + 2), b)


@njit(cache=True)
def _ratio_delta(kind, a, b, L, seq, opt, W, p, q, w, lo, hi):
    ca = seq[a]
    cb = seq[b]
    total = 0
    for k in range(p.shape[0]):
        if w[k] == 0:
            continue
        if kind == SWAP and opt[ca, k] == opt[cb, k]:
            continue
        qk = q[k]
        lk = lo[k]
        hk = hi[k]
        o = _ranges(kind, a, b, L, qk, False)
        nw = _ranges(kind, a, b, L, qk, True)
        old = 0
        new = 0
        for i in range(3):
            old += _old_sum(W, k, p[k], max(o[2 * i], lk),
                            min(o[2 * i + 1], hk))
            new += _new_sum(kind, a, b, L, seq, opt, k, p[k], qk,
                            max(nw[2 * i], lk), min(nw[2 * i + 1], hk))
        total += w[k] * (new - old)
    return total


@njit(cache=True)
def _change(kind, a, b, L, seq, col, t, new, bmin, e):
    """1 if boundary t (between t-1 and t) is a colour change."""
    if t < bmin or t > e:
        return 0
    if new:
        x = col[_newcar(kind, a, b, L, seq, t - 1)]
        y = col[_newcar(kind, a, b, L, seq, t)]
    else:
        x = col[seq[t - 1]]
        y = col[seq[t]]
    return 1 if x != y else 0


@njit(cache=True)
def _boundaries(kind, a, b, L, new):
    if kind == SWAP:
        return a, a + 1, b, b + 1
    if kind == REV:
        return a, b + 1, -1, -1
    m = b - L + 1 if new else a + L
    return a, m, b + 1, -1


@njit(cache=True)
def _run_too_long(kind, a, b, L, seq, col, t, h, e, limit):
    """Does the new run through boundary t exceed the batch limit?"""
    c = col[_newcar(kind, a, b, L, seq, t)]
    length = 1
    u = t - 1
    while u >= h and col[_newcar(kind, a, b, L, seq, u)] == c:
        length += 1
        if length > limit:
            return True
        u -= 1
    u = t + 1
    while u <= e and col[_newcar(kind, a, b, L, seq, u)] == c:
        length += 1
        if length > limit:
            return True
        u += 1
    return length > limit


@njit(cache=True)
def _paint_delta(kind, a, b, L, seq, col, h, e, paint_w, limit):
    bmin = max(h, 1)
    o = _boundaries(kind, a, b, L, False)
    nw = _boundaries(kind, a, b, L, True)
    delta = 0
    for i in range(4):
        t = o[i]
        if t >= 0 and (i == 0 or t != o[i - 1]):
            delta -= _change(kind, a, b, L, seq, col, t, False, bmin, e)
        t = nw[i]
        if t >= 0 and (i == 0 or t != nw[i - 1]):
            delta += _change(kind, a, b, L, seq, col, t, True, bmin, e)
    if limit > 0:
        for i in range(4):
            t = nw[i]
            if t < max(h, 0) or t > e:
                continue
            if t - 1 >= h and (col[_newcar(kind, a, b, L, seq, t - 1)]
                               != col[_newcar(kind, a, b, L, seq, t)]):
                continue
            if _run_too_long(kind, a, b, L, seq, col, t, h, e, limit):
                return REJECT
        if kind == SWAP:
            for t in (a, b):
                if _run_too_long(kind, a, b, L, seq, col, t, h, e, limit):
                    return REJECT
    return delta * paint_w


@njit(cache=True)
def _apply(kind, a, b, L, seq, tmp):
    for t in range(a, b + 1):
        tmp[t - a] = _newcar(kind, a, b, L, seq, t)
    for t in range(a, b + 1):
        seq[t] = tmp[t - a]


@njit(cache=True)
def recount(seq, opt, W, q, lo, hi, s0, s1):
    """Recount ``W[k, s]`` for starts ``s0..s1`` (clipped per option)."""
    for k in range(q.shape[0]):
        a = max(s0 - q[k] + 1, lo[k])
        z = min(s1, hi[k])
        if a > z:
            continue
        c = 0
        for t in range(a, a + q[k]):
            c += opt[seq[t], k]
        W[k, a] = c
        for s in range(a + 1, z + 1):
            c += opt[seq[s + q[k] - 1], k] - opt[seq[s - 1], k]
            W[k, s] = c


@njit(cache=True)
def objective(seq, opt, col, W, p, w, lo, hi, h, e, paint_w):
    """Weighted objective of the current state (full recomputation)."""
    total = 0
    for k in range(p.shape[0]):
        for s in range(lo[k], hi[k] + 1):
            total += w[k] * _excess(W[k, s], p[k])
    if paint_w > 0:
        for t in range(max(h, 1), e + 1):
            if col[seq[t - 1]] != col[seq[t]]:
                total += paint_w
    return total


@njit(cache=True)
def _in_conflict(seq, opt, W, p, q, lo, hi, t):
    c = seq[t]
    for k in range(p.shape[0]):
        if opt[c, k] == 0:
            continue
        for s in range(max(t - q[k] + 1, lo[k]), min(t, hi[k]) + 1):
            if W[k, s] > p[k]:
                return True
    return False


@njit(cache=True)
def seed_rng(seed):
    """Seed the kernel's random generator (numba keeps its own state)."""
    np.random.seed(seed)


@njit(cache=True, inline="always")
def _distance(opt, c, d):
    """Options in which classes ``c`` and ``d`` differ."""
    total = 0
    for k in range(opt.shape[1]):
        if opt[c, k] != opt[d, k]:
            total += 1
    return total


@njit(cache=True)
def _kick(seq, opt, col, p, q, w, lo, hi, h, e, paint_w, W, best, state,
          kick, maxlen):
    """Restart the walk: from the best (or the current plateau) + swaps."""
    span = e - h + 1
    obj = objective(seq, opt, col, W, p, w, lo, hi, h, e, paint_w)
    if obj <= state[0]:
        # Still on the best plateau: keep the walk's position.
        state[0] = obj
        best[:] = seq
    else:
        seq[:] = best
    for _ in range(kick):
        a = h + np.random.randint(span)
        d = 1 + np.random.randint(min(maxlen, span - 1))
        b = a + d if a + d <= e else a - d
        if b < h:
            continue
        seq[a], seq[b] = seq[b], seq[a]
    recount(seq, opt, W, q, lo, hi, h, e)
    return objective(seq, opt, col, W, p, w, lo, hi, h, e, paint_w)


@njit(cache=True)
def search(seq, opt, col, p, q, w, lo, hi, h, e, paint_w, limit, W,
           iters, obj, target, maxlen, best, state, patience, kick,
           similar, temp):
    """Run ``iters`` random moves, accepting those that do not worsen.

    Returns the objective after the run (``seq`` and ``W`` are updated in
    place). Stops early when the objective reaches ``target``. Draws from
    the generator seeded by :func:`seed_rng`, so splitting a run into
    calls does not change it.

    With ``patience > 0`` (no paint rules), ``patience`` moves without a
    new best restart the walk with ``kick`` random near swaps, from the
    current sequence when it is as good as the best, else from the best.
    ``best`` holds the best sequence, ``state`` its objective and the
    moves since it improved; they carry over between calls. The caller
    takes ``best`` when ``state[0]`` is below the returned objective.
    With ``temp > 0`` a worsening move is accepted with probability
    ``exp(-delta / temp)`` (a constant-temperature annealing walk).
    A share ``similar`` of the swaps takes, of up to 9 random partners,
    the first whose class differs from the car's in one option, else the
    closest.
    """
    span = e - h + 1
    if span < 2:
        return obj
    tmp = np.empty(span, dtype=seq.dtype)
    track = patience > 0 or temp > 0.0
    for _ in range(iters):
        if obj <= target:
            break
        if patience > 0:
            state[1] += 1
            if state[1] >= patience:
                state[1] = 0
                obj = _kick(seq, opt, col, p, q, w, lo, hi, h, e, paint_w,
                            W, best, state, kick, maxlen)
        a = h + np.random.randint(span)
        # Focus: half the time, start from a car in an over-full window.
        if np.random.random() < 0.5:
            for _try in range(8):
                if _in_conflict(seq, opt, W, p, q, lo, hi, a):
                    break
                a = h + np.random.randint(span)
        r = np.random.random()
        if r < 0.6:
            kind = SWAP
        elif r < 0.8:
            kind = ROT
        else:
            kind = REV
        if np.random.random() < 0.7:
            d = 1 + np.random.randint(min(maxlen, span - 1))
            b = a + d if np.random.random() < 0.5 else a - d
            if b < h or b > e:
                b = a - d if b > e else a + d
                if b < h or b > e:
                    continue
        else:
            b = h + np.random.randint(span)
        if kind == SWAP and similar > 0.0 and np.random.random() < similar:
            # A partner differing in few options: on tight options most
            # random swaps break a good pattern; close classes do not.
            bd = _distance(opt, seq[a], seq[b])
            for _try in range(8):
                if bd == 1:
                    break
                u = h + np.random.randint(span)
                du = _distance(opt, seq[a], seq[u])
                if du > 0 and (bd == 0 or du < bd):
                    b, bd = u, du
        if a == b:
            continue
        if a > b:
            a, b = b, a
        if kind == SWAP and seq[a] == seq[b]:
            continue
        L = 0
        if kind == ROT:
            r = np.random.random()
            if r < 0.35:
                L = 1
            elif r < 0.7:
                L = b - a
            else:
                L = 1 + np.random.randint(b - a)
        delta = 0
        if paint_w > 0 or limit > 0:
            delta = _paint_delta(kind, a, b, L, seq, col, h, e, paint_w,
                                 limit)
            if delta >= REJECT:
                continue
        delta += _ratio_delta(kind, a, b, L, seq, opt, W, p, q, w, lo, hi)
        if delta <= 0 or (temp > 0.0
                          and np.random.random() < np.exp(-delta / temp)):
            _apply(kind, a, b, L, seq, tmp)
            recount(seq, opt, W, q, lo, hi, a, b)
            obj += delta
            if track and obj < state[0]:
                state[0] = obj
                state[1] = 0
                best[:] = seq
    return obj
