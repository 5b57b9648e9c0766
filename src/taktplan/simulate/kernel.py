"""The compiled simulation kernel: a departure-time recursion on arrays.

With blocking after service and jobs kept in order, every time of a serial
line follows from earlier ones (Dallery & Gershwin 1992):

    start[u, j]  = max(departure[u-1, j], server of j free at u)
    finish[u, j] = start[u, j] + work + repairs during the work
    departure[u, j] = max(finish[u, j], departure[u, j-1], room downstream)

so no event list is needed. Operation-dependent failures are exact in this
form: a failure stops the job, the repair time is added, and the station's
operating-time clock to the next failure runs only while it works. A paced
segment is one *unit* that indexes all its jobs together.

The line is cut into units (a station, possibly with parallel servers, or
a paced segment). Step ``t`` of the loop handles job ``t - lag[u]`` at unit
``u``: a segment needs the arrival of the job that enters when its oldest
job leaves, so the units behind a segment lag by its length. Everything
lives in ring buffers of a few dozen entries per unit.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from taktplan.simulate.distributions import sample

INF = math.inf


@njit(cache=True, inline="always")
def _overlap(a: float, b: float, w0: float, w1: float) -> float:
    if a >= w0 and b <= w1:
        return b - a if b > a else 0.0
    lo = a if a > w0 else w0
    hi = b if b < w1 else w1
    return hi - lo if hi > lo else 0.0


@njit(cache=True)
def _failures(rng, i, k, p, rem_ttf, fcode, fmean, fa, fb, rcode, rmean,
              ra, rb):
    """Repair time needed while server ``k`` of station ``i`` does ``p``.

    Called only when a failure falls inside the work (the rare path): the
    hot loop passes no generator, which keeps its calls free.
    """
    r = rem_ttf[k]
    rest = p
    down = 0.0
    while r < rest:
        rest -= r
        down += sample(rng, rcode[i], rmean[i], ra[i], rb[i])
        r = sample(rng, fcode[i], fmean[i], fa[i], fb[i])
    rem_ttf[k] = r - rest
    return down


@njit(cache=True, inline="always")
def _mark(a, b, who_id, w0, dt, best, who, bs, be):
    """Record an active period [a, b) on the bottleneck grid."""
    d = b - a
    g0 = math.ceil((a - w0) / dt - 0.5)
    g1 = math.ceil((b - w0) / dt - 0.5)
    if g0 < 0:
        g0 = 0
    if g1 > best.size:
        g1 = best.size
    for g in range(g0, g1):
        if d > best[g]:
            best[g] = d
            who[g] = who_id
            bs[g] = a
            be[g] = b


@njit(cache=True, inline="always")
def _room(u, j, n_units, kind, cap, buf, dep, ent, mask):
    """Earliest time job ``j`` may leave unit ``u`` (room downstream)."""
    if u == n_units - 1 or j < 0:
        return 0.0
    if kind[u + 1] == 0:
        q = j - buf[u] - cap[u + 1]
        return dep[u + 1, q & mask] if q >= 0 else 0.0
    q = j - buf[u]
    return ent[u + 1, q & mask] if q >= 0 else 0.0


@njit(cache=True)
def _record(trace, tcount, i, j, arr, idle, split, start, work, ovl, down,
            release):
    """Append one job's times at station ``i`` to the over-time trace.

    Fields: job, arrival in the buffer in front, idle since, blocked
    until (then starved), start, work, overload, down, release. The
    caller checks the job falls in the trace window; a full trace only
    counts (the caller reports the overflow). Not inlined: the kernels'
    loops stay as small as without a trace.
    """
    c = tcount[i]
    if c < trace.shape[1]:
        row = trace[i, c]
        row[0] = j
        row[1] = arr
        row[2] = idle
        row[3] = split
        row[4] = start
        row[5] = work
        row[6] = ovl
        row[7] = down
        row[8] = release
    tcount[i] = c + 1


@njit(cache=True, nogil=True)
def run_line(rng, kind, first, size, cap, buf, lag, soff, nsrv, ptime,
             pcode, pa,
             pb, fcode, fmean, fa, fb, rcode, rmean, ra, rb, varseq, varcdf,
             w0, w1, dt, width, full, best, who, bs, be, povl, rec):
    """Simulate one replication; return raw sums over the window [w0, w1].

    With ``full`` false only departures, WIP and flow times are kept (the
    time fractions, buffer levels and bottleneck grid stay empty): a
    faster pass for searches that need the throughput only. ``povl``
    (stations, variants) is the part of each processing time that is
    work overload (counted as its own state, not as working). ``rec``
    asks for the over-time record: ``(bins, trace, tcount, window)``
    with ``bins`` the departures per bin of ``window[0]`` time units
    from ``w0`` and ``trace`` (stations, places, 9) each job's times at
    every station that touch ``[window[1], window[2])`` (see
    :func:`_record`); empty arrays record nothing. Either may be None
    (no overload, no record): numba then compiles the kernel without
    their work. ``best``,
    ``who``, ``bs`` and ``be`` are the bottleneck grid (one entry per grid
    step over the window), given by the caller so that one thread reuses
    them across replications (fresh pages cost more than the marking);
    the kernel clears them.

    Returns
    -------
    acc
        (stations, 5) server time working, blocked, starved, down,
        overload.
    hist
        (units - 1, max buffer + 1) time at each buffer level.
    who, best, bs, be
        Bottleneck grid: longest active period covering each grid point,
        its station and its start and end.
    sums
        departures, WIP integral, flow-time sum, steps, jobs entered in
        the window, jobs in the line at its start and at its end.
    seg_acc
        (units, 5) time of each paced segment as one unit: running (its
        slowest station's work), blocked, starved, down (repairs add up
        in an index), overload (the index's stretch beyond that work).
    """
    n_units = kind.size
    n = ptime.shape[0]
    mask = width - 1
    dep = np.zeros((n_units, width))
    ent = np.zeros((n_units, width))
    var = np.zeros(width, dtype=np.int64)
    entry = np.zeros(width)
    n_serv = soff[n - 1] + nsrv[n - 1]
    rem_ttf = np.empty(n_serv)
    for i in range(n):
        for s in range(nsrv[i]):
            if math.isfinite(fmean[i]):
                rem_ttf[soff[i] + s] = sample(rng, fcode[i], fmean[i],
                                              fa[i], fb[i])
            else:
                rem_ttf[soff[i] + s] = INF
    per_s = np.zeros(n_serv)
    per_e = np.zeros(n_serv)
    seg_e = np.zeros(n_units)
    seg_step = np.zeros(n_units)
    seg_ps = np.zeros(n_units)
    seg_pe = np.zeros(n_units)
    busy = np.zeros(n)
    pp = np.zeros(n)
    dd = np.zeros(n)
    acc = np.zeros((n, 5))
    seg_acc = np.zeros((n_units, 5))
    oo = np.zeros(n)
    if rec is not None:
        bins, trace, tcount, rwin = rec
        n_bins = bins.size
        tracing = trace.shape[1] > 0
        r0 = rwin[1]
        r1 = rwin[2]
    maxb = 0
    for u in range(n_units - 1):
        maxb = max(maxb, buf[u])
    hist = np.zeros((max(n_units - 1, 1), maxb + 1))
    best[:] = 0.0
    who[:] = -1
    done = np.zeros(n_units, dtype=np.bool_)
    n_done = 0
    departures = 0.0
    jobs_in = 0.0
    in_w0 = 0.0
    in_w1 = 0.0
    wip = 0.0
    flow = 0.0
    nvar = varcdf.size
    t = 0
    pos = 0
    while n_done < n_units:
        if varseq.size > 0:
            var[t & mask] = varseq[pos]
            pos += 1
            if pos == varseq.size:
                pos = 0
        elif nvar > 1:
            x = rng.random()
            v = 0
            while v < nvar - 1 and varcdf[v] < x:
                v += 1
            var[t & mask] = v
        for u in range(n_units):
            last_dep = -1
            je = -1
            d_time = 0.0
            if kind[u] == 0:
                j = t - lag[u]
                if j < 0:
                    continue
                i = first[u]
                c = cap[u]
                arr = dep[u - 1, j & mask] if u > 0 else 0.0
                srv = j % c if c > 1 else 0
                free = dep[u, (j - c) & mask] if j >= c else 0.0
                s_t = arr if arr > free else free
                p = ptime[i, var[j & mask]]
                ov = 0.0
                if povl is not None:
                    ov = povl[i, var[j & mask]]
                if pcode[i] != 0:
                    p = sample(rng, pcode[i], p, pa[i], pb[i])
                    if ov > p:
                        ov = p
                k = soff[i] + srv
                down = 0.0
                if rem_ttf[k] < p:
                    down = _failures(rng, i, k, p, rem_ttf, fcode, fmean, fa,
                                     fb, rcode, rmean, ra, rb)
                else:
                    rem_ttf[k] -= p
                tt = p + down
                c_t = s_t + tt
                d_t = c_t
                if c > 1 and dep[u, (j - 1) & mask] > d_t:
                    d_t = dep[u, (j - 1) & mask]
                room = _room(u, j, n_units, kind, cap, buf, dep, ent, mask)
                if room > d_t:
                    d_t = room
                ent[u, j & mask] = s_t
                dep[u, j & mask] = d_t
                je = j
                if u == 0:
                    entry[j & mask] = s_t
                    if w0 < s_t <= w1:
                        jobs_in += 1.0
                if full:
                    acc[i, 2] += _overlap(free, s_t, w0, w1)
                    if tt > 0.0:
                        o = _overlap(s_t, c_t, w0, w1)
                        if down == 0.0 and ov == 0.0:
                            acc[i, 0] += o
                        else:
                            acc[i, 0] += o * (p - ov) / tt
                            acc[i, 3] += o * down / tt
                            acc[i, 4] += o * ov / tt
                        if s_t == per_e[k] and per_e[k] > per_s[k]:
                            per_e[k] = c_t
                        else:
                            if per_e[k] > per_s[k]:
                                _mark(per_s[k], per_e[k], i, w0, dt, best, who,
                                      bs, be)
                            per_s[k] = s_t
                            per_e[k] = c_t
                    acc[i, 1] += _overlap(c_t, d_t, w0, w1)
                if rec is not None and tracing:
                    a_in = arr if u > 0 else s_t
                    if (a_in if a_in < free else free) < r1 and d_t > r0:
                        _record(trace, tcount, i, j, a_in, free, free, s_t,
                                p - ov, ov, down, d_t)
                last_dep = j
                d_time = d_t
            else:
                m = size[u]
                k = t - lag[u] + m
                if k < 0:
                    continue
                f0 = first[u]
                arr = dep[u - 1, k & mask] if u > 0 else 0.0
                ready = seg_e[u] + seg_step[u] if k > 0 else 0.0
                jd = k - m
                room = _room(u, jd, n_units, kind, cap, buf, dep, ent, mask)
                e_t = ready
                if arr > e_t:
                    e_t = arr
                if room > e_t:
                    e_t = room
                ent[u, k & mask] = e_t
                je = k
                if u == 0:
                    entry[k & mask] = e_t
                    if w0 < e_t <= w1:
                        jobs_in += 1.0
                if jd >= 0:
                    dep[u, jd & mask] = e_t
                    last_dep = jd
                    d_time = e_t
                # (k = 0: the segment waits for its first job from time 0)
                blk_end = room if room < e_t else e_t
                if blk_end < ready:
                    blk_end = ready
                if full and e_t > ready:
                    o_b = _overlap(ready, blk_end, w0, w1)
                    o_s = _overlap(blk_end, e_t, w0, w1)
                    seg_acc[u, 1] += o_b
                    seg_acc[u, 2] += o_s
                    for q in range(m):
                        acc[f0 + q, 1] += o_b
                        acc[f0 + q, 2] += o_s
                mx = 0.0
                tot = 0.0
                base = 0.0
                for q in range(m):
                    i = f0 + q
                    if k - q < 0:
                        pp[i] = 0.0
                        dd[i] = 0.0
                        oo[i] = 0.0
                        continue
                    p = ptime[i, var[(k - q) & mask]]
                    ov = 0.0
                    if povl is not None:
                        ov = povl[i, var[(k - q) & mask]]
                    if pcode[i] != 0:
                        p = sample(rng, pcode[i], p, pa[i], pb[i])
                        if ov > p:
                            ov = p
                    down = 0.0
                    if rem_ttf[soff[i]] < p:
                        down = _failures(rng, i, soff[i], p, rem_ttf, fcode,
                                         fmean, fa, fb, rcode, rmean, ra, rb)
                    else:
                        rem_ttf[soff[i]] -= p
                    pp[i] = p
                    dd[i] = down
                    oo[i] = ov
                    if p > mx:
                        mx = p
                    if p - ov > base:
                        base = p - ov
                    tot += down
                step = mx + tot
                if rec is not None and tracing and e_t + step > r0:
                    for q in range(m):
                        if k - q >= 0:
                            i = f0 + q
                            # the first station's job waited in the
                            # buffer in front since its arrival
                            a_in = arr if q == 0 and u > 0 else e_t
                            if (a_in if a_in < ready else ready) < r1:
                                _record(trace, tcount, i, k - q, a_in,
                                        ready, blk_end, e_t,
                                        pp[i] - oo[i], oo[i], dd[i],
                                        e_t + step)
                if full and step > 0.0:
                    o = _overlap(e_t, e_t + step, w0, w1) / step
                    seg_acc[u, 0] += o * base
                    seg_acc[u, 3] += o * tot
                    seg_acc[u, 4] += o * (mx - base)
                    for q in range(m):
                        i = f0 + q
                        acc[i, 0] += o * (pp[i] - oo[i])
                        acc[i, 4] += o * oo[i]
                        acc[i, 3] += o * dd[i]
                        acc[i, 1] += o * (step - pp[i] - dd[i])
                    if not (e_t == seg_pe[u] and seg_pe[u] > seg_ps[u]):
                        if seg_pe[u] > seg_ps[u]:
                            owner = f0
                            for q in range(m):
                                if busy[f0 + q] > busy[owner]:
                                    owner = f0 + q
                            _mark(seg_ps[u], seg_pe[u], owner, w0, dt, best,
                                  who, bs, be)
                        for q in range(m):
                            busy[f0 + q] = 0.0
                        seg_ps[u] = e_t
                    seg_pe[u] = e_t + step
                    for q in range(m):
                        busy[f0 + q] += pp[f0 + q] + dd[f0 + q]
                seg_e[u] = e_t
                seg_step[u] = step
            if full and u > 0 and je >= 1:
                # buffer u-1 between the arrivals of jobs je-1 and je: it
                # holds >= kk jobs while job je-kk has not entered unit u
                b = u - 1
                a0 = dep[b, (je - 1) & mask]
                a1 = dep[b, je & mask]
                for kk in range(1, buf[b] + 1):
                    q = je - kk
                    if q < 0:
                        break
                    s_q = ent[u, q & mask]
                    if s_q <= a0:
                        break
                    hist[b, kk] += _overlap(a0, a1 if a1 < s_q else s_q,
                                            w0, w1)
            if last_dep < 0:
                continue
            if u == n_units - 1:
                e0 = entry[last_dep & mask]
                if w0 < d_time <= w1:
                    departures += 1.0
                    flow += d_time - e0
                    if rec is not None and n_bins > 0:
                        g = int((d_time - w0) / rwin[0])
                        bins[g if g < n_bins else n_bins - 1] += 1.0
                wip += _overlap(e0, d_time, w0, w1)
                if e0 <= w0 < d_time:
                    in_w0 += 1.0
                if e0 <= w1 < d_time:
                    in_w1 += 1.0
            # A station of c servers is done only when its last c jobs
            # (departing in order) all leave after the window: until then
            # a server's time up to w1 is not yet accounted for.
            c_u = cap[u] if kind[u] == 0 else 1
            if not done[u] and d_time >= w1 and (
                    c_u == 1 or (last_dep >= c_u - 1 and dep[
                        u, (last_dep - c_u + 1) & mask] >= w1)):
                done[u] = True
                n_done += 1
        t += 1
    # close what is still open at the end of the window
    # hist[b, k] holds the time with at least k jobs: make it exactly k
    for b in range(n_units - 1):
        if buf[b] >= 1:
            hist[b, 0] = (w1 - w0) - hist[b, 1]
            for kk in range(1, buf[b]):
                hist[b, kk] -= hist[b, kk + 1]
        else:
            hist[b, 0] = w1 - w0
    for i in range(n):
        for s in range(nsrv[i]):
            k = soff[i] + s
            if per_e[k] > per_s[k]:
                _mark(per_s[k], per_e[k], i, w0, dt, best, who, bs, be)
    for u in range(n_units):
        if kind[u] == 1 and seg_pe[u] > seg_ps[u]:
            owner = first[u]
            for q in range(size[u]):
                if busy[first[u] + q] > busy[owner]:
                    owner = first[u] + q
            _mark(seg_ps[u], seg_pe[u], owner, w0, dt, best, who, bs, be)
    last_u = n_units - 1
    j_last = t - 1 - lag[last_u]
    for q in range(max(j_last + 1, 0), t):
        wip += _overlap(entry[q & mask], w1, w0, w1)
        if entry[q & mask] <= w0:
            in_w0 += 1.0
        if entry[q & mask] <= w1:
            in_w1 += 1.0
    sums = np.array([departures, wip, flow, float(t), jobs_in, in_w0, in_w1])
    return acc, hist, who, best, bs, be, sums, seg_acc


@njit(cache=True, nogil=True)
def bottleneck_shares(who, bs, be, n, w0, dt):
    """Sole and shifting bottleneck time per station (Roser et al.).

    At each grid point the station with the longest active period is the
    momentary bottleneck. Where the period of one bottleneck overlaps the
    period of the next, both are shifting bottlenecks; elsewhere the
    momentary bottleneck is the sole one. Shifting time counts only
    inside the window and once per station (where overlaps overlap).
    """
    g_n = who.size
    w1 = w0 + g_n * dt
    shifting_flag = np.zeros(g_n, dtype=np.bool_)
    shifting = np.zeros(n)
    upto = np.full(n, w0)
    momentary = np.zeros(n)
    for g in range(1, g_n):
        a = who[g - 1]
        b = who[g]
        if a >= 0 and b >= 0 and a != b:
            lo = bs[g]
            hi = be[g - 1]
            if hi > lo:
                # count each station's overlaps once and inside the
                # window only (periods reach beyond it): each share <= 1
                top = min(hi, w1)
                for s in (a, b):
                    from_ = max(lo, upto[s])
                    if top > from_:
                        shifting[s] += top - from_
                        upto[s] = top
                g0 = max(int(math.ceil((lo - w0) / dt - 0.5)), 0)
                g1 = min(int(math.ceil((hi - w0) / dt - 0.5)), g_n)
                for h in range(g0, g1):
                    shifting_flag[h] = True
    sole = np.zeros(n)
    # the running sums of the current bottleneck stay in registers while
    # it lasts (the same additions in the same order)
    cur = -1
    m = 0.0
    so = 0.0
    for g in range(g_n):
        w = who[g]
        if w != cur:
            if cur >= 0:
                momentary[cur] = m
                sole[cur] = so
            cur = w
            if w >= 0:
                m = momentary[w]
                so = sole[w]
        if w >= 0:
            m += dt
            if not shifting_flag[g]:
                so += dt
    if cur >= 0:
        momentary[cur] = m
        sole[cur] = so
    return momentary, sole, shifting
