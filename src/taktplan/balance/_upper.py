"""Compiled upper-bound searches for large lines (numba).

Two kernels, both on one-dimensional task times, both stopped by a work
budget (never a clock), both seeded:

- :func:`station_beam`: a station-oriented beam search. A state is the
  set of tasks on the stations closed so far; each state of a level is
  extended by ``loads`` station loads, each filled greedily under one of
  the priority rules (perturbed by seeded noise after the first round
  of rules), and the ``width`` states with the least idle time are
  kept, duplicates (same task set) dropped. Work: one unit per
  candidate task looked at while filling a load.
- :func:`empty_stations`: moves a task to another station of its
  precedence window or swaps two tasks of different stations, climbing
  the sum of squared station loads with simulated-annealing acceptance
  (Scholl & Voss's objective: it gathers idle time until a station has
  no task left, which is then removed). Work: one unit per move tried.
"""

from __future__ import annotations

import numba
import numpy as np

from taktplan.balance._stop import stop_asked
from taktplan.balance.smooth import precedence_window


@numba.njit(cache=True)
def _uniform(rng):
    """A uniform draw in [0, 1) from the xorshift64* state ``rng[0]``
    (advanced): the beam draws one for each candidate of each noisy
    load, billions on a 1,000-task line, and numpy's generator in numba
    cost 45 % of the beam's time there."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    return np.float64((x * np.uint64(0x2545F4914F6CDD1D))
                      >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True)
def _seeded(seed):
    """A non-zero xorshift state from ``seed`` (splitmix64)."""
    z = np.uint64(seed) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    rng = np.empty(1, np.uint64)
    rng[0] = z if z != np.uint64(0) else np.uint64(1)
    return rng


@numba.njit(cache=True)
def _fill(t, cap, succ_ptr, succ_idx, deg, avail, n_avail, prio, noise,
          load_out, cand, stamp, mark, rng):
    """Fill one station load from the ready tasks ``avail[:n_avail]``.

    ``deg`` (unassigned predecessors per task) is used as scratch and
    restored. Returns ``(tasks in load_out, load time, work)``.

    Each pick takes the best-scoring ready task that fits (ties: the
    first listed: the ready list, then the tasks this load released).
    A task that no longer fits never fits again in this load (the time
    left only shrinks), so the candidates ``cand`` keep only the tasks
    still in the running, in list order: the picks and noise draws of a
    scan of the whole list, whose length is still what the work counts.
    """
    rem = cap
    size = 0
    work = 0
    for q in range(n_avail):
        cand[q] = avail[q]
    n_cand = n_avail
    listed = n_avail  # the whole list's length: the work of a scan
    while True:
        pick = -1
        best = -1e300
        work += listed
        kept = 0
        for q in range(n_cand):
            j = cand[q]
            if mark[j] == stamp or t[j] > rem:
                continue
            cand[kept] = j
            kept += 1
            score = prio[j]
            if noise > 0.0:
                score += noise * _uniform(rng)
            if score > best:
                best = score
                pick = j
        n_cand = kept
        if pick < 0:
            break
        mark[pick] = stamp
        load_out[size] = pick
        size += 1
        rem -= t[pick]
        for q in range(succ_ptr[pick], succ_ptr[pick + 1]):
            k = succ_idx[q]
            deg[k] -= 1
            if deg[k] == 0:
                cand[n_cand] = k
                n_cand += 1
                listed += 1
    for i in range(size):
        j = load_out[i]
        for q in range(succ_ptr[j], succ_ptr[j + 1]):
            deg[succ_idx[q]] += 1
    return size, cap - rem, work


@numba.njit(cache=True)
def station_beam(t, cap, w2, w3, pred_ptr, succ_ptr, succ_idx, prio, width,
                 loads, noise, seed, max_work):
    """A line found by a beam search over station loads.

    Parameters
    ----------
    t
        Task times ``(n,)``.
    cap
        The cycle time.
    w2, w3
        LB2 weights in halves, LB3 weights in sixths of a station: a
        state's worth is the bound on the stations its tasks left need,
        ``max(time / cap, w2 / 2, w3 / 6)`` (fractional, so that it
        tells states apart), the least first.
    pred_ptr, succ_ptr, succ_idx
        CSR adjacency (only the predecessor counts are needed).
    prio
        Priority rules ``(R, n)``, larger first, each scaled to [0, 1].
    width
        States kept per station.
    loads
        Loads tried per state: rule ``l % R``; from the second round of
        rules on with uniform noise of ``noise`` added to each score.
    noise
        Amplitude of the perturbation (on the [0, 1] scale of the rules).
    seed
        Seed of the perturbations.
    max_work
        Candidate tasks looked at, in all; the search returns no line
        (``-1`` stations) when it runs out, or on a Ctrl-C.

    Returns
    -------
    (station_of, n_stations, work)
    """
    np.random.seed(seed)
    rng = _seeded(seed)
    n = t.size
    n_rules = prio.shape[0]
    keys = np.empty(n, np.uint64)
    for j in range(n):
        keys[j] = np.uint64(np.random.randint(1, 1 << 62)) * np.uint64(2) + 1
    # the beam: per state its unassigned-predecessor counts, ready list,
    # stations so far (per task), assigned time and hash
    deg0 = np.diff(pred_ptr).astype(np.int64)
    deg = np.empty((width, n), np.int64)
    avail = np.empty((width, n), np.int64)
    n_avail = np.zeros(width, np.int64)
    station_of = np.full((width, n), -1, np.int64)
    done_time = np.zeros(width, np.int64)
    done_w2 = np.zeros(width, np.int64)
    done_w3 = np.zeros(width, np.int64)
    done_count = np.zeros(width, np.int64)
    hashes = np.zeros(width, np.uint64)
    deg[0] = deg0
    k = 0
    for j in range(n):
        if deg0[j] == 0:
            avail[0, k] = j
            k += 1
    n_avail[0] = k
    size = 1
    # next level
    deg2 = np.empty_like(deg)
    avail2 = np.empty_like(avail)
    n_avail2 = np.zeros(width, np.int64)
    station_of2 = np.empty_like(station_of)
    done_time2 = np.zeros(width, np.int64)
    done_w2b = np.zeros(width, np.int64)
    done_w3b = np.zeros(width, np.int64)
    done_count2 = np.zeros(width, np.int64)
    hashes2 = np.zeros(width, np.uint64)
    # children of a level: parent, load (start, size in a flat pool),
    # assigned time, hash
    max_children = width * loads
    c_parent = np.empty(max_children, np.int64)
    c_start = np.empty(max_children, np.int64)
    c_size = np.empty(max_children, np.int64)
    c_time = np.empty(max_children, np.int64)
    c_w2 = np.empty(max_children, np.int64)
    c_w3 = np.empty(max_children, np.int64)
    c_key = np.empty(max_children, np.float64)
    sum_t = t.sum()
    sum_w2 = w2.sum()
    sum_w3 = w3.sum()
    c_hash = np.empty(max_children, np.uint64)
    # a load holds at most as many tasks as the shortest ones that fit
    fit = 0
    total = 0
    for x in np.sort(t):
        total += x
        if total > cap:
            break
        fit += 1
    pool = np.empty(max_children * max(fit, 1), np.int64)
    load_buf = np.empty(n, np.int64)
    cand = np.empty(n, np.int64)
    mark = np.full(n, -1, np.int64)
    scratch = np.empty(n, np.int64)
    stamp = 0
    work = 0
    station = 0
    while True:
        if stop_asked():
            return station_of[0], -1, work
        n_children = 0
        used = 0
        for b in range(size):
            for li in range(loads):
                rule = prio[li % n_rules]
                amp = noise if li >= n_rules else 0.0
                stamp += 1
                m, ld, w = _fill(t, cap, succ_ptr, succ_idx, deg[b],
                                 avail[b], n_avail[b], rule, amp, load_buf,
                                 cand, stamp, mark, rng)
                work += w
                if used + m > pool.size:
                    break
                h = hashes[b]
                a2 = done_w2[b]
                a3 = done_w3[b]
                for i in range(m):
                    pool[used + i] = load_buf[i]
                    h ^= keys[load_buf[i]]
                    a2 += w2[load_buf[i]]
                    a3 += w3[load_buf[i]]
                c_w2[n_children] = a2
                c_w3[n_children] = a3
                rest = max((sum_t - done_time[b] - ld) / cap,
                           (sum_w2 - a2) / 2.0, (sum_w3 - a3) / 6.0)
                c_key[n_children] = (rest + 1e-3 * (sum_t - done_time[b]
                                                    - ld) / cap
                                     + 1e-6 * _uniform(rng))
                c_parent[n_children] = b
                c_start[n_children] = used
                c_size[n_children] = m
                c_time[n_children] = done_time[b] + ld
                c_hash[n_children] = h
                used += m
                n_children += 1
            if work > max_work:
                return station_of[0], -1, work
        # the best children first: least bound on the stations left
        order = np.argsort(c_key[:n_children])
        kept = 0
        for o in range(n_children):
            ch = order[o]
            h = c_hash[ch]
            dup = False
            for q in range(kept):
                if hashes2[q] == h:
                    dup = True
                    break
            if dup:
                continue
            b = c_parent[ch]
            deg2[kept] = deg[b]
            station_of2[kept] = station_of[b]
            count = done_count[b] + c_size[ch]
            # mark the load, release successors, rebuild the ready list
            stamp += 1
            for i in range(c_size[ch]):
                j = pool[c_start[ch] + i]
                station_of2[kept, j] = station
                mark[j] = stamp
            for i in range(c_size[ch]):
                j = pool[c_start[ch] + i]
                for q in range(succ_ptr[j], succ_ptr[j + 1]):
                    deg2[kept, succ_idx[q]] -= 1
            na = 0
            for q in range(n_avail[b]):
                j = avail[b, q]
                if mark[j] != stamp:
                    scratch[na] = j
                    na += 1
            for i in range(c_size[ch]):
                j = pool[c_start[ch] + i]
                for q in range(succ_ptr[j], succ_ptr[j + 1]):
                    s = succ_idx[q]
                    if deg2[kept, s] == 0 and mark[s] != stamp:
                        scratch[na] = s
                        na += 1
                        mark[s] = stamp
            avail2[kept, :na] = scratch[:na]
            n_avail2[kept] = na
            done_time2[kept] = c_time[ch]
            done_w2b[kept] = c_w2[ch]
            done_w3b[kept] = c_w3[ch]
            done_count2[kept] = count
            hashes2[kept] = h
            if count == n:
                return station_of2[kept].copy(), station + 1, work
            kept += 1
            if kept == width:
                break
        deg, deg2 = deg2, deg
        avail, avail2 = avail2, avail
        n_avail, n_avail2 = n_avail2, n_avail
        station_of, station_of2 = station_of2, station_of
        done_time, done_time2 = done_time2, done_time
        done_w2, done_w2b = done_w2b, done_w2
        done_w3, done_w3b = done_w3b, done_w3
        done_count, done_count2 = done_count2, done_count
        hashes, hashes2 = hashes2, hashes
        size = kept
        station += 1


@numba.njit(cache=True)
def _related(a, b, pred_ptr, pred_idx, succ_ptr, succ_idx):
    for q in range(pred_ptr[a], pred_ptr[a + 1]):
        if pred_idx[q] == b:
            return True
    for q in range(succ_ptr[a], succ_ptr[a + 1]):
        if succ_idx[q] == b:
            return True
    return False


@numba.njit(cache=True)
def _drop_station(station_of, load, count, s, m):
    """Remove the empty station ``s`` of ``m``: later ones move down."""
    for j in range(station_of.size):
        if station_of[j] > s:
            station_of[j] -= 1
    for k in range(s, m - 1):
        load[k] = load[k + 1]
        count[k] = count[k + 1]
    load[m - 1] = 0
    count[m - 1] = 0


@numba.njit(cache=True)
def empty_stations(t, cap, pred_ptr, pred_idx, succ_ptr, succ_idx,
                   station_of, target, max_moves, seed, heat, anneals):
    """Fewer stations for a feasible line by moves and swaps.

    ``station_of``: 0-based stations in line order. Stops at ``target``
    stations, after ``max_moves`` moves tried, or on a Ctrl-C. The
    temperature falls
    geometrically from ``heat`` times the squared cycle to a ten
    thousandth of that, ``anneals`` times over the budget.

    Returns ``(station_of, n_stations, moves tried)``: the line with the
    fewest stations met (the search goes on from it).
    """
    np.random.seed(seed)
    n = t.size
    station_of = station_of.copy()
    so = station_of.copy()
    m = 0
    for j in range(n):
        if so[j] + 1 > m:
            m = so[j] + 1
    load = np.zeros(m + 1, np.int64)
    count = np.zeros(m + 1, np.int64)
    for j in range(n):
        load[so[j]] += t[j]
        count[so[j]] += 1
    c = float(cap)
    t0 = heat * c * c
    temp = t0
    # 40 cooling steps per anneal
    period = max(1000, max_moves // (40 * anneals))
    tried = 0
    while tried < max_moves and m > target:
        tried += 1
        if tried % period == 0:
            if stop_asked():
                break
            temp *= 0.794
            if temp < 1e-4 * t0:
                temp = t0
        j = np.random.randint(n)
        s = so[j]
        lo, hi = precedence_window(j, so, pred_ptr, pred_idx, succ_ptr,
                                   succ_idx, m)
        if lo == hi:
            continue
        tj = t[j]
        if np.random.random() < 0.5:
            s2 = lo + np.random.randint(hi - lo + 1)
            if s2 == s or load[s2] + tj > cap:
                continue
            delta = 2.0 * tj * (load[s2] - load[s] + tj)
            if delta < 0 and np.random.random() >= np.exp(delta / temp):
                continue
            load[s] -= tj
            load[s2] += tj
            count[s] -= 1
            count[s2] += 1
            so[j] = s2
            if count[s] == 0:
                _drop_station(so, load, count, s, m)
                m -= 1
                station_of[:] = so
            continue
        # swap j with a task k of another station of its window
        k = np.random.randint(n)
        s2 = so[k]
        if s2 == s or s2 < lo or s2 > hi:
            continue
        tk = t[k]
        d = tk - tj
        if d == 0 or load[s] + d > cap or load[s2] - d > cap:
            continue
        if _related(j, k, pred_ptr, pred_idx, succ_ptr, succ_idx):
            continue
        lo2, hi2 = precedence_window(k, so, pred_ptr, pred_idx, succ_ptr,
                                     succ_idx, m)
        if s < lo2 or s > hi2:
            continue
        delta = 2.0 * d * (load[s] - load[s2]) + 2.0 * d * d
        if delta < 0 and np.random.random() >= np.exp(delta / temp):
            continue
        so[j] = s2
        so[k] = s
        load[s] += d
        load[s2] -= d
    if m <= target:
        station_of[:] = so
    best = 0
    for j in range(n):
        if station_of[j] + 1 > best:
            best = station_of[j] + 1
    return station_of, best, tried
