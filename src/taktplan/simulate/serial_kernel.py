"""The fast kernel for serial lines of single stations.

Most lines (every textbook line, and a plant line without paced segments
or parallel stations) are a plain series of single-server stations. For
them the general recursion of :mod:`.kernel` simplifies: every station
handles job ``t`` in step ``t``, the departure of the previous station is
still in a register, the previous departure of the same station is one
number, and only the room downstream needs a ring of the last few
departures. This kernel runs that special case with the same draws in the
same order and the same arithmetic, so it returns exactly what
:func:`.kernel.run_line` returns for such a line (buffer-level times up to
rounding: they are summed in another order), several times faster.

The per-job work is written out here, not in shared helpers: moving the
failure check and the active-period update into helpers (inlined or not)
made the kernel several times slower (measured); only the rare failure
path calls out.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from taktplan.simulate.distributions import sample
from taktplan.simulate.kernel import _failures, _mark, _overlap, _record


@njit(cache=True, nogil=True)
def run_serial(rng, buf, ptime, pcode, pa, pb, fcode, fmean, fa, fb, rcode,
               rmean, ra, rb, varseq, varcdf, w0, w1, dt, width, full,
               best, who, bs, be, povl, rec):
    """Simulate one replication of a serial line of single stations.

    The arguments and results are those of :func:`.kernel.run_line` for a
    line without paced segments or parallel servers (``buf`` has one entry
    per station, the last one unused).
    """
    n = ptime.shape[0]
    mask = width - 1
    dep = np.zeros((n, width))
    ent = np.zeros((n, width))
    entry = np.zeros(width)
    rem_ttf = np.empty(n)
    for i in range(n):
        if math.isfinite(fmean[i]):
            rem_ttf[i] = sample(rng, fcode[i], fmean[i], fa[i], fb[i])
        else:
            rem_ttf[i] = math.inf
    last = np.zeros(n)
    per_s = np.zeros(n)
    per_e = np.zeros(n)
    working = np.zeros(n)
    blocked = np.zeros(n)
    starved = np.zeros(n)
    downed = np.zeros(n)
    overloaded = np.zeros(n)
    # ``povl`` and ``rec`` are None when the line has no overload and no
    # record is asked for: numba then compiles a kernel without their
    # branches (with them the loop ran 25 % slower, measured)
    if rec is not None:
        bins, trace, tcount, rwin = rec
        n_bins = bins.size
        tracing = trace.shape[1] > 0
        r0 = rwin[1]
        r1 = rwin[2]
    maxb = 0
    for u in range(n - 1):
        maxb = max(maxb, buf[u])
    hist = np.zeros((max(n - 1, 1), maxb + 1))
    wsum = np.zeros((max(n - 1, 1), maxb + 1))
    best[:] = 0.0
    who[:] = -1
    departures = 0.0
    jobs_in = 0.0
    in_w0 = 0.0
    in_w1 = 0.0
    wip = 0.0
    flow = 0.0
    nvar = varcdf.size
    random_mix = varseq.size == 0 and nvar > 1
    stochastic = False
    for i in range(n):
        if pcode[i] != 0:
            stochastic = True
    t = 0
    pos = 0
    v = 0
    while True:
        if varseq.size > 0:
            v = varseq[pos]
            pos += 1
            if pos == varseq.size:
                pos = 0
        elif random_mix:
            x = rng.random()
            v = 0
            while v < nvar - 1 and varcdf[v] < x:
                v += 1
        slot = t & mask
        arr = 0.0
        d_t = 0.0
        d0 = 0.0
        for u in range(n):
            free = last[u]
            s_t = arr if arr > free else free
            p = ptime[u, v]
            ov = 0.0
            if povl is not None:
                ov = povl[u, v]
            if stochastic and pcode[u] != 0:
                p = sample(rng, pcode[u], p, pa[u], pb[u])
                if ov > p:
                    ov = p
            down = 0.0
            if rem_ttf[u] < p:
                down = _failures(rng, u, u, p, rem_ttf, fcode, fmean, fa,
                                 fb, rcode, rmean, ra, rb)
            else:
                rem_ttf[u] -= p
            tt = p + down
            c_t = s_t + tt
            d_t = c_t
            if u < n - 1:
                q = t - buf[u] - 1
                if q >= 0:
                    room = dep[u + 1, q & mask]
                    if room > d_t:
                        d_t = room
            dep[u, slot] = d_t
            last[u] = d_t
            if full:
                # clipping each time to the window turns every overlap
                # with it into one difference (the same numbers as
                # _overlap, without its branches)
                cf = min(max(free, w0), w1)
                cs = min(max(s_t, w0), w1)
                cc = min(max(c_t, w0), w1)
                cd = min(max(d_t, w0), w1)
                starved[u] += cs - cf
                if tt > 0.0:
                    o = cc - cs
                    if down == 0.0 and ov == 0.0:
                        working[u] += o
                    else:
                        working[u] += o * (p - ov) / tt
                        downed[u] += o * down / tt
                        overloaded[u] += o * ov / tt
                    if s_t == per_e[u] and per_e[u] > per_s[u]:
                        per_e[u] = c_t
                    else:
                        if per_e[u] > per_s[u]:
                            _mark(per_s[u], per_e[u], u, w0, dt, best, who,
                                  bs, be)
                        per_s[u] = s_t
                        per_e[u] = c_t
                blocked[u] += cd - cc
                ent[u, slot] = cs
                if u > 0:
                    # buffer u-1 holds >= k jobs while the k-th newest
                    # arrival waits: summed over jobs j, that time is
                    # W_k - W_k+1 with W_k = sum max(0, start_j - arrival
                    # of j + k - 1) (clipped): fixed work, no branches
                    ca = min(max(arr, w0), w1)
                    for k in range(buf[u - 1]):
                        x = ent[u, (t - k) & mask] - ca
                        wsum[u - 1, k] += x if x > 0.0 else 0.0
            if rec is not None and tracing:
                a_in = arr if u > 0 else s_t
                if (a_in if a_in < free else free) < r1 and d_t > r0:
                    _record(trace, tcount, u, t, a_in, free, free, s_t,
                            p - ov, ov, down, d_t)
            if u == 0:
                entry[slot] = s_t
                if w0 < s_t <= w1:
                    jobs_in += 1.0
                d0 = d_t
            arr = d_t
        e0 = entry[slot]
        if w0 < d_t <= w1:
            departures += 1.0
            flow += d_t - e0
            if rec is not None and n_bins > 0:
                g = int((d_t - w0) / rwin[0])
                bins[g if g < n_bins else n_bins - 1] += 1.0
        wip += _overlap(e0, d_t, w0, w1)
        if e0 <= w0 < d_t:
            in_w0 += 1.0
        if e0 <= w1 < d_t:
            in_w1 += 1.0
        t += 1
        # a job leaves each station no earlier than the one before: once
        # the first station's departure passes the window, every job that
        # enters later enters after it, and all stations are accounted for
        if d0 >= w1:
            break
    for b in range(n - 1):
        # time at >= k jobs is wsum[k-1] - wsum[k]; at exactly k, the
        # difference of two of those
        above = w1 - w0
        for k in range(buf[b] + 1):
            at_least = wsum[b, k] - wsum[b, k + 1] if k < buf[b] else 0.0
            hist[b, k] = max(above - at_least, 0.0)
            above = at_least
    acc = np.empty((n, 5))
    acc[:, 0] = working
    acc[:, 1] = blocked
    acc[:, 2] = starved
    acc[:, 3] = downed
    acc[:, 4] = overloaded
    for i in range(n):
        if per_e[i] > per_s[i]:
            _mark(per_s[i], per_e[i], i, w0, dt, best, who, bs, be)
    sums = np.array([departures, wip, flow, float(t), jobs_in, in_w0, in_w1])
    return acc, hist, who, best, bs, be, sums, np.zeros((0, 5))
