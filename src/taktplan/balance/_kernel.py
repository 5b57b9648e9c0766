"""The compiled branch, bound and remember search (numba).

Station-oriented: a node is the set of tasks assigned to the closed
stations; its children are the maximal loads of the next station. A
hash table keyed by the assigned-task bitset remembers the fewest
stations with which each set was reached, so a set reached again with
no fewer stations is not searched twice (Sewell & Jacobson 2012).

Times have ``K`` dimensions (one for SALBP; the weighted time and one
per variant for the mixed model); a load fits when it fits in every
dimension. Everything here works on plain arrays prepared by
:mod:`taktplan.balance.prepare`.
"""

from __future__ import annotations

import time

import numba
import numpy as np

_ONE = np.uint64(1)
_SIX3 = np.uint64(63)
_SIX = np.uint64(6)


@numba.njit(cache=True)
def _now() -> float:
    with numba.objmode(t="float64"):
        t = time.perf_counter()
    return t


@numba.njit(cache=True)
def _hash(bits: np.ndarray, row: int) -> np.uint64:
    h = np.uint64(0x9E3779B97F4A7C15)
    for w in range(bits.shape[1]):
        h ^= bits[row, w]
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return h


@numba.njit(cache=True)
def _same(a: np.ndarray, ra: int, b: np.ndarray, rb: int) -> bool:
    for w in range(a.shape[1]):
        if a[ra, w] != b[rb, w]:
            return False
    return True


@numba.njit(cache=True)
def _slot(keys: np.ndarray, vals: np.ndarray, bits: np.ndarray,
          row: int) -> int:
    """The slot holding ``bits[row]``, or the empty slot where it goes."""
    mask = np.uint64(vals.size - 1)
    s = int(_hash(bits, row) & mask)
    while vals[s] != 0 and not _same(keys, s, bits, row):
        s = int((np.uint64(s) + _ONE) & mask)
    return s


@numba.njit(cache=True)
def bbr_search(t, after, cap, pred_ptr, pred_idx, succ_ptr, succ_idx, dom,
               tail, tail_order, w2, w3, has_succ, rank, ub, lb_root,
               time_limit, max_states, max_loads, max_leaves):
    """Search for a line with fewer than ``ub`` stations.

    Parameters
    ----------
    t, cap
        Task times ``(n, K)`` and capacities ``(K,)``, integers.
    after
        Each task's time plus all its followers' times ``(n, K)``: the
        most a task can bring into a load with everything after it.
    pred_ptr, pred_idx, succ_ptr, succ_idx
        Immediate predecessors and successors in CSR form.
    dom
        ``dom[i, j]``: task i may replace task j in a load (Jackson).
    tail, tail_order
        Fewest stations from a task's own to the last, and the tasks by
        decreasing tail.
    w2, w3
        Bin-packing weights per task and dimension, in halves and in
        sixths of a station.
    has_succ
        Whether a task has successors.
    rank
        The order in which eligible tasks are tried.
    ub
        Stations of the best known line; only better ones are sought.
    lb_root
        A proved lower bound: the search stops when it reaches it.
    time_limit, max_states
        Budget in seconds; hash table size before it is cleared.
    max_loads
        Children kept per node at most (the first ones in priority
        order); a smaller number makes a fast incomplete dive.
    max_leaves
        Loads looked at per node at most (kept or not), for dives.

    Returns
    -------
    (best, station_of, complete, n_nodes)
        ``best < ub`` with ``station_of`` when a better line was found;
        ``complete`` when the search ran to its end (so ``best`` is
        optimal).
    """
    n, K = t.shape
    W = (n + 63) // 64
    start = _now()
    best = ub
    station_of = np.full(n, -1, np.int64)
    # Hash table of visited sets.
    hcap = 1 << 16
    keys = np.zeros((hcap, W), np.uint64)
    vals = np.zeros(hcap, np.int32)
    hcount = 0
    # Pool of generated children (a stack of segments, one per level).
    pcap = 1 << 12
    pool_bits = np.zeros((pcap, W), np.uint64)
    pool_lb = np.zeros(pcap, np.int64)
    pool_key = np.zeros(pcap, np.float64)
    max_levels = n + 2
    lvl_bits = np.zeros((max_levels, W), np.uint64)
    child_start = np.zeros(max_levels, np.int64)
    child_end = np.zeros(max_levels, np.int64)
    child_next = np.zeros(max_levels, np.int64)
    # Work arrays for expanding one node.
    deg = np.zeros(n, np.int64)
    elig = np.zeros(n, np.int64)
    in_station = np.zeros(n, np.bool_)
    chosen = np.zeros(n, np.int64)
    pos = np.zeros(n + 1, np.int64)
    nel = np.zeros(n + 1, np.int64)
    added = np.zeros(n + 1, np.bool_)
    rem = np.zeros(K, np.int64)
    rsum = np.zeros(K, np.int64)
    rsum0 = np.zeros(K, np.int64)
    pot = np.zeros(K, np.int64)
    ms = np.zeros(n + 1, np.int64)
    r2 = np.zeros(K, np.int64)
    r3 = np.zeros(K, np.int64)
    newbits = np.zeros((1, W), np.uint64)
    complete = True
    timed_out = False
    n_leaves = 0
    n_nodes = 0
    level = 0
    expand = True
    while level >= 0:
        if expand:
            expand = False
            n_nodes += 1
            if (n_nodes & 255) == 0 and _now() - start > time_limit:
                complete = False
                break
            L = level
            # Degrees, sums and the eligible list of this node.
            for k in range(K):
                rsum[k] = 0
                r2[k] = 0
                r3[k] = 0
            n_left = 0
            n_nonsink = 0
            ne = 0
            for r in range(n):
                j = rank[r]
                if (lvl_bits[L, j >> 6] >> np.uint64(j & 63)) & _ONE:
                    continue
                n_left += 1
                if has_succ[j]:
                    n_nonsink += 1
                for k in range(K):
                    rsum[k] += t[j, k]
                    r2[k] += w2[j, k]
                    r3[k] += w3[j, k]
                d = 0
                for q in range(pred_ptr[j], pred_ptr[j + 1]):
                    p = pred_idx[q]
                    if not (lvl_bits[L, p >> 6] >> np.uint64(p & 63)) & _ONE:
                        d += 1
                deg[j] = d
                if d == 0:
                    elig[ne] = j
                    ne += 1
            child_start[L] = child_end[L - 1] if L > 0 else 0
            top = child_start[L]
            # Enumerate the loads of station L depth-first.
            for k in range(K):
                rem[k] = cap[k]
                rsum0[k] = rsum[k]
            big = cap[0] + 1
            ms[0] = big
            depth = 0
            pos[0] = 0
            nel[0] = ne
            added[0] = False
            node_leaves = 0
            while depth >= 0:
                ii = pos[depth]
                found = -1
                # Bound: the load must end with little enough idle for
                # LB1 (and, in one dimension, below the shortest task
                # left out, for maximality); what is still reachable is
                # at most the tasks left to scan and their followers.
                for k in range(K):
                    pot[k] = 0
                for q in range(ii, nel[depth]):
                    j = elig[q]
                    for k in range(K):
                        pot[k] += after[j, k]
                hopeless = False
                for k in range(K):
                    allowed = (best - 1 - L) * cap[k] - rsum0[k]
                    if K == 1 and ms[depth] - 1 < allowed:
                        allowed = ms[depth] - 1
                    if rem[k] - pot[k] > allowed:
                        hopeless = True
                        break
                if hopeless:
                    added[depth] = True
                    ii = nel[depth]
                while ii < nel[depth]:
                    j = elig[ii]
                    fits = not in_station[j]
                    if fits:
                        for k in range(K):
                            if t[j, k] > rem[k]:
                                fits = False
                                break
                    if fits:
                        found = ii
                        break
                    ii += 1
                if found >= 0:
                    pos[depth] = found + 1
                    added[depth] = True
                    j = elig[found]
                    chosen[depth] = j
                    in_station[j] = True
                    for k in range(K):
                        rem[k] -= t[j, k]
                        rsum[k] -= t[j, k]
                        r2[k] -= w2[j, k]
                        r3[k] -= w3[j, k]
                    m = nel[depth]
                    for q in range(succ_ptr[j], succ_ptr[j + 1]):
                        s = succ_idx[q]
                        deg[s] -= 1
                        if deg[s] == 0:
                            elig[m] = s
                            m += 1
                    depth += 1
                    nel[depth] = m
                    pos[depth] = found + 1
                    added[depth] = False
                    ms[depth] = ms[depth - 1]
                    continue
                if not added[depth] and depth > 0:
                    n_leaves += 1
                    node_leaves += 1
                    if node_leaves > max_leaves:
                        complete = False
                        break
                    if (n_leaves & 4095) == 0 and \
                            _now() - start > time_limit:
                        timed_out = True
                        break
                    # A leaf: the load chosen[0:depth] admits no later
                    # task; keep it if it is maximal and not dominated.
                    ok = True
                    for q in range(nel[depth]):
                        j = elig[q]
                        if in_station[j]:
                            continue
                        fits = True
                        for k in range(K):
                            if t[j, k] > rem[k]:
                                fits = False
                                break
                        if fits:
                            ok = False
                            break
                    stations = L + 1
                    if ok and n_left - depth == 0:
                        ok = False
                        if stations < best:
                            best = stations
                            for s in range(L):
                                for j in range(n):
                                    w = j >> 6
                                    b = np.uint64(j & 63)
                                    if ((lvl_bits[s + 1, w] >> b) & _ONE) \
                                            and not ((lvl_bits[s, w] >> b)
                                                     & _ONE):
                                        station_of[j] = s
                            for q in range(depth):
                                station_of[chosen[q]] = L
                    lb = stations
                    if ok:
                        for k in range(K):
                            v = (rsum[k] + cap[k] - 1) // cap[k]
                            if stations + v > lb:
                                lb = stations + v
                            v = (r2[k] + 1) // 2
                            if stations + v > lb:
                                lb = stations + v
                            v = (r3[k] + 5) // 6
                            if stations + v > lb:
                                lb = stations + v
                        if lb >= best:
                            ok = False
                    if ok:
                        for r in range(n):
                            j = tail_order[r]
                            if in_station[j]:
                                continue
                            if (lvl_bits[L, j >> 6] >> np.uint64(j & 63)) \
                                    & _ONE:
                                continue
                            if stations + tail[j] > lb:
                                lb = stations + tail[j]
                            break
                        if lb >= best:
                            ok = False
                    if ok:
                        # Jackson: an eligible task that dominates a task
                        # of the load and fits in its place.
                        for q in range(nel[depth]):
                            i = elig[q]
                            if in_station[i]:
                                continue
                            for z in range(depth):
                                j = chosen[z]
                                if not dom[i, j]:
                                    continue
                                fits = True
                                for k in range(K):
                                    if t[i, k] - t[j, k] > rem[k]:
                                        fits = False
                                        break
                                if fits:
                                    ok = False
                                    break
                            if not ok:
                                break
                    if ok and n_nonsink > 0:
                        # A station of sink tasks only can move to the
                        # end of the line.
                        sink_only = True
                        for z in range(depth):
                            if has_succ[chosen[z]]:
                                sink_only = False
                                break
                        if sink_only:
                            ok = False
                    if ok:
                        for w in range(W):
                            newbits[0, w] = lvl_bits[L, w]
                        for z in range(depth):
                            j = chosen[z]
                            newbits[0, j >> 6] |= _ONE << np.uint64(j & 63)
                        s = _slot(keys, vals, newbits, 0)
                        if vals[s] != 0 and vals[s] <= stations:
                            ok = False
                        else:
                            if vals[s] == 0:
                                hcount += 1
                                for w in range(W):
                                    keys[s, w] = newbits[0, w]
                            vals[s] = stations
                    if ok:
                        if top >= pcap:
                            ncap = pcap * 2
                            nb = np.zeros((ncap, W), np.uint64)
                            nb[:pcap] = pool_bits
                            nl = np.zeros(ncap, np.int64)
                            nl[:pcap] = pool_lb
                            nk = np.zeros(ncap, np.float64)
                            nk[:pcap] = pool_key
                            pool_bits, pool_lb, pool_key = nb, nl, nk
                            pcap = ncap
                        for w in range(W):
                            pool_bits[top, w] = newbits[0, w]
                        pool_lb[top] = lb
                        idle = 0.0
                        for k in range(K):
                            idle += rem[k] / cap[k]
                        pool_key[top] = lb * 1e6 + idle
                        top += 1
                        if top - child_start[L] >= max_loads:
                            complete = False
                            break
                    if best <= lb_root:
                        break
                # Undo the task chosen at depth - 1 and go on there.
                depth -= 1
                if depth >= 0:
                    j = chosen[depth]
                    in_station[j] = False
                    for k in range(K):
                        rem[k] += t[j, k]
                        rsum[k] += t[j, k]
                        r2[k] += w2[j, k]
                        r3[k] += w3[j, k]
                    for q in range(succ_ptr[j], succ_ptr[j + 1]):
                        deg[succ_idx[q]] += 1
                    # j is left out of every load tried from here on.
                    if t[j, 0] < ms[depth]:
                        ms[depth] = t[j, 0]
            # Clear what an early break left behind.
            for j in range(n):
                in_station[j] = False
            if best <= lb_root:
                break
            if timed_out:
                complete = False
                break
            child_end[L] = top
            seg = child_start[L]
            if top - seg > 1:
                order = np.argsort(pool_key[seg:top], kind="mergesort")
                pool_bits[seg:top] = pool_bits[seg:top][order]
                pool_lb[seg:top] = pool_lb[seg:top][order]
                pool_key[seg:top] = pool_key[seg:top][order]
            child_next[L] = seg
            # Grow or clear the table when it fills up.
            if hcount * 2 > vals.size:
                if vals.size * 2 <= max_states:
                    ncap = vals.size * 2
                    nkeys = np.zeros((ncap, W), np.uint64)
                    nvals = np.zeros(ncap, np.int32)
                    for s in range(vals.size):
                        if vals[s] != 0:
                            d = _slot(nkeys, nvals, keys, s)
                            for w in range(W):
                                nkeys[d, w] = keys[s, w]
                            nvals[d] = vals[s]
                    keys, vals = nkeys, nvals
                else:
                    vals[:] = 0
                    hcount = 0
        # Descend into the next child of this level, or go back up.
        L = level
        moved = False
        while child_next[L] < child_end[L]:
            c = child_next[L]
            child_next[L] += 1
            if pool_lb[c] >= best:
                continue
            s = _slot(keys, vals, pool_bits, c)
            if vals[s] != 0 and vals[s] < L + 1:
                continue
            level = L + 1
            for w in range(W):
                lvl_bits[level, w] = pool_bits[c, w]
            expand = True
            moved = True
            break
        if not moved:
            level = L - 1
    return best, station_of, complete, n_nodes, n_leaves, hcount
