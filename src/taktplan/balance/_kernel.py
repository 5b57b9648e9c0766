"""The compiled branch, bound and remember search (numba).

Station-oriented: a node is the set of tasks assigned to the closed
stations; its children are the maximal loads of the next station. A
hash table keyed by the assigned-task bitset remembers the fewest
stations with which each set was reached, so a set reached again with
no fewer stations is not searched twice (Sewell & Jacobson 2012).

Three drivers share one node expansion (:func:`_expand`):

- :func:`bbr_search`, depth first, children by lower bound then by
  least idle time; complete unless truncated, so it proves optimality;
- :func:`beam_search`, station by station keeping the best ``width``
  states of each level, which finds tight lines fast; with an unbounded
  width it is the breadth-first BB&R and complete as well;
- :func:`cbfs_search`, cyclic best first: one heap of open states per
  station count, taken in turn (BB&R's distributed best-first search);
  it reaches tight lines soonest, and is complete when not truncated.

Each state is bounded by LB1-LB3, the tail bound and, on request,
Martello & Toth's L2 (:func:`mt_bound`) and Fekete & Schepers' dual
feasible functions on the tasks left; a new state those bounds leave
one station short of the best line is then asked whether its tasks fit
the stations left as bins at all (exact bin packing with memory,
:mod:`._binpack`).

Times have ``K`` dimensions (one for SALBP; the weighted time and one
per variant for the mixed model); a load fits when it fits in every
dimension. Everything here works on plain arrays prepared by
:mod:`taktplan.balance.prepare`.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.typed import List

from taktplan.balance._binpack import NO_FIT, mt_bound, state_fits
from taktplan.stop_request import cpu_clock

_ONE = np.uint64(1)

#: Children of one node at most (memory); more makes the search
#: incomplete.
MAX_CHILDREN = 1 << 21

#: Work (see :func:`_expand`) counted per set tried by the exact bin
#: packing of a state (measured: about as long as scanning 30 tasks).
BIN_PACKING_WORK = 30

#: :func:`_expand` outcomes.
DONE, TRUNCATED, TIMED_OUT, SOLVED = 0, 1, 2, 3

#: Status of a resumable search's state: it may go on, or it ended.
RUNNING, ENDED = 0, 1


@numba.njit(cache=True)
def _now() -> float:
    """CPU seconds of the process (:func:`time.process_time`): the
    clock of the searches' safety nets, which other jobs on a busy
    machine do not run down; infinite after a Ctrl-C
    (:mod:`taktplan.stop_request`), which ends the search."""
    with numba.objmode(t="float64"):
        t = cpu_clock()
    return t


@numba.njit(cache=True)
def _has(bits, row, j):
    return (bits[row, j >> 6] >> np.uint64(j & 63)) & _ONE


@numba.njit(cache=True)
def _hash(bits, row):
    h = np.uint64(0x9E3779B97F4A7C15)
    for w in range(bits.shape[1]):
        h ^= bits[row, w]
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return h


@numba.njit(cache=True)
def _same(a, ra, b, rb):
    for w in range(a.shape[1]):
        if a[ra, w] != b[rb, w]:
            return False
    return True


@numba.njit(cache=True)
def _slot(keys, vals, bits, row):
    """The slot holding ``bits[row]``, or the empty slot where it goes."""
    mask = np.uint64(vals.size - 1)
    s = int(_hash(bits, row) & mask)
    while vals[s] != 0 and not _same(keys, s, bits, row):
        s = int((np.uint64(s) + _ONE) & mask)
    return s


@numba.njit(cache=True)
def _grow_table(keys, vals, hcount, max_states):
    """Double the table, or clear it when it may not grow (a cache)."""
    if hcount * 2 <= vals.size:
        return keys, vals, hcount
    if vals.size * 2 > max_states:
        vals[:] = 0
        return keys, vals, 0
    ncap = vals.size * 2
    nkeys = np.zeros((ncap, keys.shape[1]), np.uint64)
    nvals = np.zeros(ncap, np.int32)
    for s in range(vals.size):
        if vals[s] != 0:
            d = _slot(nkeys, nvals, keys, s)
            nkeys[d] = keys[s]
            nvals[d] = vals[s]
    return nkeys, nvals, hcount


@numba.njit(cache=True)
def _grow_pool(pool_bits, pool_lb, pool_key, pool_parent):
    ncap = pool_lb.size * 2
    nb = np.zeros((ncap, pool_bits.shape[1]), np.uint64)
    nb[:pool_lb.size] = pool_bits
    nl = np.zeros(ncap, np.int64)
    nl[:pool_lb.size] = pool_lb
    nk = np.zeros(ncap, np.float64)
    nk[:pool_lb.size] = pool_key
    npar = np.zeros(ncap, np.int64)
    npar[:pool_lb.size] = pool_parent
    return nb, nl, nk, npar


@numba.njit(cache=True)
def _expand(nodes, row, L, best, t, after, kw, cap, pred_ptr, pred_idx,
            succ_ptr, succ_idx, dom, tail, tail_order, w2, w3, has_succ,
            rank, keys, vals, hcount, pool_bits, pool_lb, pool_key,
            pool_parent, top, sol, max_loads, max_leaves, deadline,
            lb_weight, desc, fsw, use_mt, memo, work_left):
    """Append the children of node ``nodes[row]`` (``L`` stations closed).

    A child is a maximal load of station ``L`` that passes the bounds
    (LB1-LB3, with ``use_mt`` L2 and Fekete & Schepers' ``fsw``, the
    tail bound), Jackson dominance, the sink-station rule
    and the memory; it is stored with its lower bound and its sort key
    (``lb_weight`` times the lower bound, plus the total idle time in
    stations, minus the ``kw`` of its tasks; with a negative
    ``lb_weight`` the best-first key: idle time per station plus
    ``lb_weight`` per task still to place).

    ``work_left`` is the work (see :data:`.search.WORK_PER_SECOND`)
    the expansion may do; past it the outcome is ``TIMED_OUT``.

    Returns
    -------
    tuple
        The (possibly grown) pool arrays, the new ``top``, the table
        count, the number of loads looked at, the outcome
        (``SOLVED``: ``sol[0]`` then holds all tasks, the last station
        being ``sol`` minus the node; ``TRUNCATED``, ``TIMED_OUT`` or
        ``DONE``), and the work done.
    """
    n, K = t.shape
    W = nodes.shape[1]
    deg = np.zeros(n, np.int64)
    elig = np.zeros(n, np.int64)
    in_station = np.zeros(n, np.bool_)
    chosen = np.zeros(n, np.int64)
    pos = np.zeros(n + 1, np.int64)
    nel = np.zeros(n + 1, np.int64)
    added = np.zeros(n + 1, np.bool_)
    ms = np.zeros(n + 1, np.int64)
    rem = np.zeros(K, np.int64)
    rsum = np.zeros(K, np.int64)
    rsum0 = np.zeros(K, np.int64)
    tot = np.zeros(K, np.int64)
    pot = np.zeros(K, np.int64)
    r2 = np.zeros(K, np.int64)
    r3 = np.zeros(K, np.int64)
    sz = np.zeros(n, np.int64)
    nf = fsw.shape[2]
    fsum = np.zeros((K, nf), np.int64)
    n_left = 0
    n_nonsink = 0
    ne = 0
    msz = 0
    new_state = False
    for r in range(n):
        j = rank[r]
        for k in range(K):
            tot[k] += t[j, k]
        if _has(nodes, row, j):
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
            if not _has(nodes, row, pred_idx[q]):
                d += 1
        deg[j] = d
        if d == 0:
            elig[ne] = j
            ne += 1
    for k in range(K):
        rem[k] = cap[k]
        rsum0[k] = rsum[k]
    first = top
    stations = L + 1
    n_leaves = 0
    outcome = DONE
    ms[0] = cap[0] + 1
    depth = 0
    pos[0] = 0
    nel[0] = ne
    added[0] = False
    steps = 0
    # Work: one unit per eligible task scanned or task summed over; it
    # tracks CPU within a small factor on lines of every size.
    work = n + pred_ptr[n]
    while depth >= 0:
        steps += 1
        if work > work_left or ((steps & 65535) == 0
                                and _now() > deadline):
            outcome = TIMED_OUT
            break
        ii = pos[depth]
        work += 1 + (nel[depth] - ii) * K
        # Bound: the load must end with little enough idle for LB1
        # (and, in one dimension, below the shortest task left out, for
        # maximality); what can still join it is at most the tasks left
        # to scan and their followers.
        for k in range(K):
            pot[k] = 0
        for q in range(ii, nel[depth]):
            j = elig[q]
            for k in range(K):
                pot[k] += after[j, k]
        for k in range(K):
            allowed = (best - 1 - L) * cap[k] - rsum0[k]
            if K == 1 and ms[depth] - 1 < allowed:
                allowed = ms[depth] - 1
            if rem[k] - pot[k] > allowed:
                added[depth] = True
                ii = nel[depth]
                break
        found = -1
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
            if n_leaves > max_leaves:
                outcome = TRUNCATED
                break
            if (n_leaves & 4095) == 0 and _now() > deadline:
                outcome = TIMED_OUT
                break
            # A leaf: chosen[0:depth] admits no later task.
            work += nel[depth] + W
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
            if ok and n_left == depth:
                for w in range(W):
                    sol[0, w] = nodes[row, w]
                for z in range(depth):
                    j = chosen[z]
                    sol[0, j >> 6] |= _ONE << np.uint64(j & 63)
                outcome = SOLVED
                break
            lb = stations
            if ok:
                for k in range(K):
                    v = max((rsum[k] + cap[k] - 1) // cap[k],
                            (r2[k] + 1) // 2, (r3[k] + 5) // 6)
                    if stations + v > lb:
                        lb = stations + v
                if lb >= best:
                    ok = False
            if ok and use_mt:
                work += n * K
                fsum[:, :] = 0
                for j in range(n):
                    if in_station[j] or _has(nodes, row, j):
                        continue
                    for k in range(K):
                        for f in range(nf):
                            fsum[k, f] += fsw[j, k, f]
                for k in range(K):
                    for f in range(nf):
                        den = (f + 1) * cap[k]
                        v = (fsum[k, f] + den - 1) // den
                        if stations + v > lb:
                            lb = stations + v
                for k in range(K):
                    msz = 0
                    for r in range(n):
                        j = desc[k, r]
                        if in_station[j] or _has(nodes, row, j):
                            continue
                        sz[msz] = t[j, k]
                        msz += 1
                    v = mt_bound(sz, msz, cap[k])
                    if stations + v > lb:
                        lb = stations + v
                if lb >= best:
                    ok = False
            if ok:
                for r in range(n):
                    j = tail_order[r]
                    work += 1
                    if in_station[j] or _has(nodes, row, j):
                        continue
                    if stations + tail[j] > lb:
                        lb = stations + tail[j]
                    break
                if lb >= best:
                    ok = False
            if ok:
                # Jackson: an eligible task that dominates a task of the
                # load and fits in its place.
                for q in range(nel[depth]):
                    i = elig[q]
                    if in_station[i]:
                        continue
                    work += depth
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
                # A station of sink tasks only can move to the end.
                sink_only = True
                for z in range(depth):
                    if has_succ[chosen[z]]:
                        sink_only = False
                        break
                if sink_only:
                    ok = False
            if ok:
                if top >= pool_lb.size:
                    pool_bits, pool_lb, pool_key, pool_parent = _grow_pool(
                        pool_bits, pool_lb, pool_key, pool_parent)
                for w in range(W):
                    pool_bits[top, w] = nodes[row, w]
                for z in range(depth):
                    j = chosen[z]
                    pool_bits[top, j >> 6] |= _ONE << np.uint64(j & 63)
                # The table is grown between nodes; a node with more
                # children than it has room for keeps the rest unstored
                # (the memory is a cache: skipping it loses no line).
                new_state = True
                if hcount * 4 < vals.size * 3:
                    s = _slot(keys, vals, pool_bits, top)
                    if vals[s] != 0 and vals[s] <= stations:
                        ok = False
                    else:
                        new_state = vals[s] == 0
                        if vals[s] == 0:
                            hcount += 1
                            for w in range(W):
                                keys[s, w] = pool_bits[top, w]
                        vals[s] = stations
            # A ``None`` memo (the multi-dimensional and quick searches)
            # prunes this branch when numba compiles, so that those
            # searches do not pay for compiling the bin packing.
            if memo is not None:
                if ok and new_state and lb == best - 1:
                    sets = memo[-1, 0]
                    # The tasks left fill the stations that remain by
                    # the bounds but not in fact (Sewell & Jacobson's
                    # bin-packing bound); the state stays remembered.
                    ok = state_fits(sz, msz, best - 1 - stations, cap[0],
                                    memo) != NO_FIT
                    work += BIN_PACKING_WORK * int(memo[-1, 0] - sets)
            if ok:
                work += W + K + depth
                pool_lb[top] = lb
                pool_parent[top] = row
                idle = 0.0
                for k in range(K):
                    idle += stations - (tot[k] - rsum[k]) / cap[k]
                for z in range(depth):
                    idle -= kw[chosen[z]]
                if lb_weight < 0.0:
                    # Cyclic best first: least idle per station, then
                    # most tasks still to place (Sewell & Jacobson).
                    pool_key[top] = (idle / stations
                                     + lb_weight * (n_left - depth))
                else:
                    pool_key[top] = lb * lb_weight + idle
                top += 1
                if top - first >= min(max_loads, MAX_CHILDREN):
                    outcome = TRUNCATED
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
    return (pool_bits, pool_lb, pool_key, pool_parent, top, hcount,
            n_leaves, outcome, work)


@numba.njit(cache=True)
def _sort_segment(pool_bits, pool_lb, pool_key, pool_parent, a, b):
    if b - a > 1:
        order = np.argsort(pool_key[a:b], kind="mergesort")
        pool_bits[a:b] = pool_bits[a:b][order]
        pool_lb[a:b] = pool_lb[a:b][order]
        pool_key[a:b] = pool_key[a:b][order]
        pool_parent[a:b] = pool_parent[a:b][order]


@numba.njit(cache=True)
def _mark(station_of, upper, ru, lower, rl, s):
    """Tasks in ``upper[ru]`` but not in ``lower[rl]`` go to station s."""
    for j in range(station_of.size):
        if _has(upper, ru, j) and not _has(lower, rl, j):
            station_of[j] = s


@numba.njit(cache=True)
def bbr_search(t, after, kw, cap, pred_ptr, pred_idx, succ_ptr, succ_idx,
               dom, tail, tail_order, w2, w3, has_succ, rank, desc, fsw,
               use_mt, memo,
               ub, lb_root, time_limit, max_states, node_limit, work_limit,
               max_loads, max_leaves):
    """Depth-first search for a line with fewer than ``ub`` stations.

    Parameters
    ----------
    t, cap
        Task times ``(n, K)`` and capacities ``(K,)``, integers.
    after
        Each task's time plus all its followers' times ``(n, K)``.
    kw
        Preference of each task in a load (sort key, see ``_expand``).
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
    desc, fsw, use_mt
        Tasks by decreasing time ``(K, n)``, Fekete & Schepers' weights
        ``(n, K, F)`` (see :func:`.prepare.fs_weights`), and whether to
        prune with them and Martello & Toth's L2 bound on the tasks
        left (:func:`mt_bound`), and (one dimension) the states they
        leave one station short of ``best`` with exact bin packing.
    memo
        Memory of the bin-packing answers (:func:`._binpack.new_memo`),
        shared by the searches of one instance; ``None`` (needed when
        ``use_mt`` is false or ``K > 1``) asks no bin packing.
    ub
        Stations of the best known line; only better ones are sought.
    lb_root
        A proved lower bound: the search stops when it reaches it.
    time_limit, max_states, node_limit, work_limit
        Budget in seconds (a safety net); hash table size before it is
        cleared; nodes expanded and work done at most (deterministic
        budgets; work as counted by :func:`_expand`, plus the children
        sorted and kept).
    max_loads, max_leaves
        Children kept and loads looked at per node at most; smaller
        numbers make a fast incomplete dive.

    Returns
    -------
    (best, station_of, complete, n_nodes, n_leaves, work)
        ``best < ub`` with ``station_of`` when a better line was found;
        ``complete`` when the search ran to its end (``best`` optimal);
        ``work`` done.
    """
    n, K = t.shape
    W = (n + 63) // 64
    deadline = _now() + time_limit
    best = ub
    station_of = np.full(n, -1, np.int64)
    keys = np.zeros((1 << 16, W), np.uint64)
    vals = np.zeros(1 << 16, np.int32)
    hcount = np.int64(0)  # not Literal[int](0): that compiles _expand twice
    pool_bits = np.zeros((1 << 12, W), np.uint64)
    pool_lb = np.zeros(1 << 12, np.int64)
    pool_key = np.zeros(1 << 12, np.float64)
    pool_parent = np.zeros(1 << 12, np.int64)
    lvl_bits = np.zeros((n + 2, W), np.uint64)
    child_end = np.zeros(n + 2, np.int64)
    child_next = np.zeros(n + 2, np.int64)
    sol = np.zeros((1, W), np.uint64)
    complete = True
    n_nodes = 0
    n_leaves = 0
    work = np.int64(0)
    level = np.int64(0)
    expand = True
    while level >= 0:
        L = level
        if expand:
            expand = False
            if n_nodes >= node_limit or work >= work_limit:
                complete = False
                break
            n_nodes += 1
            first = child_end[L - 1] if L > 0 else 0
            (pool_bits, pool_lb, pool_key, pool_parent, top, hcount,
             leaves, outcome, done) = _expand(
                lvl_bits, L, L, best, t, after, kw, cap, pred_ptr, pred_idx,
                succ_ptr, succ_idx, dom, tail, tail_order, w2, w3, has_succ,
                rank, keys, vals, hcount, pool_bits, pool_lb, pool_key,
                pool_parent, first, sol, max_loads, max_leaves, deadline,
                1e6, desc, fsw, use_mt, memo, work_limit - work)
            n_leaves += leaves
            work += done + 4 * (top - first)
            if outcome == TIMED_OUT or (
                    (n_nodes & 255) == 0 and _now() > deadline):
                complete = False
                break
            if outcome == TRUNCATED:
                complete = False
            if outcome == SOLVED:
                best = L + 1
                for s in range(L):
                    _mark(station_of, lvl_bits, s + 1, lvl_bits, s, s)
                _mark(station_of, sol, 0, lvl_bits, L, L)
                if best <= lb_root:
                    break
                top = first  # siblings cannot do better
            child_end[L] = top
            child_next[L] = first
            _sort_segment(pool_bits, pool_lb, pool_key, pool_parent, first,
                          top)
            keys, vals, hcount = _grow_table(keys, vals, hcount, max_states)
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
            lvl_bits[level] = pool_bits[c]
            expand = True
            moved = True
            break
        if not moved:
            level = L - 1
    return best, station_of, complete, n_nodes, n_leaves, work


@numba.njit(cache=True)
def beam_state(n):
    """A fresh state of :func:`beam_search` for ``n`` tasks: the memory,
    the pool of the level being built, the archive of kept states with
    the root, and the scalars ``meta`` (table count, archive size, first
    and end row of the level being expanded, its station count, the
    next row to expand, the pool size, :data:`RUNNING` or
    :data:`ENDED`)."""
    W = (n + 63) // 64
    keys = np.zeros((1 << 16, W), np.uint64)
    vals = np.zeros(1 << 16, np.int32)
    pool_bits = np.zeros((1 << 12, W), np.uint64)
    pool_lb = np.zeros(1 << 12, np.int64)
    pool_key = np.zeros(1 << 12, np.float64)
    pool_parent = np.zeros(1 << 12, np.int64)
    arch = np.zeros((1 << 12, W), np.uint64)
    arch_parent = np.full(1 << 12, -1, np.int64)
    # hcount, n_arch, level_first, level_end, L, row, top, status, complete
    meta = np.array([0, 1, 0, 1, 0, 0, 0, RUNNING, 1], np.int64)
    return (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
            arch_parent, meta)


@numba.njit(cache=True)
def beam_search(t, after, kw, cap, pred_ptr, pred_idx, succ_ptr, succ_idx,
                dom, tail, tail_order, w2, w3, has_succ, rank, desc, fsw,
                use_mt, memo,
                ub, lb_root, time_limit, max_states, node_limit, work_limit,
                width, state):
    """Station-by-station search keeping the best ``width`` states.

    The parameters are those of :func:`bbr_search`, with ``width`` the
    states kept per station. The first line found is the shortest the
    beam holds; with no state ever dropped the search is complete.
    ``state`` (:func:`beam_state`) is where the search starts and what
    it leaves: a search stopped by ``node_limit`` or ``work_limit`` goes
    on from there when called again with its state (with any ``ub`` no
    greater than before; a node cut short is expanded again from its
    start); ``meta[7]`` says whether it can, as in :func:`cbfs_search`.

    Returns
    -------
    (best, station_of, complete, n_nodes, n_leaves, work, state)
        As for :func:`bbr_search`; ``n_nodes`` and ``work`` are this
        call's.
    """
    n, K = t.shape
    deadline = _now() + time_limit
    best = ub
    station_of = np.full(n, -1, np.int64)
    (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
     arch_parent, meta) = state
    W = arch.shape[1]
    hcount = np.int64(meta[0])
    n_arch = meta[1]
    level_first = meta[2]
    level_end = meta[3]
    L = meta[4]
    row = meta[5]
    top = meta[6]
    sol = np.zeros((1, W), np.uint64)
    complete = meta[8] == 1
    status = ENDED
    n_nodes = 0
    n_leaves = 0
    work = np.int64(0)
    while level_end > level_first and L + 1 < best:
        solved = -1
        stopped = False
        while row < level_end:
            if n_nodes >= node_limit or work >= work_limit or (
                    ((n_nodes + 1) & 15) == 0 and _now() > deadline):
                stopped = True
                break
            n_nodes += 1
            before = top
            (pool_bits, pool_lb, pool_key, pool_parent, top, hcount,
             leaves, outcome, done) = _expand(
                arch, row, L, best, t, after, kw, cap, pred_ptr, pred_idx,
                succ_ptr, succ_idx, dom, tail, tail_order, w2, w3, has_succ,
                rank, keys, vals, hcount, pool_bits, pool_lb, pool_key,
                pool_parent, top, sol, 1 << 62, 1 << 62, deadline, 0.0,
                desc, fsw, use_mt, memo, work_limit - work)
            n_leaves += leaves
            work += done + 4 * (top - before)
            if outcome == TIMED_OUT:
                # The node goes again from its start next time: its
                # children kept so far are remembered, so they are not
                # kept twice.
                stopped = True
                break
            if outcome == SOLVED:
                solved = row
                break
            keys, vals, hcount = _grow_table(keys, vals, hcount, max_states)
            row += 1
        if stopped:
            if complete and _now() <= deadline:
                status = RUNNING
            complete = False
            break
        if solved >= 0:
            best = L + 1
            _mark(station_of, sol, 0, arch, solved, L)
            r = solved
            s = L - 1
            while arch_parent[r] >= 0:
                _mark(station_of, arch, r, arch, arch_parent[r], s)
                r = arch_parent[r]
                s -= 1
            break
        _sort_segment(pool_bits, pool_lb, pool_key, pool_parent, 0, top)
        keep = top
        if keep > width:
            keep = width
            complete = False
        while n_arch + keep > arch.shape[0]:
            na = np.zeros((arch.shape[0] * 2, W), np.uint64)
            na[:n_arch] = arch[:n_arch]
            npar = np.full(arch.shape[0] * 2, -1, np.int64)
            npar[:n_arch] = arch_parent[:n_arch]
            arch, arch_parent = na, npar
        level_first = n_arch
        for c in range(keep):
            arch[n_arch] = pool_bits[c]
            arch_parent[n_arch] = pool_parent[c]
            n_arch += 1
        level_end = n_arch
        row = level_first
        top = 0
        L += 1
    meta[0] = hcount
    meta[1] = n_arch
    meta[2] = level_first
    meta[3] = level_end
    meta[4] = L
    meta[5] = row
    meta[6] = top
    meta[7] = status
    if status == ENDED:
        meta[8] = 1 if complete else 0
    state = (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
             arch_parent, meta)
    return best, station_of, complete, n_nodes, n_leaves, work, state


@numba.njit(cache=True)
def _heap_push(keys, idx, size, key, item):
    """Push onto a binary min-heap; returns the (possibly grown) arrays."""
    if size >= keys.size:
        nk = np.zeros(keys.size * 2, np.float64)
        nk[:size] = keys[:size]
        ni = np.zeros(keys.size * 2, np.int64)
        ni[:size] = idx[:size]
        keys, idx = nk, ni
    i = size
    while i > 0:
        up = (i - 1) >> 1
        if keys[up] <= key:
            break
        keys[i] = keys[up]
        idx[i] = idx[up]
        i = up
    keys[i] = key
    idx[i] = item
    return keys, idx


@numba.njit(cache=True)
def _heap_pop(keys, idx, size):
    """Remove and return the item of least key (``size`` > 0)."""
    top = idx[0]
    size -= 1
    key = keys[size]
    item = idx[size]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and keys[c + 1] < keys[c]:
            c += 1
        if keys[c] >= key:
            break
        keys[i] = keys[c]
        idx[i] = idx[c]
        i = c
    if size > 0:
        keys[i] = key
        idx[i] = item
    return top


@numba.njit(cache=True)
def cbfs_state(n, lb_root):
    """A fresh state of :func:`cbfs_search` for ``n`` tasks: the memory,
    the archive of states with its root, the heaps of open states and
    the scalars ``meta`` (table count, archive size, station count
    taken last, :data:`RUNNING` or :data:`ENDED`, and whether no
    truncation made the search incomplete)."""
    (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
     arch_parent, _) = beam_state(n)
    arch_level = np.zeros(1 << 12, np.int64)
    arch_lb = np.zeros(1 << 12, np.int64)
    arch_lb[0] = lb_root
    hk = List()
    hi = List()
    for _ in range(n + 2):
        hk.append(np.zeros(16, np.float64))
        hi.append(np.zeros(16, np.int64))
    hn = np.zeros(n + 2, np.int64)
    hn[0] = 1
    # hcount, n_arch, m, status, complete
    meta = np.array([0, 1, -1, RUNNING, 1], np.int64)
    return (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
            arch_parent, arch_level, arch_lb, hk, hi, hn, meta)


@numba.njit(cache=True)
def cbfs_search(t, after, kw, cap, pred_ptr, pred_idx, succ_ptr, succ_idx,
                dom, tail, tail_order, w2, w3, has_succ, rank, desc, fsw,
                use_mt, memo,
                ub, lb_root, time_limit, max_states, node_limit, work_limit,
                max_leaves, max_archive, state):
    """Cyclic best-first search for a line with fewer than ``ub`` stations.

    One heap of open states per number of closed stations; the search
    takes the best state of each station count in turn (the distributed
    best-first order of Sewell & Jacobson's BB&R), the best being the
    least idle time per station, then the most tasks still to place. It
    reaches tight lines much sooner than depth first and, run to its
    end, is complete as well.

    The parameters are those of :func:`bbr_search`, with ``max_leaves``
    the loads looked at per node and ``max_archive`` the states kept at
    most (memory); either limit reached makes the search incomplete.
    ``state`` (:func:`cbfs_state`) is where the search starts and what
    it leaves: a search stopped by ``node_limit`` or ``work_limit``
    (checked between nodes, so a node is never cut short) goes on from
    there when called again with it, with any ``ub``
    no greater than before. Its ``meta[3]`` says whether the search
    can go on (:data:`RUNNING`) or ended (:data:`ENDED`: run to its
    end, out of memory or the safety net hit).

    Returns
    -------
    (best, station_of, complete, n_nodes, n_leaves, work, state)
        As for :func:`bbr_search`; ``n_nodes`` and ``work`` are this
        call's.
    """
    n, K = t.shape
    deadline = _now() + time_limit
    best = ub
    station_of = np.full(n, -1, np.int64)
    (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
     arch_parent, arch_level, arch_lb, hk, hi, hn, meta) = state
    hcount = np.int64(meta[0])
    n_arch = meta[1]
    m = meta[2]
    W = arch.shape[1]
    sol = np.zeros((1, W), np.uint64)
    weight = -0.02 / cap[0]
    complete = meta[4] == 1
    n_nodes = 0
    n_leaves = 0
    work = np.int64(0)
    status = RUNNING
    while True:
        # The next station count, in turn, with an open state; only
        # states with at most best - 2 closed stations can improve.
        level = -1
        span = best - 1
        before = m
        for _ in range(span):
            m = (m + 1) % span
            if hn[m] > 0:
                level = m
                break
        if level < 0:
            status = ENDED
            break
        if n_nodes >= node_limit or work >= work_limit:
            m = before  # this station count comes first next time
            break
        row = _heap_pop(hk[level], hi[level], hn[level])
        hn[level] -= 1
        if arch_lb[row] >= best:
            continue
        s = _slot(keys, vals, arch, row)
        if vals[s] != 0 and vals[s] < level:
            continue  # reached since with fewer stations
        n_nodes += 1
        (pool_bits, pool_lb, pool_key, pool_parent, top, hcount,
         leaves, outcome, done) = _expand(
            arch, row, level, best, t, after, kw, cap, pred_ptr, pred_idx,
            succ_ptr, succ_idx, dom, tail, tail_order, w2, w3, has_succ,
            rank, keys, vals, hcount, pool_bits, pool_lb, pool_key,
            pool_parent, np.int64(0), sol, np.int64(1 << 62), max_leaves,
            deadline, weight,
            desc, fsw, use_mt, memo, np.int64(1 << 62))
        n_leaves += leaves
        work += done + 4 * top
        if outcome == TIMED_OUT or (
                (n_nodes & 255) == 0 and _now() > deadline):
            complete = False
            status = ENDED
            break
        if outcome == TRUNCATED:
            complete = False
        if outcome == SOLVED:
            best = level + 1
            station_of[:] = -1
            _mark(station_of, sol, 0, arch, row, level)
            r = row
            while arch_parent[r] >= 0:
                _mark(station_of, arch, r, arch, arch_parent[r],
                      arch_level[r] - 1)
                r = arch_parent[r]
            if best <= lb_root:
                status = ENDED
                break
            continue
        if n_arch + top > max_archive:
            complete = False
            status = ENDED
            break
        while n_arch + top > arch.shape[0]:
            cap2 = arch.shape[0] * 2
            na = np.zeros((cap2, W), np.uint64)
            na[:n_arch] = arch[:n_arch]
            npar = np.full(cap2, -1, np.int64)
            npar[:n_arch] = arch_parent[:n_arch]
            nlev = np.zeros(cap2, np.int64)
            nlev[:n_arch] = arch_level[:n_arch]
            nlb = np.zeros(cap2, np.int64)
            nlb[:n_arch] = arch_lb[:n_arch]
            arch, arch_parent, arch_level, arch_lb = na, npar, nlev, nlb
        child = level + 1
        for c in range(top):
            arch[n_arch] = pool_bits[c]
            arch_parent[n_arch] = row
            arch_level[n_arch] = child
            arch_lb[n_arch] = pool_lb[c]
            hk[child], hi[child] = _heap_push(hk[child], hi[child],
                                              hn[child], pool_key[c], n_arch)
            hn[child] += 1
            n_arch += 1
        keys, vals, hcount = _grow_table(keys, vals, hcount, max_states)
    meta[0] = hcount
    meta[1] = n_arch
    meta[2] = m
    meta[3] = status
    meta[4] = 1 if complete else 0
    state = (keys, vals, pool_bits, pool_lb, pool_key, pool_parent, arch,
             arch_parent, arch_level, arch_lb, hk, hi, hn, meta)
    return (best, station_of, complete and status == ENDED, n_nodes,
            n_leaves, work, state)
